"""Imaging routes end to end: every pixel-bearing corpus file is uploaded to the real server, then its /preview,
/frames, raw frames, /image-uint16 and /numpy answers are checked against the file itself (read with pydicom);
plus unknown frames, a truncated JPEG 2000 stream, Encapsulated PDF, ordered slices and concurrent previews."""
import io
import struct
import threading
import zlib

import numpy as np
import pytest

from conftest import Server, _corpus_root, orthanc_id

# Pixel-bearing files the imaging module cannot decode, with why (Tests/DICOMImagingTests/CorpusDecodingTests.swift).
UNDECODABLE = {
    "meta_missing_tsyntax.dcm",  # no Bits Allocated: the Image Pixel module is incomplete
    "nested_priv_SQ.dcm",  # same
    "JPEG2000-embedded-sequence-delimiter.dcm",  # a stray delimiter where the codestream should start
    "MR_truncated.dcm",  # the file ends inside Pixel Data: stored (the header is whole) but not readable as an image
}
# Frames larger than this get /preview, /frames and /raw only: each route decodes again, and a debug server takes
# seconds per 4-megapixel radiograph, which would take the run past its time budget.
LARGE_FRAME = 1_000_000


# --- PNG, read with zlib only ---------------------------------------------------------------------------------
def decode_png(data):
    """(width, height, channels, bit depth, array H x W x C) of a non-interlaced PNG; AssertionError if invalid."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"not a PNG: {data[:16]!r}"
    pos, idat, header = 8, b"", None
    while pos + 12 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"bad CRC in chunk {kind!r}"
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
        pos += 12 + length
    assert header, "no IHDR chunk"
    width, height, depth, color, _, _, interlace = header
    assert interlace == 0 and depth in (8, 16) and color in (0, 2, 4, 6), header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[color]
    bpp = channels * depth // 8
    stride = width * bpp
    raw = np.frombuffer(zlib.decompress(idat), dtype=np.uint8)
    assert raw.size == height * (stride + 1), "IDAT holds the wrong number of bytes"
    rows = raw.reshape(height, stride + 1)
    out = np.zeros((height, stride), dtype=np.uint8)
    previous = np.zeros(stride, dtype=np.int32)
    for y in range(height):
        kind, line = rows[y, 0], rows[y, 1:].astype(np.int32)
        if kind == 0:
            current = line
        elif kind == 2:
            current = (line + previous) & 255
        else:  # Sub, Average, Paeth: byte by byte
            current = line.copy()
            for x in range(stride):
                a = current[x - bpp] if x >= bpp else 0
                b, c = previous[x], (previous[x - bpp] if x >= bpp else 0)
                if kind == 1:
                    predictor = a
                elif kind == 3:
                    predictor = (a + b) // 2
                else:
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    predictor = a if pa <= pb and pa <= pc else b if pb <= pc else c
                current[x] = (current[x] + predictor) & 255
        out[y] = current
        previous = current
    pixels = out.view(">u2") if depth == 16 else out
    return width, height, channels, depth, pixels.reshape(height, width, channels)


# --- the corpus -----------------------------------------------------------------------------------------------
def pixel_files():
    import pydicom
    root = _corpus_root()
    if not root.is_dir():
        pytest.fail(f"no DICOM corpus at {root}: run `make testdata`")
    files = []
    for path in sorted(root.rglob("*.dcm")):
        if path.stat().st_size > 8 << 20:
            continue
        try:
            ds = pydicom.dcmread(path, force=True)
        except Exception:
            continue
        if "PixelData" in ds and "Rows" in ds and "Columns" in ds and "SOPInstanceUID" in ds:
            files.append((path, ds))
    if len(files) < 50:
        pytest.fail(f"only {len(files)} pixel-bearing files under {root}: run `make testdata`")
    return files


def stored_frames(ds):
    """The frames of `ds` as stored (native little endian slices, or encapsulated frames), or None when unknown."""
    import pydicom.encaps
    syntax = ds.file_meta.get("TransferSyntaxUID") if "file_meta" in ds.__dict__ or hasattr(ds, "file_meta") else None
    if syntax is None:
        return None
    frames = frames_of(ds)
    if syntax.is_compressed:
        return list(pydicom.encaps.generate_frames(ds.PixelData, number_of_frames=frames))
    if not syntax.is_little_endian or ds.BitsAllocated % 8:
        return None
    size = ds.Rows * ds.Columns * ds.get("SamplesPerPixel", 1) * ds.BitsAllocated // 8
    return [bytes(ds.PixelData[i * size:(i + 1) * size]) for i in range(frames)]


def frames_of(ds):
    """Number of Frames, 1 when absent or unreadable (as the server reads it)."""
    try:
        return max(1, int(ds.get("NumberOfFrames", 1) or 1))
    except (TypeError, ValueError):
        return 1


def first_frame_is_uniform(path):
    """Whether pydicom sees a single value in frame 0 (False when pydicom cannot decode the file itself)."""
    from pydicom.pixels import pixel_array
    try:
        first = pixel_array(str(path), index=0)
    except Exception:
        return False
    return bool(np.ptp(first) == 0)


@pytest.fixture(scope="module")
def imaging_server(server_binary, tmp_path_factory):
    # Several corpus files share a SOP Instance UID: overwriting keeps each upload's own bytes behind the ID.
    server = Server(server_binary, tmp_path_factory.mktemp("imaging"), {"OverwriteInstances": True})
    server.start()
    yield server
    server.stop()


def upload(server, path_or_bytes):
    answer = server.upload(path_or_bytes)
    assert answer.status == 200, answer
    return answer.json()["ID"]


def assert_error_json(answer, statuses):
    assert answer.status in statuses, answer
    body = answer.json()
    assert body["HttpStatus"] == answer.status and body["Message"], body


# --- tests ----------------------------------------------------------------------------------------------------
def test_every_pixel_file_previews_and_exports(imaging_server):
    server, checked, refused, problems = imaging_server, 0, [], []
    for path, ds in pixel_files():
        answer = server.upload(path)
        if answer.status != 200:
            refused.append(path.name)  # not a file the server stores (e.g. no meta header): ingest's tests own that
            continue
        iid = answer.json()["ID"]
        preview = server.get(f"/instances/{iid}/preview")
        if path.name in UNDECODABLE:
            assert_error_json(preview, (400, 415))
            continue
        try:
            assert preview.status == 200, preview
            assert preview.headers["Content-Type"] == "image/png"
            width, height, channels, depth, pixels = decode_png(preview.body)
            assert (width, height) == (ds.Columns, ds.Rows)
            assert depth == 8 and channels in (1, 3)
            # Not blank: the preview stretches the frame's range, so only a uniform frame gives a uniform preview.
            large = ds.Rows * ds.Columns > LARGE_FRAME
            if large or not first_frame_is_uniform(path):
                assert np.ptp(pixels) > 0, "blank preview of a non-uniform frame"

            frame_count = frames_of(ds)
            assert server.get_json(f"/instances/{iid}/frames") == list(range(frame_count))
            expected = stored_frames(ds)
            last = frame_count - 1
            raw = server.get(f"/instances/{iid}/frames/{last}/raw")
            assert raw.status == 200, raw
            if expected is not None:
                assert raw.body == expected[last], "raw frame differs from the stored frame"

            assert server.get(f"/instances/{iid}/frames/{frame_count}/preview").status == 404
            if large:
                checked += 1
                continue

            jpeg = server.get(f"/instances/{iid}/preview", headers={"Accept": "image/jpeg"})
            assert jpeg.status == 200 and jpeg.headers["Content-Type"] == "image/jpeg", jpeg
            assert jpeg.body[:2] == b"\xff\xd8" and jpeg.body[-2:] == b"\xff\xd9"

            numpy_answer = server.get(f"/instances/{iid}/numpy")
            assert numpy_answer.status == 200, numpy_answer
            array = np.load(io.BytesIO(numpy_answer.body))
            samples = ds.get("SamplesPerPixel", 1)
            if ds.PhotometricInterpretation == "PALETTE COLOR":
                samples = 3
            assert array.shape == (frame_count, ds.Rows, ds.Columns, samples)

            if samples == 1:
                uint16 = server.get(f"/instances/{iid}/image-uint16")
                assert uint16.status == 200, uint16
                w, h, c, d, _ = decode_png(uint16.body)
                assert (w, h, c, d) == (ds.Columns, ds.Rows, 1, 16)
            checked += 1
        except AssertionError as error:
            problems.append(f"{path.relative_to(_corpus_root())}: {error}")
    assert not problems, "\n".join(problems)
    assert checked > 100, f"only {checked} files checked; refused at upload: {refused}"


def test_frame_routes_and_errors(imaging_server):
    server = imaging_server
    root = _corpus_root()
    iid = upload(server, root / "pydicom-data" / "emri_small.dcm")  # 10 frames, 64 x 64, 12 bits
    assert server.get_json(f"/instances/{iid}/frames") == list(range(10))
    assert "preview" in server.get_json(f"/instances/{iid}/frames/3")
    for bad in ("10", "-1", "x"):
        answer = server.get(f"/instances/{iid}/frames/{bad}/preview")
        assert answer.status == 404, (bad, answer)
    assert_error_json(server.get(f"/instances/{iid}/frames/10/raw"), (404,))
    assert server.get("/instances/00000000-00000000-00000000-00000000-00000000/preview").status == 404

    raw = server.get(f"/instances/{iid}/frames/4/raw").body
    gz = server.get(f"/instances/{iid}/frames/4/raw.gz")
    assert gz.headers["Content-Type"] == "application/gzip"
    assert zlib.decompress(gz.body, 31) == raw and len(raw) == 64 * 64 * 2

    frame = np.load(io.BytesIO(server.get(f"/instances/{iid}/frames/4/numpy?rescale=false").body))
    assert frame.shape == (64, 64, 1) and frame.dtype == np.uint16
    assert np.array_equal(frame[..., 0], np.frombuffer(raw, "<u2").reshape(64, 64))
    compressed = np.load(io.BytesIO(server.get(f"/instances/{iid}/numpy?compress=true").body))
    assert compressed["arr_0"].shape == (10, 64, 64, 1) and compressed["arr_0"].dtype == np.float32

    matlab = server.get(f"/instances/{iid}/frames/4/matlab")
    assert matlab.status == 200 and matlab.body.startswith(b"double([ ") and matlab.body.endswith(b"])")
    values = [int(v) for v in matlab.body[9:-2].replace(b";", b" ").split()]
    assert values == list(np.frombuffer(raw, "<u2"))

    # /rendered with no VOI window in the file: Orthanc 1.10.1 windows over [0, 2^BitsStored] and truncates.
    rendered = decode_png(server.get(f"/instances/{iid}/frames/4/rendered").body)[4][..., 0]
    stored = np.frombuffer(raw, "<u2").reshape(64, 64).astype(float)
    assert np.array_equal(rendered, np.floor(np.clip(stored * 255 / 4096, 0, 255)).astype(np.uint8))
    small = decode_png(server.get(f"/instances/{iid}/rendered?width=32&window-center=200&window-width=300").body)
    assert small[:2] == (32, 32)

    assert server.get(f"/instances/{iid}/preview?quality=0", headers={"Accept": "image/jpeg"}).status == 415
    assert server.get(f"/instances/{iid}/preview", headers={"Accept": "image/gif"}).status == 406
    ct = upload(server, root / "pydicom" / "CT_small.dcm")
    ct_raw = server.get(f"/instances/{ct}/frames/0/raw")
    assert ct_raw.headers["Content-Type"] == "application/octet-stream"
    rgb = upload(server, root / "pydicom-data" / "SC_rgb_2frame.dcm")
    assert_error_json(server.get(f"/instances/{rgb}/image-uint16"), (415,))
    plan = upload(server, root / "pydicom" / "rtplan.dcm")
    assert_error_json(server.get(f"/instances/{plan}/preview"), (415,))
    assert server.get(f"/instances/{plan}/pdf").status == 404


def test_truncated_jpeg2000_answers_an_error_and_the_server_keeps_serving(imaging_server, tmp_path):
    import pydicom
    import pydicom.encaps
    from pydicom.uid import generate_uid
    server = imaging_server
    ds = pydicom.dcmread(_corpus_root() / "pydicom" / "MR_small_jp2klossless.dcm")
    (codestream,) = pydicom.encaps.generate_frames(ds.PixelData, number_of_frames=1)
    ds.PixelData = pydicom.encaps.encapsulate([codestream[:len(codestream) // 2]])  # lengths rewritten
    ds.SOPInstanceUID = generate_uid()
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    path = tmp_path / "truncated-j2k.dcm"
    ds.save_as(path, enforce_file_format=True)
    iid = upload(server, path)
    for route in ("preview", "rendered", "image-uint16", "numpy", "matlab"):
        assert_error_json(server.get(f"/instances/{iid}/{route}"), range(400, 600))
    cut = codestream[:len(codestream) // 2]
    assert server.get(f"/instances/{iid}/frames/0/raw").body == cut + b"\0" * (len(cut) % 2)  # fragment padding
    assert server.get("/system").status == 200
    good = upload(server, _corpus_root() / "pydicom" / "MR_small.dcm")
    assert server.get(f"/instances/{good}/preview").status == 200


def test_encapsulated_pdf(imaging_server, tmp_path):
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, generate_uid
    document = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"  # odd length: stored with a pad byte
    ds = Dataset()
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.104.1"
    ds.SOPInstanceUID, ds.StudyInstanceUID, ds.SeriesInstanceUID = generate_uid(), generate_uid(), generate_uid()
    ds.PatientID, ds.Modality = "PDF-E2E", "DOC"
    ds.MIMETypeOfEncapsulatedDocument = "application/pdf"
    ds.EncapsulatedDocument = document
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.save_as(tmp_path / "pdf.dcm", enforce_file_format=True)
    iid = upload(imaging_server, tmp_path / "pdf.dcm")
    answer = imaging_server.get(f"/instances/{iid}/pdf")
    assert answer.status == 200 and answer.headers["Content-Type"] == "application/pdf"
    assert answer.body == document
    assert imaging_server.get(f"/instances/{iid}/preview").status == 415


def test_ordered_slices_and_series_numpy(imaging_server, tmp_path):
    import pydicom
    from pydicom.uid import generate_uid
    server = imaging_server
    template = pydicom.dcmread(_corpus_root() / "pydicom" / "CT_small.dcm")
    patient, study = "SLICES-E2E", generate_uid()

    def series(specs):
        """Uploads one series whose slices have these (z position or None, instance number); returns IDs."""
        uid, ids = generate_uid(), []
        for k, (z, number) in enumerate(specs):
            ds = template.copy()
            ds.PatientID, ds.StudyInstanceUID, ds.SeriesInstanceUID = patient, study, uid
            ds.SOPInstanceUID = generate_uid()
            ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
            ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
            ds.ImagePositionPatient = [0, 0, z] if z is not None else None
            if z is None:
                del ds.ImagePositionPatient
            ds.InstanceNumber = number
            ds.save_as(tmp_path / f"s{k}.dcm", enforce_file_format=True)
            ids.append(upload(server, tmp_path / f"s{k}.dcm"))
        return orthanc_id(patient, study, uid), ids

    volume, ids = series([(10, 3), (30, 1), (20, 2)])
    answer = server.get_json(f"/series/{volume}/ordered-slices")
    order = [ids[0], ids[2], ids[1]]  # by position along the normal, not by instance number
    assert answer == {
        "Type": "Volume",
        "Dicom": [f"/instances/{i}/file" for i in order],
        "Slices": [f"/instances/{i}/frames/0" for i in order],
        "SlicesShort": [[i, 0, 1] for i in order],
    }
    stack = np.load(io.BytesIO(server.get(f"/series/{volume}/numpy?rescale=0").body))
    assert stack.shape == (3, template.Rows, template.Columns, 1)
    assert np.array_equal(stack[1, ..., 0], template.pixel_array)

    sequence, ids = series([(5, 2), (5, 1)])  # same position: ordered by instance number
    answer = server.get_json(f"/series/{sequence}/ordered-slices")
    assert answer["Type"] == "Sequence" and answer["SlicesShort"] == [[ids[1], 0, 1], [ids[0], 0, 1]]


def test_concurrent_previews(imaging_server):
    server = imaging_server
    root = _corpus_root()
    names = ["pydicom/MR_small_jp2klossless.dcm", "pydicom/CT_small.dcm", "pydicom/JPEG2000.dcm",
             "pydicom/SC_rgb_jpeg_dcmtk.dcm", "pydicom/MR_small_jpeg_ls_lossless.dcm", "pydicom-data/emri_small_RLE.dcm",
             "pydicom-data/emri_small_jpeg_2k_lossless.dcm", "pydicom/JPEG-lossy.dcm"]
    ids = [upload(server, root / n) for n in names]
    failures, lock = [], threading.Lock()

    def worker(k):
        for round_ in range(4):
            iid = ids[(k + round_) % len(ids)]
            answer = server.get(f"/instances/{iid}/preview", timeout=120)
            if answer.status != 200 or answer.body[:8] != b"\x89PNG\r\n\x1a\n":
                with lock:
                    failures.append((iid, answer.status))

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures
