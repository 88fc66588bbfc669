"""Concurrent uploaders with duplicates end with exact counts."""
import random
import threading

from helpers import generate_instances, pick


def test_eight_uploaders_with_duplicates(server, corpus, tmp_path):
    source = pick(corpus, "CT_small.dcm").path
    generated = generate_instances(source, tmp_path / "gen", 120, per_series=10, series_per_study=3)
    payloads = [(path.read_bytes(), ids) for path, ids in generated]
    # Every uploader sends the first 40 (all eight race on them) and a random half of the rest (more overlaps).
    plans = []
    for n in range(8):
        rng = random.Random(n)
        plan = payloads[:40] + rng.sample(payloads[40:], 40)
        rng.shuffle(plan)
        plans.append(plan)
    results, failures = [], []
    lock = threading.Lock()

    def upload(plan):
        for data, ids in plan:
            answer = server.upload(data)
            with lock:
                if answer.status != 200:
                    failures.append(answer)
                else:
                    results.append((ids, answer.json()))

    threads = [threading.Thread(target=upload, args=(plan,)) for plan in plans]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert len(results) == sum(len(p) for p in plans)

    sent = {ids for plan in plans for _, ids in plan}
    successes = {}
    for ids, answer in results:
        assert answer["ID"] == ids[3] and answer["ParentSeries"] == ids[2]
        assert answer["ParentStudy"] == ids[1] and answer["ParentPatient"] == ids[0]
        assert answer["Status"] in ("Success", "AlreadyStored")
        successes[ids[3]] = successes.get(ids[3], 0) + (answer["Status"] == "Success")
    # Exactly one upload of each instance stored it; every other one was told AlreadyStored.
    assert set(successes.values()) == {1}

    expected = [len({ids[level] for ids in sent}) for level in range(4)]
    statistics = server.get_json("/statistics")
    assert [statistics["CountPatients"], statistics["CountStudies"], statistics["CountSeries"],
            statistics["CountInstances"]] == expected
    assert sorted(server.get_json("/instances")) == sorted(ids[3] for ids in sent)
    assert sorted(server.get_json("/series")) == sorted({ids[2] for ids in sent})
    for series_id in {ids[2] for ids in sent}:
        series = server.get_json(f"/series/{series_id}")
        assert sorted(series["Instances"]) == sorted(ids[3] for ids in sent if ids[2] == series_id)
    changes = server.get_json("/changes?limit=10000")["Changes"]
    new_instances = [c["ID"] for c in changes if c["ChangeType"] == "NewInstance"]
    assert sorted(new_instances) == sorted(ids[3] for ids in sent)


def test_uploads_while_the_series_is_deleted_leave_index_and_storage_consistent(server, corpus, tmp_path):
    source = pick(corpus, "CT_small.dcm").path
    generated = generate_instances(source, tmp_path / "gen", 80, per_series=80)
    payloads = {ids[3]: (path.read_bytes(), ids) for path, ids in generated}
    series_id = generated[0][1][2]
    items = list(payloads.values())
    failures, deletions = [], []
    uploading = threading.Event()
    uploading.set()

    def upload(part):
        for data, _ in part:
            answer = server.upload(data)
            if answer.status != 200:
                failures.append(answer)

    def delete():
        # The series goes again and again while its instances arrive; a 404 only means it is gone already.
        while uploading.is_set():
            answer = server.delete(f"/series/{series_id}")
            if answer.status not in (200, 404):
                failures.append(answer)
            deletions.append(answer.status)

    deleter = threading.Thread(target=delete)
    uploaders = [threading.Thread(target=upload, args=(items[n::3],)) for n in range(3)]
    deleter.start()
    for t in uploaders:
        t.start()
    for t in uploaders:
        t.join()
    uploading.clear()
    deleter.join()
    assert failures == [] and 200 in deletions, (failures, deletions)

    # Whatever survived is whole: each listed instance reads back byte for byte, the series lists exactly them, the
    # counts agree, and the storage folder holds one file per instance (nothing orphaned, nothing missing).
    def check():
        instances = server.get_json("/instances")
        for instance in instances:
            answer = server.get(f"/instances/{instance}/file")
            assert answer.status == 200 and answer.body == payloads[instance][0], instance
        statistics = server.get_json("/statistics")
        assert statistics["CountInstances"] == len(instances)
        if instances:
            assert sorted(server.get_json(f"/series/{series_id}")["Instances"]) == sorted(instances)
            assert statistics["CountSeries"] == 1 and statistics["CountPatients"] == 1
        files = [p for p in (server.folder / "storage").rglob("*") if p.is_file()]
        assert len(files) == len(instances), [p.name for p in files]
        return instances

    survivors = check()
    # The server goes on: sending everything again completes the series.
    for data, _ in items:
        answer = server.upload(data)
        assert answer.status == 200
        assert answer.json()["Status"] == ("AlreadyStored" if answer.json()["ID"] in survivors else "Success")
    assert sorted(check()) == sorted(payloads)
