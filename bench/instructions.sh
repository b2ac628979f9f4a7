#!/usr/bin/env bash
# Instruction counts (callgrind) of every bench program and kernel under two rpyjit
# binaries, side by side: for changes whose cost the wall clock on this 2-core machine
# cannot resolve.
#
#   bash bench/instructions.sh OLD_RPYJIT NEW_RPYJIT [extra rpyjit flags...]
#
# String hashing is seeded (PYTHONHASHSEED=0): dict probe counts then repeat exactly.
# Sizes are a quarter of each program's default (its `sys.argv[1]` default), except where
# the argument is a depth or a count of nested work (below), so a run takes seconds under
# valgrind; at these sizes compile time weighs more than in a full run. Prints one row per
# program: old, new (millions) and new/old. Takes about 30 minutes for everything; name
# programs in ONLY (ONLY="nbody fib") to run a few.
set -euo pipefail
old=$1; new=$2; shift 2
here=$(cd "$(dirname "$0")" && pwd)
declare -A fixed=(
  [binary_trees]=10 [connect_four]=5 [csp_solver]=5 [fannkuch]="8 1" [fib]=25 [nqueens]=9
  [richards]=2 [gemm]=60 [gemv]=225
)
size() {  # program file -> reduced arguments
  local prog=$1 file=$2
  if [ -n "${fixed[$prog]:-}" ]; then echo "${fixed[$prog]}"; return; fi
  local d
  d=$(grep -o "sys.argv\[1\]) if len(sys.argv) > 1 else [0-9_]*" "$file" | awk '{print $NF}' | tr -d _)
  if [ -n "$d" ] && [ "$d" -ge 100 ]; then echo $((d / 4)); else echo "$d"; fi
}
run() {  # binary file program-args...
  local bin=$1 file=$2; shift 2
  local out; out=$(mktemp)
  PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" "${flags[@]}" "$file" "$@" >/dev/null 2>&1 || true
  grep -m1 '^summary:' "$out" | awk '{print $2}'; rm -f "$out"
}
flags=("$@")
printf '| program | old (M) | new (M) | new / old |\n|:---|---:|---:|---:|\n'
for file in "$here"/programs/*.py "$here"/kernels/*.py; do
  prog=$(basename "$file" .py)
  if [ -n "${ONLY:-}" ] && [[ " $ONLY " != *" $prog "* ]]; then continue; fi
  args=$(size "$prog" "$file")  # words: "8 1"
  # shellcheck disable=SC2086
  run "$old" "$file" $args > "/tmp/instr-old-$prog" &
  # shellcheck disable=SC2086
  run "$new" "$file" $args > "/tmp/instr-new-$prog"
  wait
  o=$(cat "/tmp/instr-old-$prog"); n=$(cat "/tmp/instr-new-$prog")
  awk -v p="$prog" -v o="$o" -v n="$n" 'BEGIN { printf "| %s | %.1f | %.1f | %.4f |\n", p, o/1e6, n/1e6, (o>0 ? n/o : 0) }'
done
