"""Small helpers shared by the end-to-end tests (corpus choices, pydicom lookups)."""
import re
from collections import defaultdict

ID_PATTERN = re.compile(r"^[0-9a-f]{8}(-[0-9a-f]{8}){4}$")
DATE_TIME = re.compile(r"^\d{8}T\d{6}$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def pick(corpus, name):
    """The corpus file named `name`, else the first one."""
    for f in corpus:
        if f.path.name == name:
            return f
    return corpus[0]


def tag_path(tag):
    return f"{tag.group:04x}-{tag.element:04x}"


def nested_string_path(dataset, depth=2):
    """A /content path through `depth` sequence levels to a string leaf, with the leaf's value (or None)."""
    def walk(ds, level):
        for element in ds:
            if element.VR == "SQ" and level < depth:
                for index, item in enumerate(element.value):
                    found = walk(item, level + 1)
                    if found:
                        return [tag_path(element.tag), str(index)] + found[0], found[1]
                    break
            elif level == depth and element.VR in ("LO", "SH", "CS", "DS", "IS", "PN", "DA", "TM", "UI", "ST", "LT"):
                value = element.value
                text = "\\".join(str(v) for v in value) if element.VM > 1 else str(value)
                if text.strip():
                    return [tag_path(element.tag)], text
        return None

    found = walk(dataset, 0)
    return ("/".join(found[0]), found[1]) if found else (None, None)


def files_of_one_series(corpus, minimum=2):
    """Corpus files (distinct instances) sharing one series, or []."""
    groups = defaultdict(dict)
    for f in corpus:
        groups[f.series_id][f.instance_id] = f
    for files in groups.values():
        if len(files) >= minimum:
            return list(files.values())
    return []


def stored_files(storage_folder):
    """Regular files under the storage folder (attachments), ignoring the index's own files."""
    return [p for p in storage_folder.rglob("*") if p.is_file() and not p.name.startswith("index")
            and p.suffix not in (".db", ".sqlite", ".sqlite-wal", ".sqlite-shm", ".db-wal", ".db-shm", ".lock")]


def generate_instances(source, folder, count, per_series=10, series_per_study=2, studies_per_patient=1):
    """Writes `count` variants of the DICOM file `source` with new UIDs into `folder`; returns
    [(path, (patient, study, series, instance) Orthanc IDs)], grouped as asked."""
    import pydicom
    from pydicom.uid import generate_uid

    from conftest import orthanc_id
    folder.mkdir(parents=True, exist_ok=True)
    template = pydicom.dcmread(source)
    out = []
    patient = study = series = None
    for i in range(count):
        if i % per_series == 0:
            series_index = i // per_series
            if series_index % series_per_study == 0:
                study_index = series_index // series_per_study
                if study_index % studies_per_patient == 0:
                    patient = f"E2E-{study_index // studies_per_patient:04d}-{generate_uid()[-8:]}"
                study = generate_uid()
            series = generate_uid()
        sop = generate_uid()
        template.PatientID = patient
        template.StudyInstanceUID = study
        template.SeriesInstanceUID = series
        template.SOPInstanceUID = sop
        template.file_meta.MediaStorageSOPInstanceUID = sop
        template.InstanceNumber = i % per_series + 1
        path = folder / f"gen{i:05d}.dcm"
        template.save_as(path, enforce_file_format=True)
        ids = (orthanc_id(patient), orthanc_id(patient, study), orthanc_id(patient, study, series),
               orthanc_id(patient, study, series, sop))
        out.append((path, ids))
    return out


def distinct_ids(corpus, count):
    """Up to `count` corpus files, each a different instance (several corpus files are copies)."""
    seen, chosen = set(), []
    for f in corpus:
        if f.instance_id not in seen:
            seen.add(f.instance_id)
            chosen.append(f)
        if len(chosen) == count:
            break
    assert len(chosen) == count, f"the corpus has only {len(chosen)} distinct instances"
    return chosen


def wait_for_job(server, job_id, seconds=30):
    """The job's JSON once it has finished (Success or Failure)."""
    import time
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = server.get_json(f"/jobs/{job_id}")
        if job["State"] in ("Success", "Failure"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} still {job['State']} after {seconds} s")
