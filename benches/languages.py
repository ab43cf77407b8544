#!/usr/bin/env python3
"""Languages benchmark (issue 18): a multilingual site against its
monolingual original.

    python3 benches/languages.py                       # 10,000 pages, 5 runs
    python3 benches/languages.py -n 1000 --runs 3      # quick check

benches/gen_corpus.py writes the plain corpus of N pages (`--layout plain
--reviewed`, as compare.py). A second copy gets `languages:` (zh, ar) in
site.yaml, and a deterministic 20% of the pages -- the N/5 with the smallest
SHA-256 of their path, so they are spread over every section -- get
`x.zh.md` and `x.ar.md` beside them. So do the `_index.md` of every folder
on the way to a translated page (the root, its section and subsection), so
that a translated page has translated breadcrumbs and navigation; at 20%
that is every section. A translation has the source's front matter plus
`translated:` (a date after the source's `reviewed:`, so it is fresh), its
title prefixed with "【中】" or "[ع] ", and the source's body.

Both sites are then built alternately (the order swaps from run to run),
RUNS times after one untimed warm-up of each, every run into a fresh empty
output folder, each command in its own helper process (wall, CPU and peak
RSS of that one build, as compare.py measures them). Old outputs are kept
until the end and deleted together (see compare.py's OutputFolders).

The issue's target: the multilingual build takes at most 1.4x the time of
the monolingual one, plus the extra pages' share. With P pages built
("Built P pages", which counts sections and other pages too), the figure
is (wall_multi / wall_mono) / (P_multi / P_mono), which must be <= 1.4.

Standard library only.
"""

import argparse
import hashlib
import json
import os
import re
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

LANGUAGES_YAML = """\
languages:
  zh: { name: "简体中文", language: zh-Hans }
  ar: { name: "العربية", language: ar }
"""
PREFIX = {"zh": "【中】", "ar": "[ع] "}
TRANSLATED = "2026-11-15"  # after the corpus's `reviewed: 2026-11-01`
SHARE = 0.20


# ---------------------------------------------------------------- measuring

def measure_isolated(cmd):
    """Runs cmd in a fresh helper process; returns (wall s, cpu s, peak MiB,
    stdout) of that one command (RUSAGE_CHILDREN of the helper)."""
    probe = (
        "import resource,subprocess,sys,time,json;"
        "s=time.perf_counter();"
        "r=subprocess.run(sys.argv[1:],stdout=subprocess.PIPE,stderr=subprocess.PIPE);"
        "w=time.perf_counter()-s;"
        "u=resource.getrusage(resource.RUSAGE_CHILDREN);"
        "print(json.dumps([r.returncode,w,u.ru_utime+u.ru_stime,u.ru_maxrss,"
        "r.stdout.decode(errors='replace')[-4000:],r.stderr.decode(errors='replace')[-4000:]]))"
    )
    out = subprocess.run([sys.executable, "-c", probe, *map(str, cmd)],
                         check=True, capture_output=True, text=True).stdout
    code, wall, cpu, rss, sout, serr = json.loads(out)
    if code != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed:\n{sout}\n{serr}")
    return wall, cpu, rss / (1024 * 1024 if sys.platform == "darwin" else 1024), sout + serr


def built_pages(text):
    m = re.search(r"Built (\d+) pages", text)
    if not m:
        sys.exit(f"no 'Built N pages' line in the build's output:\n{text}")
    return int(m.group(1))


class OutputFolders:
    """A fresh output folder per build; old ones are deleted together at the
    end (or when the disk runs short), then left 65 s to settle before the
    next timed build -- the ext4 reason is in compare.py and the README."""

    SETTLE_S = 65

    def __init__(self, root):
        self.root, self.kept, self.deleted_at, self.largest = root, [], None, 0
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)

    def fresh(self, name):
        free = shutil.disk_usage(self.root).free
        if self.kept and free < 3 * self.largest + (1 << 30):
            self.delete_all()
        out = self.root / name
        out.mkdir()
        self.kept.append(out)
        os.sync()
        if self.deleted_at is not None:
            wait = self.SETTLE_S - (time.monotonic() - self.deleted_at)
            if wait > 0:
                print(f"  (letting the filesystem settle {wait:.0f} s)", file=sys.stderr, flush=True)
                time.sleep(wait)
            self.deleted_at = None
        return out

    def measured(self, path):
        self.largest = max(self.largest, sum(f.stat().st_size for f in path.rglob("*") if f.is_file()))

    def delete_all(self):
        for p in self.kept:
            shutil.rmtree(p, ignore_errors=True)
        self.kept.clear()
        os.sync()
        self.deleted_at = time.monotonic()


# ---------------------------------------------------------------- corpora

def generate_mono(folder, n):
    print(f"  generating {n} pages -> {folder} ...", file=sys.stderr, flush=True)
    subprocess.run([sys.executable, str(GENERATOR), "--layout", "plain", "--reviewed",
                    "-n", str(n), "-o", str(folder), "--force"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def translate(text, code):
    """The source's front matter plus `translated:`, the title prefixed; the
    body is kept."""
    if not text.startswith("---\n"):
        sys.exit("unexpected corpus file: no front matter")
    end = text.index("\n---\n", 4)
    front, body = text[4:end].split("\n"), text[end + 5:]
    out = []
    for line in front:
        if line.startswith("title: "):
            title = json.loads(line[len("title: "):])  # gen_corpus writes JSON-style quotes
            line = "title: " + json.dumps(PREFIX[code] + title, ensure_ascii=False)
        out.append(line)
    out.append(f"translated: {TRANSLATED}")
    out.append('translator: "Bench translator"')
    return "---\n" + "\n".join(out) + "\n---\n" + body


def make_multi(mono, multi):
    """Copies mono to multi and adds the languages and translations; returns
    (translated pages, translated section indexes) per language."""
    if multi.exists():
        shutil.rmtree(multi)
    shutil.copytree(mono, multi)
    site = multi / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + LANGUAGES_YAML, encoding="utf-8")
    content = multi / "content"
    pages = sorted(p.relative_to(content).as_posix() for p in content.rglob("*.md")
                   if p.name != "_index.md")
    pick = sorted(pages, key=lambda r: hashlib.sha256(r.encode()).hexdigest())[:round(len(pages) * SHARE)]
    sections = set()
    for rel in pick:
        parent = Path(rel).parent
        while True:
            sections.add((parent / "_index.md").as_posix())
            if parent == Path("."):
                break
            parent = parent.parent
    for rel in sorted(pick) + sorted(sections):
        src = content / rel
        text = src.read_text(encoding="utf-8")
        for code in PREFIX:
            src.with_name(f"{src.stem}.{code}.md").write_text(translate(text, code), encoding="utf-8")
    return len(pick), len(sections)


def corpora(work, n):
    """Generates (or reuses, if made the same way) both sites."""
    mono, multi = work / f"mono-{n}", work / f"multi-{n}"
    stamp = work / f"corpora-{n}.stamp"
    want = hashlib.sha256(GENERATOR.read_bytes() + Path(__file__).read_bytes()).hexdigest()
    if mono.is_dir() and multi.is_dir() and stamp.is_file() and stamp.read_text().split()[0] == want:
        pages, secs = map(int, stamp.read_text().split()[1:])
        return mono, multi, pages, secs
    generate_mono(mono, n)
    print(f"  adding zh and ar translations -> {multi} ...", file=sys.stderr, flush=True)
    pages, secs = make_multi(mono, multi)
    stamp.write_text(f"{want} {pages} {secs}")
    return mono, multi, pages, secs


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=10000, help="pages of the monolingual site (default 10000)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per site after the warm-up (default 5)")
    ap.add_argument("--marrow", type=Path, default=REPO / "target" / "release" / "marrow",
                    help="marrow binary (default target/release/marrow)")
    ap.add_argument("--work", type=Path,
                    help="folder for the corpora and outputs, kept and reused by later runs "
                         "(default: a temporary folder under /dev/shm if it exists, removed at the end)")
    ap.add_argument("--json", type=Path, metavar="FILE", help="also write every sample to FILE")
    args = ap.parse_args()
    if not args.marrow.exists():
        sys.exit(f"{args.marrow} not found: run `cargo build --release` first (or pass --marrow)")
    if args.runs < 1 or args.n < 1:
        ap.error("-n and --runs must be >= 1")

    temp = args.work is None
    if temp:
        base = "/dev/shm" if os.path.isdir("/dev/shm") else None
        work = Path(tempfile.mkdtemp(prefix="marrow-languages-", dir=base))
    else:
        work = args.work.resolve()
        work.mkdir(parents=True, exist_ok=True)
    fs = subprocess.run(["stat", "-f", "-c", "%T", str(work)], capture_output=True, text=True).stdout.strip()
    version = subprocess.run([str(args.marrow), "--version"], capture_output=True, text=True).stdout.strip()
    print(f"work dir: {work} ({fs or '?'}); {version} ({args.marrow})", file=sys.stderr)

    try:
        mono, multi, n_tr, n_sec = corpora(work, args.n)
        sites = [("mono", mono), ("multi", multi)]
        outputs = OutputFolders(work / "out")
        samples = {k: [] for k, _ in sites}
        pages = {}
        for run in range(args.runs + 1):  # run 0 is the warm-up
            order = sites if run % 2 == 0 else sites[::-1]
            for key, site in order:
                out = outputs.fresh(f"{key}-{run}")
                wall, cpu, peak, text = measure_isolated(
                    [args.marrow, "build", "--root", site, "--output", out])
                if run == 0:
                    pages[key] = built_pages(text)
                    outputs.measured(out)
                else:
                    samples[key].append({"wall_s": wall, "cpu_s": cpu, "peak_mib": peak})
            print(f"  {'warm-up' if run == 0 else f'run {run}/{args.runs}'} done", file=sys.stderr, flush=True)
        outputs.delete_all()
    finally:
        if temp:
            shutil.rmtree(work, ignore_errors=True)

    med = {k: {m: statistics.median(s[m] for s in samples[k]) for m in ("wall_s", "cpu_s", "peak_mib")}
           for k in samples}
    print()
    print(f"Languages benchmark: {args.n} pages; {n_tr} of them ({SHARE:.0%}) and {n_sec} section indexes")
    print(f"translated into zh and ar. Clean builds, alternating, {args.runs} timed runs each after a warm-up;")
    print(f"median (min-max) of wall time; cpu = user + system; peak = peak RSS. Work dir on {fs or '?'}.")
    print()
    head = f"{'site':<14} {'pages built':>11} {'wall s':>7} {'(min-max)':<15} {'cpu s':>7} {'peak MiB':>8}"
    print(head)
    print("-" * len(head))
    for key, label in (("mono", "monolingual"), ("multi", "multilingual")):
        walls = [s["wall_s"] for s in samples[key]]
        rng = f"({min(walls):.2f}-{max(walls):.2f})"
        print(f"{label:<14} {pages[key]:>11} {med[key]['wall_s']:>7.2f} {rng:<15} "
              f"{med[key]['cpu_s']:>7.2f} {med[key]['peak_mib']:>8.0f}")
    time_ratio = med["multi"]["wall_s"] / med["mono"]["wall_s"]
    page_ratio = pages["multi"] / pages["mono"]
    per_page = time_ratio / page_ratio
    print()
    print(f"wall multi/mono:        {time_ratio:.2f}x")
    print(f"cpu multi/mono:         {med['multi']['cpu_s'] / med['mono']['cpu_s']:.2f}x")
    print(f"pages multi/mono:       {page_ratio:.3f}x  (target for the wall ratio: 1.4 x {page_ratio:.3f} = {1.4 * page_ratio:.2f}x)")
    print(f"wall ratio / page ratio: {per_page:.2f}  (must be <= 1.40: {'met' if per_page <= 1.4 else 'NOT met'})")
    print(f"cpu ratio / page ratio:  {med['multi']['cpu_s'] / med['mono']['cpu_s'] / page_ratio:.2f}  "
          f"(the same figure in CPU time, steadier on a busy machine)")
    print(f"peak RSS multi/mono:    {med['multi']['peak_mib'] / med['mono']['peak_mib']:.2f}x")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    if load is not None and load > (os.cpu_count() or 1):
        print(f"note: load average {load:.1f} on {os.cpu_count()} CPUs at the end: other processes "
              f"were running, and wall times include waiting for a CPU")
    if args.json:
        args.json.write_text(json.dumps({
            "n": args.n, "translated_pages": n_tr, "translated_sections": n_sec, "runs": args.runs,
            "marrow": str(args.marrow), "version": version, "filesystem": fs,
            "pages_built": pages, "median": med, "samples": samples,
        }, indent=2) + "\n")
        print(f"\nraw results: {args.json}")


if __name__ == "__main__":
    main()
