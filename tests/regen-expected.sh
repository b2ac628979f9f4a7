#!/usr/bin/env bash
# Regenerates tests/corpus/expected/*.txt from CPython 3.13, the differential oracle.
#
#   bash tests/regen-expected.sh            # every program
#   bash tests/regen-expected.sh NAME...    # only these (name without .py)
#
# Each expected file records what CPython 3.13 printed: the exit code, the last line of stderr
# (an uncaught exception's "Type: message" line, or empty), then stdout verbatim.
# Programs run from tests/corpus with a relative path, exactly as the Rust harness runs them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
py=${CPYTHON313:-$(pyenv root 2>/dev/null)/versions/3.13.0/bin/python3.13}
[ -x "$py" ] || { echo "CPython 3.13 not found at $py (set CPYTHON313)" >&2; exit 1; }
cd "$here/corpus"
if [ $# -gt 0 ]; then names=("$@"); else names=(); for f in *.py; do names+=("${f%.py}"); done; fi
for name in "${names[@]}"; do
  out=$(mktemp); err=$(mktemp)
  set +e
  PYTHONDONTWRITEBYTECODE=1 timeout 60 "$py" "$name.py" >"$out" 2>"$err" </dev/null
  code=$?
  set -e
  last=$(grep -v '^\s*$' "$err" | tail -n 1 || true)
  { echo "exit: $code"; echo "stderr: $last"; echo "--- stdout"; cat "$out"; } >"expected/$name.txt"
  rm -f "$out" "$err"
  echo "$name: exit $code"
done
