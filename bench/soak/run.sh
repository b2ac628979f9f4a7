#!/usr/bin/env bash
# The soak test (issue 19): peak RSS of bench/soak/soak.py under -X jit=off, the default
# JIT and -X jit-threshold=0 (every function compiled), at ROUNDS and 10 x ROUNDS.
# Memory is flat when the long run's peak is within 10% of the short one's, and the JIT's
# within 1.2x of -X jit=off. About 4 minutes (and 3 GB at threshold 0) at the default
# 10,000 rounds on the 2-core machine.
#
#   bash bench/soak/run.sh [ROUNDS] [RPYJIT]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rounds=${1:-10000}
bin=${2:-$here/../../target/release/rpyjit}
printf '| mode | rounds | RSS after warm-up (MB) | final RSS (MB) | peak RSS (MB) | peak / jit=off |\n'
printf '|:---|---:|---:|---:|---:|---:|\n'
declare -A off
for n in "$rounds" $((rounds * 10)); do
  for mode in "-X jit=off" "" "-X jit-threshold=0"; do
    # shellcheck disable=SC2086
    line=$("$bin" $mode "$here/soak.py" "$n" 2>&1 | tail -1)
    read -r _ _ _ warm _ final _ peak _ _ <<<"$line" || true
    if [ -z "${peak:-}" ]; then echo "| ${mode:-default} | $n | failed: $line | | | |"; continue; fi
    [ "$mode" = "-X jit=off" ] && off[$n]=$peak
    ratio=$(awk -v p="$peak" -v o="${off[$n]}" 'BEGIN { printf "%.2f", p / o }')
    printf '| %s | %s | %s | %s | %s | %s |\n' "${mode:-default}" "$n" "$warm" "$final" "$peak" "$ratio"
  done
done
