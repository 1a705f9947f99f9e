#!/usr/bin/env bash
# A/B of the benchmark between two commits, in one session: builds benches/perf.rs at BASE
# and at the working tree (same target dir, one build at a time), then runs the two binaries
# alternately RUNS times (default 2) on the same bench CT and prints each row's figures side
# by side. Use it to show that a change leaves the figures no worse: run-to-run noise on a
# shared machine is large, so compare the alternating runs, not one run with an old table.
#   bench/ab.sh BASE [RUNS]      (the bench CT as in bench/run.sh: REMNANT_BENCH_DIR or bench/out/data)
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:?usage: bench/ab.sh BASE_COMMIT [RUNS]}; runs=${2:-2}
data=${REMNANT_BENCH_DIR:-bench/out/data}
[ -f "$data/bench_ct.nii.gz" ] || { echo "bench/ab.sh: no $data/bench_ct.nii.gz (run bench/run.sh once)" >&2; exit 2; }
out=bench/out/ab; mkdir -p "$out"
target=${CARGO_TARGET_DIR:-$PWD/target}
wt=$(mktemp -d); trap 'git worktree remove --force "$wt" 2>/dev/null || true; rm -rf "$wt"' EXIT
git worktree add -q --detach "$wt" "$base"
build() { # DIR NAME: build the bench in DIR, copy its binary to $out/NAME
  local exe
  exe=$(cd "$1" && CARGO_TARGET_DIR=$target cargo bench --bench perf --no-run --message-format=json 2>/dev/null \
        | python3 -c "import sys,json;[print(m['executable']) for m in map(json.loads,sys.stdin) if m.get('reason')=='compiler-artifact' and m.get('executable') and m['target']['name']=='perf']" | tail -1)
  cp "$exe" "$out/$2"
}
build "$wt" perf_base; build "$PWD" perf_head
for r in $(seq "$runs"); do
  for v in base head; do
    echo "== $v run $r $(date +%T) load $(cut -d' ' -f1 /proc/loadavg)" >&2
    "$out/perf_$v" "$data" > "$out/${v}_$r.md"
  done
done
python3 - "$out" "$runs" <<'PY'
import sys
out, runs = sys.argv[1], int(sys.argv[2])
def rows(f):
    d = {}
    for l in open(f):
        if l.startswith('| ') and not l.startswith('| measure'):
            c = [x.strip() for x in l.strip().strip('|').split('|')]
            d.setdefault(c[0], c[1])
    return d
b = [rows(f'{out}/base_{i}.md') for i in range(1, runs + 1)]
h = [rows(f'{out}/head_{i}.md') for i in range(1, runs + 1)]
print('| measure | base runs | head runs |\n|---|---|---|')
for k in h[0]:
    if k in b[0]:
        print(f"| {k} | {' / '.join(x[k] for x in b)} | {' / '.join(x[k] for x in h)} |")
print('\nRows only at head:', ', '.join(k for k in h[0] if k not in b[0]) or 'none')
PY
