"""Bad requests are refused with Orthanc's status codes, nothing is stored, and the server keeps serving."""
import json
import subprocess

import pytest

from conftest import _server_binary, is_orthanc
from helpers import pick, stored_files


def _counts(server):
    statistics = server.get_json("/statistics")
    return statistics["CountInstances"], statistics["CountPatients"]


def test_non_dicom_body(server, corpus):
    for body in (b"hello world", b"\x00" * 132 + b"not dicom", json.dumps({"a": 1}).encode(), b""):
        answer = server.upload(body)
        assert answer.status == 400, (body[:20], answer)
        error = answer.json()
        assert error["HttpStatus"] == 400 and error["Method"] == "POST" and error["Uri"] == "/instances"
        assert "Message" in error and "OrthancError" in error and "OrthancStatus" in error
    assert _counts(server) == (0, 0)
    assert stored_files(server.folder / "storage") == []
    assert server.get_json("/changes")["Changes"] == []


def test_truncated_file(server, corpus):
    f = pick(corpus, "CT_small.dcm")
    data = f.path.read_bytes()
    # Cut inside the header (before the identifiers), where no reader can make an instance of it.
    answer = server.upload(data[:200])
    assert answer.status == 400, answer
    assert _counts(server) == (0, 0)
    # The whole file still goes in afterwards.
    assert server.upload(f.path).json()["Status"] == "Success"


def test_bad_json_to_find(server, corpus):
    bodies = [b"{bad", b"[1, 2]", b'{"Level": "Nowhere", "Query": {}}']
    if not is_orthanc(server.binary):
        bodies.append(b'{"Level": "Study", "Query": 3}')  # Orthanc 1.10 answers 500 here; 400 is right
    for body in bodies:
        answer = server.post("/tools/find", body, headers={"Content-Type": "application/json"})
        assert answer.status == 400, (body, answer)
    answer = server.post("/tools/find", {"Level": "Study", "Query": {}})
    assert answer.status == 200 and answer.json() == []


def test_unknown_routes_and_resources(server):
    assert server.get("/instances/0123-not-an-id").status == 404
    assert server.get("/patients/ffffffff-ffffffff-ffffffff-ffffffff-ffffffff").status == 404
    assert server.get("/no/such/route").status == 404
    assert server.delete("/studies/ffffffff-ffffffff-ffffffff-ffffffff-ffffffff").status == 404
    answer = server.request("PUT", "/instances", body=b"x")
    assert answer.status == 405
    assert "POST" in answer.headers.get("Allow", "") and "GET" in answer.headers.get("Allow", "")


def test_server_still_serves_after_bad_inputs(server, corpus):
    server.upload(b"garbage")
    server.post("/tools/find", b"{", headers={"Content-Type": "application/json"})
    server.upload(b"DICM" * 1000)
    assert server.get_json("/system")["Name"] == "PharosE2E"
    f = pick(corpus, "MR_small.dcm")
    answer = server.upload(f.path)
    assert answer.status == 200 and answer.json()["ID"] == f.instance_id
    assert _counts(server) == (1, 1)


def test_config_option_writes_a_sample_but_never_over_a_file(tmp_path):
    binary = _server_binary()
    if is_orthanc(binary):
        pytest.skip("Orthanc's --config overwrites the file; Pharos refuses to")
    sample = tmp_path / "sample.json"
    done = subprocess.run([str(binary), "--config", str(sample)], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    text = sample.read_text()
    assert '"HttpPort"' in text and '"DicomAet"' in text
    # A user's own configuration, given to --config as if it were the one to start with, is left intact.
    mine = tmp_path / "mine.json"
    mine.write_text('{ "HttpPort" : 18042 }')
    done = subprocess.run([str(binary), "--config", str(mine)], capture_output=True, timeout=60)
    assert done.returncode == 2
    assert b"exists" in done.stderr and str(mine).encode() in done.stderr
    assert mine.read_text() == '{ "HttpPort" : 18042 }'


def test_corrupted_uploads_are_answered_and_lose_nothing(make_server, corpus):
    """Mutated copies of real files (bytes flipped in the header, lengths made huge, cuts, repeated stretches) are
    each stored or refused with 400; with OverwriteInstances each accepted copy replaces the last one of its
    instance; what is stored reads back byte for byte and renders; the server keeps serving and its counts stay
    consistent."""
    import random
    server = make_server({"OverwriteInstances": True})
    rng = random.Random(20261128)
    sources = [f for f in corpus if f.path.suffix == ".dcm" and f.path.stat().st_size <= 200_000][:40]
    assert len(sources) >= 10
    accepted = {}
    statuses = {}
    for round in range(240):
        data = bytearray(sources[round % len(sources)].path.read_bytes())
        kind = round % 4
        if kind == 0:
            for _ in range(rng.randint(1, 6)):
                data[rng.randrange(min(len(data), 2048))] = rng.randrange(256)
        elif kind == 1:
            at = rng.randrange(min(len(data), 4096) - 4)
            data[at:at + 4] = rng.choice([b"\xff\xff\xff\xff", b"\xfe\xff\xff\xff", b"\x01\x00\x00\x00",
                                          len(data).to_bytes(4, "little")])
        elif kind == 2:
            data = data[:rng.randrange(len(data))]
        else:
            start = rng.randrange(len(data) - 1)
            data[start:start] = data[start:start + rng.randint(1, 512)]
        answer = server.upload(bytes(data))
        statuses[answer.status] = statuses.get(answer.status, 0) + 1
        assert answer.status in (200, 400), (round, kind, answer)
        if answer.status == 200:
            result = answer.json()
            assert result["Status"] == "Success", result
            accepted[result["ID"]] = bytes(data)
    assert statuses.get(400) and statuses.get(200), statuses
    instances = server.get_json("/instances")
    assert set(accepted) <= set(instances)
    assert server.get_json("/statistics")["CountInstances"] == len(instances)
    for instance, data in accepted.items():
        assert server.get(f"/instances/{instance}/file").body == data
        assert server.get(f"/instances/{instance}/tags").status == 200
        assert server.get(f"/instances/{instance}/simplified-tags?short").status == 200
        # The image may be undecodable; the answer is an error, not a dead server.
        assert server.get(f"/instances/{instance}/preview").status in (200, 400, 404, 415, 500)
    assert server.get_json("/system")["Name"] == "PharosE2E"
    assert len(stored_files(server.folder / "storage")) == len(instances)
