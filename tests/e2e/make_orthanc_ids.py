"""Writes orthanc_ids.json: the resource IDs Debian's Orthanc gives every corpus file (or the status it refuses
it with). Run it again when the corpus changes:
    PHAROS_CORPUS=TestData/corpus python3 tests/e2e/make_orthanc_ids.py
It starts /usr/sbin/Orthanc on side ports 18043 (HTTP) and 14243 (DICOM) with a temporary folder."""
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from conftest import Server, _corpus_root  # noqa: E402


def main():
    root = _corpus_root()
    with tempfile.TemporaryDirectory() as folder:
        server = Server(os.environ.get("ORTHANC_BIN", "/usr/sbin/Orthanc"), folder)
        server.port, server.dicom_port = 18043, 14243
        server.config.update({"HttpPort": 18043, "DicomPort": 14243})
        server.start()
        table = {}
        try:
            for path in sorted(root.rglob("*.dcm")):
                answer = server.upload(path)
                key = path.relative_to(root).as_posix()
                if answer.status == 200:
                    body = answer.json()
                    table[key] = {k: body[k] for k in ("ID", "ParentSeries", "ParentStudy", "ParentPatient")}
                else:
                    table[key] = {"HttpStatus": answer.status}
            version = server.get_json("/system")["Version"]
        finally:
            server.stop()
    output = Path(__file__).parent / "orthanc_ids.json"
    output.write_text(json.dumps({"OrthancVersion": version, "Files": table}, indent=1, sort_keys=True) + "\n")
    print(f"{len(table)} files -> {output}")


if __name__ == "__main__":
    main()
