"""The attachment routes of a resource: the stored DICOM file as stored and as content, its sizes and checksums, and
`verify-md5`, which must notice a file changed on disk behind the server's back."""
import hashlib
import json


def ct_file(corpus):
    return next(f for f in corpus if f.path.name == "CT_small.dcm")


def text(server, path):
    answer = server.get(path)
    assert answer.status == 200, (path, answer)
    assert answer.headers["Content-Type"].startswith("text/plain"), answer.headers
    return answer.body.decode()


def test_attachment_routes_describe_the_stored_file(server, corpus):
    f = ct_file(corpus)
    content = f.path.read_bytes()
    assert server.upload(f.path).status == 200
    base = f"/instances/{f.instance_id}/attachments"
    assert server.get_json(base) == ["dicom"]
    operations = server.get_json(base + "/dicom")
    assert {"data", "compressed-data", "md5", "compressed-md5", "size", "compressed-size", "is-compressed", "info",
            "verify-md5"} <= set(operations)
    # "1" is the number of the "dicom" kind.
    assert server.get_json(base + "/1") == operations
    data = server.get(base + "/dicom/data")
    assert data.status == 200 and data.body == content and data.headers["Content-Type"] == "application/dicom"
    assert server.get(base + "/dicom/compressed-data").body == content
    md5 = hashlib.md5(content).hexdigest()
    assert text(server, base + "/dicom/md5") == md5 == text(server, base + "/dicom/compressed-md5")
    assert text(server, base + "/dicom/size") == str(len(content)) == text(server, base + "/dicom/compressed-size")
    assert text(server, base + "/dicom/is-compressed") == "0"
    info = server.get_json(base + "/dicom/info")
    assert info == {"CompressedMD5": md5, "CompressedSize": len(content), "ContentType": 1, "UncompressedMD5": md5,
                    "UncompressedSize": len(content), "Uuid": info["Uuid"]}
    assert text(server, base + "/dicom/uuid") == info["Uuid"]
    answer = server.post(base + "/dicom/verify-md5", b"")
    assert answer.status == 200 and answer.json() == {}

    # Unknown names and kinds the resource lacks are 404s, as in Orthanc; studies hold no attachment.
    assert server.get(base + "/nope").status == 404
    assert json.loads(server.get(base + "/nope").body)["OrthancError"] == "Accessing an inexistent item"
    assert server.get(base + "/dicom-until-pixel-data").status == 404
    study = server.get_json(f"/instances/{f.instance_id}/study")["ID"]
    assert server.get(f"/studies/{study}/attachments/dicom/md5").status == 404
    assert server.get("/instances/00000000-00000000-00000000-00000000-00000000/attachments/dicom").status == 404

    # A file altered on disk no longer matches its checksum; the server keeps serving.
    stored = server.folder / "storage" / info["Uuid"][:2] / info["Uuid"][2:4] / info["Uuid"]
    assert stored.read_bytes() == content
    stored.write_bytes(content[:-1] + bytes([content[-1] ^ 0xFF]))
    answer = server.post(base + "/dicom/verify-md5", b"")
    assert answer.status == 400, answer
    assert "corrupted" in json.loads(answer.body)["Details"]
    assert server.get_json("/system")["Name"]


def test_attachments_of_a_compressing_storage(make_server, corpus):
    server = make_server({"StorageCompression": True})
    f = ct_file(corpus)
    content = f.path.read_bytes()
    assert server.upload(f.path).status == 200
    base = f"/instances/{f.instance_id}/attachments/dicom"
    assert text(server, base + "/is-compressed") == "1"
    assert server.get(base + "/data").body == content
    stored = server.get(base + "/compressed-data").body
    assert stored != content and int(text(server, base + "/compressed-size")) == len(stored)
    assert text(server, base + "/compressed-md5") == hashlib.md5(stored).hexdigest()
    assert text(server, base + "/md5") == hashlib.md5(content).hexdigest()
    assert int(text(server, base + "/size")) == len(content)
    assert server.post(base + "/verify-md5", b"").status == 200


def test_compress_and_uncompress_rewrite_the_stored_file(server, corpus):
    from helpers import stored_files
    f = ct_file(corpus)
    content = f.path.read_bytes()
    assert server.upload(f.path).status == 200
    base = f"/instances/{f.instance_id}/attachments/dicom"
    before = server.get_json(base + "/info")
    assert server.post(base + "/compress", b"").json() == {}
    after = server.get_json(base + "/info")
    assert text(server, base + "/is-compressed") == "1" and after["Uuid"] != before["Uuid"]
    assert after["UncompressedMD5"] == before["UncompressedMD5"] and after["CompressedSize"] < len(content)
    assert server.get(base + "/data").body == content == server.get(f"/instances/{f.instance_id}/file").body
    assert server.post(base + "/verify-md5", b"").status == 200
    # One file in storage: the new one; the totals follow.
    files = stored_files(server.folder / "storage")
    assert [p.name for p in files] == [after["Uuid"]]
    assert int(server.get_json("/statistics")["TotalDiskSize"]) == after["CompressedSize"]
    # Compressing again changes nothing; uncompressing brings back the original bytes on disk.
    assert server.post(base + "/compress", b"").status == 200
    assert server.get_json(base + "/info")["Uuid"] == after["Uuid"]
    assert server.post(base + "/uncompress", b"").status == 200
    assert text(server, base + "/is-compressed") == "0"
    assert server.get(base + "/compressed-data").body == content
    assert [p.read_bytes() for p in stored_files(server.folder / "storage")] == [content]
    assert int(server.get_json("/statistics")["TotalDiskSize"]) == len(content)
