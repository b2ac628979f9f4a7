"""An asyncio fan-out: many small tasks that await each other through queues, events and
`gather`, as a crawler or a server's request handlers would, on one event loop.

Stresses: task creation and scheduling, coroutine resumes that do little work per
`await`, `asyncio.Queue` producer/consumer hand-offs, `gather` of nested coroutines,
`async with` on a lock, exceptions caught across awaits.
"""
import asyncio
import sys


class Fetcher:
    def __init__(self):
        self.lock = asyncio.Lock()
        self.fetched = 0

    async def fetch(self, url):
        await asyncio.sleep(0)
        if url % 97 == 0:
            raise LookupError(url)
        async with self.lock:
            self.fetched += 1
        return (url * 2654435761) & 0xFFFF


async def handle(fetcher, url):
    try:
        body = await fetcher.fetch(url)
    except LookupError:
        return -1
    links = [(url * 7 + i) % 5000 for i in range(body % 3)]
    sizes = await asyncio.gather(*(fetcher.fetch(l) for l in links), return_exceptions=True)
    return body + sum(-1 if isinstance(s, LookupError) else s for s in sizes)


async def producer(queue, n):
    for url in range(n):
        await queue.put(url)
    await queue.put(None)


async def consumer(queue, fetcher, results):
    while True:
        url = await queue.get()
        if url is None:
            await queue.put(None)
            return
        results.append(await handle(fetcher, url))


async def pipeline(n, workers):
    fetcher = Fetcher()
    queue = asyncio.Queue(maxsize=64)
    results = []
    await asyncio.gather(producer(queue, n), *(consumer(queue, fetcher, results) for _ in range(workers)))
    return fetcher.fetched, len(results), sum(r for r in results if r >= 0), results.count(-1)


async def tree(depth):
    if depth == 0:
        await asyncio.sleep(0)
        return 1
    parts = await asyncio.gather(tree(depth - 1), tree(depth - 1))
    return sum(parts) + 1


async def main_async(n):
    a = await pipeline(n, 16)
    b = await tree(10)
    event = asyncio.Event()
    waiters = [asyncio.ensure_future(event.wait()) for _ in range(n // 10)]
    await asyncio.sleep(0)
    event.set()
    done = sum(1 for r in await asyncio.gather(*waiters) if r)
    return a + (b, done)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
    res = asyncio.run(main_async(n))
    print("asyncio_fanout n=%d %s" % (n, " ".join(str(v) for v in res)))


if __name__ == "__main__":
    main()
