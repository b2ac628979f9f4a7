"""Async generators as stream stages: a source, filters and windowing stages chained with
`async for`, consumed by async comprehensions, with early exit (`aclose`) and `athrow`.

Stresses: async generator resumes (`asend`/`__anext__`) that do little work per item,
chained async iteration, `await` inside async generators, async comprehensions.
"""
import asyncio
import sys


async def source(n):
    x = 1
    for i in range(n):
        x = (x * 48271) % 2147483647
        if i % 64 == 0:
            await asyncio.sleep(0)
        yield x


async def keep(stream, mod):
    async for v in stream:
        if v % mod:
            yield v


async def windows(stream, size):
    buf = []
    async for v in stream:
        buf.append(v)
        if len(buf) == size:
            yield sum(buf) & 0xFFFF
            buf.clear()
    if buf:
        yield sum(buf) & 0xFFFF


async def running_max(stream):
    best = -1
    try:
        async for v in stream:
            if v > best:
                best = v
            yield best
    except GeneratorExit:
        raise
    except ValueError:
        yield -best


async def main_async(n):
    total = 0
    count = 0
    async for w in windows(keep(source(n), 7), 4):
        total += w
        count += 1
    evens = [v async for v in keep(source(n // 2), 2) if v & 4]
    highs = 0
    stream = running_max(source(n))
    async for m in stream:
        highs += 1
        if m > 2147000000:
            break
    await stream.aclose()
    stream = running_max(source(100))
    first = await stream.__anext__()
    flipped = await stream.athrow(ValueError("flip"))
    return total, count, len(evens), sum(evens) & 0xFFFFFF, highs, first, flipped


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200000
    res = asyncio.run(main_async(n))
    print("async_stream n=%d %s" % (n, " ".join(str(v) for v in res)))


if __name__ == "__main__":
    main()
