# Coroutines and async generators: what awaits what (cr_await), where a suspended
# coroutine stands, asyncio tasks fanned out and gathered in order, async generators
# under `async for` with aclose/athrow, `async with`, and exceptions through await chains.
import asyncio
import inspect
import traceback
import types


@types.coroutine
def pause(tag):
    got = yield tag
    return (tag, got)


async def leaf(n):
    r = await pause(("leaf", n))
    return r


async def middle():
    a = await leaf(1)
    b = await leaf(2)
    return a, b


# Driven by hand: each step yields the tag of the innermost pause.
c = middle()
print(inspect.getcoroutinestate(c))
print(c.send(None), inspect.getcoroutinestate(c), c.cr_await.__name__, c.cr_await.cr_await.__name__)
print(c.send("x"), c.cr_frame.f_lineno - c.cr_code.co_firstlineno)
try:
    c.send("y")
except StopIteration as stop:
    print("result", stop.value, inspect.getcoroutinestate(c))

# throw into a suspended coroutine lands in the innermost await
c = middle()
c.send(None)
try:
    c.throw(LookupError("into leaf"))
except LookupError as e:
    names = [f.name for f in traceback.extract_tb(e.__traceback__)]
    print("throw path", names)
c.close()


# Fan-out: many small tasks, each yielding to the loop a few times.
async def worker(i, out):
    total = 0
    for step in range(5):
        total += i * step
        await asyncio.sleep(0)
    out.append(i)
    return total


class Resource:
    def __init__(self, log):
        self.log = log
    async def __aenter__(self):
        self.log.append("open")
        await asyncio.sleep(0)
        return self
    async def __aexit__(self, et, ev, tb):
        self.log.append(("close", et.__name__ if et else None))
        return et is KeyError


async def ticks(n, log):
    try:
        for i in range(n):
            yield i
            await asyncio.sleep(0)
    finally:
        log.append("ticks finally")


async def failing(depth):
    if depth == 0:
        await asyncio.sleep(0)
        raise ValueError("bottom")
    return await failing(depth - 1)


async def main():
    order = []
    results = await asyncio.gather(*(worker(i, order) for i in range(200)))
    print("gather", sum(results), results[:5], len(order), order[:5])

    log = []
    async with Resource(log) as r:
        log.append("body")
    async with Resource(log):
        raise KeyError("swallowed")
    print("async with", log)

    log = []
    seen = [i async for i in ticks(5, log)]
    agen = ticks(100, log)
    async for i in agen:
        if i == 2:
            break
    await agen.aclose()
    print("async for", seen, log)

    agen = ticks(10, log)
    print("anext", await agen.__anext__(), await anext(agen))
    try:
        await agen.athrow(RuntimeError("athrow"))
    except RuntimeError as e:
        print("athrow", e, log[-1])

    try:
        await failing(3)
    except ValueError as e:
        names = [f.name for f in traceback.extract_tb(e.__traceback__)]
        print("await chain", names)

    task = asyncio.ensure_future(leafy())
    await asyncio.sleep(0)
    print("task", task.done(), task.get_coro().cr_frame.f_code.co_name)
    print("task result", await task)


async def leafy():
    await asyncio.sleep(0)
    return "leafy done"


asyncio.run(main())
