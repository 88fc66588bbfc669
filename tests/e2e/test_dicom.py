"""DICOM side of the server with real peers: DCMTK's echoscu, storescu, findscu, movescu, getscu and storescp
(called as /usr/bin/<tool>: the ones on PATH may be pynetdicom's), and pynetdicom as SCU and SCP."""
import concurrent.futures
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from conftest import free_port, orthanc_id
from helpers import wait_for_job

CT = "CT_small.dcm"
DCMTK = Path("/usr/bin")


def tool(name):
    path = DCMTK / name
    if not path.exists():
        pytest.skip(f"DCMTK's {name} is not installed at {path} (apt-get install dcmtk)")
    return str(path)


def run(*args, timeout=60, cwd=None):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=timeout, cwd=cwd)


def corpus_file(corpus, name):
    for f in corpus:
        if f.path.name == name:
            return f.path
    pytest.fail(f"{name} is missing from the corpus: run `make testdata`")


# Three patients, four studies, with known names and dates, so find answers can be checked exactly.
STUDIES = [
    # (patient id, patient name, study date, modality, series count, instances per series)
    ("DIM-P1", "Doe^John", "20200105", "CT", 2, 2),
    ("DIM-P1", "Doe^John", "20210610", "MR", 1, 1),
    ("DIM-P2", "Smith^Anna", "20220301", "CT", 1, 3),
    ("DIM-P3", "Müller^Jörg", "20190720", "US", 1, 1),
]


def make_dataset(corpus, folder):
    """Writes the STUDIES files under `folder`; returns [(path, patient, study uid, series uid, sop uid, study)]."""
    import pydicom
    from pydicom.uid import generate_uid
    folder.mkdir(parents=True, exist_ok=True)
    template = pydicom.dcmread(corpus_file(corpus, CT))
    out = []
    for s, (pid, name, date, modality, n_series, per_series) in enumerate(STUDIES):
        study = generate_uid()
        for k in range(n_series):
            series = generate_uid()
            for i in range(per_series):
                sop = generate_uid()
                ds = template.copy()
                ds.SpecificCharacterSet = "ISO_IR 192"
                ds.PatientID, ds.PatientName, ds.StudyDate, ds.Modality = pid, name, date, modality
                ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.SOPInstanceUID = study, series, sop
                ds.file_meta.MediaStorageSOPInstanceUID = sop
                ds.AccessionNumber = f"ACC{s}"
                ds.InstanceNumber = i + 1
                path = folder / f"s{s}_{k}_{i}.dcm"
                ds.save_as(path, enforce_file_format=True)
                out.append((path, pid, study, series, sop, s))
    return out


@pytest.fixture
def dicom_server(make_server):
    store_port = free_port()
    server = make_server({
        "DicomAlwaysAllowFind": True, "DicomAlwaysAllowMove": True, "DicomAlwaysAllowGet": True,
        "DicomModalities": {
            "dest": ["DEST", "127.0.0.1", store_port],
            "pyscp": {"AET": "PYSCP", "Host": "127.0.0.1", "Port": store_port, "AllowEcho": True},
        },
    })
    server.store_port = store_port
    return server


def store_folder(server, folder, aet="E2ESCU"):
    done = run(tool("storescu"), "-aet", aet, "-aec", server.config["DicomAet"], "+sd", "-R",
               "127.0.0.1", server.dicom_port, folder)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def find(server, level, keys, folder, model="-S", aet="E2ESCU"):
    """findscu with -X: every answer written to a file, read back with pydicom."""
    import pydicom
    folder.mkdir(parents=True, exist_ok=True)
    args = [tool("findscu"), "-aet", aet, "-aec", server.config["DicomAet"], model, "-X", "-od", folder,
            "-k", f"QueryRetrieveLevel={level}"]
    for k in keys:
        args += ["-k", k]
    done = run(*args, "127.0.0.1", server.dicom_port)
    assert done.returncode == 0, done.stdout + done.stderr
    answers = [pydicom.dcmread(p, force=True) for p in sorted(folder.glob("rsp*.dcm"))]
    for p in folder.glob("rsp*.dcm"):
        p.unlink()
    return answers


def test_echo_store_and_metadata(dicom_server, corpus, tmp_path):
    done = run(tool("echoscu"), "-aec", dicom_server.config["DicomAet"], "127.0.0.1", dicom_server.dicom_port)
    assert done.returncode == 0, done.stderr
    files = make_dataset(corpus, tmp_path / "in")
    store_folder(dicom_server, tmp_path / "in", aet="MODALITY1")
    ids = dicom_server.get_json("/instances")
    assert len(ids) == len(files)
    path, pid, study, series, sop, _ = files[0]
    instance = orthanc_id(pid, study, series, sop)
    metadata = dicom_server.get_json(f"/instances/{instance}/metadata?expand")
    assert metadata["RemoteAET"] == "MODALITY1"
    assert metadata["CalledAET"] == dicom_server.config["DicomAet"]
    assert metadata["Origin"] == "DicomProtocol"
    assert metadata["RemoteIP"] == "127.0.0.1"
    # The stored file is the one sent, byte for byte from the data set on.
    stored = dicom_server.get(f"/instances/{instance}/file").body
    import pydicom
    assert pydicom.dcmread(__import__("io").BytesIO(stored)).SOPInstanceUID == sop
    system = dicom_server.get_json("/system")
    assert system["DicomAet"] == dicom_server.config["DicomAet"]
    assert system["DicomPort"] == dicom_server.dicom_port


def test_store_compressed_syntaxes(dicom_server, corpus):
    # Each file with the storescu option proposing its own transfer syntax: Pharos stores it as received.
    cases = [("MR_small_RLE.dcm", "-xr", "1.2.840.10008.1.2.5"),
             ("MR_small_jp2klossless.dcm", "-xv", "1.2.840.10008.1.2.4.90"),
             ("JPEG2000.dcm", "-xw", "1.2.840.10008.1.2.4.91"),
             ("MR_small_jpeg_ls_lossless.dcm", "-xt", "1.2.840.10008.1.2.4.80"),
             ("JPEG-lossy.dcm", "-xx", "1.2.840.10008.1.2.4.51")]
    import pydicom
    for name, option, syntax in cases:
        path = corpus_file(corpus, name)
        ds = pydicom.dcmread(path, stop_before_pixels=True)
        assert ds.file_meta.TransferSyntaxUID == syntax, name
        done = run(tool("storescu"), option, "-aec", dicom_server.config["DicomAet"], "127.0.0.1",
                   dicom_server.dicom_port, path)
        assert done.returncode == 0, f"{name}: {done.stderr}"
        instance = orthanc_id(ds.PatientID, ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.SOPInstanceUID)
        assert dicom_server.get(f"/instances/{instance}/metadata/TransferSyntax").body.decode() == syntax
        # Several corpus files are the same instance in other syntaxes: remove it before the next one.
        assert dicom_server.delete(f"/instances/{instance}").status == 200


def test_find_at_every_level(dicom_server, corpus, tmp_path):
    files = make_dataset(corpus, tmp_path / "in")
    store_folder(dicom_server, tmp_path / "in")
    out = tmp_path / "find"
    patients = find(dicom_server, "PATIENT", ["PatientID", "PatientName", "NumberOfPatientRelatedStudies"], out,
                    model="-P")
    assert sorted(a.PatientID for a in patients) == ["DIM-P1", "DIM-P2", "DIM-P3"]
    p1 = next(a for a in patients if a.PatientID == "DIM-P1")
    assert str(p1.PatientName) == "Doe^John" and int(p1.NumberOfPatientRelatedStudies) == 2
    # Case-insensitive person names with a wildcard, as Orthanc matches them.
    studies = find(dicom_server, "STUDY", ["PatientName=doe*", "StudyInstanceUID", "StudyDate",
                                           "ModalitiesInStudy", "NumberOfStudyRelatedInstances"], out)
    assert sorted(a.StudyDate for a in studies) == ["20200105", "20210610"]
    first = next(a for a in studies if a.StudyDate == "20200105")
    assert first.ModalitiesInStudy == "CT" and int(first.NumberOfStudyRelatedInstances) == 4
    # Date range, open and closed.
    assert sorted(a.StudyDate for a in find(dicom_server, "STUDY", ["StudyDate=20200101-20211231"], out)) == \
        ["20200105", "20210610"]
    assert sorted(a.StudyDate for a in find(dicom_server, "STUDY", ["StudyDate=20220101-"], out)) == ["20220301"]
    # ModalitiesInStudy as a key, and a non-ASCII name back in the query's character set.
    us = find(dicom_server, "STUDY", ["ModalitiesInStudy=US", "PatientName", "SpecificCharacterSet=ISO_IR 192"], out)
    assert len(us) == 1 and str(us[0].PatientName) == "Müller^Jörg"
    # Series level with a list of UIDs.
    study_uids = sorted({f[2] for f in files if f[5] in (0, 2)})
    series = find(dicom_server, "SERIES", ["StudyInstanceUID=" + "\\".join(study_uids), "SeriesInstanceUID",
                                           "Modality", "NumberOfSeriesRelatedInstances"], out)
    assert len(series) == 3
    assert sorted(int(a.NumberOfSeriesRelatedInstances) for a in series) == [2, 2, 3]
    # Image level: a non-main tag (Rows) comes from the stored header.
    study2 = next(f for f in files if f[5] == 2)
    images = find(dicom_server, "IMAGE", [f"StudyInstanceUID={study2[2]}", f"SeriesInstanceUID={study2[3]}",
                                          "SOPInstanceUID", "InstanceNumber", "Rows"], out)
    assert sorted(a.SOPInstanceUID for a in images) == sorted(f[4] for f in files if f[5] == 2)
    assert all(int(a.Rows) == 128 for a in images)
    # No match.
    assert find(dicom_server, "STUDY", ["PatientID=NOBODY"], out) == []


def test_find_limit(make_server, corpus, tmp_path):
    server = make_server({"DicomAlwaysAllowFind": True, "LimitFindResults": 2})
    make_dataset(corpus, tmp_path / "in")
    store_folder(server, tmp_path / "in")
    assert len(find(server, "STUDY", ["StudyInstanceUID"], tmp_path / "find")) == 2


def test_move_to_storescp_and_get(dicom_server, corpus, tmp_path):
    files = make_dataset(corpus, tmp_path / "in")
    store_folder(dicom_server, tmp_path / "in")
    received = tmp_path / "received"
    received.mkdir()
    scp = subprocess.Popen([tool("storescp"), "-aet", "DEST", "-od", str(received), str(dicom_server.store_port)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        study = next(f for f in files if f[5] == 0)[2]
        done = run(tool("movescu"), "-aec", dicom_server.config["DicomAet"], "-aem", "DEST", "-S",
                   "-k", "QueryRetrieveLevel=STUDY", "-k", f"StudyInstanceUID={study}",
                   "127.0.0.1", dicom_server.dicom_port)
        assert done.returncode == 0, done.stderr
        deadline = time.monotonic() + 10
        while len(list(received.iterdir())) < 4 and time.monotonic() < deadline:
            time.sleep(0.1)
        import pydicom
        got = sorted(pydicom.dcmread(p).SOPInstanceUID for p in received.iterdir())
        assert got == sorted(f[4] for f in files if f[5] == 0)
        # Unknown destination: A801, nothing sent.
        done = run(tool("movescu"), "-aec", dicom_server.config["DicomAet"], "-aem", "NOWHERE", "-S",
                   "-k", "QueryRetrieveLevel=STUDY", "-k", f"StudyInstanceUID={study}",
                   "127.0.0.1", dicom_server.dicom_port)
        assert "movedestinationunknown" in (done.stdout + done.stderr).lower()
    finally:
        scp.terminate()
        scp.wait()
    # C-GET of one series at series level, into the current folder.
    target = tmp_path / "get"
    target.mkdir()
    wanted = next(f for f in files if f[5] == 2)
    done = run(tool("getscu"), "-aec", dicom_server.config["DicomAet"], "-S", "-od", target,
               "-k", "QueryRetrieveLevel=SERIES", "-k", f"StudyInstanceUID={wanted[2]}",
               "-k", f"SeriesInstanceUID={wanted[3]}", "127.0.0.1", dicom_server.dicom_port)
    assert done.returncode == 0, done.stderr
    import pydicom
    assert sorted(pydicom.dcmread(p).SOPInstanceUID for p in target.iterdir()) == \
        sorted(f[4] for f in files if f[3] == wanted[3])


def test_pynetdicom_find_several_answers(dicom_server, corpus, tmp_path):
    pynetdicom = pytest.importorskip("pynetdicom")
    from pydicom.dataset import Dataset
    from pynetdicom.sop_class import StudyRootQueryRetrieveInformationModelFind
    make_dataset(corpus, tmp_path / "in")
    store_folder(dicom_server, tmp_path / "in")
    ae = pynetdicom.AE(ae_title="PYSCU")
    ae.add_requested_context(StudyRootQueryRetrieveInformationModelFind)
    assoc = ae.associate("127.0.0.1", dicom_server.dicom_port, ae_title=dicom_server.config["DicomAet"])
    assert assoc.is_established
    query = Dataset()
    query.QueryRetrieveLevel = "STUDY"
    query.StudyInstanceUID = ""
    query.AccessionNumber = "ACC*"
    statuses, answers = [], []
    for status, identifier in assoc.send_c_find(query, StudyRootQueryRetrieveInformationModelFind):
        statuses.append(status.Status)
        if identifier is not None:
            answers.append(identifier.AccessionNumber)
    assoc.release()
    assert sorted(answers) == ["ACC0", "ACC1", "ACC2", "ACC3"]
    assert statuses.count(0xFF00) == 4 and statuses[-1] == 0x0000


def test_twenty_concurrent_associations(dicom_server, corpus, tmp_path):
    from helpers import generate_instances
    generated = generate_instances(corpus_file(corpus, CT), tmp_path / "gen", 20, per_series=5)

    def send(item):
        path, _ = item
        return run(tool("storescu"), "-aet", "CONC", "-aec", dicom_server.config["DicomAet"], "127.0.0.1",
                   dicom_server.dicom_port, path).returncode

    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        codes = list(pool.map(send, generated))
    assert codes == [0] * 20
    assert sorted(dicom_server.get_json("/instances")) == sorted(ids[3] for _, ids in generated)


def test_garbage_connection_leaves_server_serving(dicom_server):
    for payload in [b"\x00" * 10, b"GET / HTTP/1.1\r\n\r\n", b"\x01\x00\x00\x00\xff\xff\xff\xff" + b"x" * 100,
                    bytes(range(256)) * 4]:
        with socket.create_connection(("127.0.0.1", dicom_server.dicom_port), timeout=5) as s:
            s.sendall(payload)
            s.settimeout(3)
            try:
                s.recv(100)
            except (socket.timeout, ConnectionResetError):
                pass
    done = run(tool("echoscu"), "-aec", dicom_server.config["DicomAet"], "127.0.0.1", dicom_server.dicom_port)
    assert done.returncode == 0, done.stderr


def test_unknown_caller_refused(make_server, corpus, tmp_path):
    server = make_server({"DicomAlwaysAllowStore": False, "DicomAlwaysAllowEcho": False,
                          "DicomModalities": {"known": {"AET": "KNOWN", "Host": "127.0.0.1", "Port": free_port(),
                                                        "AllowStore": True}}})
    path = corpus_file(corpus, CT)
    done = run(tool("storescu"), "-aet", "STRANGER", "-aec", server.config["DicomAet"], "127.0.0.1",
               server.dicom_port, path)
    assert done.returncode != 0
    assert server.get_json("/instances") == []
    done = run(tool("storescu"), "-aet", "KNOWN", "-aec", server.config["DicomAet"], "127.0.0.1",
               server.dicom_port, path)
    assert done.returncode == 0, done.stderr
    assert len(server.get_json("/instances")) == 1


def test_modalities_rest_echo_and_store_to_pynetdicom(dicom_server, corpus, tmp_path):
    pynetdicom = pytest.importorskip("pynetdicom")
    from pynetdicom import evt
    from pynetdicom.sop_class import Verification
    names = dicom_server.get_json("/modalities")
    assert names == ["dest", "pyscp"]
    expanded = dicom_server.get_json("/modalities?expand")
    assert expanded["dest"]["AET"] == "DEST" and expanded["dest"]["Port"] == dicom_server.store_port
    port = free_port()
    assert dicom_server.request("PUT", "/modalities/extra", body=["EXTRA", "127.0.0.1", port]).status == 200
    assert dicom_server.get_json("/modalities/extra")["AET"] == "EXTRA"
    assert dicom_server.request("PUT", "/modalities/bad", body={"Host": "x"}).status == 400
    assert dicom_server.delete("/modalities/extra").status == 200
    assert dicom_server.get("/modalities/extra").status == 404
    # Echo to a closed port fails with Orthanc's network error.
    assert dicom_server.post("/modalities/dest/echo", b"").status == 500
    # A pynetdicom storage SCP receives what /store sends.
    received = []

    def on_store(event):
        received.append(event.dataset.SOPInstanceUID)
        return 0x0000

    ae = pynetdicom.AE(ae_title="PYSCP")
    ae.supported_contexts = pynetdicom.AllStoragePresentationContexts
    ae.add_supported_context(Verification)
    scp = ae.start_server(("127.0.0.1", dicom_server.store_port), block=False,
                          evt_handlers=[(evt.EVT_C_STORE, on_store)])
    try:
        assert dicom_server.post("/modalities/pyscp/echo", b"").status == 200
        # /tools/dicom-echo takes the peer in the body, in either DicomModalities form.
        peer = ["PYSCP", "127.0.0.1", dicom_server.store_port]
        assert dicom_server.post("/tools/dicom-echo", peer).status == 200
        assert dicom_server.post("/tools/dicom-echo", {"AET": "PYSCP", "Host": "127.0.0.1",
                                                       "Port": dicom_server.store_port}).status == 200
        assert dicom_server.post("/tools/dicom-echo", ["PYSCP", "127.0.0.1", free_port()]).status == 500
        assert dicom_server.post("/tools/dicom-echo", {"Host": "x"}).status == 400
        files = make_dataset(corpus, tmp_path / "in")
        store_folder(dicom_server, tmp_path / "in")
        study = files[0]
        study_id = orthanc_id(study[1], study[2])
        answer = dicom_server.post("/modalities/pyscp/store", {"Resources": [study_id], "Synchronous": True})
        assert answer.status == 200, answer
        report = answer.json()
        assert report["InstancesCount"] == 4 and report["FailedInstancesCount"] == 0
        assert report["RemoteAet"] == "PYSCP" and report["ParentResources"] == [study_id]
        assert sorted(received) == sorted(f[4] for f in files if f[5] == 0)
        # As a job: answered at once with its ID, followed at /jobs/{id} until it succeeds.
        received.clear()
        answer = dicom_server.post("/modalities/pyscp/store", {"Resources": [study_id], "Asynchronous": True})
        assert answer.status == 200, answer
        job_id = answer.json()["ID"]
        assert answer.json()["Path"] == f"/jobs/{job_id}"
        job = wait_for_job(dicom_server, job_id)
        assert job["State"] == "Success" and job["Type"] == "DicomModalityStore", job
        assert job["Progress"] == 100 and job["ErrorCode"] == 0 and job["ErrorDescription"] == "Success"
        assert job["Content"]["InstancesCount"] == 4 and job["Content"]["RemoteAet"] == "PYSCP"
        assert re.match(r"^\d{8}T\d{6}\.\d{6}$", job["CreationTime"]) and "CompletionTime" in job
        assert sorted(received) == sorted(f[4] for f in files if f[5] == 0)
        assert job_id in dicom_server.get_json("/jobs")
        assert any(j["ID"] == job_id for j in dicom_server.get_json("/jobs?expand"))
        # Canceling a finished job changes nothing.
        assert dicom_server.post(f"/jobs/{job_id}/cancel", b"").status == 200
        assert dicom_server.get_json(f"/jobs/{job_id}")["State"] == "Success"
    finally:
        scp.shutdown()
    # A job that cannot reach its peer fails with Orthanc's network error; "Synchronous": false also makes a job.
    answer = dicom_server.post("/modalities/dest/store", {"Resources": [study_id], "Synchronous": False})
    job = wait_for_job(dicom_server, answer.json()["ID"])
    assert job["State"] == "Failure" and job["ErrorCode"] == 9 and job["ErrorDetails"], job
    assert dicom_server.get("/jobs/nope").status == 404
    assert dicom_server.post("/jobs/nope/cancel", b"").status == 404
    assert dicom_server.post("/modalities/nobody/store", "x").status == 404

