#!/usr/bin/env python3
"""Writes the reference decodes of the corpus' JPEG frames for DICOMImagingJPEGTests.

For every corpus file whose transfer syntax is JPEG baseline (.50), extended (.51), lossless (.57) or lossless SV1
(.70), each frame is decoded with pylibjpeg-libjpeg (no colour transform) and recorded as: shape, SHA-256 of the
samples as little-endian UInt16, per-component min/max/mean, and for lossy files the samples of the first frame
(base64 of little-endian UInt16) so the tests can bound the per-sample difference.

Usage: jpeg-reference.py CORPUS_DIR OUTPUT_JSON
"""
import base64
import hashlib
import json
import os
import sys

import numpy as np
import pydicom
from pydicom.encaps import generate_frames
import libjpeg

SYNTAXES = {
    "1.2.840.10008.1.2.4.50": "baseline",
    "1.2.840.10008.1.2.4.51": "extended",
    "1.2.840.10008.1.2.4.57": "lossless",
    "1.2.840.10008.1.2.4.70": "lossless",
}


def main(corpus, output):
    entries = []
    for root, _, names in os.walk(corpus):
        for name in sorted(names):
            path = os.path.join(root, name)
            try:
                ds = pydicom.dcmread(path)
                syntax = str(ds.file_meta.TransferSyntaxUID)
            except Exception:
                continue
            if syntax not in SYNTAXES or "PixelData" not in ds:
                continue
            entry = {"file": os.path.relpath(path, corpus), "transferSyntax": syntax, "kind": SYNTAXES[syntax],
                     "frames": []}
            try:
                count = int(ds.get("NumberOfFrames", 1) or 1)
                frames = list(generate_frames(ds.PixelData, number_of_frames=count))
            except Exception as error:
                entry["error"] = "frames: %s" % error
                entries.append(entry)
                continue
            for index, frame in enumerate(frames):
                record = {"index": index}
                try:
                    array = libjpeg.decode(bytes(frame), colour_transform=0)
                except Exception as error:
                    record["error"] = str(error)
                    entry["frames"].append(record)
                    continue
                if array.ndim == 2:
                    array = array[:, :, np.newaxis]
                samples = np.ascontiguousarray(array.astype("<u2"))
                record["height"], record["width"], record["components"] = (int(v) for v in samples.shape)
                record["sha256"] = hashlib.sha256(samples.tobytes()).hexdigest()
                record["min"] = [int(samples[:, :, c].min()) for c in range(samples.shape[2])]
                record["max"] = [int(samples[:, :, c].max()) for c in range(samples.shape[2])]
                record["mean"] = [float(samples[:, :, c].mean()) for c in range(samples.shape[2])]
                if SYNTAXES[syntax] != "lossless" and index == 0:
                    record["samples"] = base64.b64encode(samples.tobytes()).decode("ascii")
                entry["frames"].append(record)
            entries.append(entry)
    entries.sort(key=lambda e: e["file"])
    with open(output, "w") as handle:
        json.dump({"generator": "Tests/DICOMImagingJPEGTests/Support/jpeg-reference.py",
                   "decoder": "pylibjpeg-libjpeg " + getattr(libjpeg, "__version__", "?"),
                   "files": entries}, handle)
    print("%d files, %d frames -> %s" % (len(entries), sum(len(e["frames"]) for e in entries), output))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: jpeg-reference.py CORPUS_DIR OUTPUT_JSON")
    main(sys.argv[1], sys.argv[2])
