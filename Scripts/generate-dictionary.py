#!/usr/bin/env python3
"""Generate the DICOM data dictionary sources of the `DICOM` module from DCMTK's dictionary files.

Usage: generate-dictionary.py [--check] [DICOM_DIC [PRIVATE_DIC [OUT_DIR]]]

Defaults are Debian's DCMTK files (/usr/share/libdcmtk17/dicom.dic and private.dic) and
Sources/DICOM/Dictionary next to this script. Keywords are kept exactly as DCMTK spells them,
because Orthanc prints DCMTK's names. Output is sorted, so two runs on the same input give the
same bytes. With --check nothing is written: the exit status says whether the files are current.
"""

import hashlib
import os
import re
import sys

DEFAULT_DICOM_DIC = "/usr/share/libdcmtk17/dicom.dic"
DEFAULT_PRIVATE_DIC = "/usr/share/libdcmtk17/private.dic"
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT_DIR = os.path.join(REPO_ROOT, "Sources", "DICOM", "Dictionary")

REAL_VRS = set(
    "AE AS AT CS DA DS DT FL FD IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV".split()
)

# DCMTK's pseudo VRs, mapped to the VRs they stand for; the first is the one used for implicit VR.
PSEUDO_VRS = {
    "xs": ["US", "SS"],  # unsigned or signed short, depending on Pixel Representation
    "ox": ["OW", "OB"],  # other word or other byte (overlay data, waveform data)
    "px": ["OW", "OB"],  # pixel data
    "lt": ["OW", "US", "SS"],  # lookup table data: words, or US/SS in explicit VR files
    "up": ["UL"],  # unsigned long that holds a file offset (DICOMDIR)
    "na": [],  # items and delimiters: no VR at all
    "??": ["UN"],
}

TAG_FIELD = re.compile(r"^\(([0-9A-Fa-f]{4})(?:-([ou])?-?([0-9A-Fa-f]{4}))?,([0-9A-Fa-f]{4})(?:-([ou])?-?([0-9A-Fa-f]{4}))?\)$")
PRIVATE_TAG_FIELD = re.compile(r'^\(([0-9A-Fa-f]{4})(?:-o-([0-9A-Fa-f]{4}))?,"([^"\t]*)",([0-9A-Fa-f]{2}|[0-9A-Fa-f]{4})\)$')


def fail(path, line_no, message):
    sys.exit(f"{path}:{line_no}: {message}")


def vr_list(code, path, line_no):
    if code in REAL_VRS:
        return [code]
    if code in PSEUDO_VRS:
        return PSEUDO_VRS[code]
    fail(path, line_no, f"unknown VR code {code!r}")


def aligned_blocks(lo, hi):
    """Splits [lo, hi] into (value, mask) blocks of 16-bit numbers, each block a power-of-two aligned run."""
    blocks = []
    while lo <= hi:
        size = lo & -lo if lo else 0x10000
        while lo + size - 1 > hi:
            size //= 2
        blocks.append((lo, (~(size - 1)) & 0xFFFF))
        lo += size
    return blocks


def range_blocks(lo, hi, parity):
    """(value, mask) pairs covering lo..hi; parity 'e' or 'o' keeps only even or odd numbers, 'u' all."""
    if lo == hi:
        return [(lo, 0xFFFF)]
    result = []
    for value, mask in aligned_blocks(lo, hi):
        if parity == "u" or mask == 0xFFFF:
            if mask == 0xFFFF and parity != "u" and (value & 1) != (1 if parity == "o" else 0):
                continue
            result.append((value, mask))
        else:
            wanted = 1 if parity == "o" else 0
            result.append(((value & ~1) | wanted, mask | 1))
    return result


def parse_public(path):
    entries = {}
    with open(path, encoding="utf-8") as f:
        for line_no, raw in enumerate(f, 1):
            line = raw.rstrip("\r\n")
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 5:
                fail(path, line_no, f"expected 5 tab-separated fields, found {len(fields)}")
            tag, vr_code, name, vm, version = fields
            m = TAG_FIELD.match(tag)
            if not m:
                fail(path, line_no, f"cannot read tag {tag!r}")
            g_lo, g_par, g_hi, e_lo, e_par, e_hi = m.groups()
            g_lo = int(g_lo, 16)
            g_hi = int(g_hi, 16) if g_hi else g_lo
            e_lo = int(e_lo, 16)
            e_hi = int(e_hi, 16) if e_hi else e_lo
            # DCMTK: a group range without a marker means even groups only; element ranges cover every number
            # unless marked (PS3.6 writes them as e.g. (0020,31xx)).
            groups = range_blocks(g_lo, g_hi, g_par or "e")
            elements = range_blocks(e_lo, e_hi, e_par or "u")
            vrs = vr_list(vr_code, path, line_no)
            retired = version.endswith("/retired")
            for gv, gm in groups:
                for ev, em in elements:
                    value = gv << 16 | ev
                    mask = gm << 16 | em
                    # Later lines override earlier ones, as in DCMTK.
                    entries[(value, mask)] = (vrs, vm, name, retired)
    return entries


def parse_private(path):
    entries = {}
    with open(path, encoding="utf-8") as f:
        for line_no, raw in enumerate(f, 1):
            line = raw.rstrip("\r\n")
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) < 4:
                fail(path, line_no, f"expected at least 4 tab-separated fields, found {len(fields)}")
            tag, vr_code, name, vm = fields[:4]
            m = PRIVATE_TAG_FIELD.match(tag)
            if not m:
                fail(path, line_no, f"cannot read private tag {tag!r}")
            g_lo, g_hi, creator, element = m.groups()
            g_lo = int(g_lo, 16)
            g_hi = int(g_hi, 16) if g_hi else g_lo
            vrs = vr_list(vr_code, path, line_no)
            # Two hex digits: the element's low byte, whatever block the creator reserved.
            # Four digits: that exact element only.
            elem = int(element, 16)
            for gv, gm in range_blocks(g_lo, g_hi, "o"):
                entries[(creator, gv, gm, elem, len(element) == 4)] = (vrs, vm, name)
    return entries


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def swift_raw_literal(lines):
    body = "\n".join(lines)
    if '"""#' in body:
        sys.exit('input contains the sequence """# which would end the Swift literal')
    return '#"""\n' + body + '\n"""#'


def header(source_paths):
    out = [
        "// GENERATED FILE - DO NOT EDIT.",
        "// Generated by Scripts/generate-dictionary.py from DCMTK's data dictionary:",
    ]
    for p in source_paths:
        out.append(f"//   {p} (sha256 {sha256(p)[:16]})")
    out.append("// Regenerate with: python3 Scripts/generate-dictionary.py")
    return out


def render_public(entries, source):
    lines = []
    for (value, mask), (vrs, vm, name, retired) in sorted(entries.items()):
        mask_text = "" if mask == 0xFFFFFFFF else f"{mask:08X}"
        lines.append("\t".join([f"{value:08X}", mask_text, "/".join(vrs), vm, name, "R" if retired else ""]))
    out = header([source])
    out += [
        "",
        "extension DictionaryData {",
        "    /// The public dictionary, one entry a line: tag, mask (empty when exact), VRs joined by '/', VM, keyword,",
        "    /// 'R' when retired; fields separated by tabs. Parsed once by `DataDictionary`.",
        f"    static let publicEntryCount = {len(lines)}",
        "    static let publicEntries: String = " + swift_raw_literal(lines),
        "}",
        "",
    ]
    return "\n".join(out)


def render_private(entries, source):
    lines = []
    for (creator, group, gmask, elem, fixed), (vrs, vm, name) in sorted(entries.items()):
        mask_text = "" if gmask == 0xFFFF else f"{gmask:04X}"
        elem_text = f"{elem:04X}" if fixed else f"{elem:02X}"
        lines.append("\t".join([creator, f"{group:04X}", mask_text, elem_text, "/".join(vrs), vm, name]))
    out = header([source])
    out += [
        "",
        "extension DictionaryData {",
        "    /// Private dictionary, one entry a line: private creator, group, group mask (empty when exact), element",
        "    /// (two hex digits: low byte in any reserved block; four: that element only), VRs joined by '/', VM, name.",
        f"    static let privateEntryCount = {len(lines)}",
        "    static let privateEntries: String = " + swift_raw_literal(lines),
        "}",
        "",
    ]
    return "\n".join(out)


def main(argv):
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    if len(args) > 3 or any(a.startswith("-") for a in args):
        sys.exit(__doc__)
    dicom_dic = args[0] if len(args) > 0 else DEFAULT_DICOM_DIC
    private_dic = args[1] if len(args) > 1 else DEFAULT_PRIVATE_DIC
    out_dir = args[2] if len(args) > 2 else DEFAULT_OUT_DIR

    try:
        outputs = {
            "DictionaryData.generated.swift": render_public(parse_public(dicom_dic), dicom_dic),
            "PrivateDictionaryData.generated.swift": render_private(parse_private(private_dic), private_dic),
        }
    except OSError as error:
        sys.exit(f"cannot read {error.filename}: {error.strerror} (is Debian's libdcmtk17 installed?)")
    stale = []
    for name, text in outputs.items():
        target = os.path.join(out_dir, name)
        current = None
        if os.path.exists(target):
            with open(target, encoding="utf-8") as f:
                current = f.read()
        if current == text:
            continue
        stale.append(target)
        if not check:
            with open(target, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
    if check and stale:
        sys.exit("out of date: " + ", ".join(stale) + " (run Scripts/generate-dictionary.py)")
    for target in stale:
        print(f"wrote {target}")


if __name__ == "__main__":
    main(sys.argv[1:])
