import asyncio
async def work(n, out):
    for i in range(3):
        await asyncio.sleep(0)
        out.append((n, i))
    return n * 10
class AIter:
    def __init__(self, n): self.i, self.n = 0, n
    def __aiter__(self): return self
    async def __anext__(self):
        if self.i >= self.n:
            raise StopAsyncIteration
        self.i += 1
        await asyncio.sleep(0)
        return self.i
class ACM:
    async def __aenter__(self): return "in"
    async def __aexit__(self, *a): return False
async def main():
    out = []
    res = await asyncio.gather(work(1, out), work(2, out), work(3, out))
    s = 0
    async for v in AIter(3000):
        s += v
    async with ACM() as m:
        pass
    return res, sorted(out), s, m
print(asyncio.run(main()))
