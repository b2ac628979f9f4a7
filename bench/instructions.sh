#!/usr/bin/env bash
# Instruction counts (callgrind) of every bench program under two rpyjit binaries, side by
# side: for changes whose cost the wall clock on this 2-core machine cannot resolve.
#
#   bash bench/instructions.sh OLD_RPYJIT NEW_RPYJIT [extra rpyjit flags...]
#
# String hashing is seeded (PYTHONHASHSEED=0): dict probe counts then repeat exactly.
# Sizes are a quarter of the defaults or so (steady state dominates, a run takes seconds
# under valgrind). Prints one row per program: old, new (millions) and new/old.
set -euo pipefail
old=$1; new=$2; shift 2
here=$(cd "$(dirname "$0")" && pwd)
declare -A size=(
  [exceptions]=15000 [fannkuch]="8 1" [fib]=25 [float_loop]=400000 [float_points]=20000
  [generators]=120000 [int_loop]=400000 [nbody]=15000 [nqueens]=9 [raytrace]=40
  [richards]=2 [spectral_norm]=80 [string_build]=20000 [sudoku]=40 [word_count]=20000
)
run() {  # binary program
  local bin=$1 prog=$2; shift 2
  local out; out=$(mktemp)
  local file=$here/programs/$prog.py; [ -f "$file" ] || file=$here/kernels/$prog.py
  # shellcheck disable=SC2086
  PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" "$@" "$file" ${size[$prog]} >/dev/null 2>&1 || true
  grep -m1 '^summary:' "$out" | awk '{print $2}'; rm -f "$out"
}
printf '| program | old (M) | new (M) | new / old |\n|:---|---:|---:|---:|\n'
for prog in $(printf '%s\n' "${!size[@]}" | sort); do
  run "$old" "$prog" "$@" > "/tmp/instr-old-$prog" &
  run "$new" "$prog" "$@" > "/tmp/instr-new-$prog"
  wait
  o=$(cat "/tmp/instr-old-$prog"); n=$(cat "/tmp/instr-new-$prog")
  awk -v p="$prog" -v o="$o" -v n="$n" 'BEGIN { printf "| %s | %.1f | %.1f | %.4f |\n", p, o/1e6, n/1e6, (o>0 ? n/o : 0) }'
done
