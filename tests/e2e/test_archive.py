"""ZIP archives of patients, studies and series: every file byte for byte, in Orthanc's folder layout
(`PatientID PatientName/AccessionNumber StudyDescription/Modality SeriesDescription/XX000000.dcm`)."""
import io
import re
import zipfile

from conftest import orthanc_id

NAME = re.compile(r"^[A-Za-z0-9 ()._-]+$")


def archive(server, path, method="GET"):
    answer = server.request(method, path, body=b"{}" if method == "POST" else None)
    assert answer.status == 200, answer
    assert answer.headers["Content-Type"] == "application/zip"
    z = zipfile.ZipFile(io.BytesIO(answer.body))
    assert z.testzip() is None
    return answer, z


def test_archives_hold_every_file_in_orthancs_layout(server, corpus):
    files = [f for f in corpus if f.path.name in ("CT_small.dcm", "MR_small.dcm", "JPEG2000.dcm", "rtplan.dcm")]
    files += [f for f in corpus if f.series_id not in {g.series_id for g in files}][:20]
    by_instance = {}
    for f in files:
        assert server.upload(f.path).status == 200
        # Files sharing an instance's identifiers are stored once, as first sent.
        by_instance.setdefault(f.instance_id, f.path.read_bytes())
    patients = server.get_json("/patients")
    seen = {}
    for patient in patients:
        answer, z = archive(server, f"/patients/{patient}/archive")
        assert f'filename="{patient}.zip"' in answer.headers["Content-Disposition"]
        instances = server.get_json(f"/patients/{patient}/instances")
        assert len(z.infolist()) == len(instances)
        for info in z.infolist():
            parts = info.filename.split("/")
            assert len(parts) == 4, info.filename
            assert all(NAME.match(p) and not p.startswith(".") for p in parts), info.filename
            assert re.match(r"^[A-Z]{2}\d{6}\.dcm$", parts[3]), info.filename
            seen[info.filename] = z.read(info)
        # Each stored file is in the archive once, byte for byte.
        stored = {i["ID"]: server.get(f"/instances/{i['ID']}/file").body for i in instances}
        in_zip = {info.filename: z.read(info) for info in z.infolist()}
        assert sorted(stored.values()) == sorted(in_zip.values()), (
            [(k, len(v)) for k, v in stored.items() if v not in in_zip.values()],
            [(k, len(v)) for k, v in in_zip.items() if v not in stored.values()])
    assert len(seen) == len(by_instance)
    assert sorted(seen.values()) == sorted(by_instance.values())

    # The patient folder is "PatientID PatientName" with the name's carets as spaces, the series folder starts with
    # the modality, and files are numbered from 0 within each series.
    ct = next(f for f in files if f.path.name == "CT_small.dcm")
    _, z = archive(server, f"/series/{ct.series_id}/archive", method="POST")
    names = [info.filename for info in z.infolist()]
    patient_name = str(ct.dataset.PatientName).replace("^", " ").strip()
    assert len(names) == 1 and names[0].startswith(f"{ct.patient_id} {patient_name}/"), names
    assert names[0].split("/")[2].startswith("CT") and names[0].endswith("/CT000000.dcm"), names

    study_id = orthanc_id(ct.patient_id, ct.study_uid)
    answer, z = archive(server, f"/studies/{study_id}/archive?filename=my%20study.zip")
    assert 'filename="my study.zip"' in answer.headers["Content-Disposition"]
    assert len(z.infolist()) == len(server.get_json(f"/studies/{study_id}/instances"))


def test_archive_of_a_series_numbers_its_files_in_instance_order(server, corpus):
    from helpers import files_of_one_series
    series = files_of_one_series(corpus, minimum=3)
    if not series:
        series = files_of_one_series(corpus, minimum=2)
    assert series, "the corpus has no series with several instances"
    for f in series:
        assert server.upload(f.path).status == 200
    _, z = archive(server, f"/series/{series[0].series_id}/archive")
    names = [info.filename for info in z.infolist()]
    assert [n.rsplit("/", 1)[1][2:] for n in names] == [f"{i:06d}.dcm" for i in range(len(series))]
    numbers = [int(f.dataset.get("InstanceNumber", 0) or 0) for f in series]
    by_number = {f.path.read_bytes(): int(f.dataset.get("InstanceNumber", 0) or 0) for f in series}
    assert [by_number[z.read(n)] for n in names] == sorted(numbers)


def test_archive_of_unknown_resources_and_instances_is_refused(server, corpus):
    assert server.get("/studies/00000000-00000000-00000000-00000000-00000000/archive").status == 404
    assert server.get("/patients/nothing/archive").status == 404
    f = corpus[0]
    assert server.upload(f.path).status == 200
    # Orthanc has no archive of a single instance.
    assert server.get(f"/instances/{f.instance_id}/archive").status in (404, 405)


def test_archives_are_streamed_and_the_connection_serves_on(server, corpus):
    import http.client
    import subprocess
    f = corpus[0]
    assert server.upload(f.path).status == 200
    study = orthanc_id(f.patient_id, f.study_uid)
    # HTTP/1.1: chunked, then the same connection answers the next request.
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    if server.auth:
        import base64
        headers = {"Authorization": "Basic " + base64.b64encode(":".join(server.auth).encode()).decode()}
    else:
        headers = {}
    conn.request("GET", f"/studies/{study}/archive", headers=headers)
    answer = conn.getresponse()
    assert answer.status == 200 and answer.getheader("Transfer-Encoding") == "chunked"
    assert answer.getheader("Content-Length") is None
    z = zipfile.ZipFile(io.BytesIO(answer.read()))
    assert [z.read(i) for i in z.infolist()] == [f.path.read_bytes()]
    conn.request("GET", "/system", headers=headers)
    again = conn.getresponse()
    assert again.status == 200 and b"ApiVersion" in again.read()
    conn.close()
    # HTTP/1.0: the body runs until the server closes the connection.
    done = subprocess.run(["curl", "-sS", "--http1.0", "-D", "-", "-o", "/dev/null",
                           f"http://127.0.0.1:{server.port}/studies/{study}/archive"],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert "200" in done.stdout.splitlines()[0] and "connection: close" in done.stdout.lower()


def test_create_archive_gathers_resources_of_any_level_once_each(server, corpus):
    import json
    ct = next(f for f in corpus if f.path.name == "CT_small.dcm")
    mr = next(f for f in corpus if f.path.name == "MR_small.dcm")
    for f in (ct, mr):
        assert server.upload(f.path).status == 200
    ct_study = orthanc_id(ct.patient_id, ct.study_uid)
    ct_patient = orthanc_id(ct.patient_id)

    def contents(z):
        return sorted(z.read(i) for i in z.infolist())

    # A list of IDs: a study and an instance of another patient.
    answer = server.post("/tools/create-archive", json.dumps([ct_study, mr.instance_id]).encode())
    assert answer.status == 200 and answer.headers["Content-Type"] == "application/zip", answer
    assert 'filename="Archive.zip"' in answer.headers["Content-Disposition"]
    z = zipfile.ZipFile(io.BytesIO(answer.body))
    assert contents(z) == sorted([ct.path.read_bytes(), mr.path.read_bytes()])
    assert all(len(i.filename.split("/")) == 4 for i in z.infolist())

    # {"Resources": [...]}: a patient, its study and its instance overlap; the file is archived once.
    body = {"Resources": [ct_patient, ct_study, ct.instance_id], "Synchronous": True, "Filename": "ct.zip"}
    answer = server.post("/tools/create-archive", json.dumps(body).encode())
    assert answer.status == 200 and 'filename="ct.zip"' in answer.headers["Content-Disposition"]
    assert contents(zipfile.ZipFile(io.BytesIO(answer.body))) == [ct.path.read_bytes()]

    # GET with ?resources= (Orthanc 1.12.2); an empty list gives an empty archive.
    answer = server.get(f"/tools/create-archive?resources={ct_study},{mr.instance_id}")
    assert answer.status == 200
    assert len(zipfile.ZipFile(io.BytesIO(answer.body)).infolist()) == 2
    answer = server.post("/tools/create-archive", b"[]")
    assert answer.status == 200 and zipfile.ZipFile(io.BytesIO(answer.body)).infolist() == []

    # Refusals, as Orthanc words them; nothing is lost.
    for body, status, details in [
        (json.dumps(["00000000-00000000-00000000-00000000-00000000"]).encode(), 404, None),
        (b'{"x": 1}', 400, "Missing field Resources in the JSON body"),
        (b"[1]", 400, "Expected a list of strings (Orthanc identifiers)"),
        (b'{"Resources": "x"}', 400, "Expected a list of strings (Orthanc identifiers)"),
        (b"zz", 400, "Expected a list of resources to archive in the body"),
    ]:
        answer = server.post("/tools/create-archive", body)
        assert answer.status == status, (body, answer)
        if details:
            assert json.loads(answer.body)["Details"] == details
    assert server.get("/tools/create-archive").status == 400
    assert len(server.get_json("/instances")) == 2


def media(answer):
    """The ZIP of a /media answer, unpacked: {path: bytes} and the DICOMDIR read by pydicom as a file-set."""
    import tempfile
    from pathlib import Path
    import pydicom
    from pydicom.fileset import FileSet
    assert answer.status == 200 and answer.headers["Content-Type"] == "application/zip", answer
    z = zipfile.ZipFile(io.BytesIO(answer.body))
    files = {i.filename: z.read(i) for i in z.infolist()}
    folder = Path(tempfile.mkdtemp(prefix="pharos-media-"))
    z.extractall(folder)
    return files, FileSet(pydicom.dcmread(folder / "DICOMDIR")), folder


def test_media_have_a_dicomdir_that_references_every_file(server, corpus):
    import json
    import shutil
    picked = [f for f in corpus if f.path.name in ("CT_small.dcm", "MR_small.dcm", "rtplan.dcm")]
    for f in picked:
        assert server.upload(f.path).status == 200
    stored = {f.instance_id: f.path.read_bytes() for f in picked}
    by_uid = {f.dataset.SOPInstanceUID: f for f in picked}

    files, fileset, folder = media(server.post("/tools/create-media", json.dumps(server.get_json("/patients")).encode()))
    try:
        assert sorted(files) == ["DICOMDIR"] + sorted(f"IMAGES/IM{i}" for i in range(len(picked)))
        # pydicom follows the records' offsets: every instance is found, and each record's file is the stored one.
        assert len(list(fileset)) == len(picked)
        for record in fileset:
            # Each file hangs under its series, study and patient, whose keys are the file's own.
            source = by_uid[record.ReferencedSOPInstanceUIDInFile]
            # (a record node's key is its PatientID, StudyInstanceUID or SeriesInstanceUID)
            ancestors = {node.record_type: node.key for node in record.node.ancestors}
            assert ancestors == {"PATIENT": source.dataset.PatientID, "STUDY": source.dataset.StudyInstanceUID,
                                 "SERIES": source.dataset.SeriesInstanceUID}, ancestors
            source = by_uid[record.ReferencedSOPInstanceUIDInFile]
            assert files["/".join(record.ReferencedFileID)] == source.path.read_bytes()
            assert record.ReferencedSOPClassUIDInFile == source.dataset.SOPClassUID
            assert record.ReferencedTransferSyntaxUIDInFile == source.dataset.file_meta.TransferSyntaxUID
        types = {r.DirectoryRecordType for r in fileset}
        assert types == {"IMAGE", "RT PLAN"}, types
        # A record other than IMAGE carries its type's own keys, read from the instance.
        plan = next(r for r in fileset if r.DirectoryRecordType == "RT PLAN")
        source = by_uid[plan.ReferencedSOPInstanceUIDInFile].dataset
        assert plan.RTPlanLabel == source.RTPlanLabel and plan.RTPlanDate == source.RTPlanDate
        assert sorted(stored.values()) == sorted(v for k, v in files.items() if k != "DICOMDIR")
    finally:
        shutil.rmtree(folder)

    # One study, from its own route: its files only, downloaded as <id>.zip; ?extended adds the birth date.
    mr = next(f for f in picked if f.path.name == "MR_small.dcm")
    study = orthanc_id(mr.patient_id, mr.study_uid)
    answer = server.get(f"/studies/{study}/media")
    assert f'filename="{study}.zip"' in answer.headers["Content-Disposition"]
    files, fileset, folder = media(answer)
    shutil.rmtree(folder)
    assert [files[k] for k in files if k != "DICOMDIR"] == [mr.path.read_bytes()]
    from pydicom import dcmread
    plain = dcmread(io.BytesIO(files["DICOMDIR"]))
    patient = next(r for r in plain.DirectoryRecordSequence if r.DirectoryRecordType == "PATIENT")
    assert patient.PatientID == mr.patient_id and "PatientBirthDate" not in patient
    for answer in (server.get(f"/studies/{study}/media?extended"),
                   server.post(f"/studies/{study}/media", b'{"Extended": true}'),
                   server.post("/tools/create-media-extended", json.dumps([study]).encode())):
        files, _, folder = media(answer)
        shutil.rmtree(folder)
        extended = dcmread(io.BytesIO(files["DICOMDIR"]))
        patient = next(r for r in extended.DirectoryRecordSequence if r.DirectoryRecordType == "PATIENT")
        assert "PatientBirthDate" in patient and "PatientSex" in patient
        series = next(r for r in extended.DirectoryRecordSequence if r.DirectoryRecordType == "SERIES")
        assert "SeriesDescription" in series

    assert server.get("/studies/00000000-00000000-00000000-00000000-00000000/media").status == 404
    assert server.post("/tools/create-media", b'["nothing"]').status == 404
    assert server.post("/tools/create-media", b'{"x": 1}').status == 400


def test_archives_and_media_as_jobs(server, corpus):
    import json
    from helpers import wait_for_job
    f = next(f for f in corpus if f.path.name == "CT_small.dcm")
    assert server.upload(f.path).status == 200
    study = orthanc_id(f.patient_id, f.study_uid)
    for path, body, kind in [(f"/studies/{study}/archive", {"Asynchronous": True}, "Archive"),
                             (f"/studies/{study}/media", {"Synchronous": False}, "Media"),
                             ("/tools/create-archive", {"Resources": [study], "Asynchronous": True}, "Archive"),
                             ("/tools/create-media", {"Resources": [study], "Asynchronous": True}, "Media")]:
        answer = server.post(path, json.dumps(body).encode())
        assert answer.status == 200 and set(answer.json()) == {"ID", "Path"}, (path, answer)
        job = wait_for_job(server, answer.json()["ID"])
        assert job["State"] == "Success" and job["Type"] == kind, job
        content = job["Content"]
        assert content["InstancesCount"] == 1 and content["UncompressedSize"] == str(f.path.stat().st_size)
        download = server.get(f"/jobs/{job['ID']}/archive")
        assert download.status == 200 and download.headers["Content-Type"] == "application/zip"
        assert content["ArchiveSize"] == str(len(download.body))
        z = zipfile.ZipFile(io.BytesIO(download.body))
        names = [i.filename for i in z.infolist()]
        assert f.path.read_bytes() in [z.read(n) for n in names]
        assert ("DICOMDIR" in names) == (kind == "Media"), names
        assert server.get(f"/jobs/{job['ID']}/nothing").status == 404
    # A body that is not JSON is refused.
    assert server.post(f"/studies/{study}/archive", b"{broken").status == 400
