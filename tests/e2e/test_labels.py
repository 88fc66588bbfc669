"""Labels (Orthanc 1.12): set and removed on any resource, listed, and selected by /tools/find."""
from conftest import orthanc_id


def test_labels_are_set_listed_found_and_removed(server, corpus):
    picked = [f for f in corpus if f.path.name in ("CT_small.dcm", "MR_small.dcm", "rtplan.dcm")]
    for f in picked:
        assert server.upload(f.path).status == 200
    ct, mr, rt = sorted(picked, key=lambda f: f.path.name)
    studies = {f.path.name: orthanc_id(f.patient_id, f.study_uid) for f in picked}
    assert server.get_json("/system")["HasLabels"] is True
    assert server.get_json("/tools/labels") == []

    for study, label in [(studies[ct.path.name], "urgent"), (studies[ct.path.name], "teaching"),
                         (studies[mr.path.name], "teaching")]:
        answer = server.request("PUT", f"/studies/{study}/labels/{label}", body=b"")
        assert answer.status == 200, answer
    # Setting a label twice changes nothing.
    assert server.request("PUT", f"/studies/{studies[mr.path.name]}/labels/teaching", body=b"").status == 200
    assert server.request("PUT", f"/instances/{rt.instance_id}/labels/plan_v-2", body=b"").status == 200

    assert server.get_json(f"/studies/{studies[ct.path.name]}/labels") == ["teaching", "urgent"]
    assert server.get_json(f"/studies/{studies[ct.path.name]}")["Labels"] == ["teaching", "urgent"]
    assert server.get(f"/studies/{studies[ct.path.name]}/labels/urgent").status == 200
    assert server.get(f"/studies/{studies[mr.path.name]}/labels/urgent").status == 404
    assert server.get_json("/tools/labels") == ["plan_v-2", "teaching", "urgent"]
    assert server.get_json(f"/instances/{rt.instance_id}/labels") == ["plan_v-2"]

    def find(labels, constraint=None):
        body = {"Level": "Study", "Query": {}, "Labels": labels}
        if constraint:
            body["LabelsConstraint"] = constraint
        answer = server.post("/tools/find", body)
        assert answer.status == 200, answer
        return sorted(answer.json())

    assert find(["teaching"]) == sorted([studies[ct.path.name], studies[mr.path.name]])
    assert find(["teaching", "urgent"]) == [studies[ct.path.name]]
    assert find(["teaching", "urgent"], "All") == [studies[ct.path.name]]
    assert find(["urgent", "plan_v-2"], "Any") == [studies[ct.path.name]]
    assert find(["teaching"], "None") == [studies[rt.path.name]]
    assert server.post("/tools/find", {"Level": "Study", "Query": {}, "Labels": ["bad label"]}).status == 400
    assert server.post("/tools/find", {"Level": "Study", "Query": {}, "Labels": ["a"],
                                       "LabelsConstraint": "Some"}).status == 400

    assert server.delete(f"/studies/{studies[ct.path.name]}/labels/urgent").status == 200
    assert server.get_json(f"/studies/{studies[ct.path.name]}/labels") == ["teaching"]
    assert server.get_json("/tools/labels") == ["plan_v-2", "teaching"]
    # Names Orthanc refuses, and resources that do not exist.
    assert server.request("PUT", f"/studies/{studies[ct.path.name]}/labels/{'x' * 65}", body=b"").status == 400
    assert server.request("PUT", f"/studies/{studies[ct.path.name]}/labels/caf%C3%A9", body=b"").status == 400
    assert server.request("PUT", "/studies/nothing/labels/ok", body=b"").status == 404
    assert server.get("/studies/nothing/labels").status == 404
    # Labels go with their resource.
    assert server.delete(f"/instances/{rt.instance_id}").status == 200
    assert server.get_json("/tools/labels") == ["teaching"]
