"""DIMSE benchmark: C-STORE throughput, Pharos beside Debian's Orthanc, DCMTK's storescu as the client.

Usage: dimse-bench.py --pharos BIN --orthanc BIN --ct DIR [--runs N] [--out FILE]
/usr/bin/storescu sends every file of --ct in one association, then split over 4 parallel associations, into a
fresh server each run (instances/s and MB/s, median of --runs). Measures only, asserts nothing. C-FIND latency is
timed by rest-bench.py --findscu, on the query set it has loaded already.
"""
import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("rest_bench", os.path.join(HERE, "rest-bench.py"))
rest = importlib.util.module_from_spec(spec)
sys.modules["rest_bench"] = rest
spec.loader.exec_module(rest)

STORESCU = "/usr/bin/storescu"  # DCMTK's; the one on PATH may be pynetdicom's


def files_of(folder):
    return sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".dcm"))


def storescu(server, files):
    done = subprocess.run([STORESCU, "-aet", "BENCHSCU", "-aec", server.aet, "127.0.0.1", str(server.dicom_port),
                           *files], capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise SystemExit(f"storescu into {server.name} failed: {done.stderr[-2000:]}")


def store_run(server, files, associations):
    server.start()
    try:
        chunks = [files[i::associations] for i in range(associations)]
        started = time.monotonic()
        with ThreadPoolExecutor(associations) as pool:
            list(pool.map(lambda chunk: storescu(server, chunk), chunks))
        elapsed = time.monotonic() - started
        status, body = rest.request(server.http_port, "GET", "/statistics")
        stored = json.loads(body).get("CountInstances") if status == 200 else None
        if stored != len(files):
            raise SystemExit(f"{server.name} holds {stored} instances after C-STORE of {len(files)} files")
        return elapsed
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pharos")
    parser.add_argument("--orthanc")
    parser.add_argument("--ct", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out")
    args = parser.parse_args()
    if not os.path.exists(STORESCU):
        raise SystemExit(f"DCMTK's {STORESCU} is missing (apt-get install dcmtk)")

    common = {"DicomAlwaysAllowStore": True, "DicomAet": "BENCH"}
    servers = []
    if args.pharos:
        servers.append(rest.Server("Pharos", args.pharos, 18152, 14352, dict(common)))
    if args.orthanc:
        servers.append(rest.Server("Orthanc", args.orthanc, 18153, 14353, {**common, "Plugins": [],
                                                                           "UnknownSopClassAccepted": True}))
    for s in servers:
        s.aet = "BENCH"
    lines = []

    def say(text=""):
        print(text, flush=True)
        lines.append(text)

    files = files_of(args.ct)
    megabytes = sum(os.path.getsize(f) for f in files) / 1e6
    say(f"# DIMSE bench — {time.strftime('%Y-%m-%d %H:%M:%S')}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    say(f"# C-STORE: {len(files)} files, {megabytes:.1f} MB, DCMTK storescu; median of {args.runs} runs")
    for associations in (1, 4):
        for s in servers:
            times = [store_run(s, files, associations) for _ in range(args.runs)]
            t = statistics.median(times)
            say(f"  {s.name:8} {associations} assoc.  {len(files) / t:8.1f} instances/s  {megabytes / t:7.1f} MB/s"
                f"  ({t:.2f} s)")

    rest.save_report(args.out, lines)


if __name__ == "__main__":
    main()
