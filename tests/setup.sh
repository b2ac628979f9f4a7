#!/usr/bin/env bash
# What the test suite needs from the system besides Rust and CPython 3.13: Unicorn, the
# AArch64 emulator `aarch64/` runs the JIT's AArch64 code on (Debian's libunicorn-dev,
# found with pkg-config). Installs only what is missing; run before `cargo test`.
set -euo pipefail
need=()
command -v pkg-config >/dev/null || need+=(pkg-config)
pkg-config --exists 'unicorn >= 2' 2>/dev/null || need+=(libunicorn-dev)
if ((${#need[@]})); then
    sudo=()
    [ "$(id -u)" = 0 ] || sudo=(sudo)
    echo "tests/setup.sh: installing ${need[*]}" >&2
    "${sudo[@]}" apt-get install -y --no-install-recommends "${need[@]}" ||
        { "${sudo[@]}" apt-get update && "${sudo[@]}" apt-get install -y --no-install-recommends "${need[@]}"; }
fi
