#!/usr/bin/env python3
"""Site search, what it costs: marrow against Pagefind 1.6.0 on one built site.

    cargo build --release && python3 benches/search_bytes.py            # 10,000 pages
    python3 benches/search_bytes.py -n 1000 --queries 8 --keep          # quick check

One run, in a fresh temporary folder:

1. benches/gen_corpus.py --layout plain --reviewed -n N writes the corpus
   (the team generator's Markdown bodies, plus the site.yaml and the
   `reviewed:` marks benches/compare.py uses), and `marrow build --timings`
   builds it into www/marrow/. Index time = the wall time of the
   "search index" phase marrow prints; index size = all files under
   www/marrow/search/.
2. Pagefind (the platform binary of the npm package pagefind@1.6.0,
   installed into target/bench-tools/ if missing) indexes the same output
   with its default settings: `pagefind --site www/marrow --output-subdir
   pagefind-index`. Index time = wall time of that process; size = all
   files of the bundle it writes (index, fragments, wasm and its UI files).
   Then www/marrow/pagefind-bench.html is added: Pagefind's default UI
   (`pagefind-ui.js`/`.css`) with the debounce of marrow's search box
   (`DELAY` in search.js) and as many results per page as marrow shows
   (`BOX_RESULTS`, formerly `MAX_RESULTS`), so both engines wait as long and
   show as much.
3. One threaded http.server on 127.0.0.1 serves www/ (HTTP/1.1, no
   compression, `Cache-Control: no-cache` so repeated files are revalidated
   with a 304, as Netlify and Cloudflare Pages do; `--max-age S` serves
   them as fresh for S seconds instead). Every engine gets a new
   chromedriver session of Debian's headless Chromium with a new empty
   profile (`--user-data-dir`), then loads its page (marrow's home page; the
   Pagefind page) and waits for the network to go quiet.
4. The queries (QUERIES below; the first --queries of them) are words of
   the corpus vocabulary: single words, two-word queries, prefixes being
   typed, misspellings. Each query is typed by setting the box's value and
   dispatching an `input` event (`--keystroke-ms MS`: one character at a
   time, MS apart). Before each later query the box is cleared and the
   results left to disappear.
   - first query: from clicking into the box (WebDriver element click, so
     the engine's on-focus loading counts) until its results are shown and
     the network is idle; later queries: from setting the value until
     results shown and network idle. Idle = no request of the site in
     flight and none started or finished for 0.5 s.
   - latency: from the moment the query is complete -- the last input
     event plus the debounce -- to the first result link in the DOM while
     the status line names the query (marrow: `.search-result-link`,
     `.search-status`; Pagefind: `.pagefind-ui__result-link`,
     `.pagefind-ui__message`), timed in the page with a MutationObserver.
     A query answered with no result link has no latency (counted apart).

Bytes are Chromium's own count through the DevTools Network domain: the
script opens its own DevTools connection to the browser chromedriver
started (the session's `debuggerAddress`), attaches to the page and, with
Target.setAutoAttach, to every worker it starts, and sums
`Network.loadingFinished.encodedDataLength` (bytes received for a request:
headers and body; 0 from the cache, the headers only for a 304) over the
requests to the local server started in the query's window. Not Resource
Timing: Pagefind 1.6 searches in a Web Worker, whose fetches (index chunks,
wasm) never appear in the page's `performance.getEntriesByType('resource')`.
One correction: for a dedicated worker's own script (pagefind-worker.js)
Chromium 156 reports the headers only in encodedDataLength and the body
with encodedDataLength 0; its body is then counted from `dataLength`
(exact, as the server does not compress). The server counts the bytes it
sends too, and the report checks both totals agree.

The server does not compress, as asked of the benchmark; Pagefind's index
files are gzip-compressed by Pagefind itself, marrow's JSON and pages are
not. So the report adds, as an estimate, what the same requests would
transfer from a server that gzips text types (html, js, json, css, xml,
svg, txt; level 6), and the search UI files each page loads before the box
is used (not counted in the query bytes).

Options: -n N (pages, default 10000), --queries N, --keep (keep the
temporary folder and print its path), --baseline PATH (another marrow
binary, e.g. from before a change: its own output of the same corpus,
indexed and measured the same way in its own fresh profile), --marrow PATH,
--json FILE (every measurement), --keystroke-ms MS, --max-age S.

Needs Python 3.11 (standard library only), /usr/bin/chromium and
/usr/bin/chromedriver (`apt-get install -y chromium chromium-driver`), and
Node/npm for installing Pagefind. No tool downloads a browser.
"""

import argparse
import base64
import functools
import gzip
import http.server
import json
import math
import os
import platform
import re
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
GENERATOR = HERE / "gen_corpus.py"
THEME_SEARCH_JS = REPO / "themes" / "default" / "static" / "search.js"
TOOLS = REPO / "target" / "bench-tools"
PAGEFIND_VERSION = "1.6.0"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROME_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1280,900",
]
QUIET_S = 0.5  # the network counts as idle after this long without a request event
QUERY_TIMEOUT_S = 30

# Words of the corpus vocabulary (benches/gen_corpus.py: NOUNS, VERBS, ADJS,
# section topics, the "On a cold start," connector). Mixed kinds in order,
# so the first --queries N still mix them.
QUERIES = [
    ("word", "cache"),
    ("two words", "stale cache"),
    ("prefix", "sched"),
    ("misspelling", "latancy"),
    ("word", "histogram"),
    ("two words", "retry backoff"),
    ("prefix", "throug"),
    ("misspelling", "sheduler"),
    ("word", "serializes"),
    ("two words", "incremental build"),
    ("prefix", "permal"),
    ("word", "deterministic"),
    ("two words", "concurrent worker"),
    ("misspelling", "partiton"),
    ("word", "troubleshooting"),
    ("two words", "lazy iterator"),
    ("word", "allocator"),
    ("prefix", "compr"),
    ("misspelling", "bandwith"),
    ("two words", "cold start"),
]

# How each engine's page is driven: marrow's hooks are only these selectors
# and the search/ folder, so they survive a rewrite of search.js.
MARROW_UI = {
    "input": "input[type=search]",
    "link": ".search-results a.search-result-link",
    "status": ".search-status",
}
PAGEFIND_UI = {
    "input": ".pagefind-ui__search-input",
    "link": ".pagefind-ui__result-link",
    "status": ".pagefind-ui__message",
}

TEXT_TYPES = {".html", ".js", ".mjs", ".json", ".css", ".xml", ".svg", ".txt"}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- files

def tree_size(path):
    """(bytes, files) of every file under path."""
    total = files = 0
    for f in Path(path).rglob("*"):
        if f.is_file():
            total += f.stat().st_size
            files += 1
    return total, files


def js_constant(name, *files):
    """The integer `name = N` of the first of files that sets it."""
    for f in files:
        if f and Path(f).is_file():
            m = re.search(rf"\b{name}\s*=\s*(\d+)", Path(f).read_text(encoding="utf-8"))
            if m:
                return int(m.group(1)), Path(f)
    return None, None


# ---------------------------------------------------------------- tools

def marrow_version(exe):
    out = subprocess.run([str(exe), "--version"], capture_output=True, text=True).stdout.split()
    return out[-1] if out else "?"


BINARY_SOURCES = ["src", "themes", "Cargo.toml", "Cargo.lock", "build.rs"]


def git_rev():
    """The last commit that changed what target/release/marrow is built
    from (benches/ changes do not count), +dirty if they have changes."""
    r = subprocess.run(["git", "-C", str(REPO), "log", "-1", "--format=%h", "--", *BINARY_SOURCES],
                       capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no",
                            "--", *BINARY_SOURCES], capture_output=True, text=True).stdout.strip()
    return (r.stdout.strip() + ("+dirty" if dirty else "")) if r.returncode == 0 else "?"


def pagefind_binary():
    """The platform binary the npm package carries, installed if missing."""
    def found():
        for pattern in ("node_modules/@pagefind/*/bin/pagefind_extended",
                        "node_modules/@pagefind/*/bin/pagefind"):
            for p in sorted(TOOLS.glob(pattern)):
                if os.access(p, os.X_OK):
                    return p
        p = TOOLS / "node_modules" / ".bin" / "pagefind"
        return p if p.exists() else None

    def version(p):
        out = subprocess.run([str(p), "--version"], capture_output=True, text=True).stdout
        return out.split()[-1] if out.split() else "?"

    exe = found()
    if exe is None or version(exe) != PAGEFIND_VERSION:
        if not shutil.which("npm"):
            sys.exit("npm not found: it installs Pagefind (apt-get install -y npm)")
        log(f"installing pagefind@{PAGEFIND_VERSION} into {TOOLS} ...")
        TOOLS.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "i", "--prefix", str(TOOLS), f"pagefind@{PAGEFIND_VERSION}"],
                       check=True, stdout=subprocess.DEVNULL)
        exe = found()
        if exe is None:
            sys.exit(f"pagefind not found under {TOOLS} after npm install")
    v = version(exe)
    if v != PAGEFIND_VERSION:
        sys.exit(f"{exe} is pagefind {v}, not {PAGEFIND_VERSION}")
    return exe


def chromium_version():
    out = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    return out or "?"


# ---------------------------------------------------------------- building

PHASE_RE = re.compile(r"^\s*([\d.]+) ms\s+([\d.]+) ms CPU\s+(.+?)\s*$")


def build_marrow(exe, site, out):
    """Runs `marrow build --timings`; returns the search-index phase and
    the whole build's wall time."""
    t = time.perf_counter()
    r = subprocess.run([str(exe), "build", "--root", str(site), "--output", str(out), "--timings"],
                       capture_output=True, text=True)
    wall = time.perf_counter() - t
    if r.returncode != 0:
        sys.exit(f"marrow build failed ({exe}):\n{r.stdout}\n{r.stderr}")
    phases = {}
    for line in r.stderr.splitlines():
        m = PHASE_RE.match(line)
        if m:
            phases[m.group(3)] = (float(m.group(1)) / 1000, float(m.group(2)) / 1000)
    search = phases.get("search index")
    if search is None:
        named = [k for k in phases if "search" in k.lower()]
        if len(named) != 1:
            sys.exit(f"no 'search index' phase in the --timings output of {exe}:\n{r.stderr}")
        search = phases[named[0]]
    if not (out / "search").is_dir():
        sys.exit(f"{exe} wrote no search/ folder into {out}")
    return {"index_s": search[0], "index_cpu_s": search[1], "build_s": wall,
            "report": r.stdout.strip()}


def run_pagefind(exe, out):
    t = time.perf_counter()
    r = subprocess.run([str(exe), "--site", str(out), "--output-subdir", "pagefind-index"],
                       capture_output=True, text=True)
    wall = time.perf_counter() - t
    if r.returncode != 0:
        sys.exit(f"pagefind failed:\n{r.stdout}\n{r.stderr}")
    pages = re.search(r"Indexed (\d+) pages", r.stdout)
    return {"index_s": wall, "indexed_pages": int(pages.group(1)) if pages else None}


PAGEFIND_PAGE = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Pagefind: search bench</title>
<link rel="stylesheet" href="pagefind-index/pagefind-ui.css">
<script src="pagefind-index/pagefind-ui.js"></script>
</head>
<body>
<div id="search"></div>
<script>
window.addEventListener("DOMContentLoaded", function () {{
  new PagefindUI({{ element: "#search", debounceTimeoutMs: {delay}, pageSize: {page_size}, baseUrl: "{base}" }});
}});
</script>
</body>
</html>
"""


# ---------------------------------------------------------------- HTTP server

class Served:
    """What the server sent, request by request: (path, bytes with headers)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.log = []

    def add(self, path, n):
        with self.lock:
            self.log.append((path, n))

    def mark(self):
        with self.lock:
            return len(self.log)

    def since(self, mark):
        with self.lock:
            return list(self.log[mark:])


class CountingWriter:
    def __init__(self, raw):
        self.raw, self.count = raw, 0

    def write(self, data):
        self.count += len(data)
        return self.raw.write(data)

    def flush(self):
        self.raw.flush()

    def __getattr__(self, name):
        return getattr(self.raw, name)


def start_server(root, max_age, served):
    cache = f"max-age={max_age}" if max_age > 0 else "no-cache"

    class Handler(http.server.SimpleHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self):
            super().setup()
            self.wfile = CountingWriter(self.wfile)

        def handle_one_request(self):
            before = self.wfile.count
            self.path = None
            super().handle_one_request()
            if self.path is not None:
                self.wfile.flush()
                served.add(self.path, self.wfile.count - before)

        def end_headers(self):
            self.send_header("Cache-Control", cache)
            super().end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


# ---------------------------------------------------------------- DevTools

class DevTools:
    """A minimal DevTools Protocol client over a WebSocket (RFC 6455),
    recording the network requests of one page and of its workers."""

    def __init__(self, ws_url, origin):
        u = urllib.parse.urlparse(ws_url)
        self.sock = socket.create_connection((u.hostname, u.port), timeout=30)
        self.sock.settimeout(None)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((
            f"GET {u.path} HTTP/1.1\r\nHost: {u.hostname}:{u.port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode())
        buf = b""
        while b"\r\n\r\n" not in buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("DevTools closed the connection")
            buf += chunk
        head, self.buf = buf.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError(f"DevTools refused the WebSocket: {head[:200]!r}")
        self.origin = origin
        self.send_lock = threading.Lock()
        self.cond = threading.Condition()
        self.next_id = 0
        self.replies = {}
        # requestId -> what was seen of the request (see _event), under cond
        self.requests = {}
        self.wire_status = {}
        self.seq = 0
        self.last_event = time.monotonic()
        self.closed = False
        self.reader = threading.Thread(target=self._read_loop, daemon=True)
        self.reader.start()

    # -- WebSocket framing
    def _take(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise EOFError
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def _read_frame(self):
        b0, b1 = self._take(2)
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack(">H", self._take(2))[0]
        elif n == 127:
            n = struct.unpack(">Q", self._take(8))[0]
        mask = self._take(4) if b1 & 0x80 else None
        data = self._take(n)
        if mask:
            data = bytes(c ^ mask[i & 3] for i, c in enumerate(data))
        return bool(b0 & 0x80), b0 & 0x0F, data

    def _write_frame(self, opcode, data):
        mask = os.urandom(4)
        n = len(data)
        if n < 126:
            head = struct.pack(">BB", 0x80 | opcode, 0x80 | n)
        elif n < 1 << 16:
            head = struct.pack(">BBH", 0x80 | opcode, 0x80 | 126, n)
        else:
            head = struct.pack(">BBQ", 0x80 | opcode, 0x80 | 127, n)
        masked = bytes(c ^ mask[i & 3] for i, c in enumerate(data))
        with self.send_lock:
            self.sock.sendall(head + mask + masked)

    def _read_loop(self):
        parts = []
        try:
            while True:
                fin, op, data = self._read_frame()
                if op == 8:
                    break
                if op == 9:
                    self._write_frame(10, data)
                    continue
                if op not in (0, 1, 2):
                    continue
                parts.append(data)
                if not fin:
                    continue
                msg = json.loads(b"".join(parts))
                parts = []
                if "id" in msg:
                    with self.cond:
                        self.replies[msg["id"]] = msg
                        self.cond.notify_all()
                else:
                    self._event(msg)
        except (EOFError, OSError, ValueError):
            pass
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    # -- commands
    def send(self, method, params=None, session=None):
        with self.cond:
            self.next_id += 1
            i = self.next_id
        msg = {"id": i, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self._write_frame(1, json.dumps(msg).encode())
        return i

    def call(self, method, params=None, session=None, timeout=30):
        i = self.send(method, params, session)
        with self.cond:
            if not self.cond.wait_for(lambda: i in self.replies or self.closed, timeout):
                raise TimeoutError(f"DevTools: no answer to {method}")
            if i not in self.replies:
                raise ConnectionError("DevTools connection closed")
            reply = self.replies.pop(i)
        if "error" in reply:
            raise RuntimeError(f"DevTools {method}: {reply['error']}")
        return reply.get("result", {})

    AUTO_ATTACH = {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": True}

    def watch_page(self):
        """Attaches to the browser's page and, through auto-attach, to every
        worker or frame it starts, with the Network domain on in each."""
        pages = [t for t in self.call("Target.getTargets")["targetInfos"] if t["type"] == "page"]
        if len(pages) != 1:
            raise RuntimeError(f"expected one page target, found {len(pages)}")
        s = self.call("Target.attachToTarget", {"targetId": pages[0]["targetId"], "flatten": True})
        session = s["sessionId"]
        self.call("Network.enable", {}, session)
        self.call("Target.setAutoAttach", self.AUTO_ATTACH, session)

    # -- events (reader thread: send only, never call)
    def _event(self, msg):
        method, p = msg.get("method"), msg.get("params", {})
        if method == "Target.attachedToTarget":
            child = p["sessionId"]
            # A new worker waits for us: watch its network, then let it run.
            self.send("Network.enable", {}, child)
            self.send("Target.setAutoAttach", self.AUTO_ATTACH, child)
            self.send("Runtime.runIfWaitingForDebugger", {}, child)
            return
        if not method or not method.startswith("Network."):
            return
        rid = p.get("requestId")
        with self.cond:
            if method == "Network.responseReceivedExtraInfo":
                # may come before the request it belongs to
                self.wire_status[rid] = p.get("statusCode")
                return
            r = self.requests.get(rid)
            if method == "Network.requestWillBeSent":
                url = p["request"]["url"]
                if r is not None and "redirectResponse" in p:
                    r["redirects"] += p["redirectResponse"].get("encodedDataLength", 0) or 0
                    r["url"] = url
                elif r is None and url.startswith(self.origin):
                    self.seq += 1
                    self.requests[rid] = {"id": rid, "url": url, "seq": self.seq, "done": False,
                                          "failed": False, "status": None, "cached": False,
                                          "headers": 0, "data": 0, "finished": 0, "redirects": 0}
                else:
                    return
            elif r is None:
                return
            elif method == "Network.responseReceived":
                r["status"] = p["response"].get("status")
                r["headers"] = p["response"].get("encodedDataLength", 0) or 0
                r["cached"] = r["cached"] or bool(p["response"].get("fromDiskCache"))
            elif method == "Network.requestServedFromCache":
                r["cached"] = True
            elif method == "Network.dataReceived":
                r["data"] += p.get("dataLength", 0) or 0
            elif method == "Network.loadingFinished":
                if not r["done"]:
                    r["finished"] = p.get("encodedDataLength", 0) or 0
                    r["done"] = True
            elif method == "Network.loadingFailed":
                r["done"] = r["failed"] = True
            else:
                return
            self.last_event = time.monotonic()

    def _bytes(self, r):
        """Bytes received for r: loadingFinished's encodedDataLength, except
        where Chromium leaves the body out of it (a dedicated worker's own
        script: the headers only, its body reported with encodedDataLength
        0). A body that came over the wire is counted then, from dataLength
        (exact here: the server does not compress)."""
        b = r["finished"]
        wire = self.wire_status.get(r["id"])
        if (not r["cached"] and wire == 200 and r["status"] == 200 and r["data"] > 0
                and b <= r["headers"]):
            r["corrected"] = True
            b = r["headers"] + r["data"]
        return b + r["redirects"]

    # -- accounting
    def mark(self):
        with self.cond:
            return self.seq

    def since(self, mark):
        with self.cond:
            out = []
            for r in self.requests.values():
                if r["seq"] > mark:
                    out.append(dict(r, bytes=self._bytes(r)))
        return sorted(out, key=lambda r: r["seq"])

    def wait_idle(self, quiet=QUIET_S, timeout=QUERY_TIMEOUT_S):
        """Waits until no request is in flight and none started or ended
        for `quiet` seconds; returns False on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.cond:
                busy = any(not r["done"] for r in self.requests.values())
                calm = time.monotonic() - self.last_event
            if not busy and calm >= quiet:
                return True
            time.sleep(0.05)
        return False

    def close(self):
        try:
            self._write_frame(8, b"")
        except OSError:
            pass
        self.sock.close()


# ---------------------------------------------------------------- WebDriver

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


class WebDriverError(RuntimeError):
    pass


class Driver:
    """chromedriver, spoken to with plain WebDriver HTTP calls."""

    def __init__(self, log_path):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.log_file = open(log_path, "wb")
        self.proc = subprocess.Popen([CHROMEDRIVER, f"--port={port}"],
                                     stdout=self.log_file, stderr=subprocess.STDOUT)
        self.base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                if self.request("GET", "/status").get("ready"):
                    break
            except (OSError, WebDriverError):
                pass
            if time.monotonic() > deadline or self.proc.poll() is not None:
                sys.exit("chromedriver did not start")
            time.sleep(0.1)

    def request(self, method, path, body=None, timeout=120):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                value = json.load(r).get("value")
        except urllib.error.HTTPError as e:
            try:
                value = json.load(e).get("value")
            except ValueError:
                raise WebDriverError(f"{method} {path}: HTTP {e.code}") from None
        if isinstance(value, dict) and "error" in value:
            raise WebDriverError(f"{method} {path}: {value['error']}: {value.get('message', '')[:500]}")
        return value

    def quit(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log_file.close()


class Session:
    def __init__(self, driver, profile):
        self.driver = driver
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM,
                                   "args": CHROME_FLAGS + [f"--user-data-dir={profile}"]},
        }}}
        value = driver.request("POST", "/session", caps)
        self.id = value["sessionId"]
        self.debugger = value["capabilities"]["goog:chromeOptions"]["debuggerAddress"]
        self.call("POST", "/timeouts", {"script": QUERY_TIMEOUT_S * 2 * 1000, "pageLoad": 120000})

    def call(self, method, path, body=None):
        return self.driver.request(method, f"/session/{self.id}{path}", body)

    def goto(self, url):
        self.call("POST", "/url", {"url": url})

    def js(self, script, *args):
        return self.call("POST", "/execute/sync", {"script": script, "args": list(args)})

    def js_async(self, script, *args):
        return self.call("POST", "/execute/async", {"script": script, "args": list(args)})

    def click(self, css):
        el = self.call("POST", "/element", {"using": "css selector", "value": css})
        self.call("POST", f"/element/{el[ELEMENT]}/click", {})

    def wait_for(self, script, what, timeout=30, *args):
        deadline = time.monotonic() + timeout
        while True:
            try:
                v = self.js(script, *args)
            except WebDriverError:
                v = None
            if v:
                return v
            if time.monotonic() > deadline:
                raise TimeoutError(f"timed out waiting for {what}")
            time.sleep(0.05)

    def close(self):
        try:
            self.call("DELETE", "")
        except (WebDriverError, OSError):
            pass


# Types the query (value + `input` event, optionally one character at a
# time) and leaves a MutationObserver noting when the status first names the
# query and when a result link is first in the DOM while it does.
TYPE_JS = r"""
const [query, keyMs, ui, done] = arguments;
const input = document.querySelector(ui.input);
const wanted = query.toLowerCase();
const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const b = { typedAt: null, linkAt: null, statusAt: null };
b.statusText = () => { const s = document.querySelector(ui.status); return s ? s.textContent.trim() : ""; };
b.check = () => {
  if (b.typedAt === null || b.linkAt !== null) return;
  if (!b.statusText().toLowerCase().includes(wanted)) return;
  const now = performance.now();
  if (b.statusAt === null) b.statusAt = now;
  if (document.querySelector(ui.link)) b.linkAt = now;
};
b.observer = new MutationObserver(b.check);
b.observer.observe(document.documentElement,
  { subtree: true, childList: true, characterData: true, attributes: true });
window.__searchBench = b;
(async () => {
  const steps = keyMs > 0 ? Array.from(query, (_, i) => query.slice(0, i + 1)) : [query];
  for (let i = 0; i < steps.length; i++) {
    if (i) await sleep(keyMs);
    setValue.call(input, steps[i]);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    b.typedAt = performance.now();
  }
  b.check();
  done(true);
})().catch((e) => done({ error: String(e) }));
"""

# Where the query stands: 'link' (a result link shown), 'status' (the status
# names the query, no link yet) or null; `final` also stops the observer.
POLL_JS = r"""
const [ui, delay, final] = arguments;
const b = window.__searchBench;
b.check();
if (final) b.observer.disconnect();
const complete = b.typedAt + delay;
return {
  state: b.linkAt !== null ? "link" : b.statusAt !== null ? "status" : null,
  latency_ms: b.linkAt === null ? null : b.linkAt - complete,
  status_ms: b.statusAt === null ? null : b.statusAt - complete,
  status_age_ms: b.statusAt === null ? 0 : performance.now() - b.statusAt,
  status: b.statusText(),
  links: document.querySelectorAll(ui.link).length,
};
"""

CLEAR_JS = r"""
const [ui] = arguments;
const input = document.querySelector(ui.input);
const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
setValue.call(input, "");
input.dispatchEvent(new Event("input", { bubbles: true }));
"""

CLEARED_JS = r"""
const [ui, last] = arguments;
const s = document.querySelector(ui.status);
return !document.querySelector(ui.link) && !(s && s.textContent.toLowerCase().includes(last.toLowerCase()));
"""

READY_JS = r"""
const [ui] = arguments;
const input = document.querySelector(ui.input);
return document.readyState === "complete" && !!input && input.getClientRects().length > 0;
"""


# ---------------------------------------------------------------- measuring

class GzipSizes:
    """What a gzip-compressing server would send for a file of www/."""

    def __init__(self, root, base):
        self.root, self.base, self.cache = Path(root), base, {}

    def body(self, url):
        path = urllib.parse.unquote(urllib.parse.urlparse(url).path)
        f = self.root / path.lstrip("/")
        if f.is_dir():
            f = f / "index.html"
        if f not in self.cache:
            if not f.is_file():
                self.cache[f] = None
            else:
                data = f.read_bytes()
                gz = len(gzip.compress(data, 6)) if f.suffix in TEXT_TYPES else len(data)
                self.cache[f] = (len(data), min(gz, len(data)))
        return self.cache[f]

    def estimate(self, r):
        """Bytes of request r had the server gzipped text: its headers as
        received plus the compressed body (unchanged for 304s and cache hits)."""
        sizes = self.body(r["url"])
        if r["status"] != 200 or sizes is None or r["bytes"] < sizes[0]:
            return r["bytes"]
        raw, gz = sizes
        return r["bytes"] - raw + gz


def measure_engine(driver, label, page_url, ui, delay, queries, args, work, origin, gz,
                   ui_assets, served):
    """One fresh browser profile: loads page_url, runs every query."""
    profile = Path(tempfile.mkdtemp(prefix=f"profile-{label.split()[0].lower()}-", dir=work))
    session = Session(driver, profile)
    tools = None
    try:
        ver = json.load(urllib.request.urlopen(f"http://{session.debugger}/json/version", timeout=10))
        tools = DevTools(ver["webSocketDebuggerUrl"], origin)
        tools.watch_page()
        start = tools.mark()
        session.goto(page_url)
        session.wait_for(READY_JS, f"the search box of {page_url}", 60, ui)
        if not tools.wait_idle(timeout=60):
            log(f"  {label}: the page load did not go quiet")
        loaded = tools.since(start)
        page_load = {
            "bytes": sum(r["bytes"] for r in loaded),
            "ui_bytes": sum(r["bytes"] for r in loaded if ui_assets(r["url"])),
            "ui_gzip_bytes": sum(gz.estimate(r) for r in loaded if ui_assets(r["url"])),
            "ui_files": [r["url"][len(origin):] for r in loaded if ui_assets(r["url"])],
        }
        results = []
        for i, (kind, q) in enumerate(queries):
            if i > 0:
                session.js(CLEAR_JS, ui)
                try:
                    session.wait_for(CLEARED_JS, "the results to clear", 10, ui, queries[i - 1][1])
                except TimeoutError:
                    log(f"  {label}: results of {queries[i - 1][1]!r} did not clear")
                tools.wait_idle()
            mark = tools.mark()
            server_mark = served.mark()
            if i == 0:
                session.click(ui["input"])
            typed = session.js_async(TYPE_JS, q, args.keystroke_ms, ui)
            if typed is not True:
                sys.exit(f"{label}: typing {q!r} failed in the page: {typed}")
            # Answered: a result link shown; or the status has named the
            # query for a second and no link has come with the network idle
            # (no results).
            deadline = time.monotonic() + QUERY_TIMEOUT_S
            timed_out = False
            while True:
                poll = session.js(POLL_JS, ui, delay, False)
                if poll["state"] == "link":
                    break
                if (poll["state"] == "status" and poll["status_age_ms"] > 1000
                        and tools.wait_idle(timeout=0.01 + QUIET_S)):
                    if session.js(POLL_JS, ui, delay, False)["state"] == "status":
                        break
                if time.monotonic() > deadline:
                    timed_out = True
                    break
                time.sleep(0.02)
            idle = tools.wait_idle()
            reqs = tools.since(mark)
            answer = session.js(POLL_JS, ui, delay, True)
            answer["timed_out"] = timed_out
            row = {
                "kind": kind, "query": q, "first": i == 0,
                "bytes": sum(r["bytes"] for r in reqs),
                "gzip_bytes": sum(gz.estimate(r) for r in reqs),
                "requests": len(reqs),
                "corrected": sum(1 for r in reqs if r.get("corrected")),
                "server_bytes": sum(b for _, b in served.since(server_mark)),
                "server_requests": len(served.since(server_mark)),
                "failed": sum(1 for r in reqs if r["failed"] or (r["status"] or 200) >= 400),
                "idle": idle,
                "files": [[r["url"][len(origin):], r["status"], r["bytes"]] for r in reqs],
                **answer,
            }
            results.append(row)
            lat = "no link" if row["latency_ms"] is None else f"{row['latency_ms']:.0f} ms"
            log(f"  {label:<16} {q!r:<22} {row['bytes'] / 1000:>9.1f} kB in {row['requests']:>3} "
                f"requests, {lat:>8}, {row['links']} links, status {row['status'][:60]!r}")
            if answer["timed_out"]:
                log(f"  {label}: no answer to {q!r} within {QUERY_TIMEOUT_S} s")
        return {"page_load": page_load, "queries": results}
    finally:
        if tools:
            tools.close()
        session.close()


# ---------------------------------------------------------------- report

def p95(xs):
    s = sorted(xs)
    return s[max(0, math.ceil(0.95 * len(s)) - 1)]


def summarize(e):
    qs = e["queries"]
    first, later = qs[0], qs[1:]
    lat = [q["latency_ms"] for q in later if q["latency_ms"] is not None]
    lb = [q["bytes"] for q in later]
    lg = [q["gzip_bytes"] for q in later]
    return {
        "first_bytes": first["bytes"], "first_gzip": first["gzip_bytes"],
        "first_ms": first["latency_ms"],
        "later_med": statistics.median(lb) if lb else None, "later_max": max(lb) if lb else None,
        "later_gzip_med": statistics.median(lg) if lg else None,
        "later_gzip_max": max(lg) if lg else None,
        "lat_med": statistics.median(lat) if lat else None, "lat_p95": p95(lat) if lat else None,
        "no_link": sum(1 for q in qs if q["latency_ms"] is None),
        "total_bytes": sum(q["bytes"] for q in qs),
        "server_total": sum(q["server_bytes"] for q in qs),
        "requests": sum(q["requests"] for q in qs),
        "server_requests": sum(q["server_requests"] for q in qs),
        "corrected": sum(q["corrected"] for q in qs),
    }


def kb(b):
    return "-" if b is None else f"{b / 1000:.1f}"


def ms(x):
    return "-" if x is None else f"{x:.0f}"


def ratio(a, b):
    return "-" if a is None or b in (None, 0) else f"{a / b:.2f}x"


def print_report(meta, engines, out):
    w = out.write
    w(f"Site search at {meta['pages']} pages: marrow against Pagefind {PAGEFIND_VERSION}, one run on "
      f"the same built output\n")
    w(f"date {meta['date']}; {meta['machine']}, {meta['cpus']} CPUs, load average at the end "
      f"{' '.join(map(str, meta['load']))}; {meta['chromium']}\n")
    w(f"corpus: benches/gen_corpus.py --layout plain --reviewed -n {meta['pages']} "
      f"({meta['html_pages']} HTML pages written by marrow)\n")
    w(f"queries: {len(meta['queries'])} ({', '.join(sorted(set(k for k, _ in meta['queries'])))}); "
      f"debounce {meta['delay']} ms (DELAY in {meta['delay_from']}); {meta['page_size']} results shown "
      f"by each; typing: {'one character every %d ms' % meta['keystroke_ms'] if meta['keystroke_ms'] else 'whole query at once'}\n")
    w(f"server: http.server on 127.0.0.1, HTTP/1.1, no compression, Cache-Control: {meta['cache']}\n")
    w("bytes: DevTools Network domain, page and its workers: loadingFinished encodedDataLength "
      "(headers + body)\n\n")

    head = (f"{'engine':<34} {'index s':>8} {'index MB':>9} {'files':>6} {'first kB':>9} "
            f"{'later kB med':>12} {'max':>8} {'first ms':>8} {'later ms med':>12} {'p95':>5} "
            f"{'no link':>7}")
    w(head + "\n" + "-" * len(head) + "\n")
    for e in engines:
        s = e["summary"]
        w(f"{e['label']:<34} {e['index_s']:>8.2f} {e['index_bytes'] / 1e6:>9.2f} {e['index_files']:>6} "
          f"{kb(s['first_bytes']):>9} {kb(s['later_med']):>12} {kb(s['later_max']):>8} "
          f"{ms(s['first_ms']):>8} {ms(s['lat_med']):>12} {ms(s['lat_p95']):>5} {s['no_link']:>7}\n")
    w("\nindex s: marrow's \"search index\" build phase (wall); Pagefind: the whole `pagefind` run.\n")
    w("first: from clicking into the box to the first query's results, network idle; later: each\n")
    w("later query, box cleared before it. ms: query complete (last input + debounce) to the first\n")
    w("result link in the DOM; 'later' medians and p95 over later queries with a result link;\n")
    w("no link: queries (of all) answered without any result link.\n")

    pf = next(e for e in engines if e["kind"] == "pagefind")
    w(f"\nmarrow / Pagefind (below 1.00x: marrow is smaller or faster)\n")
    head = (f"{'engine':<34} {'index s':>8} {'index size':>10} {'first kB':>9} {'later med':>10} "
            f"{'later max':>10} {'first ms':>9} {'later ms':>9} {'p95':>6}")
    w(head + "\n" + "-" * len(head) + "\n")
    for e in engines:
        if e["kind"] != "marrow":
            continue
        s, t = e["summary"], pf["summary"]
        w(f"{e['label']:<34} {ratio(e['index_s'], pf['index_s']):>8} "
          f"{ratio(e['index_bytes'], pf['index_bytes']):>10} "
          f"{ratio(s['first_bytes'], t['first_bytes']):>9} {ratio(s['later_med'], t['later_med']):>10} "
          f"{ratio(s['later_max'], t['later_max']):>10} {ratio(s['first_ms'], t['first_ms']):>9} "
          f"{ratio(s['lat_med'], t['lat_med']):>9} {ratio(s['lat_p95'], t['lat_p95']):>6}\n")

    w("\nIf the server gzipped text types (estimate: the same requests, bodies gzip -6 where the file\n")
    w("is html/js/json/css/xml/svg/txt; Pagefind's index files are already compressed)\n")
    head = f"{'engine':<34} {'first kB':>9} {'later kB med':>12} {'max':>8}   search UI loaded with the page"
    w(head + "\n" + "-" * len(head) + "\n")
    for e in engines:
        s, pl = e["summary"], e["result"]["page_load"]
        w(f"{e['label']:<34} {kb(s['first_gzip']):>9} {kb(s['later_gzip_med']):>12} "
          f"{kb(s['later_gzip_max']):>8}   {kb(pl['ui_bytes'])} kB ({kb(pl['ui_gzip_bytes'])} kB gzipped): "
          f"{', '.join(f.rsplit('/', 1)[-1] for f in pl['ui_files']) or '-'}\n")
    w("(the search UI files are fetched with the page, before the box is used: not in the figures above)\n")

    w("\nPer query: kB downloaded (requests) / ms to the first result link ('-': none) / links shown\n")
    head = f"{'kind':<12} {'query':<20}" + "".join(f" {e['label'][:26]:>28}" for e in engines)
    w(head + "\n" + "-" * len(head) + "\n")
    for i, (kind, q) in enumerate(meta["queries"]):
        cells = []
        for e in engines:
            r = e["result"]["queries"][i]
            cells.append(f"{kb(r['bytes'])} ({r['requests']}) / {ms(r['latency_ms'])} / {r['links']}")
        w(f"{kind:<12} {q:<20}" + "".join(f" {c:>28}" for c in cells) + "\n")
    w("\nindex size: marrow: search/ (" + ", ".join(
        f"{e['label']}: {e['index_files']} files" for e in engines if e["kind"] == "marrow") + "); ")
    w(f"Pagefind: the whole bundle, {pf['index_files']} files, of which its UI scripts and styles "
      f"(*.js, *.css) {pf['ui_bundle_bytes'] / 1e6:.2f} MB; Pagefind indexed {pf['indexed_pages']} "
      f"pages (every HTML file, whole <body>: marrow's theme has no data-pagefind-body).\n")
    for e in engines:
        if e["kind"] == "marrow":
            w(f"{e['label']}: {e['binary']}: {e['report']} (whole build {e['build_s']:.2f} s)\n")
    w("\ncheck, all queries: bytes Chromium counted / bytes the server sent (requests)\n")
    for e in engines:
        s = e["summary"]
        fixed = (f"; {s['corrected']} worker script(s) whose body Chromium leaves out of "
                 f"encodedDataLength counted from dataLength") if s["corrected"] else ""
        w(f"  {e['label']:<32} {s['total_bytes']:>10} / {s['server_total']:>10} "
          f"({s['requests']} / {s['server_requests']}){fixed}\n")


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=10000, help="pages in the corpus (default 10000)")
    ap.add_argument("--queries", type=int, default=len(QUERIES),
                    help=f"how many of the {len(QUERIES)} queries to run (default all)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (corpus, outputs)")
    ap.add_argument("--marrow", type=Path, default=REPO / "target" / "release" / "marrow",
                    help="marrow binary (default target/release/marrow)")
    ap.add_argument("--baseline", type=Path, metavar="PATH",
                    help="another marrow binary to measure the same way (before/after)")
    ap.add_argument("--json", type=Path, metavar="FILE", help="also write every measurement to FILE")
    ap.add_argument("--keystroke-ms", type=int, default=0, metavar="MS",
                    help="type one character every MS ms instead of the whole query at once")
    ap.add_argument("--max-age", type=int, default=0, metavar="S",
                    help="serve files as fresh for S seconds (default: no-cache, revalidate)")
    args = ap.parse_args()
    if not 1 <= args.queries <= len(QUERIES):
        ap.error(f"--queries must be 1..{len(QUERIES)}")
    if args.n < 1:
        ap.error("-n must be >= 1")
    for exe in [args.marrow] + ([args.baseline] if args.baseline else []):
        if not exe.is_file():
            sys.exit(f"{exe} not found (cargo build --release, or pass --marrow / --baseline)")
    for tool in (CHROMIUM, CHROMEDRIVER):
        if not Path(tool).exists():
            sys.exit(f"{tool} missing: apt-get install -y chromium chromium-driver")
    queries = QUERIES[:args.queries]
    pagefind = pagefind_binary()

    work = Path(tempfile.mkdtemp(prefix="marrow-search-bytes-"))
    log(f"work dir: {work}")
    www = work / "www"
    www.mkdir()
    driver = None
    server = None
    try:
        site = work / "site"
        log(f"generating {args.n} pages ...")
        subprocess.run([sys.executable, str(GENERATOR), "--layout", "plain", "--reviewed",
                        "-n", str(args.n), "-o", str(site)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        engines = []
        marrows = [("marrow", args.marrow, "marrow")]
        if args.baseline:
            marrows.append(("baseline", args.baseline, "baseline marrow"))
        for key, exe, name in marrows:
            out = www / key
            os.sync()
            log(f"building with {exe} ...")
            built = build_marrow(exe, site, out)
            size, files = tree_size(out / "search")
            delay, delay_from = js_constant("DELAY", out / "search.js", THEME_SEARCH_JS)
            if delay is None:
                sys.exit("cannot read the debounce (DELAY = N) from search.js")
            # The box's number of results (BOX_RESULTS; MAX_RESULTS before
            # the Search issue).
            shown, _ = js_constant("BOX_RESULTS", out / "search.js", THEME_SEARCH_JS)
            if shown is None:
                shown, _ = js_constant("MAX_RESULTS", out / "search.js", THEME_SEARCH_JS)
            version = marrow_version(exe)
            own = exe.resolve() == (REPO / "target" / "release" / "marrow").resolve()
            label = f"{name} {version}" + (f" ({git_rev()})" if own else "")
            engines.append({"key": key, "kind": "marrow", "label": label, "binary": str(exe),
                            "version": version, "index_bytes": size, "index_files": files,
                            "delay": delay, "delay_from": str(delay_from), "page_size": shown or 10,
                            "out": out, **built})
        main_marrow = engines[0]
        delay, page_size = main_marrow["delay"], main_marrow["page_size"]
        html_pages = sum(1 for _ in main_marrow["out"].rglob("*.html"))

        out = main_marrow["out"]
        os.sync()
        log("indexing with Pagefind ...")
        pf = run_pagefind(pagefind, out)
        bundle = out / "pagefind-index"
        size, files = tree_size(bundle)
        ui_bundle = sum(f.stat().st_size for f in bundle.iterdir()
                        if f.is_file() and f.suffix in (".js", ".css"))
        (out / "pagefind-bench.html").write_text(
            PAGEFIND_PAGE.format(delay=delay, page_size=page_size, base=f"/{out.name}/"),
            encoding="utf-8")
        engines.append({"key": "pagefind", "kind": "pagefind", "label": f"Pagefind {PAGEFIND_VERSION}",
                        "binary": str(pagefind), "index_bytes": size, "index_files": files,
                        "ui_bundle_bytes": ui_bundle, **pf})

        served = Served()
        server, origin = start_server(www, args.max_age, served)
        gz = GzipSizes(www, origin)
        driver = Driver(work / "chromedriver.log")
        for e in engines:
            if e["kind"] == "marrow":
                url, ui = f"{origin}/{e['key']}/index.html", MARROW_UI
                prefix = f"{origin}/{e['key']}/"
                assets = lambda u, p=prefix: (u.startswith(p) and "search" in u[len(p):]
                                              and not u.endswith(".html"))
                d = e["delay"]
            else:
                url, ui = f"{origin}/{out.name}/pagefind-bench.html", PAGEFIND_UI
                assets = lambda u: "/pagefind-index/" in u
                d = delay
            log(f"{e['label']}: {len(queries)} queries in a fresh profile ...")
            e["result"] = measure_engine(driver, e["label"], url, ui, d, queries, args, work,
                                         origin, gz, assets, served)
            e["summary"] = summarize(e["result"])

        meta = {
            "pages": args.n, "html_pages": html_pages, "queries": queries,
            "date": time.strftime("%Y-%m-%d %H:%M:%S %z"), "machine": platform.platform(),
            "cpus": os.cpu_count(), "load": [round(x, 1) for x in os.getloadavg()],
            "chromium": chromium_version(), "delay": delay,
            "delay_from": os.path.relpath(main_marrow["delay_from"], work)
            if main_marrow["delay_from"].startswith(str(work)) else
            os.path.relpath(main_marrow["delay_from"], REPO),
            "page_size": page_size, "keystroke_ms": args.keystroke_ms,
            "cache": f"max-age={args.max_age}" if args.max_age > 0 else "no-cache",
        }
        print()
        print_report(meta, engines, sys.stdout)
        if args.json:
            for e in engines:
                e.pop("out", None)
            args.json.write_text(json.dumps({"meta": meta, "engines": engines}, indent=1,
                                            default=str) + "\n")
            print(f"\nevery measurement: {args.json}")
    finally:
        if driver:
            driver.quit()
        if server:
            server.shutdown()
        if args.keep:
            log(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
