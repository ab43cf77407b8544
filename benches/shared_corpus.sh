#!/bin/bash
# Clean builds of the team's shared 10,000-page corpus (shared/bench/gen_corpus.py,
# with its own simple Hugo templates), marrow against Debian Hugo, on tmpfs:
# a fresh output folder each run, sync before each, the order alternating.
# Run 0 is the warm-up. Prints: run, tool, wall, user, system, peak RSS.
#
#   cargo build --release && benches/shared_corpus.sh [GENERATOR] [RUNS]
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
gen=${1:-$repo/../shared/bench/gen_corpus.py}
runs=${2:-3}
work=$(mktemp -d /dev/shm/shared-corpus.XXXXXX)
trap 'rm -rf "$work"' EXIT
python3 "$gen" --layout plain -n 10000 -o "$work/plain" >/dev/null
python3 "$gen" --layout hugo -n 10000 -o "$work/hugo" >/dev/null
for run in $(seq 0 "$runs"); do
  order="marrow hugo"; [ $((run % 2)) = 1 ] && order="hugo marrow"
  for tool in $order; do
    out="$work/out-$tool-$run"; sync
    if [ "$tool" = marrow ]; then
      /usr/bin/time -f "$run marrow %e s %U u %S s %M KB" "$repo/target/release/marrow" build \
        --root "$work/plain" --output "$out" >/dev/null
    else
      /usr/bin/time -f "$run hugo %e s %U u %S s %M KB" hugo --quiet -s "$work/hugo" -d "$out" >/dev/null
    fi
  done
done
