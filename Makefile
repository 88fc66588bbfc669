# Pharos — build, run and test. Every install step the project needs lives here.
SHELL := /bin/bash
SWIFT ?= swift
PYTHON ?= python3
CONFIG ?=

.PHONY: setup deps pydeps testdata build release run test test-build test-setup test-swift test-e2e fuzz bench bench-parse dictionary clean

# Debian packages the build and tests need (skipped when already present).
APT_PACKAGES := zlib1g-dev dcmtk libdcmtk-dev libarchive-dev libjpeg62-turbo-dev libopenjp2-7-dev libcharls-dev pkg-config orthanc-doc
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "Installing:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi

# Python tools the end-to-end tests drive the server with (pytest, with xdist to run two test files at once;
# pynetdicom as a real DICOM peer; httplib2 and requests for Orthanc's own import scripts, which orthanc-doc
# ships), as pip-name:module-name.
PIP_PACKAGES := pytest:pytest pytest-xdist:xdist pynetdicom:pynetdicom httplib2:httplib2 requests:requests
pydeps:
	@for p in $(PIP_PACKAGES); do $(PYTHON) -c "import $${p#*:}" 2>/dev/null || $(PYTHON) -m pip install -q --disable-pip-version-check $${p%%:*}; done

# Test corpus: pydicom's and pydicom-data's files, fetched from PyPI into TestData/ (ignored by git).
testdata:
	@bash Scripts/fetch-test-data.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

run: release
	.build/release/pharos $(CONFIG)

# Test builds carry no Swift debug info: less to emit and to link on every clean build (CI builds everything from
# scratch on 2 cores). -wmo (with -num-threads, without which test discovery finds no index store) built no faster.
TEST_BUILD_FLAGS := -Xswiftc -gnone

# The Swift Testing suites, run straight from the built bundle: `swift test --skip-build` spends about a minute
# loading the package graph again on a clean clone before it starts the same binary.
SWIFT_TESTS := $(CURDIR)/.build/debug/PharosPackageTests.xctest --testing-library swift-testing

# The corpus download and the Python tools (network, mostly waiting) overlap the build.
test: deps
	@$(MAKE) --no-print-directory -j2 test-build test-setup
	$(SWIFT_TESTS)
	PHAROS_BIN=$(CURDIR)/.build/debug/pharos $(PYTHON) -m pytest -q $(E2E_PARALLEL) tests/e2e

test-build:
	$(SWIFT) build --build-tests $(TEST_BUILD_FLAGS)

# One pip at a time: the Python tools, then the corpus and its reference values.
test-setup: pydeps
	@bash Scripts/fetch-test-data.sh

test-swift: deps testdata
	$(SWIFT) test $(TEST_BUILD_FLAGS)

# Two workers, each taking whole test files (module fixtures start one server per file).
E2E_PARALLEL := -n 2 --dist loadfile

# The end-to-end tests alone, against the debug binary (or PHAROS_BIN=…).
test-e2e: deps pydeps testdata
	$(SWIFT) build --product pharos $(TEST_BUILD_FLAGS)
	PHAROS_BIN=$(or $(PHAROS_BIN),$(CURDIR)/.build/debug/pharos) $(PYTHON) -m pytest -q $(E2E_PARALLEL) tests/e2e

fuzz: deps testdata
	bash Scripts/fuzz.sh $(or $(SECONDS),300)

# Parse throughput on the corpus and on 361 synthetic 512x512 CT slices, beside pydicom's.
bench-parse: deps testdata
	$(SWIFT) build -c release --product DICOMBench
	@[ -d bench-data/ct ] || PYTHONPATH=TestData/pylib python3 Benchmarks/make-ct-series.py bench-data/ct 361
	@echo "== Pharos DICOM reader, corpus"; .build/release/DICOMBench TestData/corpus
	@echo "== pydicom, corpus"; PYTHONPATH=TestData/pylib python3 Benchmarks/reference-parse.py TestData/corpus
	@echo "== Pharos DICOM reader, 361 CT slices 512x512"; .build/release/DICOMBench bench-data/ct
	@echo "== pydicom, 361 CT slices 512x512"; PYTHONPATH=TestData/pylib python3 Benchmarks/reference-parse.py bench-data/ct

# REST ingest (361 CT slices, uncompressed and JPEG 2000, 1 and 4 clients) and query latency (20,000 instances),
# Pharos beside Debian's Orthanc. QUICK=1 for a short run, ORTHANC=0 to skip Orthanc, PHAROS_BIN=… for another binary.
bench: deps testdata
	QUICK="$(QUICK)" ORTHANC="$(ORTHANC)" PHAROS_BIN="$(PHAROS_BIN)" bash Benchmarks/bench.sh

dictionary:
	$(PYTHON) Scripts/generate-dictionary.py
	$(PYTHON) Scripts/generate-uid-registry.py

clean:
	rm -rf .build
