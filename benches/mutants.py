#!/usr/bin/env python3
"""Mutation testing of the modules that carry marrow's promises.

    cargo install --locked cargo-mutants
    python3 benches/mutants.py                     # every module, 120 min budget
    python3 benches/mutants.py review slug         # some modules
    python3 benches/mutants.py --iterate           # retest only what was missed
    python3 benches/mutants.py --summary           # print the last figures

cargo-mutants puts one small bug at a time into the code (an operator
swapped, a function body replaced by a default value, a match arm deleted)
and runs the tests; a mutant that no test notices marks code whose
behaviour nothing guards. This is slow (a rebuild per mutant), so it is a
habit to run before and after changing a module, not part of `.ci/run`.

Each module is mutated alone and tested with the unit tests plus the
integration tests that exercise it (MODULES below), not the whole suite:
that keeps a mutant at seconds instead of minutes. A mutant that only a
test outside that list would catch therefore shows as missed; widen the
module's list rather than reading such a miss as harmless.

Outputs go to target/mutants/<module>/mutants.out (caught.txt, missed.txt,
timeout.txt, unviable.txt, outcomes.json), and cargo-mutants' own output
to target/mutants/<module>.log. --jobs lanes run modules side by side, each
lane one mutant at a time in its own target folder, target/mutants/build-N,
kept between runs so dependencies compile once. The `mutants` cargo
profile (Cargo.toml) drops debug info to make each rebuild cheaper.

The budget (--budget MINUTES) is for the whole run: a module is not started
once it is spent, and the module running when it runs out is stopped; the
summary marks unfinished modules. Standard library only.
"""

import argparse
import fcntl
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "target" / "mutants"

# Link checking lives in a few files; only its functions are mutated.
LINK_FUNCTIONS = (
    r"(resolve_link|suggest_page|Site::href|is_external|normalize|decode|"
    r"encode_path|encode_fragment|utf8_escape|rewrite|bare_url_link|"
    r"suggest_anchor|missing_anchors|collect_html_ids|link_errors)"
)

# name: (files, function filter or None, integration tests to run)
MODULES = {
    "output": (["src/output/mod.rs", "src/output/guard.rs"], None, ["crash", "build"]),
    "review": (
        ["src/review/mod.rs", "src/review/record.rs"],
        None,
        ["review", "check", "reader_facts"],
    ),
    "render": (
        [
            "src/render/mod.rs",
            "src/render/errors.rs",
            "src/render/glossary_page.rs",
            "src/render/nav.rs",
            "src/render/brand.rs",
            "src/render/structured.rs",
            "src/render/theme.rs",
        ],
        None,
        # hostile holds the template error cases.
        ["reader_facts", "review", "build", "content", "hostile"],
    ),
    "serve_http": (["src/serve/http.rs"], None, ["serve"]),
    "links": (
        [
            "src/model/links.rs",
            "src/content/path.rs",
            "src/markdown/links.rs",
            "src/pipeline/pages.rs",
        ],
        LINK_FUNCTIONS,
        ["build", "hostile", "check"],
    ),
    "slug": (["src/slug.rs"], None, ["properties", "build"]),
    "search": (["src/search/mod.rs"], None, ["search", "bench_smoke", "review"]),
    "config": (["src/config.rs"], None, ["build", "hostile", "new"]),
    "front_matter": (
        ["src/content/front_matter.rs"],
        None,
        ["hostile", "build", "review"],
    ),
}

# Set on Ctrl-C; the cargo-mutants processes running now.
STOPPING = threading.Event()
RUNNING = set()

KINDS = ("caught", "missed", "timeout", "unviable")


def command(name, iterate):
    tests = MODULES[name][2]
    # The baseline run (tests on the unmutated tree) stays on: a test that
    # fails anyway would count every mutant as caught.
    cmd = ["cargo", "mutants", "--profile", "mutants"]
    # No --timeout: cargo-mutants takes a multiple of the baseline's time, so
    # a mutant that loops forever costs seconds, not minutes.
    cmd += ["--build-timeout", "600", "--no-shuffle"]
    cmd += ["-o", str(WORK / name), *scope(name)]
    if iterate:
        cmd.append("--iterate")
    # As cargo arguments, not test arguments, so the build step compiles
    # only these test targets instead of every one.
    cmd += ["--cargo-arg=--lib"]
    cmd += [f"--cargo-arg=--test={t}" for t in tests]
    return cmd


def scope(name):
    """The cargo-mutants arguments that pick the mutants of module `name`."""
    files, regex, _ = MODULES[name]
    args = []
    for f in files:
        args += ["-f", f]
    if regex:
        args += ["--re", regex]
    return args


def read_list(name, kind):
    path = WORK / name / "mutants.out" / f"{kind}.txt"
    if not path.exists():
        return []
    return [line for line in path.read_text().splitlines() if line.strip()]


def record(name):
    """Adds the outcomes of the run just finished to the module's record,
    target/mutants/<module>/known.json: an --iterate run tests only what
    was not caught, so the figures for the whole module come from here."""
    path = WORK / name / "known.json"
    known = json.loads(path.read_text()) if path.exists() else {}
    for kind in KINDS:
        for mutant in read_list(name, kind):
            known[mutant] = kind
    path.write_text(json.dumps(known, indent=1, sort_keys=True))


def prepare_iteration(name):
    """cargo-mutants --iterate skips what its last output lists as caught or
    unviable; that output holds only the last run, so list every mutant the
    record has seen caught (or hang) or unviable."""
    path = WORK / name / "known.json"
    if not path.exists():
        return
    known = json.loads(path.read_text())
    out = WORK / name / "mutants.out"
    out.mkdir(parents=True, exist_ok=True)
    done = sorted(m for m, k in known.items() if k in ("caught", "timeout"))
    (out / "caught.txt").write_text("".join(f"{m}\n" for m in done))
    unviable = sorted(m for m, k in known.items() if k == "unviable")
    (out / "unviable.txt").write_text("".join(f"{m}\n" for m in unviable))


def summary(names, unfinished):
    """Counts, for every mutant the code has now, its latest outcome. A
    mutant on a line that moved since it was tested counts as untested."""
    print(
        f"{'module':<14}{'caught':>8}{'missed':>8}{'timeout':>9}{'unviable':>10}"
        f"{'untested':>10}{'score':>8}"
    )
    missed = []
    for name in names:
        listed = subprocess.run(
            ["cargo", "mutants", "--list", *scope(name)],
            cwd=ROOT, capture_output=True, text=True, check=False,
        ).stdout.splitlines()
        path = WORK / name / "known.json"
        known = json.loads(path.read_text()) if path.exists() else {}
        counts = dict.fromkeys((*KINDS, "untested"), 0)
        for mutant in listed:
            kind = known.get(mutant, "untested")
            counts[kind] += 1
            if kind == "missed":
                missed.append(f"missed  {name}: {mutant}")
        viable = counts["caught"] + counts["missed"] + counts["timeout"]
        # A timeout means the mutant hung a test: the tests noticed it.
        score = (counts["caught"] + counts["timeout"]) / viable if viable else float("nan")
        mark = "  (unfinished)" if name in unfinished else ""
        print(
            f"{name:<14}{counts['caught']:>8}{counts['missed']:>8}{counts['timeout']:>9}"
            f"{counts['unviable']:>10}{counts['untested']:>10}{score:>8.0%}{mark}"
        )
    for line in missed:
        print(line)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("modules", nargs="*", help=f"default: all of {', '.join(MODULES)}")
    ap.add_argument("--budget", type=float, default=120, help="minutes for the whole run (default 120)")
    ap.add_argument("--iterate", action="store_true", help="retest only mutants not caught last time")
    ap.add_argument("--jobs", type=int, default=2, help="modules run at once, each in its own target folder (default 2)")
    ap.add_argument("--summary", action="store_true", help="print the figures of the last run and stop")
    args = ap.parse_args()
    names = args.modules or list(MODULES)
    unknown = [n for n in names if n not in MODULES]
    if unknown:
        sys.exit(f"unknown module {', '.join(unknown)}; choose from {', '.join(MODULES)}")
    if shutil.which("cargo-mutants") is None:
        sys.exit("cargo-mutants is not installed: cargo install --locked cargo-mutants")
    if args.summary:
        summary(names, set())
        return

    # Two runs at once would share the lanes' target folders: refuse.
    WORK.mkdir(parents=True, exist_ok=True)
    lock = open(WORK / "lock", "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        sys.exit("another benches/mutants.py run is using target/mutants; wait for it or stop it")
    deadline = time.monotonic() + args.budget * 60
    todo = queue.SimpleQueue()
    for name in names:
        todo.put(name)
    unfinished = set()
    threads = [
        threading.Thread(target=run_lane, args=(i, todo, args.iterate, deadline, unfinished))
        for i in range(min(args.jobs, len(names)))
    ]
    for t in threads:
        t.start()
    try:
        for t in threads:
            while t.is_alive():
                t.join(timeout=1)
    except KeyboardInterrupt:
        # Ctrl-C: start nothing new, and let the running ones save their results.
        STOPPING.set()
        for proc in list(RUNNING):
            os.killpg(proc.pid, signal.SIGINT)
        for t in threads:
            t.join()
    summary(names, unfinished)


def run_lane(lane, todo, iterate, deadline, unfinished):
    """Takes modules from `todo` one after another, one mutant at a time, in this lane's
    own target folder. Two cargo-mutants jobs must not share a target folder:
    the copies of the tree build to the same artefact names and would run
    each other's mutants."""
    env = dict(os.environ)
    env["CARGO_TARGET_DIR"] = str(WORK / f"build-{lane}")
    # The copied tree has no target/: point the validator tests at ours.
    env.setdefault("MARROW_TEST_TOOLS", str(ROOT / "target" / "test-tools"))
    while True:
        try:
            name = todo.get_nowait()
        except queue.Empty:
            return
        left = deadline - time.monotonic()
        if left <= 0 or STOPPING.is_set():
            unfinished.add(name)
            continue
        (WORK / name).mkdir(parents=True, exist_ok=True)
        if iterate:
            prepare_iteration(name)
        cmd = command(name, iterate)
        print(f"[lane {lane}] {name}: {' '.join(cmd)}", flush=True)
        started = time.monotonic()
        with open(WORK / f"{name}.log", "w") as log:
            # Exit codes 2 (missed) and 3 (timeout) are results, not failures.
            proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            RUNNING.add(proc)
            try:
                proc.wait(timeout=left)
            except subprocess.TimeoutExpired:
                # SIGINT lets cargo-mutants stop its cargo and keep the results so far.
                os.killpg(proc.pid, signal.SIGINT)
                proc.wait()
                unfinished.add(name)
            RUNNING.discard(proc)
            record(name)
            if STOPPING.is_set():
                unfinished.add(name)
        print(f"[lane {lane}] {name}: done in {time.monotonic() - started:.0f} s", flush=True)

if __name__ == "__main__":
    main()
