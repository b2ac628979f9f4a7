# CPython 3.12+ builtin sum() of floats uses compensated (Neumaier) summation.
print(sum([0.1] * 10))
print(sum([0.1] * 10) == 1.0)
print(sum([1e100, 1.0, -1e100, 1.0]))
vals = [0.1 * (i % 7) for i in range(3000)]
print(repr(sum(vals)))
