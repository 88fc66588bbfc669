"""REST ingest and query benchmark: Pharos beside Debian's Orthanc, same client, same data, loopback only.

Usage: rest-bench.py [options]   (bench.sh prepares the data and passes these; see --help)
Each ingest workload starts the server on a fresh temporary storage, uploads every file with POST /instances
(one keep-alive connection per uploader), and stops it; the whole set of workloads is repeated --runs times with the
servers interleaved, and the median is reported. The query part loads the small-instance set once per server, then
times /tools/find and /studies?expand (median of --query-runs after one warm-up). Never asserts anything: it measures.
"""
import argparse
import http.client
import io
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass, field

HOST = "127.0.0.1"


@dataclass
class Server:
    """One server under test: how to start it and where it listens."""
    name: str
    binary: str
    http_port: int
    dicom_port: int
    extra_config: dict = field(default_factory=dict)
    process: subprocess.Popen | None = None
    folder: str | None = None

    def start(self) -> None:
        self.folder = tempfile.mkdtemp(prefix=f"bench-{self.name.lower()}-")
        config = {
            "Name": f"{self.name}Bench",
            "StorageDirectory": os.path.join(self.folder, "storage"),
            "IndexDirectory": os.path.join(self.folder, "storage"),
            "HttpPort": self.http_port,
            "DicomPort": self.dicom_port,
            "RemoteAccessAllowed": False,
            "AuthenticationEnabled": False,
            "StorageCompression": False,
            **self.extra_config,
        }
        path = os.path.join(self.folder, "config.json")
        with open(path, "w") as f:
            json.dump(config, f, indent=2)
        if port_open(self.http_port):
            raise SystemExit(f"port {self.http_port} is already in use: stop whatever listens there first")
        log = open(os.path.join(self.folder, "server.log"), "wb")
        self.process = subprocess.Popen([self.binary, path], stdout=log, stderr=subprocess.STDOUT,
                                        cwd=self.folder, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited at start-up (code {self.process.returncode}):\n{self.log_tail()}")
            try:
                status, _ = request(self.http_port, "GET", "/system", timeout=2)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise SystemExit(f"{self.name} did not answer GET /system within 60 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def log_tail(self) -> str:
        try:
            with open(os.path.join(self.folder or "", "server.log"), "rb") as f:
                return f.read()[-3000:].decode(errors="replace")
        except OSError:
            return "(no log)"


def save_report(path: str | None, lines: list[str]) -> None:
    """Writes the printed report lines to `path` too (the benchmarks' --out), creating its folder."""
    if path:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")


def port_open(port: int) -> bool:
    import socket
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((HOST, port)) == 0


def request(port: int, method: str, path: str, body: bytes | None = None, timeout: float = 300,
            headers: dict | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def load_files(folder: str, limit: int | None = None) -> list[bytes]:
    paths = []
    for root, _, names in os.walk(folder):
        paths += [os.path.join(root, n) for n in names if n.endswith(".dcm")]
    paths.sort()
    if limit is not None:
        paths = paths[:limit]
    blobs = []
    for p in paths:
        with open(p, "rb") as f:
            blobs.append(f.read())
    if not blobs:
        raise SystemExit(f"no .dcm files under {folder}")
    return blobs


def upload(port: int, blobs: list[bytes], workers: int) -> tuple[float, dict]:
    """POSTs every blob to /instances with `workers` keep-alive connections; returns seconds and status counts."""
    lock = threading.Lock()
    state = {"next": 0}
    outcomes: dict[str, int] = {}

    def note(key: str) -> None:
        with lock:
            outcomes[key] = outcomes.get(key, 0) + 1

    def worker() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=300)
        try:
            while True:
                with lock:
                    i = state["next"]
                    state["next"] += 1
                if i >= len(blobs):
                    return
                try:
                    conn.request("POST", "/instances", body=blobs[i], headers={"Content-Type": "application/dicom"})
                    response = conn.getresponse()
                    data = response.read()
                except (OSError, http.client.HTTPException) as error:
                    note(f"error {type(error).__name__}")
                    conn.close()
                    continue
                if response.status != 200:
                    note(f"HTTP {response.status}")
                    continue
                try:
                    note(json.loads(data).get("Status", "no Status"))
                except (ValueError, AttributeError):
                    note("bad JSON")
        finally:
            conn.close()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start, outcomes


def time_query(port: int, method: str, path: str, body: dict | str | None, runs: int,
               budget: float) -> tuple[float, int, str]:
    """Median seconds of `runs` requests on one keep-alive connection (after a warm-up), the answer's item count.
    A text body is sent as it is (/tools/lookup), anything else as JSON."""
    if isinstance(body, str):
        payload, headers = body.encode(), {"Content-Type": "text/plain"}
    else:
        payload = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if payload else {}
    conn = http.client.HTTPConnection(HOST, port, timeout=300)
    times = []
    count, problem = -1, ""
    started = time.monotonic()
    try:
        for i in range(runs + 1):
            t0 = time.perf_counter()
            conn.request(method, path, body=payload, headers=headers)
            response = conn.getresponse()
            data = response.read()
            elapsed = time.perf_counter() - t0
            if response.status != 200:
                problem = f"HTTP {response.status}: {data[:200]!r}"
                break
            if i == 0:
                try:
                    answer = json.loads(data)
                    count = len(answer) if isinstance(answer, list) else -1
                except ValueError:
                    problem = "answer is not JSON"
                continue
            times.append(elapsed)
            if len(times) >= 3 and time.monotonic() - started > budget:
                break
    finally:
        conn.close()
    return (statistics.median(times) if times else float("nan")), count, problem


def time_archive(port: int, path: str, runs: int, budget: float) -> tuple[float, int, str]:
    """Median seconds to download a ZIP archive whole (after a warm-up), and its number of files."""
    times, entries, problem = [], -1, ""
    started = time.monotonic()
    for i in range(runs + 1):
        conn = http.client.HTTPConnection(HOST, port, timeout=600)
        try:
            t0 = time.perf_counter()
            conn.request("GET", path)
            response = conn.getresponse()
            data = response.read()
            elapsed = time.perf_counter() - t0
        finally:
            conn.close()
        if response.status != 200:
            return float("nan"), -1, f"HTTP {response.status}: {data[:200]!r}"
        if i == 0:
            try:
                with zipfile.ZipFile(io.BytesIO(data)) as z:
                    entries = len(z.infolist())
            except zipfile.BadZipFile:
                problem = "answer is not a ZIP archive"
            continue
        times.append(elapsed)
        if len(times) >= 3 and time.monotonic() - started > budget:
            break
    return (statistics.median(times) if times else float("nan")), entries, problem


FINDSCU = "/usr/bin/findscu"  # DCMTK's; the one on PATH may be pynetdicom's


def time_findscu(port: int, keys: list[str], runs: int, budget: float,
                 repeat: int = 1) -> tuple[float, int, str]:
    """Median wall time of `findscu -S` at study level (process start and association included), after a warm-up.

    With `repeat` > 1 the same query is sent `repeat` times on one association (`--repeat`); the count is per query.
    The warm-up run is verbose and gives the answer count; the timed runs are quiet (`-q`): printing each answer
    costs findscu itself more than the server spends on it (about 0.5 ms per answer on a 2-core VM)."""
    base = [FINDSCU, "-aet", "BENCHSCU", "-aec", "BENCH", "-S", "-k", "QueryRetrieveLevel=STUDY"]
    for key in keys:
        base += ["-k", key]
    if repeat > 1:
        base += ["--repeat", str(repeat)]
    base += [HOST, str(port)]
    times, count, problem = [], 0, ""
    deadline = time.monotonic() + budget
    for i in range(runs + 1):
        args = [base[0], "-v" if i == 0 else "-q"] + base[1:]
        started = time.monotonic()
        done = subprocess.run(args, capture_output=True, text=True, timeout=300)
        elapsed = time.monotonic() - started
        if done.returncode != 0:
            return float("nan"), 0, f"findscu failed: {done.stderr[-500:]}"
        if i == 0:
            count = (done.stderr.count("Find Response:") + done.stdout.count("Find Response:")) // repeat
        if i > 0:
            times.append(elapsed)
        if time.monotonic() > deadline and times:
            problem = f"only {len(times)} runs within {budget:.0f} s" if len(times) < runs else ""
            break
    return statistics.median(times), count, problem


FINDSCU_REPEAT = 11


def time_findscu_per_query(port: int, keys: list[str], runs: int, budget: float) -> tuple[float, int, str]:
    """The server's share of one C-FIND: findscu's start-up (about 0.2 s loading DCMTK's dictionary) and the
    association are taken out by timing 1 and FINDSCU_REPEAT queries on one association, per added query."""
    once, count, problem = time_findscu(port, keys, runs, budget / 2)
    many, count_many, problem_many = time_findscu(port, keys, runs, budget / 2, repeat=FINDSCU_REPEAT)
    if count_many != count:
        problem = problem or f"{count} answers alone, {count_many} per repeated query"
    return (many - once) / (FINDSCU_REPEAT - 1), count, problem or problem_many


def fmt_rate(value: dict | None) -> str:
    if not value:
        return "-"
    mbps = f"{value['mbps']:6.1f}" if value["mbps"] >= 10 else f"{value['mbps']:6.2f}"
    return f"{value['rate']:7.1f} inst/s {mbps} MB/s"


def fmt_latency(seconds: float | None) -> str:
    if seconds is None or seconds != seconds:
        return "-"
    return f"{seconds * 1000:9.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pharos", help="path of the pharos binary (omit to skip Pharos)")
    parser.add_argument("--orthanc", help="path of the Orthanc binary (omit to skip Orthanc)")
    parser.add_argument("--ct", required=True, help="folder of uncompressed CT slices")
    parser.add_argument("--j2k", required=True, help="folder of the same slices in JPEG 2000")
    parser.add_argument("--query", required=True, help="folder of the small-instance query set")
    parser.add_argument("--slices", type=int, default=361)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--query-runs", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--findscu", action="store_true",
                        help="also time study-level C-FIND with DCMTK's findscu on the loaded query set")
    parser.add_argument("--out", help="also write the report to this file")
    args = parser.parse_args()

    # C-FIND from any AET, so findscu needs no registered modality.
    dicom = {"DicomAet": "BENCH", "DicomAlwaysAllowFind": True}
    servers = []
    if args.pharos:
        servers.append(Server("Pharos", args.pharos, 18142, 14342, dict(dicom)))
    if args.orthanc:
        # Plugins off: Debian's plugins are only loaded when the configuration lists them.
        servers.append(Server("Orthanc", args.orthanc, 18143, 14343, {**dicom, "Plugins": []}))
    if not servers:
        raise SystemExit("nothing to measure: give --pharos and/or --orthanc")

    lines: list[str] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    say(f"# make bench — {time.strftime('%Y-%m-%d %H:%M:%S')}, {os.cpu_count()} cores, "
        f"load average at start {os.getloadavg()[0]:.2f}")
    for s in servers:
        say(f"#   {s.name}: {s.binary}")

    sets = {"raw": load_files(args.ct, args.slices), "j2k": load_files(args.j2k, args.slices)}
    sizes = {k: sum(map(len, v)) for k, v in sets.items()}
    say(f"# ingest data: {len(sets['raw'])} CT slices 512x512, {sizes['raw'] / 1e6:.1f} MB uncompressed, "
        f"{sizes['j2k'] / 1e6:.1f} MB JPEG 2000 lossless")

    workloads = [(kind, workers) for kind in ("raw", "j2k") for workers in (1, args.workers)]
    results: dict[tuple, dict[str, list]] = {w: {s.name: [] for s in servers} for w in workloads}
    problems: list[str] = []
    for run in range(args.runs):
        for w in workloads:
            kind, workers = w
            for s in servers:
                s.start()
                try:
                    seconds, outcomes = upload(s.http_port, sets[kind], workers)
                finally:
                    s.stop()
                if outcomes.get("Success", 0) != len(sets[kind]):
                    problems.append(f"{s.name} {kind} x{workers} run {run + 1}: {outcomes}")
                results[w][s.name].append(seconds)
                n = len(sets[kind])
                print(f"  run {run + 1} {kind:3} x{workers} {s.name:8} {seconds:7.2f} s  {n / seconds:7.1f} inst/s",
                      flush=True)

    # Query: one load per server (untimed for the table, but its rate is printed), then the timed requests.
    query_blobs = load_files(args.query)
    # At study level the modality is ModalitiesInStudy: Orthanc 1.10 matches "Modality" there against nothing.
    find = {"Level": "Study", "Query": {"PatientName": "*SON*", "StudyDate": "20150101-20191231",
                                        "ModalitiesInStudy": "CT"}}
    queries = [
        ("find study: name *SON*, date 2015-2019, modality CT", "POST", "/tools/find", find),
        ("find study: same, Expand", "POST", "/tools/find", {**find, "Expand": True}),
        ("find study: name DAVIS^*", "POST", "/tools/find", {"Level": "Study", "Query": {"PatientName": "DAVIS^*"}}),
        ("find series: Modality CT, date 2015-2019", "POST", "/tools/find",
         {"Level": "Series", "Query": {"Modality": "CT", "StudyDate": "20150101-20191231"}}),
        ("GET /studies?expand (all studies)", "GET", "/studies?expand", None),
        ("POST /tools/lookup PatientID", "POST", "/tools/lookup", "BENCH000500"),
    ]
    # Study-level C-FIND over DICOM with DCMTK's findscu: a new process and association per query, as a modality's
    # query does, then the time each further query adds on one association (without findscu's start-up).
    if args.findscu:
        by_name = ["PatientName=A*", "StudyDate", "StudyInstanceUID"]
        by_date = ["StudyDate=20150101-20161231", "PatientName", "StudyInstanceUID"]
        queries += [
            ("C-FIND study: PatientName=A*", "C-FIND", "", by_name),
            ("C-FIND study: StudyDate 2015-2016", "C-FIND", "", by_date),
            ("C-FIND study: PatientName=A*, per query on 1 assoc.", "C-FIND-REPEAT", "", by_name),
            ("C-FIND study: StudyDate 2015-2016, per query on 1 assoc.", "C-FIND-REPEAT", "", by_date),
        ]
    query_results: dict[str, dict[str, tuple]] = {q[0]: {} for q in queries}
    load_rates: dict[str, dict] = {}
    for s in servers:
        s.start()
        try:
            seconds, outcomes = upload(s.http_port, query_blobs, args.workers)
            load_rates[s.name] = {"rate": len(query_blobs) / seconds,
                                  "mbps": sum(map(len, query_blobs)) / seconds / 1e6}
            if outcomes.get("Success", 0) != len(query_blobs):
                problems.append(f"{s.name} query-set load: {outcomes}")
            print(f"  loaded {len(query_blobs)} small instances into {s.name} in {seconds:.1f} s", flush=True)
            for label, method, path, body in queries:
                if method == "C-FIND":
                    median, count, problem = time_findscu(s.dicom_port, body, args.query_runs, budget=60)
                elif method == "C-FIND-REPEAT":
                    median, count, problem = time_findscu_per_query(s.dicom_port, body, args.query_runs, budget=120)
                else:
                    median, count, problem = time_query(s.http_port, method, path, body, args.query_runs, budget=60)
                query_results[label][s.name] = (median, count)
                if problem:
                    problems.append(f"{s.name} {label.strip()}: {problem}")
                print(f"  {s.name:8} {label.strip()}: {median * 1000:.1f} ms, {count} results", flush=True)
        finally:
            s.stop()

    # Archive: the uncompressed slices loaded once per server (untimed), then their study downloaded as a ZIP.
    archive_results: dict[str, tuple] = {}
    for s in servers:
        s.start()
        try:
            upload(s.http_port, sets["raw"], args.workers)
            status, body = request(s.http_port, "GET", "/studies")
            study = json.loads(body)[0] if status == 200 and json.loads(body) else None
            if study is None:
                problems.append(f"{s.name} archive: no study after loading the slices")
                continue
            median, entries, problem = time_archive(s.http_port, f"/studies/{study}/archive", runs=5, budget=90)
            archive_results[s.name] = (median, entries)
            if problem:
                problems.append(f"{s.name} archive: {problem}")
            print(f"  {s.name:8} archive of {entries} files: {median * 1000:.1f} ms", flush=True)
        finally:
            s.stop()

    names = [s.name for s in servers]
    pharos_on, orthanc_on = "Pharos" in names, "Orthanc" in names

    def ratio(p: float | None, o: float | None) -> str:
        if not (pharos_on and orthanc_on) or not p or not o or p != p or o != o:
            return "-"
        return f"{p / o:5.2f}x"

    say()
    say(f"# median of {args.runs} runs, fresh storage each; ratio = how many times faster Pharos is")
    width = 58
    say(f"{'workload':{width}} | {'Pharos':27} | {'Orthanc':27} | ratio")
    say("-" * (width + 70))
    say(f"{'ingest (median instances/s and MB/s)':{width}} |")
    labels = {"raw": "uncompressed", "j2k": "JPEG 2000"}
    for w in workloads:
        kind, workers = w
        n, size = len(sets[kind]), sizes[kind]
        cells = {}
        for name in names:
            t = statistics.median(results[w][name])
            cells[name] = {"rate": n / t, "mbps": size / t / 1e6}
        clients = "1 client" if workers == 1 else f"{workers} parallel clients"
        label = f"  {n} CT slices, {labels[kind]}, {clients}"
        p, o = cells.get("Pharos"), cells.get("Orthanc")
        say(f"{label:{width}} | {fmt_rate(p):27} | {fmt_rate(o):27} | "
            f"{ratio(p and p['rate'], o and o['rate'])}")
    label = f"  {len(query_blobs)} small instances, {args.workers} clients (query set load, once)"
    p, o = load_rates.get("Pharos"), load_rates.get("Orthanc")
    say(f"{label:{width}} | {fmt_rate(p):27} | {fmt_rate(o):27} | {ratio(p and p['rate'], o and o['rate'])}")
    say(f"{'query (median latency) [result counts]':{width}} |")
    for label, *_ in queries:
        r = query_results[label]
        p, o = r.get("Pharos"), r.get("Orthanc")
        counts = {name: r[name][1] for name in r}
        shown = f"  {label} [{'/'.join(str(c) for c in counts.values())}]"
        say(f"{shown:{width}} | {fmt_latency(p and p[0]):27} | {fmt_latency(o and o[0]):27} | "
            f"{ratio(o and o[0], p and p[0])}")
        if len(set(counts.values())) > 1:
            problems.append(f"result counts differ for {label.strip()}: {counts}")
    p, o = archive_results.get("Pharos"), archive_results.get("Orthanc")
    label = f"  GET /studies/{{id}}/archive, {len(sets['raw'])} CT slices [{p[1] if p else '-'}/{o[1] if o else '-'}]"
    say(f"{'archive (median latency) [files]':{width}} |")
    say(f"{label:{width}} | {fmt_latency(p and p[0]):27} | {fmt_latency(o and o[0]):27} | {ratio(o and o[0], p and p[0])}")
    if p and o and p[1] != o[1]:
        problems.append(f"archive file counts differ: {p[1]} / {o[1]}")
    say()
    say(f"# load average at end {os.getloadavg()[0]:.2f}; query latency = median of up to {args.query_runs} requests "
        "on one keep-alive connection after a warm-up")
    say("# per-run ingest seconds: " + "; ".join(
        f"{k} x{wk} " + " ".join(f"{n}={','.join(f'{t:.2f}' for t in results[(k, wk)][n])}" for n in names)
        for k, wk in workloads))
    for problem in problems:
        say(f"# PROBLEM: {problem}")

    save_report(args.out, lines)


if __name__ == "__main__":
    main()
