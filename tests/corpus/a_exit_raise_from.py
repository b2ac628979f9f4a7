# Ends with an uncaught exception chained with `raise ... from ...`.
class ConfigError(Exception):
    pass

def parse_port(text):
    return int(text)

def load(settings):
    ports = []
    for i, (k, v) in enumerate(settings):
        try:
            ports.append(parse_port(v))
        except ValueError as exc:
            raise ConfigError("bad port for %s" % k) from exc
    return ports

good = [("svc%d" % i, str(8000 + i % 100)) for i in range(2500)]
print(sum(load(good)))
# Exception chaining visible to the program itself
try:
    load([("a", "1"), ("b", "x")])
except ConfigError as e:
    print(type(e).__name__, e, type(e.__cause__).__name__, e.__suppress_context__)
try:
    try:
        {}["k"]
    except KeyError:
        raise RuntimeError("during handling")
except RuntimeError as e:
    print(type(e.__context__).__name__, e.__cause__)
try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise ValueError("suppressed") from None
except ValueError as e:
    print(e.__cause__, e.__suppress_context__, type(e.__context__).__name__)
load(good[:10] + [("broken", "80a")])
