"""The settings Orthanc shows under /tools, read from the configuration the server runs with."""


def test_tools_show_the_running_configuration(make_server):
    server = make_server({"UnknownSopClassAccepted": True, "DefaultEncoding": "Utf8",
                          "AcceptedTransferSyntaxes": ["1.2.840.10008.1.2", "1.2.840.10008.1.2.4.9*"],
                          "Jpeg2000TransferSyntaxAccepted": True})
    tools = server.get_json("/tools")
    assert tools == sorted([
        "accepted-transfer-syntaxes", "bulk-delete", "create-archive", "create-media", "create-media-extended",
        "default-encoding", "dicom-echo", "find", "generate-uid", "labels", "log-level", "lookup", "metrics",
        "metrics-prometheus", "now", "now-local", "reset", "shutdown", "unknown-sop-class-accepted"])
    syntaxes = server.get_json("/tools/accepted-transfer-syntaxes")
    assert "1.2.840.10008.1.2" in syntaxes and "1.2.840.10008.1.2.4.90" in syntaxes
    assert "1.2.840.10008.1.2.1" not in syntaxes and all(
        s == "1.2.840.10008.1.2" or s.startswith("1.2.840.10008.1.2.4.9") for s in syntaxes)
    assert server.get("/tools/unknown-sop-class-accepted").body == b"1"
    assert server.get("/tools/default-encoding").body == b"Utf8"
    assert server.get("/tools/log-level").body == b"default"


def test_tools_defaults(server):
    syntaxes = server.get_json("/tools/accepted-transfer-syntaxes")
    assert {"1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.5"} <= set(syntaxes)
    assert server.get("/tools/unknown-sop-class-accepted").body == b"0"
    assert server.get("/tools/default-encoding").body == b"Latin1"


def test_bulk_delete_removes_resources_of_any_level(server, corpus):
    from conftest import orthanc_id
    picked = [f for f in corpus if f.path.name in ("CT_small.dcm", "MR_small.dcm", "rtplan.dcm")]
    for f in picked:
        assert server.upload(f.path).status == 200
    ct, mr, rt = sorted(picked, key=lambda f: f.path.name)
    # A study, an instance, an ID never stored, and the same instance again (gone by then): all answered at once.
    body = {"Resources": [orthanc_id(ct.patient_id, ct.study_uid), mr.instance_id, "nothing", mr.instance_id]}
    assert server.post("/tools/bulk-delete", body).status == 200
    assert server.get_json("/instances") == [rt.instance_id]
    assert server.get_json("/statistics")["CountPatients"] == 1
    assert server.post("/tools/bulk-delete", ["x"]).status == 400
    assert server.post("/tools/bulk-delete", {"Resources": [1]}).status == 400
    assert server.post("/tools/bulk-delete", {}).status == 400
    assert server.get_json("/instances") == [rt.instance_id]


def test_log_level_changes_while_the_server_runs(server):
    assert server.get("/tools/log-level").body == b"default"
    assert server.request("PUT", "/tools/log-level", body=b"verbose").status == 200
    assert server.get("/tools/log-level").body == b"verbose"
    assert server.get("/statistics?marker=verbose").status == 200
    assert server.request("PUT", "/tools/log-level", body=b"default").status == 200
    assert server.get("/statistics?marker=quiet").status == 200
    assert server.request("PUT", "/tools/log-level", body=b"loud").status == 400
    assert server.get("/tools/log-level").body == b"default"
    log = server.log_path.read_text(errors="replace")
    # Each request is logged at the verbose level, and only while it is on.
    assert "HTTP GET /statistics" in log
    assert log.count("HTTP GET /statistics") == 1


def test_reset_reads_the_configuration_again_and_keeps_the_data(server, corpus):
    import json
    import time
    f = next(f for f in corpus if f.path.name == "CT_small.dcm")
    assert server.upload(f.path).status == 200
    config = server.folder / "config.json"
    changed = dict(server.config, Name="RenamedByReset")
    config.write_text(json.dumps(changed))
    answer = server.post("/tools/reset", b"")
    assert answer.status == 200 and answer.json() == {}
    deadline = time.monotonic() + 30
    name = None
    while time.monotonic() < deadline:
        try:
            name = server.get_json("/system")["Name"]
            if name == "RenamedByReset":
                break
        except (OSError, AssertionError):
            pass
        time.sleep(0.1)
    assert name == "RenamedByReset"
    assert server.process.poll() is None
    assert server.get_json("/instances") == [f.instance_id]
    assert server.get(f"/instances/{f.instance_id}/file").body == f.path.read_bytes()
    # The restarted server still stops on SIGTERM, at once and cleanly.
    import signal
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(10) == 0


def test_shutdown_answers_then_stops_the_server(server):
    answer = server.post("/tools/shutdown", b"")
    assert answer.status == 200 and answer.json() == {}
    assert server.process.wait(30) == 0


def test_prometheus_metrics_follow_the_archive_and_can_be_turned_off(server, corpus):
    picked = [f for f in corpus if f.path.name in ("CT_small.dcm", "MR_small.dcm")]
    for f in picked:
        assert server.upload(f.path).status == 200
    answer = server.get("/tools/metrics-prometheus")
    assert answer.status == 200 and answer.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    metrics = {}
    for line in answer.body.decode().splitlines():
        name, value, stamp = line.split(" ")
        assert int(stamp) > 1_700_000_000_000
        metrics[name] = float(value)
    assert metrics["orthanc_count_instances"] == 2 and metrics["orthanc_count_patients"] == 2
    size = sum(f.path.stat().st_size for f in picked)
    assert abs(metrics["orthanc_disk_size_mb"] - size / 1048576) < 1e-6
    # This very request is being answered.
    assert metrics["orthanc_rest_api_active_requests"] == 1
    assert metrics["orthanc_jobs_running"] == 0 and metrics["orthanc_jobs_completed"] == 0
    assert server.get("/tools/metrics").body == b"1"
    assert server.request("PUT", "/tools/metrics", body=b"0").status == 200
    assert server.get("/tools/metrics").body == b"0"
    assert server.get("/tools/metrics-prometheus").body == b""
    assert server.request("PUT", "/tools/metrics", body=b"maybe").status == 400
    assert server.request("PUT", "/tools/metrics", body=b"1").status == 200
    assert b"orthanc_count_studies 2 " in server.get("/tools/metrics-prometheus").body
