"""Writes one 512x512 image per transfer syntax for the per-codec preview and decode benchmark.

Usage: make-codec-set.py CT_SLICE J2K_SLICE OUTDIR
From one uncompressed 16-bit CT slice (make-ct-series.py) and its JPEG 2000 twin (make-j2k-series.py): the slice as
is, deflated, RLE, JPEG lossless SV1, JPEG-LS lossless (DCMTK's dcmconv, dcmcrle, dcmcjpeg, dcmcjpls),
JPEG 2000 lossless; a 12-bit copy in JPEG-LS near-lossless and JPEG extended, an 8-bit copy and an RGB copy in JPEG baseline.
"""
import os
import shutil
import subprocess
import sys

import numpy as np
import pydicom

ct, j2k, out = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(out, exist_ok=True)


def dcmtk(tool, *args):
    subprocess.run([f"/usr/bin/{tool}", *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def variant(name, pixels, bits_stored, photometric="MONOCHROME2"):
    """A copy of the CT slice with other pixels (unsigned, `bits_stored` bits), uncompressed."""
    ds = pydicom.dcmread(ct)
    ds.PhotometricInterpretation = photometric
    ds.BitsAllocated = 8 if pixels.dtype == np.uint8 else 16
    ds.BitsStored, ds.HighBit, ds.PixelRepresentation = bits_stored, bits_stored - 1, 0
    if pixels.ndim == 3:
        ds.SamplesPerPixel, ds.PlanarConfiguration = 3, 0
    for keyword in ("RescaleIntercept", "RescaleSlope", "WindowCenter", "WindowWidth"):
        if keyword in ds:
            delattr(ds, keyword)
    ds.PixelData = pixels.tobytes()
    path = os.path.join(out, f"{name}-source.dcm")
    ds.save_as(path, enforce_file_format=True)
    return path


signed = pydicom.dcmread(ct).pixel_array.astype(np.int32)
unit = (signed - signed.min()) / max(1, signed.max() - signed.min())

shutil.copyfile(ct, os.path.join(out, "01-explicit-le.dcm"))
dcmtk("dcmconv", "+td", ct, os.path.join(out, "02-deflate.dcm"))
dcmtk("dcmcrle", ct, os.path.join(out, "03-rle.dcm"))
dcmtk("dcmcjpeg", "+e1", ct, os.path.join(out, "04-jpeg-lossless-sv1.dcm"))
dcmtk("dcmcjpls", "+el", ct, os.path.join(out, "05-jpeg-ls-lossless.dcm"))
shutil.copyfile(j2k, os.path.join(out, "07-jpeg2000-lossless.dcm"))
twelve = variant("12bit", (unit * 4095).astype(np.uint16), 12)
# DCMTK's near-lossless JPEG-LS encoder takes unsigned samples only.
dcmtk("dcmcjpls", "+en", twelve, os.path.join(out, "06-jpeg-ls-near-lossless-12bit.dcm"))
dcmtk("dcmcjpeg", "+ee", twelve, os.path.join(out, "08-jpeg-extended-12bit.dcm"))
eight = variant("8bit", (unit * 255).astype(np.uint8), 8)
dcmtk("dcmcjpeg", "+eb", eight, os.path.join(out, "09-jpeg-baseline-8bit.dcm"))
rgb = np.stack([(unit * 255), (255 - unit * 255), np.full(unit.shape, 128.0)], axis=-1).astype(np.uint8)
colour = variant("rgb", rgb, 8, "RGB")
dcmtk("dcmcjpeg", "+eb", colour, os.path.join(out, "10-jpeg-baseline-rgb.dcm"))
for source in (twelve, eight, colour):
    os.remove(source)
print(f"wrote {len(os.listdir(out))} codec samples to {out}")
