"""Orthanc's own import scripts, as Debian's orthanc-doc ships them, run unchanged against Pharos."""
import bz2
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from helpers import distinct_ids

# Where Debian's orthanc-doc installs them, else where `make testdata` extracts them from the package file.
SAMPLES = [Path("/usr/share/doc/orthanc/Samples/ImportDicomFiles"),
           Path(__file__).resolve().parents[2] / "TestData/orthanc-doc/usr/share/doc/orthanc/Samples/ImportDicomFiles"]
USERS = {"alice": "s3cret!"}


def script(name):
    for folder in SAMPLES:
        if (folder / name).is_file():
            return folder / name
    pytest.fail(f"{name} is missing from {SAMPLES[0]}: `make deps` installs Debian's orthanc-doc, which ships it")


def run(*args):
    return subprocess.run([sys.executable, *map(str, args)], capture_output=True, text=True, timeout=300)


def test_import_dicom_files_uploads_a_folder(make_server, corpus, tmp_path):
    server = make_server()
    files = distinct_ids(corpus, 6)
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    for n, f in enumerate(files):
        (folder / ("sub" if n % 2 else ".") / f"f{n}.dcm").write_bytes(f.path.read_bytes())
    (folder / "sub" / "answer.json").write_text('{"ID": "not DICOM"}')
    done = run(script("ImportDicomFiles.py"), "127.0.0.1", server.port, folder)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"SUCCESS: {len(files)} DICOM file(s) have been successfully imported" in done.stdout, done.stdout
    assert "NB: 1 JSON file(s) have been ignored" in done.stdout, done.stdout
    assert sorted(server.get_json("/instances")) == sorted(f.instance_id for f in files)
    # A file that is not DICOM is reported by the script as a failure the server answered.
    (folder / "notes.txt").write_text("hello")
    done = run(script("ImportDicomFiles.py"), "127.0.0.1", server.port, folder / "notes.txt")
    assert "=> failure" in done.stdout and "WARNING: Only 0 out of 1" in done.stdout, done.stdout


def test_import_dicom_files_with_basic_authentication(make_server, corpus, tmp_path):
    server = make_server({"AuthenticationEnabled": True, "RegisteredUsers": USERS})
    f = distinct_ids(corpus, 1)[0]
    path = tmp_path / "one.dcm"
    path.write_bytes(f.path.read_bytes())
    refused = run(script("ImportDicomFiles.py"), "127.0.0.1", server.port, path)
    assert "=> failure" in refused.stdout, refused.stdout
    done = run(script("ImportDicomFiles.py"), "127.0.0.1", server.port, path, "alice", "s3cret!")
    assert "SUCCESS: 1 DICOM file(s)" in done.stdout, done.stdout + done.stderr
    assert server.get_json("/instances", auth=("alice", "s3cret!")) == [f.instance_id]


def test_orthanc_import_reads_archives_and_clears(make_server, corpus, tmp_path):
    server = make_server()
    files = distinct_ids(corpus, 9)
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for n, f in enumerate(files[:3]):
            z.write(f.path, f"DICOM/{n}.dcm")
    tar_bz2 = tmp_path / "b.tar.bz2"
    with tarfile.open(tar_bz2, "w:bz2") as t:
        for n, f in enumerate(files[3:6]):
            t.add(f.path, f"b/{n}.dcm")
    for n, f in enumerate(files[6:]):
        (tmp_path / f"c{n}.dcm.bz2").write_bytes(bz2.compress(f.path.read_bytes()))
    paths = [archive, tar_bz2, *sorted(tmp_path.glob("c*.dcm.bz2"))]
    # The script sends its default credentials (orthanc/orthanc) whether or not the server asks for any.
    done = run(script("OrthancImport.py"), "--url", server.url, *paths)
    assert done.returncode == 0, done.stdout + done.stderr
    studies = {f.study_id for f in files}
    assert done.stdout.count("New imported study:") == len(studies), done.stdout
    assert sorted(server.get_json("/instances")) == sorted(f.instance_id for f in files)
    # --clear deletes every study through the REST API before importing.
    done = run(script("OrthancImport.py"), "--url", server.url, "--clear", "--force", paths[-1])
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(studies)} studies are being removed" in done.stdout, done.stdout
    assert server.get_json("/instances") == [files[-1].instance_id]
