#!/usr/bin/env python3
"""Writes what pydicom (and DCMTK's dcmdump, as a second opinion) sees in each corpus file, as JSON.

Usage: reference-dump.py CORPUS_DIR REFERENCE_DIR

For every file CORPUS_DIR/<corpus>/<path> this writes REFERENCE_DIR/<corpus>/<path>.json with:
  pydicom: {ok, forced, error, warnings}  whether dcmread reads it (force=True is tried for raw data sets); a value
                                   cut short by the end of the file, or a missing delimiter, counts as a failure
  transferSyntax                   UID of the declared syntax (or of the one pydicom guessed for a raw data set)
  implicitVR / littleEndian        the encoding pydicom actually read the data set with
  metaTags / topLevelTags          8-hex-digit tags in file order
  vrs                              VR of each top-level element as pydicom resolves it
  topLevelCount / totalCount       elements at top level, and counting those in sequence items
  strings                          {tag: {raw, values}} for top-level string elements: raw is the exact value bytes
                                   as latin-1 text (so any byte survives JSON), values the decoded values
  sequences                        {tag: item count} for top-level sequences
  itemCounts                       item counts of every sequence at any depth, depth-first
  pixelData                        {valueOffset, length (null when undefined), vr} for top-level Pixel Data
  dcmtk: {ok, topLevelTags, error} dcmdump's view, and agrees: whether its top-level tags equal pydicom's
  valid                            pydicom reads it, and DCMTK too when pydicom needed force=True
The Swift tests (Tests/DICOMTests/CorpusTests.swift) compare the reader with these files.
"""
import json
import os
import shutil
import subprocess
import sys
import warnings

import pydicom
from pydicom.dataelem import RawDataElement, convert_raw_data_element
from pydicom.multival import MultiValue
from pydicom.sequence import Sequence

STRING_VRS = {"AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "PN", "SH", "ST", "TM", "UC", "UI", "UR", "UT"}


def hex_tag(tag):
    return f"{int(tag):08x}"


def resolved(ds, tag):
    """The element with its VR resolved, without failing on a value pydicom cannot convert."""
    raw = ds.get_item(tag)
    if isinstance(raw, RawDataElement):
        try:
            return raw, convert_raw_data_element(raw, ds=ds)
        except Exception:  # a value pydicom cannot decode: the raw element still says VR and bytes
            return raw, None
    return raw, raw


def count_elements(ds, item_counts):
    total = 0
    for tag in list(ds.keys()):
        total += 1
        _, elem = resolved(ds, tag)
        if elem is not None and elem.VR == "SQ":
            items = elem.value if isinstance(elem.value, Sequence) else []  # an empty sequence may hold None
            item_counts.append(len(items))
            for item in items:
                total += count_elements(item, item_counts)
    return total


def decoded_values(elem):
    try:
        value = elem.value
    except Exception:
        return None
    if value is None:
        return []
    if isinstance(value, (MultiValue, list, tuple)):
        return [str(v) for v in value]
    if isinstance(value, bytes):
        return None
    return [str(value)]


def pydicom_view(path):
    out = {"pydicom": {"ok": False, "forced": False, "error": None}}
    ds = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for forced in (False, True):
            try:
                ds = pydicom.dcmread(path, force=forced)
                out["pydicom"]["forced"] = forced
                break
            except Exception as error:  # noqa: BLE001 - any failure is the answer we record
                out["pydicom"]["error"] = f"{type(error).__name__}: {error}"[:300]
        if ds is None:
            return out
        try:
            meta = getattr(ds, "file_meta", None) or {}
            out["metaTags"] = [hex_tag(t) for t in meta.keys()]
            out["transferSyntax"] = _syntax_of(ds)
            implicit, little = ds.original_encoding
            # original_encoding follows the declared syntax; pydicom only says in a warning that it read the other.
            for w in caught:
                if "but found implicit VR" in str(w.message):
                    implicit = True
                elif "but found explicit VR" in str(w.message):
                    implicit = False
            out["implicitVR"], out["littleEndian"] = bool(implicit), bool(little)
            tags = list(ds.keys())
            out["topLevelTags"] = [hex_tag(t) for t in tags]
            out["topLevelCount"] = len(tags)
            vrs, strings, sequences = [], {}, {}
            pixel = None
            for tag in tags:
                raw, elem = resolved(ds, tag)
                vr = elem.VR if elem is not None else (raw.VR or "UN")
                vrs.append(vr)
                if vr in STRING_VRS and isinstance(raw, RawDataElement) and raw.value is not None:
                    strings[hex_tag(tag)] = {"raw": bytes(raw.value).decode("latin-1"),
                                             "values": decoded_values(elem) if elem is not None else None}
                elif vr in STRING_VRS and elem is not None and not isinstance(raw, RawDataElement):
                    strings[hex_tag(tag)] = {"raw": None, "values": decoded_values(elem)}
                if elem is not None and vr == "SQ":
                    sequences[hex_tag(tag)] = len(elem.value) if isinstance(elem.value, Sequence) else 0
                if int(tag) == 0x7FE00010 and isinstance(raw, RawDataElement):
                    pixel = {"valueOffset": raw.value_tell,
                             "length": None if raw.length == 0xFFFFFFFF else raw.length,
                             "vr": vr}
            out["vrs"] = vrs
            out["strings"] = strings
            out["sequences"] = sequences
            item_counts = []
            out["totalCount"] = count_elements(ds, item_counts)
            out["itemCounts"] = item_counts
            out["pixelData"] = pixel
            short = _short_value(ds)
            if short:
                raise ValueError(f"value of {short} is shorter than its length: the file is truncated")
            out["pydicom"]["ok"] = True
            out["pydicom"]["error"] = None
        except Exception as error:  # noqa: BLE001 - pydicom failed while walking a lazily read data set
            out["pydicom"]["ok"] = False
            out["pydicom"]["error"] = f"{type(error).__name__}: {error}"[:300]
        messages = [str(w.message)[:200] for w in caught]
        out["pydicom"]["warnings"] = messages[:10]
        if any("before delimiter" in m for m in messages):
            # pydicom reads to the end of the file when a delimiter is missing; that is a truncated file.
            out["pydicom"]["ok"] = False
            out["pydicom"]["error"] = next(m for m in messages if "before delimiter" in m)
    return out


def _short_value(ds):
    """The tag of a value pydicom read lazily past the end of the file (it does not check), or None."""
    for tag in list(ds.keys()):
        raw = ds.get_item(tag)
        if isinstance(raw, RawDataElement):
            if raw.length != 0xFFFFFFFF and raw.value is not None and len(raw.value) < raw.length:
                return hex_tag(tag)
        elif raw is not None and raw.VR == "SQ" and isinstance(raw.value, Sequence):
            for item in raw.value:
                found = _short_value(item)
                if found:
                    return found
    return None


def _syntax_of(ds):
    meta = getattr(ds, "file_meta", None)
    uid = meta.get("TransferSyntaxUID") if meta is not None else None
    implicit, little = ds.original_encoding
    if uid:
        return str(uid)
    if implicit:
        return "1.2.840.10008.1.2"
    return "1.2.840.10008.1.2.1" if little else "1.2.840.10008.1.2.2"


def dcmtk_view(path):
    """Top-level tags of dcmdump's data set section (lines without indentation), and whether it read the file."""
    if shutil.which("dcmdump") is None:
        return None
    try:
        run = subprocess.run(["dcmdump", "-M", "+E", path], capture_output=True, timeout=120)
    except subprocess.TimeoutExpired:
        return {"ok": False, "topLevelTags": [], "error": "timeout"}
    text = run.stdout.decode("latin-1")
    tags, in_data_set = [], False
    for line in text.splitlines():
        if line.startswith("# Dicom-Data-Set"):
            in_data_set = True
        elif line.startswith("# Dicom-Meta-Information-Header"):
            in_data_set = False
        elif in_data_set and line.startswith("(") and len(line) > 11 and line[5] == "," and line[1:5] != "fffe":
            tags.append((line[1:5] + line[6:10]).lower())
    error = run.stderr.decode("latin-1").strip().splitlines()
    errors = [e for e in error if e.startswith("E:") or e.startswith("F:")]
    return {"ok": run.returncode == 0 and not errors, "topLevelTags": tags,
            "error": errors[0][:300] if errors else None}


def main():
    corpus_dir, reference_dir = sys.argv[1], sys.argv[2]
    count = 0
    disagreements = []
    for dirpath, _, files in os.walk(corpus_dir):
        for name in sorted(files):
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, corpus_dir)
            view = pydicom_view(path)
            dcmtk = dcmtk_view(path)
            if dcmtk is not None:
                view["dcmtk"] = dcmtk
                view["agrees"] = (view["pydicom"]["ok"] == dcmtk["ok"]
                                  and view.get("topLevelTags", []) == dcmtk["topLevelTags"])
                if not view["agrees"]:
                    disagreements.append(rel)
            # A forced read of any bytes "succeeds" in pydicom; DCMTK's refusal is the better judge then.
            view["valid"] = view["pydicom"]["ok"] and (dcmtk is None or dcmtk["ok"] or not view["pydicom"]["forced"])
            target = os.path.join(reference_dir, rel + ".json")
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8") as out:
                json.dump(view, out, indent=1, sort_keys=True)
            count += 1
    print(f"  reference: {count} files described; pydicom and DCMTK disagree on {len(disagreements)}")
    for rel in disagreements:
        print(f"    {rel}")


if __name__ == "__main__":
    main()
