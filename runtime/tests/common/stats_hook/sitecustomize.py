"""Test hook of rpyjit's integration tests (see ../jit_stats.rs): at exit, writes
rpyjit.stats() as JSON to the file named by $JIT_TEST_STATS_JSON, so the tests read the
JIT's statistics as data. The program itself runs unchanged."""

import atexit
import os

import rpyjit


def _write_jit_stats(path=os.environ.get("JIT_TEST_STATS_JSON")):
    # The snapshot first: what importing json compiles is not the program's.
    stats = rpyjit.stats()
    import json

    with open(path, "w") as f:
        json.dump(stats, f)


if os.environ.get("JIT_TEST_STATS_JSON"):
    atexit.register(_write_jit_stats)
