"""Writes a synthetic series of 512x512 16-bit CT slices (uncompressed, explicit VR LE) for benchmarks.

Usage: make-ct-series.py OUTDIR [COUNT]   (default 361 slices)
The header comes from pydicom's CT_small.dcm; pixels are a smooth pattern so compressors behave realistically.
"""
import os
import sys

import numpy as np
import pydicom
from pydicom.data import get_testdata_file
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

out = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 361
os.makedirs(out, exist_ok=True)
template = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
study, series = generate_uid(), generate_uid()
y, x = np.mgrid[0:512, 0:512]
for i in range(count):
    ds = template.copy()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.StudyInstanceUID, ds.SeriesInstanceUID = study, series
    ds.SOPInstanceUID = generate_uid()
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.InstanceNumber = i + 1
    ds.Rows, ds.Columns = 512, 512
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
    pixels = (1000 * np.sin((x + i) / 40.0) * np.cos(y / 50.0)).astype(np.int16)
    ds.PixelData = pixels.tobytes()
    ds.save_as(os.path.join(out, f"ct{i:04d}.dcm"), enforce_file_format=True)
print(f"wrote {count} slices to {out}")
