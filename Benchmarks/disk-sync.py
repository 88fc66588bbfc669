"""The disk's own ceiling for durable ingest: how many new files of a given size per second it makes durable when each
is written then flushed (fsync), by 1 writer and by 4 at once. Any server that flushes every stored file, as Orthanc
(SyncStorageArea, true by default) and Pharos do, stays under these rates whatever its own speed.

Usage: disk-sync.py FOLDER [--size BYTES] [--files N] [--runs R]   (FOLDER is created and removed)
Never asserts anything: it measures. Prints medians over the runs.
"""
import argparse
import os
import shutil
import statistics
import threading
import time


def durable_files_per_second(folder: str, size: int, files: int, writers: int) -> float:
    data = os.urandom(size)
    counter = iter(range(files))
    lock = threading.Lock()

    def writer() -> None:
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            fd = os.open(os.path.join(folder, f"f{n}"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            try:
                os.write(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)

    threads = [threading.Thread(target=writer) for _ in range(writers)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return files / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder")
    parser.add_argument("--size", type=int, default=530_000, help="bytes per file (a 512x512 CT slice: ~530 KB)")
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"# durable new files per second ({args.size} bytes each, write + fsync), median of {args.runs} runs")
    for writers in (1, 4):
        rates = []
        for run in range(args.runs):
            folder = os.path.join(args.folder, f"w{writers}-{run}")
            os.makedirs(folder)
            try:
                rates.append(durable_files_per_second(folder, args.size, args.files, writers))
            finally:
                shutil.rmtree(folder, ignore_errors=True)
        print(f"{writers} writer{'s' if writers > 1 else ''}: {statistics.median(rates):.0f} files/s "
              f"({statistics.median(rates) * args.size / 1e6:.0f} MB/s)")
    shutil.rmtree(args.folder, ignore_errors=True)


if __name__ == "__main__":
    main()
