"""Writes many small DICOM instances (8x8 pixels) spread over patients and studies, for the query benchmark.

Usage: make-query-set.py OUTDIR [INSTANCES]   (default 20000)
Layout: INSTANCES / 20 patients, 2 studies per patient, 2 series per study (one modality per study), 5 instances per
series. Names, dates and modalities come from a seeded generator, so every run builds the same set and the finds of
rest-bench.py match a known fraction of it.
"""
import io
import os
import random
import sys

import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

SURNAMES = ["SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "GARCIA", "MILLER", "DAVIS", "RODRIGUEZ", "MARTINEZ",
            "HERNANDEZ", "LOPEZ", "GONZALEZ", "WILSON", "ANDERSON", "THOMAS", "TAYLOR", "MOORE", "JACKSON", "MARTIN",
            "LEE", "PEREZ", "THOMPSON", "WHITE", "HARRIS", "SANCHEZ", "CLARK", "RAMIREZ", "LEWIS", "ROBINSON",
            "DUPONT", "DUBOIS", "LEROY", "MOREAU", "PETERS", "JANSSENS", "MAES", "JACOBS", "MERTENS", "WILLEMS"]
GIVEN = ["JAMES", "MARY", "JOHN", "PATRICIA", "ROBERT", "JENNIFER", "MICHAEL", "LINDA", "DAVID", "ELIZABETH",
         "MARIE", "PIERRE", "ANNE", "LUC", "SOPHIE", "PAUL", "JULIE", "MARC", "EMMA", "LOUIS"]
MODALITIES = ["CT", "MR", "CR", "US", "DX", "PT"]
SERIES_PER_STUDY, INSTANCES_PER_SERIES, STUDIES_PER_PATIENT = 2, 5, 2
CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2"


def main() -> None:
    out = sys.argv[1]
    total = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    per_patient = STUDIES_PER_PATIENT * SERIES_PER_STUDY * INSTANCES_PER_SERIES
    patients = max(1, total // per_patient)
    os.makedirs(out, exist_ok=True)
    rng = random.Random(42)
    root = "1.2.826.0.1.3680043.10.1492."  # a fixed UID root keeps the set's identifiers stable across rebuilds

    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta.MediaStorageSOPClassUID = CT_IMAGE
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.SOPClassUID = CT_IMAGE
    ds.Rows, ds.Columns = 8, 8
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    ds.PixelData = bytes(range(128))
    ds.InstitutionName = "PHAROS BENCH HOSPITAL"
    ds.ReferringPhysicianName = "WELBY^MARCUS"

    written = 0
    for p in range(patients):
        ds.PatientID = f"BENCH{p:06d}"
        ds.PatientName = f"{rng.choice(SURNAMES)}^{rng.choice(GIVEN)}"
        ds.PatientBirthDate = f"{rng.randint(1930, 2015)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        ds.PatientSex = rng.choice("MF")
        for s in range(STUDIES_PER_PATIENT):
            ds.StudyInstanceUID = f"{root}{p}.{s}"
            ds.StudyDate = f"{rng.randint(2005, 2024)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
            ds.StudyTime = f"{rng.randint(7, 19):02d}{rng.randint(0, 59):02d}00"
            ds.StudyID = str(s + 1)
            ds.AccessionNumber = f"A{p:06d}{s}"
            ds.StudyDescription = rng.choice(["CHEST", "HEAD", "ABDOMEN", "KNEE", "SPINE"])
            ds.Modality = rng.choice(MODALITIES)
            for r in range(SERIES_PER_STUDY):
                ds.SeriesInstanceUID = f"{root}{p}.{s}.{r}"
                ds.SeriesNumber = r + 1
                ds.SeriesDescription = f"SERIES {r + 1}"
                # pydicom writes the series' first instance; the others differ only in the last digit of the
                # SOP Instance UID and in InstanceNumber (one character each), patched into a copy of its bytes.
                ds.SOPInstanceUID = f"{root}{p}.{s}.{r}.0"
                ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
                ds.InstanceNumber = 1
                buffer = io.BytesIO()
                ds.save_as(buffer, enforce_file_format=True)
                first = buffer.getvalue()
                uid = ds.SOPInstanceUID.encode()
                number = b"\x20\x00\x13\x00IS\x02\x001 "
                assert first.count(uid) == 2 and first.count(number) == 1
                sub = os.path.join(out, f"{p // 100:03d}")
                os.makedirs(sub, exist_ok=True)
                for i in range(INSTANCES_PER_SERIES):
                    data = first.replace(uid, uid[:-1] + str(i).encode())
                    data = data.replace(number, number[:-2] + str(i + 1).encode() + b" ")
                    with open(os.path.join(sub, f"q{written:06d}.dcm"), "wb") as f:
                        f.write(data)
                    written += 1
    print(f"wrote {written} instances ({patients} patients, {patients * STUDIES_PER_PATIENT} studies) to {out}")


if __name__ == "__main__":
    main()
