"""Preview latency: GET /instances/{id}/preview of 512x512 CT slices, uncompressed and JPEG 2000 lossless, Pharos
beside Debian's Orthanc (same client, loopback only). A server that cannot preview a set shows the HTTP status it
answered instead of a time.

Usage: preview-bench.py --ct DIR --j2k DIR [--pharos BIN] [--orthanc BIN] [--slices N] [--runs N] [--out FILE]
Each server starts on fresh storage, `--slices` slices of each kind are uploaded, then every slice's preview is
fetched `--runs` times on one keep-alive connection (after one warm-up pass); the median and the 90th percentile
of all requests are reported, plus the same with 4 clients in parallel (median time per request as each client sees
it). Never asserts anything: it measures.
"""
import argparse
import http.client
import importlib.util
import json
import os
import statistics
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("rest_bench", os.path.join(HERE, "rest-bench.py"))
rest_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rest_bench)
Server, load_files, HOST = rest_bench.Server, rest_bench.load_files, rest_bench.HOST
GDCM_PLUGIN = "/usr/share/orthanc/plugins/libOrthancGdcm.so"


def upload_all(port, blobs):
    ids = []
    conn = http.client.HTTPConnection(HOST, port, timeout=300)
    try:
        for blob in blobs:
            conn.request("POST", "/instances", body=blob, headers={"Content-Type": "application/dicom"})
            answer = conn.getresponse()
            data = answer.read()
            if answer.status != 200:
                raise SystemExit(f"upload failed: HTTP {answer.status} {data[:200]!r}")
            ids.append(json.loads(data)["ID"])
    finally:
        conn.close()
    return ids


def fetch_previews(port, ids, runs, times, problems):
    """Appends the seconds of each preview request to `times` (after a warm-up pass over `ids`)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=300)
    try:
        for run in range(runs + 1):
            for iid in ids:
                t0 = time.perf_counter()
                conn.request("GET", f"/instances/{iid}/preview")
                answer = conn.getresponse()
                body = answer.read()
                elapsed = time.perf_counter() - t0
                if answer.status != 200 or body[:4] != b"\x89PNG":
                    problems.append(answer.status)
                    return
                if run > 0:
                    times.append(elapsed)
    finally:
        conn.close()


def codec_latency(port, path, runs):
    """Uploads one file, then the median seconds of `runs` /preview requests after a warm-up (or an HTTP status)."""
    with open(path, "rb") as f:
        iid = upload_all(port, [f.read()])[0]
    times, problems = [], []
    fetch_previews(port, [iid], runs, times, problems)
    if problems or not times:
        return None, f"HTTP {problems[0] if problems else '?'}"
    return statistics.median(times), ""


def measure(port, ids, runs, clients):
    times, problems = [], []
    if clients == 1:
        fetch_previews(port, ids, runs, times, problems)
    else:
        threads = [threading.Thread(target=fetch_previews, args=(port, ids[k::clients], runs, times, problems))
                   for k in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    if problems or not times:
        return None, f"HTTP {problems[0] if problems else '?'}"
    times.sort()
    return (statistics.median(times), times[int(len(times) * 0.9) - 1 if len(times) > 1 else 0]), ""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pharos")
    parser.add_argument("--orthanc")
    parser.add_argument("--ct", required=True)
    parser.add_argument("--j2k", required=True)
    parser.add_argument("--slices", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--codecs", help="folder of one 512x512 image per transfer syntax (make-codec-set.py)")
    parser.add_argument("--codec-runs", type=int, default=10)
    parser.add_argument("--out")
    args = parser.parse_args()

    servers = []
    # The servers run in their own folders: binaries given relative to here must not be looked up there.
    args.pharos = args.pharos and os.path.abspath(args.pharos) if args.pharos and os.sep in args.pharos else args.pharos
    args.orthanc = os.path.abspath(args.orthanc) if args.orthanc and os.sep in args.orthanc else args.orthanc
    if args.pharos:
        servers.append(Server("Pharos", args.pharos, 18242, 14442))
    if args.orthanc:
        # Orthanc's own decoders (DCMTK) first, and Debian's orthanc-gdcm plugin for what they cannot (JPEG 2000).
        plugins = [GDCM_PLUGIN] if os.path.exists(GDCM_PLUGIN) else []
        servers.append(Server("Orthanc", args.orthanc, 18243, 14443,
                              {"Plugins": plugins, "BuiltinDecoderTranscoderOrder": "Before"}))
    if not servers:
        raise SystemExit("nothing to measure: give --pharos and/or --orthanc")
    sets = {"uncompressed": load_files(args.ct, args.slices), "JPEG 2000": load_files(args.j2k, args.slices)}
    codec_files = sorted(n for n in os.listdir(args.codecs) if n.endswith(".dcm")) if args.codecs else []

    lines = []

    def say(text=""):
        print(text, flush=True)
        lines.append(text)

    results = {}
    for s in servers:
        s.start()
        try:
            for kind, blobs in sets.items():
                ids = upload_all(s.http_port, blobs)
                for clients in (1, 4):
                    results[(kind, clients, s.name)] = measure(s.http_port, ids, args.runs, clients)
            for name in codec_files:
                results[(name, s.name)] = codec_latency(s.http_port, os.path.join(args.codecs, name), args.codec_runs)
        finally:
            s.stop()

    names = [s.name for s in servers]
    say(f"# /preview latency, 512x512 CT slices, {args.slices} slices x {args.runs} runs after a warm-up; "
        f"median / 90th percentile; load average {os.getloadavg()[0]:.2f}")
    say(f"{'workload':44} | " + " | ".join(f"{n:24}" for n in names))
    for kind in sets:
        for clients in (1, 4):
            cells = []
            for n in names:
                value, problem = results[(kind, clients, n)]
                cells.append(f"{value[0] * 1000:7.1f} / {value[1] * 1000:7.1f} ms" if value else f"{problem:24}")
            label = f"  preview, {kind}, {clients} client{'s' if clients > 1 else ''}"
            say(f"{label:44} | " + " | ".join(f"{c:24}" for c in cells))
    if codec_files:
        say(f"# /preview latency per transfer syntax, one 512x512 image each (decode + window + PNG), "
            f"median of {args.codec_runs} after a warm-up; ratio = how many times faster Pharos is")
        say(f"{'file':44} | " + " | ".join(f"{n:24}" for n in names) + " | ratio")
        for name in codec_files:
            cells = []
            for n in names:
                value, problem = results[(name, n)]
                cells.append(f"{value * 1000:7.1f} ms" if value else problem)
            p, o = results.get((name, "Pharos"), (None, ""))[0], results.get((name, "Orthanc"), (None, ""))[0]
            ratio = f"{o / p:5.2f}x" if p and o else "-"
            say(f"  {name:42} | " + " | ".join(f"{c:24}" for c in cells) + f" | {ratio}")
    rest_bench.save_report(args.out, lines)


if __name__ == "__main__":
    main()
