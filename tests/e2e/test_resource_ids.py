"""Every corpus file gets the resource IDs Orthanc gives it (orthanc_ids.json, made by make_orthanc_ids.py with
Debian's Orthanc 1.10.1), and the files Orthanc accepts are accepted."""
import json
from pathlib import Path

import pytest

from conftest import _corpus_root

TABLE = json.loads((Path(__file__).parent / "orthanc_ids.json").read_text())["Files"]


def _corpus_path(key):
    root = _corpus_root()
    path = root / key
    if path.exists():
        return path
    # pydicom's own test_files folder as the corpus: the table's "pydicom/" files are there by name.
    name = Path(key).name
    return root / name if key.startswith("pydicom/") and (root / name).exists() else None


def test_ids_equal_orthanc(server):
    checked, mismatches = 0, []
    # These files store PatientID as UN with a trailing space: Orthanc hashes the space, Pharos trims it so
    # one patient keeps one ID whatever the VR (documented and tested in Tests/DICOMTests/OrthancIDTests.swift).
    DELIBERATE_DIFFERENCES = {"pydicom-data/explicit_VR-UN.dcm", "pydicom/rtdose_rle.dcm", "pydicom/rtdose_rle_1frame.dcm"}
    for key, expected in sorted(TABLE.items()):
        path = _corpus_path(key)
        if path is None or "HttpStatus" in expected:
            continue
        if key in DELIBERATE_DIFFERENCES:
            continue
        answer = server.upload(path)
        if answer.status != 200:
            mismatches.append((key, answer.status))
            continue
        body = answer.json()
        got = {k: body[k] for k in expected}
        if got != expected:
            mismatches.append((key, got, expected))
        checked += 1
    if checked == 0:
        pytest.skip("none of the table's corpus files is present")
    assert mismatches == [], mismatches
