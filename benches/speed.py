#!/usr/bin/env python3
"""Speed goals: clean build, rebuilds, check, serve and scale, against Hugo.

    cargo build --release && python3 benches/speed.py            # 10,000 pages
    python3 benches/speed.py --scale                               # + the 100,000-page rows
    python3 benches/speed.py --rows clean,check --runs 5 --no-hugo

Rows (names for --rows):

  clean         `marrow build --output FRESH` / `hugo --quiet -d FRESH`: a clean
                build into a new, empty folder.
  rebuild       the same build again into the folder the clean build just filled,
                nothing changed.
  rebuild-edit  a fresh folder gets one untimed build, then a sentence is appended
                to one page's body (a different page each run) and the build is
                timed into that folder.
  rebuild-loop  the writer's loop: one folder, one untimed build, then RUNS times
                "append a sentence to a page, build" into the same folder, with no
                pause for the filesystem (marrow replaces its output at every build
                and keeps the old one as the next build's starting point, a spare;
                this row keeps that cost in). rebuild-edit's single rebuild has no
                spare yet: it links the unchanged files from the output instead.
  check         `marrow check` on the same corpus, against marrow's clean build
                (Hugo has no check-only command).
  serve-title   `marrow serve` / `hugo server`: a page's title edited (every page's
                navigation changes); time until GET of its section index shows it.
  serve-body    a sentence appended to a page's body; time until GET of the page
                shows it (marrow: also the live-reload event).
  scale         clean builds of the bounded-section corpus (gen_corpus.py
                --section-size K) at N and at SCALE_N pages, alternately: peak RSS
                at SCALE_N and time per page against N.
  serve-first   `marrow serve` on the SCALE_N corpus: time from start until the
                first HTTP 200 for `/`.

Default rows: all but scale and serve-first; --scale adds those two (minutes).

Method (shared with compare.py, whose helpers this imports): one untimed
warm-up build per tool before the build rows (--no-warmup skips it); each timed command
runs in its own helper process (wall, CPU, peak RSS of that command alone);
tools alternate, the order rotating from run to run; every clean build writes
into a fresh empty folder; `sync` before every timed build; earlier outputs are
deleted in batches and the next timed build waits --settle seconds (default 65
on a disk, 0 on tmpfs), and so does the first timed build after a marrow
rebuild, since marrow deletes its previous output when it swaps the new one in.
Edited pages are restored when the script ends. Medians with min-max; ratios
and goals are printed after the table. Standard library only.
"""

import argparse
import hashlib
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import compare  # noqa: E402
import serve_latency  # noqa: E402

REPO = HERE.parent

ROWS = ["clean", "rebuild", "rebuild-edit", "rebuild-loop", "check",
        "serve-title", "serve-body", "scale", "serve-first"]
SCALE_ROWS = ["scale", "serve-first"]
BUILD_ROWS = {"clean", "rebuild", "rebuild-edit", "check"}

MARROW_CORPUS = ["--layout", "plain", "--reviewed"]
HUGO_CORPUS = ["--layout", "hugo", "--reviewed"]

# goals (marrow): ratio limits unless noted
GOAL_REBUILD = 0.15      # x marrow's clean build
GOAL_CHECK = 1.0         # x marrow's clean build
GOAL_SERVE_TITLE_MS = 300
GOAL_SERVE_BODY_MS = 20
GOAL_CLEAN_WALL = 0.10   # x Hugo wall
GOAL_CLEAN_PEAK = 0.20   # x Hugo peak RSS
GOAL_SCALE_PEAK_MIB = 2048
GOAL_SCALE_PER_PAGE = 1.3
GOAL_SERVE_FIRST_S = 10.0


# ---------------------------------------------------------------- helpers

def fs_type(path):
    """The filesystem type of the mount holding path (Linux /proc/mounts)."""
    path = os.path.realpath(path)
    best, kind = "", "?"
    try:
        with open("/proc/mounts") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 3:
                    mnt = parts[1].replace("\\040", " ")
                    if (path == mnt or path.startswith(mnt.rstrip("/") + "/")) and len(mnt) > len(best):
                        best, kind = mnt, parts[2]
    except OSError:
        pass
    return kind


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def content_pages(root):
    return sorted(p for p in (Path(root) / "content").rglob("*.md") if p.name != "_index.md")


class Editor:
    """Edits corpus pages and puts every touched file back at the end."""

    def __init__(self):
        self.original = {}

    def _keep(self, page):
        if page not in self.original:
            self.original[page] = page.read_bytes()

    def append(self, page, marker):
        self._keep(page)
        with open(page, "a", encoding="utf-8") as f:
            f.write(f"\n{marker}\n")

    def retitle(self, page, marker):
        """Appends marker to the page's `title:`; returns the new title."""
        self._keep(page)
        text = page.read_text(encoding="utf-8")
        lines = text.split("\n")
        for k, line in enumerate(lines):
            if line.startswith('title: "') and line.endswith('"'):
                title = line[len('title: "'):-1] + " " + marker
                lines[k] = f'title: "{title}"'
                break
        else:
            sys.exit(f"{page}: no title line")
        page.write_text("\n".join(lines), encoding="utf-8")
        return title

    def restore(self):
        for page, data in self.original.items():
            page.write_bytes(data)
        self.original.clear()


class Picker:
    """A different page for every edit, in a fixed pseudo-random order over
    the sorted page list; the same index is the same page in marrow's and
    Hugo's corpus. Each row starts at its own place in the order."""

    def __init__(self, n_pages, start=0):
        self.order = random.Random(42).sample(range(n_pages), n_pages)
        self.used = start

    def next(self):
        k = self.used
        self.used += 1
        return self.order[k % len(self.order)]


def summary(xs):
    return {"median": statistics.median(xs), "min": min(xs), "max": max(xs), "n": len(xs)}


class Settle:
    """sync, then wait out the filesystem's window after a large deletion
    (the OutputFolders logic of compare.py, also for builds into an existing
    folder)."""

    def __init__(self, outputs):
        self.outputs = outputs

    def deleted(self):
        if self.outputs.SETTLE_S > 0:
            self.outputs.deleted_at = time.monotonic()

    def before_timed(self):
        os.sync()
        o = self.outputs
        if o.deleted_at is not None:
            wait = o.SETTLE_S - (time.monotonic() - o.deleted_at)
            if wait > 0:
                log(f"  (letting the filesystem settle {wait:.0f} s after a large deletion)")
                time.sleep(wait)
            o.deleted_at = None


# ---------------------------------------------------------------- tools

class Marrow:
    kind = "marrow"

    def __init__(self, exe):
        self.exe = exe
        self.version = compare.marrow_version(exe)
        self.label = f"marrow {self.version}"

    def build(self, root, out):
        return [self.exe, "build", "--root", root, "--output", out]

    def check(self, root):
        return [self.exe, "check", "--root", root]

    def serve(self, root, port):
        return [self.exe, "serve", "--root", root, "--port", str(port)]


class Hugo:
    kind = "hugo"

    def __init__(self, exe):
        self.exe = exe
        self.version = compare.hugo_version(exe)
        self.label = f"hugo {self.version}"

    def build(self, root, out):
        return [self.exe, "--quiet", "--source", root, "--destination", out]

    def serve(self, root, port):
        return [self.exe, "server", "--source", root, "--port", str(port), "--bind", "127.0.0.1", "--quiet"]


# ---------------------------------------------------------------- the bench

class Bench:
    def __init__(self, args, work, marrow, hugo):
        self.args, self.work, self.marrow, self.hugo = args, work, marrow, hugo
        self.outputs = compare.OutputFolders(work / "out")
        self.outputs.SETTLE_S = args.settle
        self.settle = Settle(self.outputs)
        self.editor = Editor()
        self.samples = {}   # (row, tool label) -> list of dicts
        self.notes = []     # things not measured, and why
        self.extra = {}

    def add(self, row, tool, **sample):
        self.samples.setdefault((row, tool), []).append(sample)

    def corpus(self, n, gen_args):
        return compare.corpus(self.work, n, gen_args)

    def timed(self, cmd, ok=(0,)):
        self.settle.before_timed()
        return compare.measure_isolated(cmd, ok=ok)

    def tools(self, rows):
        """marrow, and Hugo if it takes part in any of rows (--hugo-rows)."""
        hugo = self.hugo and set(rows) & self.args.hugo_rows
        return [self.marrow] + ([self.hugo] if hugo else [])

    def hugo_skips(self, t, row, run=1):
        return t.kind == "hugo" and (row not in self.args.hugo_rows or run > self.args.hugo_runs)

    # --- clean, rebuild, rebuild-edit, check

    def build_rows(self, rows):
        n, runs = self.args.n, self.args.runs
        tools = self.tools(rows & BUILD_ROWS)
        roots = {t.kind: self.corpus(n, MARROW_CORPUS if t.kind == "marrow" else HUGO_CORPUS) for t in tools}
        pages = {k: content_pages(r) for k, r in roots.items()}
        picker = Picker(len(pages["marrow"]), start=0)
        if not self.args.no_warmup:
            for t in tools:  # untimed: warms the file cache (and Hugo's resources/)
                if t.kind == "hugo" and self.args.no_hugo_warmup:
                    continue
                compare.measure_isolated(t.build(roots[t.kind], self.outputs.fresh(f"{t.kind}-{n}-warmup")))
            log("  build rows: warm-up done")
        for run in range(1, runs + 1):
            k = (run - 1) % len(tools)
            order = tools[k:] + tools[:k]
            idx = picker.next()  # this run's edited page, the same for both tools
            for t in order:
                if self.hugo_skips(t, "clean", run) and self.hugo_skips(t, "rebuild", run) \
                        and self.hugo_skips(t, "rebuild-edit", run):
                    continue
                root = roots[t.kind]
                # clean build into a fresh folder (also the prepared output of `rebuild`)
                out = self.outputs.fresh(f"{t.kind}-{n}-clean-{run}")
                wall, cpu, peak = self.timed(t.build(root, out))
                self.add("clean", t.label, wall_s=wall, cpu_s=cpu, peak_mib=peak)
                if run == 1:
                    size = compare.tree_stats(out)[0]
                    self.outputs.measured(size)
                    self.extra.setdefault("output_bytes", {})[t.label] = size
                # check right after the clean build: no deletion is pending
                if "check" in rows and t.kind == "marrow":
                    wall, cpu, peak = self.timed(t.check(root), ok=(0, 1))
                    self.add("check", t.label, wall_s=wall, cpu_s=cpu, peak_mib=peak)
                if "rebuild" in rows and not self.hugo_skips(t, "rebuild", run):
                    wall, cpu, peak = self.timed(t.build(root, out))
                    self.add("rebuild", t.label, wall_s=wall, cpu_s=cpu, peak_mib=peak)
                    if t.kind == "marrow":
                        self.settle.deleted()
                if "rebuild-edit" in rows and not self.hugo_skips(t, "rebuild-edit", run):
                    out2 = self.outputs.fresh(f"{t.kind}-{n}-edit-{run}")
                    compare.measure_isolated(t.build(root, out2))  # untimed: the existing output
                    page = pages[t.kind][idx]
                    self.editor.append(page, f"Rebuild edit {run} at {time.time_ns()}.")
                    wall, cpu, peak = self.timed(t.build(root, out2))
                    self.add("rebuild-edit", t.label, wall_s=wall, cpu_s=cpu, peak_mib=peak,
                             page=str(page.relative_to(root)))
                    if t.kind == "marrow":
                        self.settle.deleted()
            self.editor.restore()
            log(f"  build rows: run {run}/{runs} done")
        if "check" in rows:
            code = subprocess.run(self.marrow.check(roots["marrow"]), stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL).returncode
            self.extra["check_exit_code"] = code
        self.outputs.delete_all()

    # --- the writer's loop

    def loop_row(self):
        n, runs = self.args.n, self.args.runs
        tools = self.tools(["rebuild-loop"])
        roots = {t.kind: self.corpus(n, MARROW_CORPUS if t.kind == "marrow" else HUGO_CORPUS) for t in tools}
        pages = {k: content_pages(r) for k, r in roots.items()}
        picker = Picker(len(pages["marrow"]), start=1000)  # other pages than rebuild-edit's
        outs = {}
        for t in tools:
            outs[t.kind] = self.outputs.fresh(f"{t.kind}-{n}-loop") / "output"
            compare.measure_isolated(t.build(roots[t.kind], outs[t.kind]))  # untimed first build
        os.sync()
        for run in range(1, runs + 1):
            idx = picker.next()
            for t in tools:
                if self.hugo_skips(t, "rebuild-loop", run):
                    continue
                page = pages[t.kind][idx]
                self.editor.append(page, f"Loop edit {run} at {time.time_ns()}.")
                os.sync()  # no settle: the loop as a writer runs it
                wall, cpu, peak = compare.measure_isolated(t.build(roots[t.kind], outs[t.kind]))
                self.add("rebuild-loop", t.label, wall_s=wall, cpu_s=cpu, peak_mib=peak,
                         page=str(page.relative_to(roots[t.kind])))
            log(f"  rebuild-loop: edit {run}/{runs} done")
        self.editor.restore()
        self.outputs.delete_all()

    # --- serve

    def serve_rows(self, rows):
        n = self.args.n
        for t in self.tools(rows & {"serve-title", "serve-body"}):
            root = self.corpus(n, MARROW_CORPUS if t.kind == "marrow" else HUGO_CORPUS)
            pages = content_pages(root)
            picker = Picker(len(pages), start=2000)
            try:
                self.serve_one(t, root, pages, picker, rows)
            finally:
                self.editor.restore()

    def serve_one(self, t, root, pages, picker, rows):
        port = serve_latency.free_port()
        content = root / "content"
        log(f"  starting {t.label} serve ...")
        t0 = time.perf_counter()
        proc = subprocess.Popen(t.serve(root, port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            up = serve_latency.wait_http(port, "/", "<", timeout=self.args.serve_timeout)
            if up is None:
                self.notes.append(f"{t.label} serve: no page within {self.args.serve_timeout:.0f} s; "
                                  "serve rows not measured")
                return
            self.add("serve-start", t.label, wall_s=up - t0)
            listener = serve_latency.ReloadListener(port) if t.kind == "marrow" else None
            time.sleep(0.5)
            edits = self.args.hugo_edits if t.kind == "hugo" else self.args.edits
            for i in range(edits):
                if "serve-title" in rows and not self.hugo_skips(t, "serve-title"):
                    page = pages[picker.next()]
                    section = "/" + page.parent.relative_to(content).as_posix() + "/"
                    marker = f"Retitled {i} {time.time_ns()}"
                    t_edit = time.perf_counter()
                    self.editor.retitle(page, marker)
                    t_seen = serve_latency.wait_http(port, section, marker, timeout=60)
                    if t_seen is None:
                        self.notes.append(f"{t.label} serve-title: edit {i} not shown on {section} in 60 s")
                    else:
                        self.add("serve-title", t.label, wall_s=t_seen - t_edit, url=section)
                    time.sleep(0.3)
                if "serve-body" in rows and not self.hugo_skips(t, "serve-body"):
                    page = pages[picker.next()]
                    url = serve_latency.url_of(content, page)
                    marker = f"Benchmark sentence {i} at {time.time_ns()}."
                    t_edit = time.perf_counter()
                    self.editor.append(page, marker)
                    t_event = listener.wait_after(t_edit, timeout=60) if listener else None
                    t_seen = serve_latency.wait_http(port, url, marker, timeout=60)
                    if t_seen is None:
                        self.notes.append(f"{t.label} serve-body: edit {i} not shown on {url} in 60 s")
                    else:
                        self.add("serve-body", t.label, wall_s=t_seen - t_edit, url=url)
                    if t_event is not None:
                        self.add("serve-body-event", t.label, wall_s=t_event - t_edit)
                    time.sleep(0.3)
            log(f"  {t.label} serve: {edits} edits done")
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    # --- scale

    def scale_rows(self, rows):
        a = self.args
        gen = MARROW_CORPUS + ["--section-size", str(a.section_size)]
        small = self.corpus(a.n, gen)
        big = self.corpus(a.scale_n, gen)
        if "scale" in rows:
            for run in range(0, a.runs + 1):  # run 0: untimed warm-up of each
                order = [(a.n, small), (a.scale_n, big)]
                if run % 2:
                    order.reverse()
                for n, root in order:
                    out = self.outputs.fresh(f"marrow-scale-{n}-{run}")
                    wall, cpu, peak = self.timed(self.marrow.build(root, out))
                    if run == 0:
                        self.outputs.measured(compare.tree_stats(out)[0])
                    else:
                        self.add(f"scale-{n}", self.marrow.label, wall_s=wall, cpu_s=cpu, peak_mib=peak)
                log(f"  scale: {'warm-up' if run == 0 else f'run {run}/{a.runs}'} done")
            self.outputs.delete_all()
        if "serve-first" in rows:
            for run in range(1, a.runs + 1):
                port = serve_latency.free_port()
                os.sync()
                t0 = time.perf_counter()
                proc = subprocess.Popen(self.marrow.serve(big, port),
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                try:
                    t_up = None
                    deadline = t0 + a.serve_timeout
                    while time.perf_counter() < deadline and proc.poll() is None:
                        try:
                            status, _ = serve_latency.get(port, "/")
                            if status == 200:
                                t_up = time.perf_counter()
                                break
                        except OSError:
                            pass
                        time.sleep(0.002)
                    peak = vm_hwm(proc.pid)
                    if t_up is None:
                        self.notes.append(f"serve-first: no 200 for / within {a.serve_timeout:.0f} s (run {run})")
                    else:
                        self.add("serve-first", self.marrow.label, wall_s=t_up - t0, peak_mib=peak)
                finally:
                    proc.terminate()
                    proc.wait()
                log(f"  serve-first: run {run}/{a.runs} done")


def vm_hwm(pid):
    """Peak RSS so far of a running process, MiB (None where unknown)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


# ---------------------------------------------------------------- report

ROW_TITLES = {
    "clean": "clean build into a new folder",
    "rebuild": "rebuild, nothing changed",
    "rebuild-edit": "rebuild, one page's body changed",
    "rebuild-loop": "rebuild loop (edit, build, same output/)",
    "check": "marrow check",
    "serve-start": "serve: start until first page",
    "serve-title": "serve: title edit -> section page",
    "serve-body": "serve: body edit -> page",
    "serve-body-event": "serve: body edit -> reload event",
    "serve-first": "serve first 200 for /",
}


def med(b, row, label, key="wall_s"):
    s = b.samples.get((row, label))
    vals = [x[key] for x in s or [] if x.get(key) is not None]
    return statistics.median(vals) if vals else None


def report(b, rows):
    a = b.args
    lines = []
    p = lines.append
    m = b.marrow.label
    h = b.hugo.label if b.hugo else None
    p("")
    p(f"Medians over the runs, (min-max); wall time; cpu = user + system; peak = peak RSS. N = {a.n} pages.")
    p("")
    head = f"{'row':<42} {'tool':<14} {'runs':>4} {'median':>10} {'(min-max)':<21} {'cpu s':>7} {'peak MiB':>8}"
    p(head)
    p("-" * len(head))
    order = ["clean", "rebuild", "rebuild-edit", "rebuild-loop", "check", "serve-start",
             "serve-title", "serve-body", "serve-body-event", f"scale-{a.n}", f"scale-{a.scale_n}", "serve-first"]
    for row in order:
        for label in [m] + ([h] if h else []):
            s = b.samples.get((row, label))
            if not s:
                continue
            walls = [x["wall_s"] for x in s]
            ms = row.startswith("serve-") and row != "serve-start" and row != "serve-first"
            unit = (lambda v: f"{v * 1000:.1f} ms") if ms else (lambda v: f"{v:.2f} s")
            rng = f"({unit(min(walls))}-{unit(max(walls))})".replace(" ms-", "-").replace(" s-", "-")
            cpu = [x["cpu_s"] for x in s if x.get("cpu_s") is not None]
            peak = [x["peak_mib"] for x in s if x.get("peak_mib") is not None]
            title = ROW_TITLES.get(row) or (f"scale: clean build, {row[6:]} pages, K={a.section_size}")
            p(f"{title:<42} {label:<14} {len(walls):>4} {unit(statistics.median(walls)):>10} {rng:<21} "
              f"{(f'{statistics.median(cpu):.2f}' if cpu else '-'):>7} "
              f"{(f'{statistics.median(peak):.0f}' if peak else '-'):>8}")

    p("")
    p("Goals (marrow)")
    head = f"{'row':<42} {'measure':<34} {'value':>9} {'goal':>10}  verdict"
    p(head)
    p("-" * len(head))

    def goal(row, measure, value, limit, fmt, unit=""):
        if value is None:
            p(f"{row:<42} {measure:<34} {'-':>9} {('<= ' + fmt.format(limit) + unit):>10}  not measured")
            return
        ok = value <= limit
        p(f"{row:<42} {measure:<34} {fmt.format(value) + unit:>9} {('<= ' + fmt.format(limit) + unit):>10}  "
          f"{'met' if ok else 'MISSED'}")

    def ratio(x, y):
        return x / y if x is not None and y else None

    clean_m = med(b, "clean", m)
    if "clean" in rows or (b.samples.get(("clean", m)) and rows & BUILD_ROWS):
        if h:
            goal("clean build into a new folder", "wall, marrow / hugo", ratio(clean_m, med(b, "clean", h)),
                 GOAL_CLEAN_WALL, "{:.3f}", "x")
            goal("clean build into a new folder", "peak RSS, marrow / hugo",
                 ratio(med(b, "clean", m, "peak_mib"), med(b, "clean", h, "peak_mib")), GOAL_CLEAN_PEAK, "{:.3f}", "x")
        else:
            p(f"{'clean build into a new folder':<42} {'vs hugo':<34} {'-':>9} {'':>10}  not measured (--no-hugo)")
    for row in ("rebuild", "rebuild-edit", "rebuild-loop"):
        if row in rows:
            goal(ROW_TITLES[row], "wall, / marrow clean build", ratio(med(b, row, m), clean_m),
                 GOAL_REBUILD, "{:.3f}", "x")
    if "check" in rows:
        goal("marrow check", "wall, / marrow clean build", ratio(med(b, "check", m), clean_m),
             GOAL_CHECK, "{:.3f}", "x")
    if "serve-title" in rows:
        v = med(b, "serve-title", m)
        goal(ROW_TITLES["serve-title"], "median", v * 1000 if v is not None else None,
             GOAL_SERVE_TITLE_MS, "{:.0f}", " ms")
    if "serve-body" in rows:
        v = med(b, "serve-body", m)
        goal(ROW_TITLES["serve-body"], "median", v * 1000 if v is not None else None,
             GOAL_SERVE_BODY_MS, "{:.1f}", " ms")
    if "scale" in rows:
        peak = med(b, f"scale-{a.scale_n}", m, "peak_mib")
        goal(f"scale: clean build, {a.scale_n} pages", "peak RSS", peak, GOAL_SCALE_PEAK_MIB, "{:.0f}", " MiB")
        small, big = med(b, f"scale-{a.n}", m), med(b, f"scale-{a.scale_n}", m)
        per = ratio(big / a.scale_n if big else None, small / a.n if small else None)
        goal(f"scale: clean build, {a.scale_n} pages", f"time/page vs {a.n} pages", per,
             GOAL_SCALE_PER_PAGE, "{:.2f}", "x")
    if "serve-first" in rows:
        goal(f"serve first 200 for /, {a.scale_n} pages", "median", med(b, "serve-first", m),
             GOAL_SERVE_FIRST_S, "{:.1f}", " s")

    if h:
        p("")
        p("marrow / hugo, same rows (below 1.00x: marrow is faster); no goals")
        for row in ("rebuild", "rebuild-edit", "rebuild-loop", "serve-start", "serve-title", "serve-body"):
            r = ratio(med(b, row, m), med(b, row, h))
            if r is not None:
                p(f"  {ROW_TITLES[row]:<42} {r:.3f}x")
    if "check_exit_code" in b.extra:
        p("")
        p(f"marrow check exit code on this corpus: {b.extra['check_exit_code']} (0: passed; 1: it found "
          "errors, e.g. the generated prose over the readability limit; either way every page is checked)")
    if b.extra.get("output_bytes"):
        p("output size (first clean build): " + "; ".join(
            f"{k} {v / 1e6:.1f} MB" for k, v in b.extra["output_bytes"].items()))
    notes = list(b.notes)
    if h is not None:
        left = [r for r in ROWS if r in rows and r not in a.hugo_rows and r not in SCALE_ROWS and r != "check"]
        if left:
            took = med(b, "clean", h)
            notes.append(f"Hugo not run for: {', '.join(left)} (--hugo-rows"
                         + (f"; one clean Hugo build of {a.n} pages took {took:.0f} s here" if took else "")
                         + ")")
        if a.hugo_runs < a.runs:
            notes.append(f"Hugo: {a.hugo_runs} timed run(s) per build row (--hugo-runs), marrow {a.runs}")
        if a.no_hugo_warmup:
            notes.append("Hugo: no untimed warm-up build before its first timed build (--no-hugo-warmup)")
    if h is None:
        notes.append("Hugo: not measured (--no-hugo or no Hugo binary found)")
    else:
        if "check" in rows:
            notes.append("check: Hugo has no check-only command; compared with marrow's own clean build")
        if rows & set(SCALE_ROWS):
            notes.append(f"scale, serve-first: marrow only; Hugo's build time grows faster than linearly with "
                         f"the page count (benches/results/2026-11-25-1k-10k-50k.txt), so {a.scale_n} pages "
                         "would take it hours")
        if rows & a.hugo_rows & {"serve-title", "serve-body"}:
            notes.append("hugo server runs in its default mode (in memory, fast render: it re-renders the "
                         "changed page and the pages recently requested, which includes the polled URL)")
    if notes:
        p("")
        p("Notes:")
        for n in notes:
            p(f"  - {n}")
    text = "\n".join(lines)
    print(text)
    return text


# ---------------------------------------------------------------- main

def parse_rows(ap, spec, scale):
    if spec is None:
        rows = [r for r in ROWS if r not in SCALE_ROWS] + (SCALE_ROWS if scale else [])
    elif spec == "all":
        rows = list(ROWS)
    else:
        rows = [r.strip() for r in spec.split(",") if r.strip()]
        bad = [r for r in rows if r not in ROWS]
        if bad:
            ap.error(f"unknown rows {', '.join(bad)}; choose from {', '.join(ROWS)} (or all)")
        if scale:
            rows += [r for r in SCALE_ROWS if r not in rows]
    return set(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=10000, help="pages (default 10000)")
    ap.add_argument("--rows", metavar="ROW,ROW", help=f"rows to measure: {', '.join(ROWS)}, or all "
                    "(default: all but scale and serve-first)")
    ap.add_argument("--scale", action="store_true", help="add the scale and serve-first rows")
    ap.add_argument("--scale-n", type=int, default=100000, help="pages of the scale rows (default 100000)")
    ap.add_argument("--section-size", type=int, default=100,
                    help="pages per folder of the scale corpora (gen_corpus.py --section-size; default 100)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per row and tool (default 3)")
    ap.add_argument("--no-warmup", action="store_true",
                    help="skip the untimed warm-up build of each tool before the build rows")
    ap.add_argument("--edits", type=int, default=10, help="edits per serve row and tool (default 10)")
    ap.add_argument("--work", type=Path, help="folder for corpora and outputs, kept and reused "
                    "(default: a temporary folder under /tmp, removed at the end)")
    ap.add_argument("--settle", type=float, help="seconds to wait after a large deletion before a timed "
                    "build (default 65, or 0 when the work folder is on tmpfs)")
    ap.add_argument("--serve-timeout", type=float, default=600, help="seconds to wait for a server (default 600)")
    ap.add_argument("--json", type=Path, metavar="FILE", help="also write every sample to FILE")
    ap.add_argument("--no-hugo", action="store_true", help="measure marrow only")
    ap.add_argument("--no-hugo-warmup", action="store_true", help="no warm-up build for Hugo")
    ap.add_argument("--hugo-rows", metavar="ROW,ROW",
                    help="rows Hugo takes part in (default: every row it can do: clean, rebuild, "
                         "rebuild-edit, rebuild-loop, serve-title, serve-body)")
    ap.add_argument("--hugo-runs", type=int, help="timed runs of Hugo per build row (default: --runs); "
                    "Hugo takes minutes per 10,000-page build on a busy 2-core machine")
    ap.add_argument("--hugo-edits", type=int, help="edits per serve row for hugo server (default: --edits)")
    ap.add_argument("--hugo", type=Path, help="Hugo binary (default: /usr/bin/hugo, else the first found)")
    ap.add_argument("--marrow", type=Path, default=REPO / "target" / "release" / "marrow",
                    help="marrow binary (default: target/release/marrow of this repository)")
    args = ap.parse_args()
    rows = parse_rows(ap, args.rows, args.scale)
    hugo_can = {"clean", "rebuild", "rebuild-edit", "rebuild-loop", "serve-title", "serve-body"}
    args.hugo_rows = parse_rows(ap, args.hugo_rows, False) & hugo_can if args.hugo_rows else hugo_can
    args.hugo_runs = args.hugo_runs or args.runs
    args.hugo_edits = args.hugo_edits or args.edits
    if args.runs < 1 or args.edits < 1:
        ap.error("--runs and --edits must be >= 1")
    if not args.marrow.exists():
        sys.exit(f"{args.marrow} not found: run `cargo build --release` first (or pass --marrow)")

    marrow = Marrow(args.marrow)
    hugo = None
    if not args.no_hugo:
        exe = args.hugo or (Path("/usr/bin/hugo") if Path("/usr/bin/hugo").is_file() else None)
        if exe is None:
            found = compare.find_hugos()
            exe = found[0] if found else None
        if exe is None:
            log("no Hugo binary found: measuring marrow only")
        else:
            hugo = Hugo(exe)

    temp = args.work is None
    work = Path(tempfile.mkdtemp(prefix="marrow-speed-")) if temp else args.work.resolve()
    (work / "corpus").mkdir(parents=True, exist_ok=True)
    fs = fs_type(work)
    if args.settle is None:
        args.settle = 0.0 if fs == "tmpfs" else float(compare.OutputFolders.SETTLE_S)

    header = [
        f"speed.py {time.strftime('%Y-%m-%d %H:%M:%S %Z')}: {' '.join(sys.argv[1:]) or '(defaults)'}",
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, load average "
        + " ".join(f"{x:.2f}" for x in os.getloadavg()),
        f"work dir: {work} ({fs}); settle after large deletions: {args.settle:.0f} s",
        f"marrow: {marrow.label} ({args.marrow})" + (f"; hugo: {hugo.label} ({hugo.exe})" if hugo else ""),
        f"rows: {', '.join(r for r in ROWS if r in rows)}; runs {args.runs}; serve edits {args.edits}",
        (f"hugo: rows {', '.join(r for r in ROWS if r in rows & args.hugo_rows) or 'none'}; "
         f"runs {args.hugo_runs}; serve edits {args.hugo_edits}") if hugo else "hugo: not measured",
    ]
    for line in header:
        print(line, flush=True)

    b = Bench(args, work, marrow, hugo)
    try:
        if rows & BUILD_ROWS:
            b.build_rows(rows)
        if "rebuild-loop" in rows:
            b.loop_row()
        if rows & {"serve-title", "serve-body"}:
            b.serve_rows(rows)
        if rows & set(SCALE_ROWS):
            b.scale_rows(rows)
    finally:
        b.editor.restore()
        if temp:
            shutil.rmtree(work, ignore_errors=True)
        else:
            b.outputs.delete_all()

    header.append(f"load average at the end: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(header[-1])
    report(b, rows)
    if args.json:
        data = {
            "meta": {"header": header, "args": {k: str(v) for k, v in vars(args).items()},
                     "generator_sha256": hashlib.sha256(compare.GENERATOR.read_bytes()).hexdigest(),
                     "fs": fs},
            "samples": [{"row": r, "tool": t, "samples": s} for (r, t), s in b.samples.items()],
            "extra": b.extra, "notes": b.notes,
        }
        args.json.write_text(json.dumps(data, indent=2) + "\n")
        print(f"\nraw results: {args.json}")


if __name__ == "__main__":
    main()
