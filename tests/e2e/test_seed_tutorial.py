"""The REST walk-through of Orthanc's documentation, replayed with curl on real corpus files."""
import json

import pytest

from conftest import is_orthanc

from helpers import DATE_TIME, ID_PATTERN, UUID, files_of_one_series, nested_string_path, pick, stored_files


def test_walkthrough(server, corpus):
    f = pick(corpus, "CT_small.dcm")
    data = f.path.read_bytes()

    # Upload, as the documentation does it: no Expect header.
    status, body, _ = server.curl("-X", "POST", "-H", "Expect:", "-H", "Content-Type: application/dicom",
                                  "--data-binary", f"@{f.path}", f"{server.url}/instances")
    assert status == 200, body
    answer = json.loads(body)
    assert answer == {"ID": f.instance_id, "ParentPatient": f.patient_ids, "ParentStudy": f.study_id,
                      "ParentSeries": f.series_id, "Path": f"/instances/{f.instance_id}", "Status": "Success"}

    # Plain curl (it may send Expect: 100-continue): same instance, already stored.
    status, body, _ = server.curl("--data-binary", f"@{f.path}", f"{server.url}/instances")
    assert status == 200, body
    assert json.loads(body)["Status"] == "AlreadyStored"
    assert json.loads(body)["ID"] == f.instance_id

    # Lists.
    assert server.get_json("/patients") == [f.patient_ids]
    assert server.get_json("/studies") == [f.study_id]
    assert server.get_json("/series") == [f.series_id]
    assert server.get_json("/instances") == [f.instance_id]
    expanded = server.get_json("/instances?expand")
    assert len(expanded) == 1 and expanded[0]["ID"] == f.instance_id and expanded[0]["Type"] == "Instance"

    # Patient.
    patient = server.get_json(f"/patients/{f.patient_ids}")
    assert patient["ID"] == f.patient_ids and patient["Type"] == "Patient"
    assert patient["Studies"] == [f.study_id]
    assert patient["MainDicomTags"]["PatientID"] == f.patient_id
    assert patient["MainDicomTags"]["PatientName"] == str(f.dataset.get("PatientName", ""))
    assert patient["IsStable"] is False
    assert DATE_TIME.match(patient["LastUpdate"])

    # Study.
    study = server.get_json(f"/studies/{f.study_id}")
    assert study["Type"] == "Study" and study["ParentPatient"] == f.patient_ids
    assert study["Series"] == [f.series_id]
    assert study["MainDicomTags"]["StudyInstanceUID"] == f.study_uid
    assert study["MainDicomTags"].get("StudyDate", "") == str(f.dataset.get("StudyDate", ""))
    assert study["PatientMainDicomTags"]["PatientID"] == f.patient_id
    assert "PatientName" in study["PatientMainDicomTags"]

    # Series.
    series = server.get_json(f"/series/{f.series_id}")
    assert series["Type"] == "Series" and series["ParentStudy"] == f.study_id
    assert series["Instances"] == [f.instance_id]
    assert series["MainDicomTags"]["SeriesInstanceUID"] == f.series_uid
    assert series["MainDicomTags"]["Modality"] == str(f.dataset.Modality)
    assert series["Status"] == "Unknown"
    assert "ExpectedNumberOfInstances" in series
    assert series["IsStable"] is False

    # Instance.
    instance = server.get_json(f"/instances/{f.instance_id}")
    assert instance["Type"] == "Instance" and instance["ParentSeries"] == f.series_id
    assert instance["FileSize"] == len(data)
    assert UUID.match(instance["FileUuid"])
    assert instance["MainDicomTags"]["SOPInstanceUID"] == f.sop_uid
    expected_index = int(f.dataset.InstanceNumber) if "InstanceNumber" in f.dataset else None
    assert instance["IndexInSeries"] == expected_index

    # Parents and children.
    assert [s["ID"] for s in server.get_json(f"/studies/{f.study_id}/series")] == [f.series_id]
    assert [i["ID"] for i in server.get_json(f"/studies/{f.study_id}/instances")] == [f.instance_id]
    assert server.get_json(f"/series/{f.series_id}/study")["ID"] == f.study_id
    assert server.get_json(f"/instances/{f.instance_id}/patient")["ID"] == f.patient_ids
    assert server.get_json(f"/instances/{f.instance_id}/series")["ID"] == f.series_id

    # Tags.
    tags = server.get_json(f"/instances/{f.instance_id}/tags")
    assert tags["0010,0020"] == {"Name": "PatientID", "Type": "String", "Value": f.patient_id}
    assert tags["0008,0018"]["Value"] == f.sop_uid
    simplified = server.get_json(f"/instances/{f.instance_id}/simplified-tags")
    assert simplified["PatientID"] == f.patient_id
    assert simplified["SOPInstanceUID"] == f.sop_uid
    assert simplified["SeriesInstanceUID"] == f.series_uid
    assert server.get_json(f"/instances/{f.instance_id}/tags?simplify") == simplified

    # Content.
    content = server.get_json(f"/instances/{f.instance_id}/content")
    assert "0010-0020" in content and "0020-000d" in content
    assert all(len(c) == 9 and c[4] == "-" for c in content)
    raw = server.get(f"/instances/{f.instance_id}/content/0010-0020")
    assert raw.status == 200 and raw.body.rstrip(b" \x00").decode() == f.patient_id

    # The file, byte for byte.
    status, body, _ = server.curl(f"{server.url}/instances/{f.instance_id}/file")
    assert status == 200 and body == data
    answer = server.get(f"/instances/{f.instance_id}/file")
    assert answer.headers["Content-Type"] == "application/dicom"
    assert "filename=" in answer.headers.get("Content-Disposition", "")

    statistics = server.get_json("/statistics")
    assert (statistics["CountPatients"], statistics["CountStudies"], statistics["CountSeries"],
            statistics["CountInstances"]) == (1, 1, 1, 1)
    assert int(statistics["TotalDiskSize"]) >= len(data) or server.config.get("StorageCompression")

    # Changes: one New* per level, in order, with Orthanc's names.
    changes = server.get_json("/changes")
    assert changes["Done"] is True
    kinds = {(c["ChangeType"], c["ResourceType"], c["ID"]) for c in changes["Changes"]}
    assert ("NewInstance", "Instance", f.instance_id) in kinds
    assert ("NewSeries", "Series", f.series_id) in kinds
    assert ("NewStudy", "Study", f.study_id) in kinds
    assert ("NewPatient", "Patient", f.patient_ids) in kinds
    sequence = [c["Seq"] for c in changes["Changes"]]
    assert sequence == sorted(sequence) and changes["Last"] == sequence[-1]
    for change in changes["Changes"]:
        assert DATE_TIME.match(change["Date"]) and change["Path"].endswith(change["ID"])
    limited = server.get_json("/changes?limit=1")
    assert len(limited["Changes"]) == 1 and limited["Done"] is False
    assert server.get_json(f"/changes?since={limited['Last']}&limit=100")["Changes"] == changes["Changes"][1:]
    last = changes["Last"]

    # Delete: the only instance, so nothing remains, not even the stored file.
    answer = server.delete(f"/instances/{f.instance_id}")
    assert answer.status == 200 and answer.json() == {"RemainingAncestor": None}
    assert server.get(f"/instances/{f.instance_id}").status == 404
    assert server.get(f"/patients/{f.patient_ids}").status == 404
    assert server.get_json("/patients") == [] and server.get_json("/instances") == []
    assert stored_files(server.folder / "storage") == []
    after = server.get_json("/changes")
    assert after["Last"] >= last and after["Done"] is True
    assert server.get_json("/statistics")["CountInstances"] == 0


def test_nested_content_path(server, corpus):
    candidates = [f for f in corpus if nested_string_path(f.dataset)[0]]
    assert candidates, "the corpus has no file with a nested sequence"
    f = pick(candidates, "rtplan.dcm")
    path, value = nested_string_path(f.dataset)
    assert server.upload(f.path).status == 200
    answer = server.get(f"/instances/{f.instance_id}/content/{path}")
    assert answer.status == 200, (path, answer)
    assert answer.body.rstrip(b" \x00").decode() == value.rstrip(" \x00")
    # A sequence level lists its items; an item lists its tags.
    sequence = path.split("/")[0]
    items = server.get_json(f"/instances/{f.instance_id}/content/{sequence}")
    assert items[0] == "0"
    item_tags = server.get_json(f"/instances/{f.instance_id}/content/{sequence}/0")
    assert path.split("/")[2] in item_tags
    # Out of range item and unknown tag: 404.
    assert server.get(f"/instances/{f.instance_id}/content/{sequence}/9999").status == 404
    # The nested structure in /tags.
    tags = server.get_json(f"/instances/{f.instance_id}/tags")
    key = sequence.replace("-", ",")
    assert tags[key]["Type"] == "Sequence" and isinstance(tags[key]["Value"], list)


def test_delete_leaves_ancestor(server, corpus):
    files = files_of_one_series(corpus)
    assert files, "the corpus has no series with two instances"
    first, second = files[0], files[1]
    for f in (first, second):
        assert server.upload(f.path).json()["Status"] == "Success"
    answer = server.delete(f"/instances/{first.instance_id}")
    assert answer.status == 200
    assert answer.json() == {"RemainingAncestor": {"ID": first.series_id, "Path": f"/series/{first.series_id}",
                                                   "Type": "Series"}}
    assert server.get_json(f"/series/{first.series_id}")["Instances"] == [second.instance_id]
    answer = server.delete(f"/studies/{first.study_id}")
    assert answer.json() == {"RemainingAncestor": {"ID": first.patient_ids, "Path": f"/patients/{first.patient_ids}",
                                                   "Type": "Patient"}} or answer.json() == {"RemainingAncestor": None}
    assert server.get_json("/instances") == []


def test_expect_100_continue_is_answered(server, corpus):
    """The interim "100 Continue" arrives before the body is sent (curl otherwise waits a second per upload)."""
    import socket
    if is_orthanc(server.binary):
        pytest.skip("Orthanc 1.10 does not answer 100 Continue; this checks Pharos")
    f = max(corpus, key=lambda c: c.path.stat().st_size)
    data = f.path.read_bytes()
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as s:
        s.sendall((f"POST /instances HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/dicom\r\n"
                   f"Content-Length: {len(data)}\r\nExpect: 100-continue\r\n\r\n").encode())
        interim = s.recv(4096)
        assert interim.startswith(b"HTTP/1.1 100"), interim
        s.sendall(data)
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += s.recv(65536)
        assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
    status, body, _ = server.curl("-H", "Expect: 100-continue", "--data-binary", f"@{f.path}",
                                  f"{server.url}/instances")
    assert status == 200 and json.loads(body)["Status"] == "AlreadyStored", body
    status, body, _ = server.curl(f"{server.url}/instances/{json.loads(body)['ID']}/file")
    assert body == data


def test_zip_upload(server, corpus, tmp_path):
    """A ZIP of DICOM files posted to /instances: one answer per DICOM entry, other entries skipped."""
    import io
    import zipfile
    from conftest import distinct_instances
    chosen = distinct_instances(corpus, 4)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for n, f in enumerate(chosen):
            z.write(f.path, f"folder/{n}.dcm")
        z.writestr("README.txt", "not DICOM")
    answer = server.post("/instances", buffer.getvalue(), headers={"Content-Type": "application/zip"})
    assert answer.status == 200, answer
    results = answer.json()
    assert sorted(r["ID"] for r in results) == sorted(f.instance_id for f in chosen)
    assert all(r["Status"] == "Success" for r in results)
    assert sorted(server.get_json("/instances")) == sorted(f.instance_id for f in chosen)
    broken = server.post("/instances", buffer.getvalue()[:200], headers={"Content-Type": "application/zip"})
    assert broken.status == 400, broken
