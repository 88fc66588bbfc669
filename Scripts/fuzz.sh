#!/usr/bin/env bash
# Builds the libFuzzer target for the DICOM reader and runs it, seeded with the test corpus.
# Usage: Scripts/fuzz.sh [SECONDS]   (default 300)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
out=.build-fuzz
mkdir -p "$out" fuzz-corpus
mapfile -t sources < <(find Sources/DICOM -name '*.swift' | sort)
swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name DICOMFuzz \
    -I Sources/CZlib "${sources[@]}" Fuzz/ReaderFuzzer.swift -o "$out/reader-fuzzer" -lz
# Seed: every corpus file (small ones only, to keep iterations fast).
if [ -d TestData/corpus ]; then
    find TestData/corpus -type f -size -256k -exec cp -n {} fuzz-corpus/ \; 2>/dev/null || true
fi
"$out/reader-fuzzer" fuzz-corpus -max_total_time="$seconds" -max_len=262144 -timeout=10 -rss_limit_mb=4096 \
    -print_final_stats=1 2>&1 | tail -25
