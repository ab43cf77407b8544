#!/usr/bin/env python3
"""Serve-mode latency: from saving a one-page edit to the browser knowing.

For each page count, starts `marrow serve` on a generated corpus, subscribes
to its live-reload stream, then makes EDITS edits (each appends a unique
sentence to one page body, on a different page each time) and records
  - save → reload event (what the browser waits for), and
  - save → the page served over HTTP contains the new sentence.
If `hugo` is on PATH it runs `hugo server` on the same corpus and records
save → new text served (Hugo's reload event is a WebSocket; the HTTP check
measures the same moment). Prints median and p95 per tool.

    cargo build --release
    python3 benches/serve_latency.py -n 1000 10000 --edits 20

Standard library only. Uses benches/gen_corpus.py for the corpus, every page
medically reviewed, so each edit also brings marrow's search index up to date.
"""

import argparse
import http.client
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_GENERATOR = REPO / "benches" / "gen_corpus.py"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, r.read().decode("utf-8", "replace")
    finally:
        conn.close()


def wait_http(port, path, text, timeout=30.0):
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            status, body = get(port, path)
            if status == 200 and text in body:
                return time.perf_counter()
        except OSError:
            pass
        time.sleep(0.002)
    return None


class ReloadListener:
    """Reads marrow's event stream; records when each reload arrives."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.sendall(b"GET /__marrow/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
        self.events = []
        self.cond = threading.Condition()
        threading.Thread(target=self.run, daemon=True).start()

    def run(self):
        buf = b""
        while True:
            chunk = self.sock.recv(65536)
            if not chunk:
                return
            now = time.perf_counter()
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                if line.startswith(b"event: reload"):
                    with self.cond:
                        self.events.append(now)
                        self.cond.notify_all()

    def wait_after(self, t0, timeout=30.0):
        with self.cond:
            end = time.perf_counter() + timeout
            while True:
                later = [t for t in self.events if t >= t0]
                if later:
                    return later[0]
                left = end - time.perf_counter()
                if left <= 0:
                    return None
                self.cond.wait(left)


def pick_pages(content, count):
    pages = sorted(p for p in content.rglob("*.md") if p.name != "_index.md")
    step = max(1, len(pages) // count)
    return pages[::step][:count]


def url_of(content, page):
    rel = page.relative_to(content).with_suffix("")
    return "/" + rel.as_posix() + "/"


def stats(xs):
    xs = sorted(xs)
    p95 = xs[min(len(xs) - 1, max(0, round(0.95 * len(xs)) - 1))]
    return statistics.median(xs) * 1000, p95 * 1000


def bench_marrow(binary, root, edits):
    port = free_port()
    proc = subprocess.Popen([binary, "serve", "--root", root, "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        if wait_http(port, "/", "<html", timeout=120) is None:
            sys.exit("marrow serve did not come up")
        listener = ReloadListener(port)
        time.sleep(0.3)
        content = Path(root) / "content"
        to_event, to_http = [], []
        for i, page in enumerate(pick_pages(content, edits)):
            marker = f"Benchmark sentence number {i} at {time.time_ns()}."
            t0 = time.perf_counter()
            with open(page, "a", encoding="utf-8") as f:
                f.write(f"\n{marker}\n")
            t_event = listener.wait_after(t0)
            t_http = wait_http(port, url_of(content, page), marker)
            if t_event is None or t_http is None:
                sys.exit(f"edit {i} never showed up")
            to_event.append(t_event - t0)
            to_http.append(t_http - t0)
            time.sleep(0.15)
        return to_event, to_http
    finally:
        proc.terminate()
        proc.wait()


def bench_hugo(hugo, root, edits):
    port = free_port()
    proc = subprocess.Popen([hugo, "server", "--source", root, "--port", str(port), "--bind", "127.0.0.1",
                             "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if wait_http(port, "/", "<", timeout=300) is None:
            sys.exit("hugo server did not come up")
        time.sleep(0.5)
        content = Path(root) / "content"
        to_http = []
        for i, page in enumerate(pick_pages(content, edits)):
            marker = f"Benchmark sentence number {i} at {time.time_ns()}."
            t0 = time.perf_counter()
            with open(page, "a", encoding="utf-8") as f:
                f.write(f"\n{marker}\n")
            t_http = wait_http(port, url_of(content, page), marker)
            if t_http is None:
                sys.exit(f"hugo: edit {i} never showed up")
            to_http.append(t_http - t0)
            time.sleep(0.3)
        return to_http
    finally:
        proc.terminate()
        proc.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, nargs="+", default=[1000])
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--generator", type=Path, default=DEFAULT_GENERATOR)
    ap.add_argument("--marrow", type=Path, default=REPO / "target" / "release" / "marrow")
    ap.add_argument("--hugo", default=shutil.which("hugo"))
    ap.add_argument("--baseline", type=Path, metavar="PATH",
                    help="another marrow binary (e.g. from an earlier commit), run on the same corpus "
                         "right after this one, for before/after figures")
    args = ap.parse_args()
    if not args.marrow.exists():
        sys.exit(f"{args.marrow} not found: run `cargo build --release` first")

    rows = []
    for n in args.n:
        work = Path(tempfile.mkdtemp(prefix=f"marrow-serve-{n}-"))
        for layout in ["plain"] + (["hugo"] if args.hugo else []):
            subprocess.run([sys.executable, str(args.generator), "--layout", layout, "--reviewed", "-n", str(n),
                            "-o", str(work / layout)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        binaries = [("marrow", args.marrow)] + ([("baseline", args.baseline)] if args.baseline else [])
        for name, exe in binaries:
            to_event, to_http = bench_marrow(str(exe), str(work / "plain"), args.edits)
            rows.append((n, name, "save → reload event", *stats(to_event)))
            rows.append((n, name, "save → new text served", *stats(to_http)))
        if args.hugo:
            rows.append((n, "hugo", "save → new text served", *stats(bench_hugo(args.hugo, str(work / "hugo"), args.edits))))
        shutil.rmtree(work, ignore_errors=True)

    print(f"\nserve mode, {args.edits} one-page edits per run\n")
    print(f"{'pages':>7} {'tool':<9} {'measure':<24} {'median ms':>10} {'p95 ms':>8}")
    for n, tool, what, med, p95 in rows:
        print(f"{n:>7} {tool:<9} {what:<24} {med:>10.1f} {p95:>8.1f}")


if __name__ == "__main__":
    main()
