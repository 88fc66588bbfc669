#!/usr/bin/env bash
# Fetches the real-file test corpus (pydicom's and pydicom-data's DICOM files) from PyPI into TestData/ and writes
# the reference JSON that Tests/DICOMTests/CorpusTests.swift compares the reader with. Needs python3 with pip and
# (for the DCMTK cross-check) dcmdump. Idempotent: a stamp file records what was built, so a second run is instant.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$PWD/TestData"
PYTHON="${PYTHON:-python3}"

PYDICOM_VERSION="3.0.2"
PYDICOM_DATA_VERSION="1.0.0"
# Bump when reference-dump.py's output changes, so stale references are rebuilt.
REFERENCE_FORMAT="3"
STAMP_TEXT="pydicom=$PYDICOM_VERSION pydicom-data=$PYDICOM_DATA_VERSION format=$REFERENCE_FORMAT script=$(cksum < Scripts/reference-dump.py | cut -d' ' -f1)"
STAMP="$ROOT/.stamp"

# Pixel references (decoded samples of every corpus file, by pydicom with the pylibjpeg / pyjpegls plugins) for the
# imaging tests; rebuilt when the corpus or either script changes.
pixel_references() {
    local stamp="$ROOT/.stamp-pixels"
    local text="$STAMP_TEXT pixels=$(cat Tests/DICOMImagingTests/Support/pixel-reference.py Tests/DICOMImagingJPEGTests/Support/jpeg-reference.py | cksum | cut -d' ' -f1)"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$text" ]]; then return 0; fi
    local missing=""
    for m in numpy:numpy pylibjpeg:pylibjpeg libjpeg:pylibjpeg-libjpeg openjpeg:pylibjpeg-openjpeg jpeg_ls:pyjpegls; do
        "$PYTHON" -c "import ${m%%:*}" 2>/dev/null || missing="$missing ${m#*:}"
    done
    if [[ -n "$missing" ]]; then
        echo "Installing the reference decoders:$missing"
        "$PYTHON" -m pip install --quiet --disable-pip-version-check $missing
    fi
    echo "Decoding the corpus with pydicom for the imaging tests' references"
    rm -rf "$ROOT/pixel-reference" "$ROOT/reference-jpeg.json"
    PYTHONPATH="$ROOT/pylib" PYTHONDONTWRITEBYTECODE=1 "$PYTHON" Tests/DICOMImagingTests/Support/pixel-reference.py \
        "$ROOT/corpus" "$ROOT/pixel-reference"
    PYTHONPATH="$ROOT/pylib" PYTHONDONTWRITEBYTECODE=1 "$PYTHON" Tests/DICOMImagingJPEGTests/Support/jpeg-reference.py \
        "$ROOT/corpus" "$ROOT/reference-jpeg.json"
    echo "$text" > "$stamp"
}

# Orthanc's own import scripts for tests/e2e/test_orthanc_scripts.py, from Debian's orthanc-doc (`make deps` installs
# it); where the system leaves /usr/share/doc out of installed packages, from the package file itself.
orthanc_samples() {
    local installed=/usr/share/doc/orthanc/Samples/ImportDicomFiles/OrthancImport.py
    local extracted="$ROOT/orthanc-doc/usr/share/doc/orthanc/Samples/ImportDicomFiles/OrthancImport.py"
    if [[ -f "$installed" || -f "$extracted" ]]; then return 0; fi
    echo "Extracting Orthanc's sample scripts from Debian's orthanc-doc package into TestData/orthanc-doc"
    local tmp
    tmp="$(mktemp -d)"
    (cd "$tmp" && apt-get download orthanc-doc > /dev/null) && dpkg -x "$tmp"/orthanc-doc_*.deb "$ROOT/orthanc-doc"
    rm -rf "$tmp"
}

if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$STAMP_TEXT" ]]; then
    orthanc_samples
    pixel_references
    exit 0
fi

echo "Fetching the DICOM test corpus into TestData/ (pydicom $PYDICOM_VERSION, pydicom-data $PYDICOM_DATA_VERSION)"
mkdir -p "$ROOT/wheels"
PYDICOM_WHEEL="$ROOT/wheels/pydicom-$PYDICOM_VERSION-py3-none-any.whl"
DATA_WHEEL="$ROOT/wheels/pydicom_data-$PYDICOM_DATA_VERSION-py3-none-any.whl"
if [[ ! -f "$PYDICOM_WHEEL" || ! -f "$DATA_WHEEL" ]]; then
    # --no-deps: only the two wheels; both are pure Python, so one wheel fits every platform.
    "$PYTHON" -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
        -d "$ROOT/wheels" "pydicom==$PYDICOM_VERSION" "pydicom-data==$PYDICOM_DATA_VERSION"
fi

# Unzip with Python's zipfile (no unzip binary needed): pydicom itself (importable from there for the reference
# script, without touching any site-packages) and the two sets of data files.
rm -rf "$ROOT/corpus" "$ROOT/pylib" "$ROOT/reference"
"$PYTHON" - "$ROOT" "$PYDICOM_WHEEL" "$DATA_WHEEL" <<'PY'
import os, sys, zipfile
root, pydicom_wheel, data_wheel = sys.argv[1:4]
def extract(wheel, prefix, dest, keep=lambda name: True):
    count = 0
    with zipfile.ZipFile(wheel) as z:
        for name in z.namelist():
            if not name.startswith(prefix) or name.endswith("/"):
                continue
            rel = name[len(prefix):]
            if not keep(rel):
                continue
            target = os.path.join(dest, rel)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with z.open(name) as src, open(target, "wb") as out:
                out.write(src.read())
            count += 1
    return count
lib = extract(pydicom_wheel, "", os.path.join(root, "pylib"), lambda n: n.startswith("pydicom/"))
a = extract(pydicom_wheel, "pydicom/data/test_files/", os.path.join(root, "corpus", "pydicom"))
b = extract(data_wheel, "data_store/data/", os.path.join(root, "corpus", "pydicom-data"))
print(f"  corpus: {a} files from pydicom, {b} from pydicom-data")
PY

PYTHONPATH="$ROOT/pylib" PYTHONDONTWRITEBYTECODE=1 "$PYTHON" Scripts/reference-dump.py "$ROOT/corpus" "$ROOT/reference"
echo "$STAMP_TEXT" > "$STAMP"
orthanc_samples
pixel_references
