"""SIGKILL in the middle of an import: every acknowledged instance survives, the index stays consistent."""
import threading
import time

from helpers import generate_instances, pick


def test_sigkill_during_import(make_server, corpus, tmp_path):
    server = make_server()
    source = pick(corpus, "CT_small.dcm").path
    generated = generate_instances(source, tmp_path / "gen", 400, per_series=25)
    acknowledged, lock, stop = {}, threading.Lock(), threading.Event()

    def uploader(items):
        for path, ids in items:
            if stop.is_set():
                return
            try:
                answer = server.upload(path, timeout=10)
            except OSError:
                return  # the server died under us: this one was never acknowledged
            if answer.status == 200:
                with lock:
                    acknowledged[ids[3]] = path

    threads = [threading.Thread(target=uploader, args=(generated[n::4],)) for n in range(4)]
    for t in threads:
        t.start()
    # Kill once a good part, but not all, has been acknowledged.
    deadline = time.monotonic() + 60
    while len(acknowledged) < 60 and time.monotonic() < deadline:
        time.sleep(0.01)
    server.kill()
    stop.set()
    for t in threads:
        t.join()
    assert 0 < len(acknowledged) < len(generated), "the kill did not land in the middle of the import"

    restarted = make_server(folder=server.folder)
    listed = set(restarted.get_json("/instances"))
    missing = set(acknowledged) - listed
    assert not missing, f"{len(missing)} acknowledged instances lost"
    for instance_id, path in acknowledged.items():
        answer = restarted.get(f"/instances/{instance_id}/file")
        assert answer.status == 200 and answer.body == path.read_bytes(), instance_id
    # Every listed instance (acknowledged or not) is whole: readable, with its parents.
    for instance_id in listed - set(acknowledged):
        assert restarted.get(f"/instances/{instance_id}/file").status == 200
    statistics = restarted.get_json("/statistics")
    assert statistics["CountInstances"] == len(listed)
    assert statistics["CountSeries"] == len(restarted.get_json("/series"))
    assert statistics["CountStudies"] == len(restarted.get_json("/studies"))
    assert statistics["CountPatients"] == len(restarted.get_json("/patients"))
    total = sum(restarted.get_json(f"/instances/{i}")["FileSize"] for i in listed)
    assert int(statistics["TotalUncompressedSize"]) == total
    # And it keeps working: the rest goes in.
    for path, ids in generated:
        assert restarted.upload(path).status == 200
    assert restarted.get_json("/statistics")["CountInstances"] == len(generated)
