# A hot loop is entered mid-way (on-stack replacement) many times, with the frame's
# values of different kinds each time: small and big ints, floats, bools, None, strings,
# and locals bound on some entries and unbound on others. Each entry must run with what
# the frame holds, whichever native version of the loop it lands in.


def combine(value, flags, extra):
    # `value` and `mask` are small ints on some calls and big ints on others; `neg` is
    # None or an int; `note` is bound only when `extra` is true.
    mask = flags
    neg = None
    if value < 0:
        neg = value
        value = (1 << 70) + value if extra else 16 + value
    if extra:
        note = "extra"
    total = 0
    for i in range(300):
        total = (total + (value & mask) + i) % 1000003
        if neg is not None:
            total ^= neg & 0xFF
    if extra:
        return total, note
    return total


def recursive_entry(depth, seed):
    # The loop calls the function again, so the same loop is entered while an outer
    # activation is itself in it, with different kinds each level.
    acc = seed
    for i in range(200):
        acc = acc + i if depth % 2 else acc * 1.0 + i
        if i == 100 and depth > 0:
            acc += recursive_entry(depth - 1, (1 << 65) if depth % 3 == 0 else depth)
    return acc


results = []
for call in range(60):
    big = call % 3 == 0
    flags = (1 << 68) - 1 if big else 0xFF
    value = -(call + 1) if call % 4 == 1 else call * 7
    results.append(combine(value, flags, call % 5 == 0))
print(results[:8])
print(sum(r[0] if isinstance(r, tuple) else r for r in results))
print([r[1] for r in results if isinstance(r, tuple)][:3])

for seed in (0, 2.5, True, 1 << 66):
    print(recursive_entry(6, seed))
