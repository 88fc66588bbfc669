"""Re-encodes an uncompressed CT series (make-ct-series.py's output) as JPEG 2000 lossless, encapsulated DICOM.

Usage: make-j2k-series.py INDIR OUTDIR
Each slice's pixels go through Debian's `opj_compress` (libopenjp2-tools; reversible 5/3 wavelet, its default),
and the codestream is written as one fragment with transfer syntax 1.2.840.10008.1.2.4.90.
"""
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

import pydicom
from pydicom.encaps import encapsulate
from pydicom.uid import JPEG2000Lossless

src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
names = sorted(n for n in os.listdir(src) if n.endswith(".dcm"))


def convert(name: str, scratch: str) -> int:
    ds = pydicom.dcmread(os.path.join(src, name))
    signed = "s" if ds.PixelRepresentation == 1 else "u"
    stem = os.path.join(scratch, os.path.splitext(name)[0])
    # .rawl is OpenJPEG's little-endian raw input, which is how the pixels sit in an explicit VR LE file.
    with open(stem + ".rawl", "wb") as f:
        f.write(ds.PixelData)
    subprocess.run(
        ["opj_compress", "-i", stem + ".rawl", "-o", stem + ".j2k",
         "-F", f"{ds.Columns},{ds.Rows},1,{ds.BitsAllocated},{signed}"],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(stem + ".j2k", "rb") as f:
        codestream = f.read()
    os.remove(stem + ".rawl")
    os.remove(stem + ".j2k")
    ds.PixelData = encapsulate([codestream])
    ds["PixelData"].VR = "OB"
    ds.file_meta.TransferSyntaxUID = JPEG2000Lossless
    ds.save_as(os.path.join(out, name), enforce_file_format=True)
    return len(codestream)


with tempfile.TemporaryDirectory() as scratch, ThreadPoolExecutor(os.cpu_count() or 2) as pool:
    sizes = list(pool.map(lambda n: convert(n, scratch), names))
raw = sum(os.path.getsize(os.path.join(src, n)) for n in names)
print(f"wrote {len(names)} JPEG 2000 slices to {out} ({sum(sizes) / 1e6:.1f} MB of codestreams, {raw / 1e6:.1f} MB raw)")
