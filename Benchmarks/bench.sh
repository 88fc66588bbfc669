#!/usr/bin/env bash
# `make bench`: REST ingest, query and preview latency of Pharos beside Debian's Orthanc 1.10 (loopback only, bounded in time).
#
# Environment:
#   QUICK=1        a short run (40 slices, 2,000 query instances, 2 runs) to check the script itself
#   ORTHANC=0      skip the Orthanc reference          PHAROS=0   skip Pharos (to check the script on Orthanc alone)
#   PHAROS_BIN=…   use this pharos binary instead of building .build/release/pharos
#   RUNS=N         repetitions of the whole ingest (default 3) and of the preview passes
#   REST=0         skip the ingest and query part (preview latency and ImagingBench only)
#   DIMSE=0        skip the C-STORE / C-FIND part (DCMTK storescu and findscu)
#   IMAGING_BENCH=… use this ImagingBench binary instead of building .build/release/ImagingBench
# Data is cached under bench-data/ and the report is written to bench-results/latest.txt (both ignored by git).
set -euo pipefail

cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
QUICK="${QUICK:-0}"
ORTHANC="${ORTHANC:-1}"
PHAROS="${PHAROS:-1}"
[[ "$QUICK" == "0" || -z "$QUICK" ]] && QUICK=0

if [[ "$QUICK" != 0 ]]; then
    SLICES=40; QUERY_COUNT=2000; RUNS="${RUNS:-2}"; QUERY_RUNS=5
else
    SLICES=361; QUERY_COUNT=20000; RUNS="${RUNS:-3}"; QUERY_RUNS=20
fi

apt_install() {
    # Keep Debian's maintainer scripts from starting the packaged service (it would take ports 8042/4242):
    # only for this install, and only when no policy is in place already.
    local policy=/usr/sbin/policy-rc.d added=0
    if [[ ! -e "$policy" ]]; then
        printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && added=1
    fi
    echo "Installing $* with apt-get"
    { apt-get install -y -qq "$@" || { apt-get update -qq && apt-get install -y -qq "$@"; }; } \
        > /tmp/pharos-bench-apt.log 2>&1 || { cat /tmp/pharos-bench-apt.log; exit 1; }
    [[ "$added" == 1 ]] && rm -f "$policy"
    return 0
}

export DEBIAN_FRONTEND=noninteractive
command -v opj_compress >/dev/null || apt_install libopenjp2-tools
ORTHANC_BIN=""
if [[ "$ORTHANC" != 0 ]]; then
    command -v Orthanc >/dev/null || [[ -x /usr/sbin/Orthanc ]] || apt_install orthanc
    # Orthanc previews JPEG 2000 only with Debian's GDCM plugin.
    [[ -f /usr/share/orthanc/plugins/libOrthancGdcm.so ]] || apt_install orthanc-gdcm
    ORTHANC_BIN="$(command -v Orthanc || echo /usr/sbin/Orthanc)"
fi
"$PYTHON" -c "import numpy" 2>/dev/null || "$PYTHON" -m pip install --quiet --disable-pip-version-check numpy

# pydicom comes from the test-data wheel (make testdata), without touching site-packages.
export PYTHONPATH="$PWD/TestData/pylib${PYTHONPATH:+:$PYTHONPATH}"
"$PYTHON" -c "import pydicom" 2>/dev/null || bash Scripts/fetch-test-data.sh

# Data, cached: the same 361 slices as bench-parse, their JPEG 2000 twins, and the small-instance query set.
[[ -d bench-data/ct ]] || "$PYTHON" Benchmarks/make-ct-series.py bench-data/ct 361
if [[ ! -f bench-data/ct-j2k/.done ]]; then
    rm -rf bench-data/ct-j2k
    "$PYTHON" Benchmarks/make-j2k-series.py bench-data/ct bench-data/ct-j2k && touch bench-data/ct-j2k/.done
fi
if [[ ! -f bench-data/codecs/.done ]]; then
    rm -rf bench-data/codecs
    "$PYTHON" Benchmarks/make-codec-set.py bench-data/ct/ct0000.dcm bench-data/ct-j2k/ct0000.dcm bench-data/codecs \
        && touch bench-data/codecs/.done
fi
QUERY_DIR="bench-data/query-$QUERY_COUNT"
if [[ ! -f "$QUERY_DIR/.done" ]]; then
    rm -rf "$QUERY_DIR"
    "$PYTHON" Benchmarks/make-query-set.py "$QUERY_DIR" "$QUERY_COUNT" && touch "$QUERY_DIR/.done"
fi

SERVERS=()
if [[ "$PHAROS" != 0 ]]; then
    if [[ -z "${PHAROS_BIN:-}" ]]; then
        ${SWIFT:-swift} build -c release --product pharos
        PHAROS_BIN="$PWD/.build/release/pharos"
    fi
    [[ -x "$PHAROS_BIN" ]] || { echo "no pharos binary at $PHAROS_BIN" >&2; exit 1; }
    SERVERS+=(--pharos "$PHAROS_BIN")
fi
[[ -n "$ORTHANC_BIN" ]] && SERVERS+=(--orthanc "$ORTHANC_BIN")
[[ ${#SERVERS[@]} -gt 0 ]] || { echo "ORTHANC=0 and PHAROS=0: nothing to measure" >&2; exit 1; }

# The disk's ceiling for durable ingest, in the folder the servers store into (the system's temporary folder).
mkdir -p bench-results
"$PYTHON" Benchmarks/disk-sync.py "$(mktemp -d)" | tee bench-results/disk.txt

FINDSCU_FLAG=()
[[ "${DIMSE:-1}" != 0 ]] && FINDSCU_FLAG=(--findscu)
if [[ "${REST:-1}" != 0 ]]; then
    "$PYTHON" Benchmarks/rest-bench.py "${SERVERS[@]}" "${FINDSCU_FLAG[@]}" \
        --ct bench-data/ct --j2k bench-data/ct-j2k --query "$QUERY_DIR" \
        --slices "$SLICES" --runs "$RUNS" --query-runs "$QUERY_RUNS" --out bench-results/latest.txt
fi

# DIMSE: C-STORE throughput (DCMTK storescu, 1 and 4 associations); C-FIND latency is in the REST report above.
if [[ "${DIMSE:-1}" != 0 ]]; then
    "$PYTHON" Benchmarks/dimse-bench.py "${SERVERS[@]}" --ct bench-data/ct --runs "$RUNS" --out bench-results/dimse.txt
fi

# Preview latency (uncompressed and JPEG 2000 slices), same servers.
if [[ "$QUICK" != 0 ]]; then PREVIEW_SLICES=5; else PREVIEW_SLICES=20; fi
"$PYTHON" Benchmarks/preview-bench.py "${SERVERS[@]}" --ct bench-data/ct --j2k bench-data/ct-j2k \
    --slices "$PREVIEW_SLICES" --runs "$RUNS" --codecs bench-data/codecs --out bench-results/preview.txt

# Decode time per frame per codec, in-process (no HTTP): one 512x512 image per transfer syntax, then the corpus.
if [[ "$PHAROS" != 0 ]]; then
    IMAGING_BENCH="${IMAGING_BENCH:-}"
    if [[ -z "$IMAGING_BENCH" ]]; then
        ${SWIFT:-swift} build -c release --product ImagingBench
        IMAGING_BENCH="$PWD/.build/release/ImagingBench"
    fi
    {
        echo "# ImagingBench (release, in-process): median decode ms per frame, one 512x512 image per transfer syntax"
        "$IMAGING_BENCH" -n 5 bench-data/codecs
        echo "# ImagingBench: the pydicom corpus, grouped by transfer syntax (frames of many sizes)"
        "$IMAGING_BENCH" -n 3 TestData/corpus
    } | tee bench-results/imaging.txt
fi
