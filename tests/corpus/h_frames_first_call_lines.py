# The call that makes a function hot runs natively in the function's own frame, even when
# the counting code had to go in front of the function's instructions: a callee that
# looks at its caller (`sys._getframe(1)`, `warnings.warn(stacklevel=2)`) sees the calling
# line, not the `def` line.
import os
import sys
import warnings


def caller_line(i, x):
    return sys._getframe(1).f_lineno


def warn_caller(i, x):
    warnings.warn("w%d" % (i % 3), RuntimeWarning, stacklevel=2)
    return x


def lines_in_with(n, flip):
    acc = 0
    seen = set()
    with warnings.catch_warnings(record=True) as w:
        for i in range(n):
            x = i if i < flip else i * 0.5
            acc += warn_caller(i, x)
            seen.add(caller_line(i, x))
    # An inlined comprehension: its instructions move the function's first ones.
    return sorted(seen), [(r.lineno, os.path.basename(r.filename), str(r.message)) for r in w]


for n in (3, 1500):
    print(lines_in_with(n, n // 2))
