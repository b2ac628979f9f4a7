# Frame readers behave as the interpreter's whatever runs natively around them: wrong
# arguments are reported the same way, `warnings.warn(stacklevel=0)` names its caller's
# module, and coroutine origin tracking (asyncio's debug mode) records the frames that
# made each coroutine, also when hot functions made them.
import sys
import warnings


def depth_errors():
    for args in [(1, 2), ("x",), (10**6,)]:
        try:
            sys._getframe(*args)
        except Exception as e:
            print(args[:1], type(e).__name__)


for _ in range(2000):
    sys._getframe(0)
depth_errors()


def warn_at(level):
    warnings.warn("attributed", DeprecationWarning, stacklevel=level)


def warn_many(n):
    for i in range(n):
        warn_at(i % 2)


with warnings.catch_warnings(record=True) as seen:
    warnings.simplefilter("always")
    warnings.filterwarnings("ignore", category=DeprecationWarning, module="__main__")
    warn_many(3000)
print("warnings not filtered by their module:", len(seen))


async def corofn():
    return 1


def made_here():
    return corofn()


def make_many(n):
    made = []
    for i in range(n):
        made.append(made_here())
    return made


many = make_many(2000)
for c in many:
    c.close()
sys.set_coroutine_origin_tracking_depth(3)
try:
    coros = make_many(3)
    for c in coros:
        print([(line, name) for _file, line, name in c.cr_origin])
        c.close()
finally:
    sys.set_coroutine_origin_tracking_depth(0)


# A function's frame runs its `__code__`, on the call that makes it hot as on every other.
def own_frame_code():
    return own_frame_code.__code__ is sys._getframe().f_code


print("frames run __code__:", all(own_frame_code() for _ in range(3000)))


# ... and a traceback names that same code, and `inspect` sees it.
import inspect


def raises_here(n):
    if n < 0:
        raise ValueError(n)
    return inspect.currentframe().f_code is raises_here.__code__


seen = all(raises_here(i) for i in range(3000))
try:
    raises_here(-1)
except ValueError as e:
    print("traceback frame runs __code__:", seen, e.__traceback__.tb_next.tb_frame.f_code is raises_here.__code__)
