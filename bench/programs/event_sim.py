"""Discrete-event simulation of a bank branch as a small queueing network.

Stresses: heapq of event objects ordered by __lt__, dispatch through a dict of
bound methods, small classes with __slots__ and without, collections.deque
queues, lazy cancellation flags, statistics accumulators (tallies and
time-weighted averages), integer clock arithmetic, %-formatted report lines.
Customers arrive, use an ATM or queue for a teller (reneging when impatient),
some continue to an advisor; tellers take periodic breaks.
"""
import sys
import heapq
from collections import deque


class Rng(object):
    def __init__(self, seed):
        self.x = seed

    def next(self):
        self.x = (self.x * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
        return self.x >> 33

    def uniform(self, lo, hi):
        return lo + self.next() % (hi - lo + 1)

    def chance(self, percent):
        return self.next() % 100 < percent

    def erlang(self, mean, k):
        # sum of k uniform integers: a bell-shaped service time
        total = 0
        for _ in range(k):
            total += self.next() % (2 * mean // k + 1)
        return total + 1


class Event(object):
    __slots__ = ("time", "seq", "kind", "who", "where")

    def __init__(self, time, seq, kind, who, where):
        self.time = time
        self.seq = seq
        self.kind = kind
        self.who = who
        self.where = where

    def __lt__(self, other):
        if self.time != other.time:
            return self.time < other.time
        return self.seq < other.seq


class Customer(object):
    def __init__(self, ident, arrival, wants_advice, patience):
        self.ident = ident
        self.arrival = arrival
        self.wants_advice = wants_advice
        self.patience = patience
        self.queued_at = arrival
        self.waiting = False
        self.visits = 0


class Tally(object):
    def __init__(self, name):
        self.name = name
        self.n = 0
        self.total = 0
        self.sq = 0
        self.max = 0

    def add(self, value):
        self.n += 1
        self.total += value
        self.sq += value * value
        if value > self.max:
            self.max = value

    def mean(self):
        return self.total / self.n if self.n else 0.0

    def variance(self):
        if self.n < 2:
            return 0.0
        return (self.sq - self.total * self.total / self.n) / (self.n - 1)


class TimeWeighted(object):
    def __init__(self):
        self.value = 0
        self.last = 0
        self.area = 0
        self.max = 0

    def update(self, now, value):
        self.area += self.value * (now - self.last)
        self.last = now
        self.value = value
        if value > self.max:
            self.max = value


class Server(object):
    def __init__(self, name):
        self.name = name
        self.customer = None
        self.on_break = False
        self.busy_since = 0
        self.busy_time = 0
        self.served = 0

    def idle(self):
        return self.customer is None and not self.on_break


class Station(object):
    def __init__(self, name, nservers, mean_service):
        self.name = name
        self.servers = [Server("%s%d" % (name, i)) for i in range(nservers)]
        self.queue = deque()
        self.mean_service = mean_service
        self.qlen = TimeWeighted()
        self.wait = Tally(name + ".wait")
        self.reneged = 0

    def free_server(self):
        for s in self.servers:
            if s.idle():
                return s
        return None


class BankSim(object):
    def __init__(self, seed, ntellers):
        self.rng = Rng(seed)
        self.now = 0
        self.seq = 0
        self.events = []
        self.atm = Station("atm", 2, 3)
        self.teller = Station("teller", ntellers, 9)
        self.advisor = Station("advisor", 1, 25)
        self.stations = (self.atm, self.teller, self.advisor)
        self.system_time = Tally("system")
        self.next_id = 0
        self.done = 0
        self.handlers = {
            "arrive": self.on_arrive,
            "depart": self.on_depart,
            "renege": self.on_renege,
            "break": self.on_break,
            "resume": self.on_resume,
        }

    def schedule(self, delay, kind, who, where):
        self.seq += 1
        heapq.heappush(self.events, Event(self.now + delay, self.seq, kind, who, where))

    def join(self, station, cust):
        server = station.free_server()
        if server is not None:
            station.wait.add(0)
            self.start_service(station, server, cust)
            return
        cust.queued_at = self.now
        cust.waiting = True
        station.queue.append(cust)
        station.qlen.update(self.now, len(station.queue))
        if station is self.teller:
            self.schedule(cust.patience, "renege", cust, station)

    def start_service(self, station, server, cust):
        server.customer = cust
        server.busy_since = self.now
        cust.visits += 1
        self.schedule(self.rng.erlang(station.mean_service, 3), "depart", server, station)

    def pull_next(self, station, server):
        queue = station.queue
        while queue:
            cust = queue.popleft()
            if cust.waiting:  # skip customers who already reneged
                cust.waiting = False
                station.qlen.update(self.now, len(queue))
                station.wait.add(self.now - cust.queued_at)
                self.start_service(station, server, cust)
                return
        station.qlen.update(self.now, 0)

    def on_arrive(self, ev):
        rng = self.rng
        cust = Customer(self.next_id, self.now, rng.chance(18), rng.uniform(10, 60))
        self.next_id += 1
        if rng.chance(35):
            self.join(self.atm, cust)
        else:
            self.join(self.teller, cust)
        if self.next_id < self.limit:
            self.schedule(rng.uniform(1, 5), "arrive", None, None)

    def on_depart(self, ev):
        server = ev.who
        station = ev.where
        cust = server.customer
        server.customer = None
        server.busy_time += self.now - server.busy_since
        server.served += 1
        if station is self.teller and cust.wants_advice:
            self.join(self.advisor, cust)
        else:
            self.system_time.add(self.now - cust.arrival)
            self.done += 1
        if not server.on_break:
            self.pull_next(station, server)

    def on_renege(self, ev):
        cust = ev.who
        if cust.waiting:
            cust.waiting = False
            ev.where.reneged += 1
            ev.where.wait.add(self.now - cust.queued_at)
            self.done += 1

    def on_break(self, ev):
        server = ev.who
        server.on_break = True
        if self.now < self.horizon:
            self.schedule(15, "resume", server, ev.where)

    def on_resume(self, ev):
        server = ev.who
        server.on_break = False
        self.schedule(200 + self.rng.uniform(0, 40), "break", server, ev.where)
        if server.customer is None:
            self.pull_next(ev.where, server)

    def run(self, ncustomers):
        self.limit = ncustomers
        self.horizon = ncustomers * 4
        self.schedule(0, "arrive", None, None)
        for i, s in enumerate(self.teller.servers):
            self.schedule(100 + 37 * i, "break", s, self.teller)
        handlers = self.handlers
        processed = 0
        events = self.events
        while events:
            ev = heapq.heappop(events)
            self.now = ev.time
            handlers[ev.kind](ev)
            processed += 1
        return processed


def report(sim):
    lines = []
    for st in sim.stations:
        st.qlen.update(sim.now, len(st.queue))
        busy = sum(s.busy_time for s in st.servers)
        lines.append("%-8s served=%5d wait=%.6f sd2=%.6f maxwait=%d maxq=%d avgq=%.6f util=%.6f reneged=%d" % (
            st.name, sum(s.served for s in st.servers), st.wait.mean(), st.wait.variance(),
            st.wait.max, st.qlen.max, st.qlen.area / sim.now, busy / (sim.now * len(st.servers)),
            st.reneged))
    return lines


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 13000
    h = 0
    total_events = 0
    summary = []
    for ntellers in (2, 3, 4):
        sim = BankSim(1000 + ntellers, ntellers)
        total_events += sim.run(n)
        for line in report(sim):
            for ch in line:
                h = (h * 33 + ord(ch)) & 0xFFFFFFFF
        summary.append("t%d:%d/%.3f" % (ntellers, sim.done, sim.system_time.mean()))
    print("event_sim n=%d events=%d %s h=%d" % (n, total_events, " ".join(summary), h))


if __name__ == "__main__":
    main()
