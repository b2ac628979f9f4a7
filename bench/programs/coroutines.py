"""Generator-based cooperative multitasking: a tiny OS-like scheduler plus hand-driven async coroutines.

Stresses: generators as tasks, `gen.send()`, `yield from` sub-generators with
`return` values (StopIteration.value), system-call objects dispatched by type,
`collections.deque` channels and run queues, `async def`/`await` driven by hand
with `coro.send(None)`, an awaitable class with `__await__`, try/except StopIteration.
"""
import sys
from collections import deque

MASK = 0xFFFFFFFF


# ---------------------------------------------------------------- syscalls
class SysCall(object):
    __slots__ = ()


class Sleep(SysCall):
    __slots__ = ("ticks",)

    def __init__(self, ticks):
        self.ticks = ticks


class Send(SysCall):
    __slots__ = ("chan", "value")

    def __init__(self, chan, value):
        self.chan = chan
        self.value = value


class Recv(SysCall):
    __slots__ = ("chan",)

    def __init__(self, chan):
        self.chan = chan


class Spawn(SysCall):
    __slots__ = ("gen", "name")

    def __init__(self, gen, name):
        self.gen = gen
        self.name = name


class Channel(object):
    def __init__(self, name):
        self.name = name
        self.items = deque()
        self.waiting = deque()
        self.sent = 0


class Task(object):
    __slots__ = ("tid", "name", "gen", "sendval", "result")

    def __init__(self, tid, name, gen):
        self.tid = tid
        self.name = name
        self.gen = gen
        self.sendval = None
        self.result = None


class Scheduler(object):
    def __init__(self):
        self.ready = deque()
        self.sleeping = {}
        self.tick = 0
        self.next_tid = 1
        self.finished = []
        self.switches = 0

    def spawn(self, gen, name):
        t = Task(self.next_tid, name, gen)
        self.next_tid += 1
        self.ready.append(t)
        return t.tid

    def wake_sleepers(self):
        woken = self.sleeping.pop(self.tick, None)
        if woken:
            self.ready.extend(woken)

    def handle(self, task, call):
        if isinstance(call, Sleep):
            when = self.tick + call.ticks
            self.sleeping.setdefault(when, []).append(task)
        elif isinstance(call, Send):
            ch = call.chan
            ch.sent += 1
            if ch.waiting:
                receiver = ch.waiting.popleft()
                receiver.sendval = call.value
                self.ready.append(receiver)
            else:
                ch.items.append(call.value)
            task.sendval = None
            self.ready.append(task)
        elif isinstance(call, Recv):
            ch = call.chan
            if ch.items:
                task.sendval = ch.items.popleft()
                self.ready.append(task)
            else:
                ch.waiting.append(task)
        elif isinstance(call, Spawn):
            task.sendval = self.spawn(call.gen, call.name)
            self.ready.append(task)
        else:
            task.sendval = call
            self.ready.append(task)

    def run(self):
        while self.ready or self.sleeping:
            if not self.ready:
                self.tick = min(self.sleeping)
                self.wake_sleepers()
                continue
            # one round over the tasks ready now
            for _ in range(len(self.ready)):
                task = self.ready.popleft()
                self.switches += 1
                try:
                    call = task.gen.send(task.sendval)
                except StopIteration as e:
                    task.result = e.value
                    self.finished.append(task)
                    continue
                self.handle(task, call)
            self.tick += 1
            self.wake_sleepers()


# ------------------------------------------------------------- task bodies
def checksum_block(seed, count):
    """Sub-generator: yields occasionally, returns a value."""
    x = seed
    acc = 0
    for i in range(count):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        acc = (acc * 31 + (x >> 7)) & MASK
        if i % 16 == 15:
            yield Sleep(0)
    return acc


def request(chan_out, chan_in, value):
    yield Send(chan_out, (value, chan_in))
    reply = yield Recv(chan_in)
    return reply


def producer(ident, out, items, seed):
    total = 0
    for i in range(items):
        v = yield from checksum_block(seed + i, 8 + (i % 5))
        yield Send(out, (ident, i, v))
        total = (total + v) & MASK
        if i % 7 == 3:
            yield Sleep(1 + ident % 3)
    yield Send(out, (ident, -1, 0))
    return total


def worker(inbox, outbox, server_req, ident):
    server_rep = Channel("reply%d" % ident)
    handled = 0
    acc = 0
    while True:
        msg = yield Recv(inbox)
        if msg is None:
            break
        ident, seq, value = msg
        if seq % 4 == 0:
            value = yield from request(server_req, server_rep, value)
        acc = (acc + value * (ident + 1)) & MASK
        handled += 1
        yield Send(outbox, (ident, seq, acc & 0xFFFF))
    return handled * 100000 + (acc & 0xFFFF)


def server(req, count):
    table = {}
    for _ in range(count):
        v, reply = yield Recv(req)
        key = v % 257
        table[key] = table.get(key, 0) + 1
        yield Send(reply, (v ^ (table[key] << 3)) & 0xFFFFF)
    return len(table)


def collector(inbox, nproducers, expected, workers_in, nworkers):
    done = 0
    h = 0
    seen = 0
    while done < nproducers or seen < expected:
        ident, seq, value = yield Recv(inbox)
        if seq < 0:
            done += 1
            continue
        seen += 1
        h = (h * 131 + value + seq) & MASK
    for _ in range(nworkers):
        yield Send(workers_in, None)
    return h + seen


def router(src, dst, results, nproducers):
    """Forwards producer output to the worker pool, end markers to the collector."""
    ended = 0
    while ended < nproducers:
        msg = yield Recv(src)
        if msg[1] < 0:
            ended += 1
            yield Send(results, msg)
        else:
            yield Send(dst, msg)
    return ended


def boot(n, nproducers, nworkers):
    src = Channel("src")
    work = Channel("work")
    results = Channel("results")
    req = Channel("req")
    per = n // nproducers
    requests = 0
    for p in range(nproducers):
        requests += (per + 3) // 4
        yield Spawn(producer(p, src, per, 1000 * p + 17), "producer%d" % p)
    yield Spawn(router(src, work, results, nproducers), "router")
    for w in range(nworkers):
        yield Spawn(worker(work, results, req, w), "worker%d" % w)
    yield Spawn(server(req, requests), "server")
    tid = yield Spawn(collector(results, nproducers, per * nproducers, work, nworkers),
                      "collector")
    return tid


def run_scheduler(n):
    sched = Scheduler()
    sched.spawn(boot(n, 6, 4), "boot")
    sched.run()
    h = sched.switches
    for t in sorted(sched.finished, key=lambda t: t.tid):
        h = (h * 1000003 + (t.result or 0) + t.tid) & MASK
    return h, len(sched.finished), sched.tick


# --------------------------------------------------- async/await by hand
class Pause(object):
    """Awaitable that suspends the coroutine once, yielding a tag to the driver."""
    __slots__ = ("tag",)

    def __init__(self, tag):
        self.tag = tag

    def __await__(self):
        got = yield self.tag
        return got


class AsyncQueue(object):
    def __init__(self, limit):
        self.items = deque()
        self.limit = limit

    async def put(self, item):
        while len(self.items) >= self.limit:
            await Pause("full")
        self.items.append(item)

    async def get(self):
        while not self.items:
            await Pause("empty")
        return self.items.popleft()


async def transform(v):
    await Pause("work")
    return (v * 2654435761) & MASK


async def async_producer(q, count, seed):
    x = seed
    for _ in range(count):
        x = (x * 69069 + 1) & MASK
        await q.put(x >> 8)
    await q.put(None)
    return count


async def async_stage(qin, qout):
    n = 0
    while True:
        v = await qin.get()
        if v is None:
            await qout.put(None)
            return n
        if v & 1:
            v = await transform(v)
        await qout.put(v ^ (n << 4))
        n += 1


async def async_sink(q):
    h = 0
    count = 0
    while True:
        v = await q.get()
        if v is None:
            return (h + count) & MASK
        h = (h * 33 + (v & 0xFFFF)) & MASK
        count += 1


def drive(coros):
    pending = deque(enumerate(coros))
    results = [None] * len(coros)
    tags = {}
    steps = 0
    while pending:
        idx, c = pending.popleft()
        steps += 1
        try:
            tag = c.send(None)
        except StopIteration as e:
            results[idx] = e.value
            continue
        tags[tag] = tags.get(tag, 0) + 1
        pending.append((idx, c))
    return results, steps, tags


def run_async(n):
    q1 = AsyncQueue(8)
    q2 = AsyncQueue(4)
    q3 = AsyncQueue(16)
    coros = [async_sink(q3), async_stage(q2, q3), async_stage(q1, q2),
             async_producer(q1, n, 99)]
    results, steps, tags = drive(coros)
    h = steps
    for r in results:
        h = (h * 7919 + r) & MASK
    for k in sorted(tags):
        h = (h * 31 + tags[k]) & MASK
    return h


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 13000
    h1, finished, ticks = run_scheduler(n)
    h2 = run_async(n * 3)
    print("coroutines n=%d tasks=%d ticks=%d sched=%d async=%d checksum=%d" % (
        n, finished, ticks, h1, h2, (h1 * 3 + h2) & MASK))


if __name__ == "__main__":
    main()
