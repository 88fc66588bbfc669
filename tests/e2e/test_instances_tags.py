"""`/{patients,studies,series}/{id}/instances-tags`: each instance's tags, keyed by instance ID, in the format asked."""
from conftest import orthanc_id


def test_instances_tags_equal_each_instances_own_tags(server, corpus):
    from helpers import files_of_one_series
    series = files_of_one_series(corpus, minimum=2)
    assert series, "the corpus has no series with several instances"
    for f in series:
        assert server.upload(f.path).status == 200
    first = series[0]
    ids = {f.instance_id for f in series}
    for path in (f"/patients/{orthanc_id(first.patient_id)}", f"/studies/{orthanc_id(first.patient_id, first.study_uid)}",
                 f"/series/{first.series_id}"):
        for flag, route in (("", "tags"), ("?simplify", "simplified-tags"), ("?short", "tags?short")):
            answer = server.get_json(f"{path}/instances-tags{flag}")
            assert set(answer) == ids, (path, flag)
            for instance in ids:
                assert answer[instance] == server.get_json(f"/instances/{instance}/{route}"), (path, flag, instance)
    assert server.get("/studies/00000000-00000000-00000000-00000000-00000000/instances-tags").status == 404
