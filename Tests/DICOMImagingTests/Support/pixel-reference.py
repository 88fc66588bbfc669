#!/usr/bin/env python3
"""Dumps pydicom's decoding of every pixel-bearing corpus file, for Tests/DICOMImagingTests.

Usage: pixel-reference.py CORPUS_DIR OUT_DIR
Writes OUT_DIR/pixels.json (one entry per file: shape, dtype, photometric interpretation after decoding,
SHA-256 of the little-endian samples, two checksums, or the error pydicom gave) and OUT_DIR/<name>.raw (the little-endian
samples) for every lossy file, so lossy files can be compared within a tolerance.
Reference decoders: pylibjpeg, pylibjpeg-libjpeg, pylibjpeg-openjpeg, pyjpegls (pip).
"""
import hashlib, json, os, sys
import numpy as np
import pydicom
from pydicom.pixels import get_decoder

corpus, out = sys.argv[1], sys.argv[2]
LOSSY = {"1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.81", "1.2.840.10008.1.2.4.91",
         "1.2.840.10008.1.2.4.203"}
os.makedirs(out, exist_ok=True)
entries = {}


def checksums(arr):
    """Two sums Swift recomputes cheaply: of the values, and of value * (index mod 9973 + 1), both wrapping int64."""
    v = arr.reshape(-1).astype(np.int64)
    weights = (np.arange(v.size, dtype=np.int64) % 9973) + 1
    with np.errstate(over="ignore"):
        return {"sum": int(v.sum(dtype=np.int64)), "weightedSum": int((v * weights).sum(dtype=np.int64))}


for dirpath, _, names in sorted(os.walk(corpus)):
    for name in sorted(names):
        path = os.path.join(dirpath, name)
        rel = os.path.relpath(path, corpus)
        try:
            ds = pydicom.dcmread(path, force=True)
        except Exception:
            continue
        if "PixelData" not in ds:
            continue
        entry = {}
        try:
            tsyntax = ds.file_meta.TransferSyntaxUID if "TransferSyntaxUID" in ds.get("file_meta", {}) else None
            if tsyntax is None:
                tsyntax = pydicom.uid.ImplicitVRLittleEndian if not ds.is_little_endian is False else pydicom.uid.ExplicitVRBigEndian
            entry["transferSyntax"] = str(tsyntax)
            decoder = get_decoder(tsyntax)
            arr, meta = decoder.as_array(ds, as_rgb=False)
            frames = int(meta.get("number_of_frames", 1))
            rows, cols, spp = int(meta["rows"]), int(meta["columns"]), int(meta["samples_per_pixel"])
            arr = np.ascontiguousarray(arr.reshape(frames, rows, cols, spp))
            le = arr.astype(arr.dtype.newbyteorder("<"), copy=False)
            data = le.tobytes()
            entry.update(frames=frames, rows=rows, columns=cols, samplesPerPixel=spp,
                         dtype=arr.dtype.str.lstrip("<>|="),
                         photometric=str(meta.get("photometric_interpretation", "")),
                         sha256=hashlib.sha256(data).hexdigest(), **checksums(arr))
            if str(tsyntax) in LOSSY:
                raw = rel.replace(os.sep, "__") + ".raw"
                with open(os.path.join(out, raw), "wb") as f:
                    f.write(data)
                entry["raw"] = raw
        except Exception as e:
            entry["error"] = f"{type(e).__name__}: {e}"[:300]
        entries[rel] = entry
with open(os.path.join(out, "pixels.json"), "w") as f:
    json.dump(entries, f, indent=1, sort_keys=True)
print(f"{len(entries)} pixel-bearing files, {sum('error' in e for e in entries.values())} pydicom could not decode")
