"""Reference parse timing with pydicom, measured the same way as DICOMBench (median of runs, files/s, MB/s).

Usage: reference-parse.py [--runs N] PATH...
"""
import os
import sys
import time

import pydicom

args = sys.argv[1:]
runs = 5
if args and args[0] == "--runs":
    runs = int(args[1])
    args = args[2:]
paths = []
for p in args:
    if os.path.isdir(p):
        for root, _, names in os.walk(p):
            paths += [os.path.join(root, n) for n in names]
    else:
        paths.append(p)
blobs = []
for p in sorted(paths):
    with open(p, "rb") as f:
        data = f.read()
    try:
        import io
        pydicom.dcmread(io.BytesIO(data))
        blobs.append(data)
    except Exception:
        pass
import io

mb = sum(len(b) for b in blobs) / 1048576


def measure(stop):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        for b in blobs:
            ds = pydicom.dcmread(io.BytesIO(b), stop_before_pixels=stop)
            if not stop:
                for _ in ds.iterall():  # pydicom defers element conversion; force it as a full parse does
                    pass
        times.append(time.perf_counter() - t)
    return sorted(times)[len(times) // 2]


print(f"pydicom {pydicom.__version__}: files: {len(blobs)}, {mb:.1f} MB, median of {runs} runs")
for name, stop in (("full parse", False), ("header only", True)):
    t = measure(stop)
    print(f"{name:<12} {len(blobs)/t:10.0f} files/s {mb/t:10.1f} MB/s  ({t:.4f} s per pass)")
