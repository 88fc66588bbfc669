"""Pharos as a query/retrieve SCU (issue 5): /modalities/{id}/query, /queries/…, retrieve (C-MOVE), /move, /get,
/find-*. Real peers: a SECOND Pharos server holding the data set, declared as a modality of the first; DCMTK's
storescp (/usr/bin/storescp) as a third-party C-MOVE destination."""
import subprocess
import time
from pathlib import Path

import pytest

from conftest import free_port, orthanc_id
from helpers import wait_for_job
from test_dicom import STUDIES, make_dataset


@pytest.fixture
def pair(make_server, corpus, tmp_path):
    """(local, remote, files): `remote` holds the STUDIES data set; each server knows the other as a modality."""
    local = make_server({"DicomAet": "LOCALPH"}, start=False)
    remote = make_server({"DicomAet": "REMOTEPH"}, start=False)
    dest_port = free_port()
    local.config["DicomModalities"] = {"remote": ["REMOTEPH", "127.0.0.1", remote.dicom_port]}
    remote.config["DicomModalities"] = {"local": ["LOCALPH", "127.0.0.1", local.dicom_port],
                                        "dest": ["STORESCP", "127.0.0.1", dest_port]}
    local.start()
    remote.start()
    remote.dest_port = dest_port
    files = make_dataset(corpus, tmp_path / "in")
    for f in files:
        assert remote.upload(f[0]).status == 200
    return local, remote, files


def study_uid(files, index):
    return next(f[2] for f in files if f[5] == index)


def instances_of_study(files, index):
    return [orthanc_id(f[1], f[2], f[3], f[4]) for f in files if f[5] == index]


def query(server, body):
    answer = server.post("/modalities/remote/query", body)
    assert answer.status == 200, answer
    created = answer.json()
    assert created["Path"] == f"/queries/{created['ID']}"
    return created["ID"]


def test_query_answers_and_retrieve_study(pair):
    local, remote, files = pair
    q = query(local, {"Level": "Study", "Query": {"PatientName": "Doe*", "StudyDate": "", "ModalitiesInStudy": ""}})
    assert q in local.get_json("/queries")
    assert local.get_json(f"/queries/{q}") == ["answers", "level", "modality", "query", "retrieve"]
    assert local.get(f"/queries/{q}/level").body == b"Study"
    assert local.get(f"/queries/{q}/modality").body == b"remote"
    # The query as given (Orthanc shows neither the level nor the identifier keys it adds).
    assert local.get_json(f"/queries/{q}/query?simplify") == {"ModalitiesInStudy": "", "PatientName": "Doe*",
                                                              "StudyDate": ""}
    answers = local.get_json(f"/queries/{q}/answers")
    assert answers == ["0", "1"]
    simplified = local.get_json(f"/queries/{q}/answers?expand&simplify")
    assert sorted(a["StudyDate"] for a in simplified) == ["20200105", "20210610"]
    assert {a["StudyInstanceUID"] for a in simplified} == {study_uid(files, 0), study_uid(files, 1)}
    full = local.get_json(f"/queries/{q}/answers/0/content")
    assert full["0020,000d"]["Name"] == "StudyInstanceUID" and full["0020,000d"]["Type"] == "String"
    short = local.get_json(f"/queries/{q}/answers/1/content?short")
    assert short["0008,0052"] == "STUDY"
    assert local.get_json(f"/queries/{q}/answers/0") == ["content", "retrieve", "query-series", "query-instances"]
    assert local.get(f"/queries/{q}/answers/7/content").status == 400
    assert local.get("/queries/nope/answers").status == 404

    # Retrieve one answer into the local server itself (C-MOVE with our own AET as destination).
    index = next(i for i, a in enumerate(simplified) if a["StudyDate"] == "20200105")
    assert local.get_json("/instances") == []
    report = local.post(f"/queries/{q}/answers/{index}/retrieve", "")
    assert report.status == 200, report
    job = report.json()
    assert job["RemoteAet"] == "REMOTEPH" and job["LocalAet"] == "LOCALPH" and job["Description"] == "REST API"
    # As Orthanc 1.10.1: the answer's identifier keys, in short format.
    assert job["Query"] == [{"0008,0050": "ACC0", "0008,0052": "STUDY", "0010,0020": "DIM-P1",
                             "0020,000d": study_uid(files, 0)}]
    assert sorted(local.get_json("/instances")) == sorted(instances_of_study(files, 0))

    # Retrieve every answer as a job ("Synchronous": false): the job's content is the report.
    report = local.post(f"/queries/{q}/retrieve", {"TargetAet": "LOCALPH", "Synchronous": False, "Simplify": True})
    assert report.status == 200, report
    job = wait_for_job(local, report.json()["ID"])
    assert job["State"] == "Success" and job["Type"] == "DicomMoveScu", job
    assert [x["StudyInstanceUID"] for x in job["Content"]["Query"]] == [a["StudyInstanceUID"] for a in simplified]
    assert sorted(local.get_json("/instances")) == sorted(instances_of_study(files, 0) + instances_of_study(files, 1))

    deleted = local.delete(f"/queries/{q}")
    assert deleted.status == 200 and deleted.body == b""
    assert local.get(f"/queries/{q}").status == 404
    assert q not in local.get_json("/queries")


def test_series_query_and_child_query(pair):
    local, remote, files = pair
    q = query(local, {"Level": "Series", "Query": {"StudyInstanceUID": study_uid(files, 0), "Modality": ""}})
    series = local.get_json(f"/queries/{q}/answers?expand&simplify")
    assert len(series) == 2 and all(s["Modality"] == "CT" for s in series)
    assert {s["SeriesInstanceUID"] for s in series} == {f[3] for f in files if f[5] == 0}
    # Normalize (default) drops keys of lower levels; Normalize: false sends them.
    q2 = query(local, {"Level": "Study", "Query": {"PatientID": "DIM-P2", "SOPInstanceUID": ""}})
    assert "SOPInstanceUID" not in local.get_json(f"/queries/{q2}/query?simplify")
    q3 = query(local, {"Level": "Study", "Normalize": False, "Query": {"PatientID": "DIM-P2", "SOPInstanceUID": ""}})
    assert "SOPInstanceUID" in local.get_json(f"/queries/{q3}/query?simplify")
    assert len(local.get_json(f"/queries/{q2}/answers")) == 1
    # The instances of the study found by q2, as a child query.
    child = local.post(f"/queries/{q2}/answers/0/query-instances", {"Query": {"InstanceNumber": ""}})
    assert child.status == 200, child
    instances = local.get_json(f"/queries/{child.json()['ID']}/answers?expand&simplify")
    assert sorted(i["InstanceNumber"] for i in instances) == ["1", "2", "3"]
    assert local.get(f"/queries/{child.json()['ID']}/level").body == b"Instance"
    # Retrieving one series answer into the local server.
    report = local.post(f"/queries/{q}/answers/0/retrieve", "LOCALPH")
    assert report.status == 200, report
    moved = series[0]["SeriesInstanceUID"]
    expected = sorted(orthanc_id(f[1], f[2], f[3], f[4]) for f in files if f[3] == moved)
    assert sorted(local.get_json("/instances")) == expected


def test_move_get_and_legacy_find(pair, tmp_path):
    local, remote, files = pair
    # /move at series level, to ourselves.
    series_uid = next(f[3] for f in files if f[5] == 2)
    report = local.post("/modalities/remote/move", {"Level": "Series", "TargetAet": "LOCALPH", "Resources": [
        {"StudyInstanceUID": study_uid(files, 2), "SeriesInstanceUID": series_uid}]})
    assert report.status == 200, report
    assert report.json() == {}  # Orthanc 1.10.1's answer to a synchronous /move
    assert sorted(local.get_json("/instances")) == sorted(instances_of_study(files, 2))
    # The same as a job, after deleting what came: it comes again.
    patient = next(f[1] for f in files if f[5] == 2)
    assert local.delete(f"/studies/{orthanc_id(patient, study_uid(files, 2))}").status == 200
    assert local.get_json("/instances") == []
    report = local.post("/modalities/remote/move", {"Level": "Series", "TargetAet": "LOCALPH", "Asynchronous": True,
                                                    "Resources": [{"StudyInstanceUID": study_uid(files, 2),
                                                                   "SeriesInstanceUID": series_uid}]})
    assert report.status == 200 and set(report.json()) == {"ID", "Path"}, report
    job = wait_for_job(local, report.json()["ID"])
    assert job["State"] == "Success" and job["Type"] == "DicomMoveScu", job
    assert sorted(local.get_json("/instances")) == sorted(instances_of_study(files, 2))
    # /get at study level: the instances come back on the same association and are stored.
    report = local.post("/modalities/remote/get", {"Level": "Study", "Resources": [
        {"StudyInstanceUID": study_uid(files, 3)}]})
    assert report.status == 200, report
    assert report.json()["RemoteAet"] == "REMOTEPH"
    assert sorted(local.get_json("/instances")) == sorted(instances_of_study(files, 2) + instances_of_study(files, 3))
    # Legacy find routes: arrays of simplified answers with the level's main tags.
    studies = local.post("/modalities/remote/find-study", {"PatientID": "DIM-P1"})
    assert studies.status == 200, studies
    assert sorted(s["StudyDate"] for s in studies.json()) == ["20200105", "20210610"]
    assert all("StudyDescription" in s and "AccessionNumber" in s for s in studies.json())
    # As Orthanc: a study query must name the patient (or accession number), a series query the study too.
    assert local.post("/modalities/remote/find-study", {"PatientName": "*"}).status == 400
    assert local.post("/modalities/remote/find-series", {"PatientID": "DIM-P1"}).status == 400
    patients = local.post("/modalities/remote/find-patient", {"PatientName": "Sm*"}).json()
    assert [p["PatientID"] for p in patients] == ["DIM-P2"]
    series = local.post("/modalities/remote/find-series",
                        {"PatientID": "DIM-P1", "StudyInstanceUID": study_uid(files, 0)}).json()
    assert len(series) == 2
    instances = local.post("/modalities/remote/find-instance", {
        "PatientID": "DIM-P1", "StudyInstanceUID": study_uid(files, 0), "SeriesInstanceUID": series[0]["SeriesInstanceUID"]}).json()
    assert len(instances) == 2 and all("SOPInstanceUID" in i for i in instances)
    tree = local.post("/modalities/remote/find", {"PatientID": "DIM-P1"}).json()
    assert len(tree) == 1 and len(tree[0]["Studies"]) == 2
    assert sorted(len(s["Series"]) for s in tree[0]["Studies"]) == [1, 2]
    # Errors: unknown modality, bad level.
    assert local.post("/modalities/nope/query", {"Level": "Study", "Query": {}}).status == 404
    assert local.post("/modalities/remote/query", {"Level": "Galaxy", "Query": {}}).status == 400


def test_retrieve_to_storescp(pair, tmp_path):
    """C-MOVE to a third party: DCMTK's storescp, declared as a modality of the remote server."""
    local, remote, files = pair
    storescp = Path("/usr/bin/storescp")
    if not storescp.exists():
        pytest.skip("DCMTK's storescp is not installed")
    out = tmp_path / "received"
    out.mkdir()
    process = subprocess.Popen([str(storescp), "-aet", "STORESCP", "-od", str(out), str(remote.dest_port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        q = query(local, {"Level": "Study", "Query": {"PatientID": "DIM-P2"}})
        report = local.post(f"/queries/{q}/retrieve", {"TargetAet": "STORESCP"})
        assert report.status == 200, report
        assert report.json()["RemoteAet"] == "REMOTEPH"
        deadline = time.monotonic() + 10
        while len(list(out.iterdir())) < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(list(out.iterdir())) == 3
        assert local.get_json("/instances") == []
    finally:
        process.terminate()
        process.wait(10)


def test_peer_down_is_a_network_error(make_server):
    port = free_port()
    local = make_server({"DicomModalities": {"gone": ["GONE", "127.0.0.1", port]}, "DicomScuTimeout": 2})
    answer = local.post("/modalities/gone/query", {"Level": "Study", "Query": {}})
    assert answer.status == 500
    assert answer.json()["OrthancError"] == "Error in the network protocol"
