import asyncio
order = []
async def worker(name, n):
    total = 0
    for i in range(n):
        total += i
        if i % 500 == 0:
            await asyncio.sleep(0)
    order.append(name)
    return name, total

class AIter:
    def __init__(self, n):
        self.i = 0; self.n = n
    def __aiter__(self):
        return self
    async def __anext__(self):
        if self.i >= self.n:
            raise StopAsyncIteration
        self.i += 1
        await asyncio.sleep(0)
        return self.i

class ACM:
    async def __aenter__(self):
        order.append("aenter")
        return "res"
    async def __aexit__(self, et, ev, tb):
        order.append("aexit %s" % (et.__name__ if et else None))
        return True

async def agen(n):
    for i in range(n):
        yield i * i
        await asyncio.sleep(0)

async def fails():
    await asyncio.sleep(0)
    raise ValueError("boom")

async def main():
    res = await asyncio.gather(worker("a", 3000), worker("b", 1000), worker("c", 10))
    print("gather", res)
    s = 0
    async for v in AIter(3000):
        s += v
    print("aiter sum", s)
    async with ACM() as r:
        print("in acm", r)
        raise KeyError
    print("squares", [x async for x in agen(6)])
    r2 = await asyncio.gather(fails(), worker("d", 5), return_exceptions=True)
    print("gather exc", [type(x).__name__ for x in r2])
    try:
        await fails()
    except ValueError as e:
        print("awaited exc", type(e).__name__)
    t = asyncio.create_task(worker("task", 100))
    print("task", await t)
    return "main done"

print(asyncio.run(main()))
print("order", order)
