#!/usr/bin/env python3
"""Clean-build benchmark: marrow against Hugo on the same generated corpus.

Generates the corpus with the team's generator (../shared/bench/gen_corpus.py,
or --generator PATH) in marrow's layout and Hugo's, then builds each one
alternately, RUNS times after an untimed warm-up, every run into a fresh empty
output folder, and prints medians of wall time, CPU time and peak RSS with
the marrow/Hugo ratios. Absolute times drift on shared machines; the ratio,
measured in the same run, is the figure to report.

    python3 benches/compare.py -n 1000 10000 --runs 5
    python3 benches/compare.py -n 1000 --no-hugo     # marrow only

Needs: a release build of marrow (`cargo build --release`), Python 3, and
for the comparison a `hugo` binary on PATH (Debian: apt-get install hugo).
"""

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_GENERATOR = REPO.parent / "shared" / "bench" / "gen_corpus.py"


def measure_isolated(cmd, cwd=None):
    """Runs cmd in a fresh helper process; returns (wall s, cpu s, peak MiB)
    of that one command (RUSAGE_CHILDREN peaks would mix runs otherwise)."""
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
    code, wall, cpu, rss_kib, err = json.loads(out)
    if code != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed:\n{err}")
    return wall, cpu, rss_kib / 1024


def tree_bytes(path):
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, nargs="+", default=[1000], help="page counts")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--generator", type=Path, default=DEFAULT_GENERATOR)
    ap.add_argument("--marrow", type=Path, default=REPO / "target" / "release" / "marrow")
    ap.add_argument("--hugo", default=shutil.which("hugo"))
    ap.add_argument("--no-hugo", action="store_true")
    ap.add_argument("--work", type=Path, help="folder for corpora and outputs (default: a temp dir)")
    args = ap.parse_args()

    if not args.marrow.exists():
        sys.exit(f"{args.marrow} not found: run `cargo build --release` first")
    use_hugo = not args.no_hugo and args.hugo
    if not args.no_hugo and not args.hugo:
        print("hugo not found on PATH: measuring marrow only", file=sys.stderr)

    work = args.work or Path(tempfile.mkdtemp(prefix="marrow-bench-"))
    rows = []
    for n in args.n:
        tools = {"marrow": work / f"plain-{n}"}
        if use_hugo:
            tools["hugo"] = work / f"hugo-{n}"
        for tool, corpus in tools.items():
            if not corpus.exists():
                layout = "plain" if tool == "marrow" else "hugo"
                subprocess.run([sys.executable, str(args.generator), "--layout", layout,
                                "-n", str(n), "-o", str(corpus)], check=True, stdout=subprocess.DEVNULL)

        def command(tool, out):
            if tool == "marrow":
                return [args.marrow, "build", "--root", tools["marrow"], "--output", out]
            return [args.hugo, "--quiet", "--source", tools["hugo"], "--destination", out]

        results = {tool: [] for tool in tools}
        sizes = {}
        for run in range(args.runs + 1):  # run 0 is the warm-up
            for tool in tools:
                out = work / f"out-{tool}-{n}"
                shutil.rmtree(out, ignore_errors=True)
                wall, cpu, peak = measure_isolated(command(tool, out))
                if run > 0:
                    results[tool].append((wall, cpu, peak))
                sizes[tool] = tree_bytes(out)
        for tool, samples in results.items():
            med = [statistics.median(s[i] for s in samples) for i in range(3)]
            rows.append((n, tool, *med, sizes[tool]))

    print(f"\nclean build, median of {args.runs} runs after a warm-up (work dir: {work})\n")
    print(f"{'pages':>7} {'tool':<7} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9} {'pages/s':>9} {'output MB':>10}")
    by_n = {}
    for n, tool, wall, cpu, peak, size in rows:
        by_n.setdefault(n, {})[tool] = (wall, cpu, peak, size)
        print(f"{n:>7} {tool:<7} {wall:>8.3f} {cpu:>8.3f} {peak:>9.1f} {n / wall:>9.0f} {size / 1e6:>10.1f}")
    for n, t in by_n.items():
        if "hugo" in t:
            m, h = t["marrow"], t["hugo"]
            print(f"{n:>7} marrow/hugo: wall {m[0] / h[0]:.2f}x, cpu {m[1] / h[1]:.2f}x, "
                  f"peak {m[2] / h[2]:.2f}x, output {m[3] / h[3]:.2f}x")


if __name__ == "__main__":
    main()
