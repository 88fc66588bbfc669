"""`pharos import` of folders and archives made here from corpus files, against the running server."""
import io
import re
import subprocess
import tarfile
import zipfile

import pytest

from helpers import distinct_ids

SUMMARY = re.compile(r"(\d+) instances imported \((\d+) new studies\), (\d+) already stored, "
                     r"(\d+) JSON/non-DICOM files ignored, (\d+) errors")


def run_import(cli, server, *paths, extra=()):
    command = [str(cli), "import", *map(str, paths), "--url", server.url, "--jobs", "4", *extra]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    match = SUMMARY.search(done.stdout)
    return done, (tuple(int(g) for g in match.groups()) if match else None)


def _expected(files):
    instances = {f.instance_id for f in files}
    studies = {f.study_id for f in files}
    return instances, studies


def test_import_folder(pharos_cli, server, corpus, tmp_path):
    files = distinct_ids(corpus, 20)
    folder = tmp_path / "in"
    (folder / "a" / "b").mkdir(parents=True)
    for n, f in enumerate(files):
        target = folder / ("a/b" if n % 3 == 0 else "a" if n % 3 == 1 else ".") / f"file{n}.dcm"
        target.write_bytes(f.path.read_bytes())
    (folder / "a" / "answer.json").write_text('{"ID": "not dicom"}')
    (folder / "notes.txt").write_text("hello")
    (folder / "a" / "b" / "noextension").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 300)
    done, summary = run_import(pharos_cli, server, folder)
    assert done.returncode == 0, done.stdout + done.stderr
    instances, studies = _expected(files)
    assert summary == (len(instances), len(studies), 0, 3, 0), done.stdout
    assert sorted(server.get_json("/instances")) == sorted(instances)
    # Again: everything already stored, no new study.
    done, summary = run_import(pharos_cli, server, folder)
    assert done.returncode == 0 and summary == (len(instances), 0, len(instances), 3, 0), done.stdout


def test_import_zip_and_tar_gz(pharos_cli, server, corpus, tmp_path):
    files = distinct_ids(corpus, 24)
    zipped, tarred = files[:12], files[12:]
    archive = tmp_path / "studies.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for n, f in enumerate(zipped):
            z.write(f.path, f"DICOM/{n:03d}/{f.path.name}")
        z.writestr("DICOMDIR.json", "{}")
        z.writestr("empty-folder/", "")
    tar_gz = tmp_path / "more.tar.gz"
    with tarfile.open(tar_gz, "w:gz") as t:
        for n, f in enumerate(tarred):
            t.add(f.path, f"series/{n}.dcm")
        info = tarfile.TarInfo("README.txt")
        info.size = 5
        t.addfile(info, io.BytesIO(b"hello"))
    done, summary = run_import(pharos_cli, server, archive, tar_gz)
    assert done.returncode == 0, done.stdout + done.stderr
    instances, studies = _expected(files)
    assert summary == (len(instances), len(studies), 0, 2, 0), done.stdout
    assert sorted(server.get_json("/instances")) == sorted(instances)
    for f in files[:3]:
        assert server.get(f"/instances/{f.instance_id}/file").body == f.path.read_bytes()


@pytest.mark.parametrize("suffix,mode", [(".tar", "w"), (".tgz", "w:gz"), (".tar.bz2", "w:bz2")])
def test_import_tar_flavours(pharos_cli, server, corpus, tmp_path, suffix, mode):
    files = distinct_ids(corpus, 5)
    archive = tmp_path / f"x{suffix}"
    with tarfile.open(archive, mode) as t:
        for n, f in enumerate(files):
            t.add(f.path, f"{n}.dcm")
    done, summary = run_import(pharos_cli, server, archive)
    assert done.returncode == 0 and summary[0] == len(files) and summary[4] == 0, done.stdout + done.stderr


def test_import_single_gz_and_bz2(pharos_cli, server, corpus, tmp_path):
    import bz2
    import gzip
    a, b = distinct_ids(corpus, 2)
    (tmp_path / "one.dcm.gz").write_bytes(gzip.compress(a.path.read_bytes()))
    (tmp_path / "two.dcm.bz2").write_bytes(bz2.compress(b.path.read_bytes()))
    done, summary = run_import(pharos_cli, server, tmp_path / "one.dcm.gz", tmp_path / "two.dcm.bz2")
    assert done.returncode == 0 and summary[0] == 2, done.stdout + done.stderr
    assert sorted(server.get_json("/instances")) == sorted([a.instance_id, b.instance_id])


def test_archive_paths_that_escape_are_refused(pharos_cli, server, corpus, tmp_path):
    good, evil, absolute = distinct_ids(corpus, 3)
    archive = tmp_path / "evil.tar"
    with tarfile.open(archive, "w") as t:
        t.add(good.path, "ok/good.dcm")
        t.add(evil.path, "../../escape.dcm")
        # tarfile.add strips a leading "/": write the absolute name by hand.
        info = t.gettarinfo(absolute.path, "placeholder.dcm")
        info.name = "/tmp/absolute.dcm"
        with open(absolute.path, "rb") as data:
            t.addfile(info, data)
    done, summary = run_import(pharos_cli, server, archive)
    assert done.returncode == 1, done.stdout + done.stderr
    assert summary == (1, 1, 0, 0, 2), done.stdout
    assert server.get_json("/instances") == [good.instance_id]
    assert "refused" in done.stderr


def test_unreachable_server(pharos_cli, corpus, tmp_path):
    from conftest import free_port
    f = corpus[0]
    done = subprocess.run([str(pharos_cli), "import", str(f.path), "--url", f"http://127.0.0.1:{free_port()}"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "cannot reach the server" in done.stderr


def test_import_with_authentication(pharos_cli, make_server, corpus, tmp_path):
    server = make_server({"AuthenticationEnabled": True, "RegisteredUsers": {"alice": "pw"}})
    files = distinct_ids(corpus, 3)
    done, _ = run_import(pharos_cli, server, *[f.path for f in files])
    assert done.returncode != 0 and "credentials" in done.stderr
    done, summary = run_import(pharos_cli, server, *[f.path for f in files],
                               extra=("--username", "alice", "--password", "pw"))
    assert done.returncode == 0 and summary[0] == 3, done.stdout + done.stderr
