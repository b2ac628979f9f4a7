"""Richards-style operating-system task scheduler simulation.

Stresses: method calls on small classes, attribute reads/writes, polymorphic
dispatch through subclasses, linked lists of objects, None checks.
Written from the description of Martin Richards' benchmark (idle task, worker,
two handlers, two devices exchanging packets), not copied from any port.
"""
import sys

IDLE, WORKER, HANDLER_A, HANDLER_B, DEVICE_A, DEVICE_B = range(6)
NTASKS = 6
KIND_DEVICE = 0
KIND_WORK = 1
BUF_SIZE = 4


class Packet(object):
    def __init__(self, link, ident, kind):
        self.link = link
        self.ident = ident
        self.kind = kind
        self.count = 0
        self.data = [0] * BUF_SIZE

    def append_to(self, queue):
        self.link = None
        if queue is None:
            return self
        p = queue
        while p.link is not None:
            p = p.link
        p.link = self
        return queue


class Task(object):
    def __init__(self, sched, ident, priority, queue, state):
        self.sched = sched
        self.ident = ident
        self.priority = priority
        self.queue = queue
        # state flags
        self.waiting_packet = queue is not None
        self.waiting = False
        self.held = False
        self.link = sched.task_list
        sched.task_list = self
        sched.tasks[ident] = self
        self.init_state(state)

    def init_state(self, state):
        pass

    def blocked(self):
        return self.held or (self.waiting and not self.waiting_packet)

    def is_higher(self, other):
        return self.priority > other.priority

    def add_packet(self, pkt, old):
        if self.queue is None:
            self.queue = pkt
            self.waiting_packet = True
            if self.priority > old.priority:
                return self
        else:
            self.queue = pkt.append_to(self.queue)
        return old

    def take_packet(self):
        pkt = self.queue
        if pkt is None:
            return None
        self.queue = pkt.link
        self.waiting_packet = self.queue is not None
        return pkt

    def run(self, pkt):
        raise NotImplementedError


class IdleTask(Task):
    def init_state(self, state):
        self.control = state
        self.count = 10000

    def run(self, pkt):
        s = self.sched
        self.count -= 1
        if self.count == 0:
            return s.hold_self()
        if self.control & 1 == 0:
            self.control >>= 1
            return s.release(DEVICE_A)
        self.control = (self.control >> 1) ^ 0xD008
        return s.release(DEVICE_B)


class WorkerTask(Task):
    def init_state(self, state):
        self.dest = HANDLER_A
        self.letter = 0

    def run(self, pkt):
        s = self.sched
        if pkt is None:
            return s.wait_self()
        self.dest = HANDLER_B if self.dest == HANDLER_A else HANDLER_A
        pkt.ident = self.dest
        pkt.count = 0
        for i in range(BUF_SIZE):
            self.letter += 1
            if self.letter > 26:
                self.letter = 1
            pkt.data[i] = self.letter
        return s.queue_packet(pkt)


class HandlerTask(Task):
    def init_state(self, state):
        self.work_in = None
        self.device_in = None

    def run(self, pkt):
        s = self.sched
        if pkt is not None:
            if pkt.kind == KIND_WORK:
                self.work_in = pkt.append_to(self.work_in)
            else:
                self.device_in = pkt.append_to(self.device_in)
        work = self.work_in
        if work is not None:
            count = work.count
            if count < BUF_SIZE:
                dev = self.device_in
                if dev is not None:
                    self.device_in = dev.link
                    dev.data[0] = work.data[count]
                    work.count = count + 1
                    return s.queue_packet(dev)
            else:
                self.work_in = work.link
                return s.queue_packet(work)
        return s.wait_self()


class DeviceTask(Task):
    def init_state(self, state):
        self.pending = None

    def run(self, pkt):
        s = self.sched
        if pkt is None:
            p = self.pending
            if p is None:
                return s.wait_self()
            self.pending = None
            return s.queue_packet(p)
        self.pending = pkt
        return s.hold_self()


class Scheduler(object):
    def __init__(self):
        self.task_list = None
        self.tasks = [None] * NTASKS
        self.current = None
        self.hold_count = 0
        self.queue_count = 0

    def find(self, ident):
        return self.tasks[ident]

    def hold_self(self):
        self.hold_count += 1
        t = self.current
        t.held = True
        return t.link

    def wait_self(self):
        t = self.current
        t.waiting = True
        return t

    def release(self, ident):
        t = self.find(ident)
        t.held = False
        if t.priority > self.current.priority:
            return t
        return self.current

    def queue_packet(self, pkt):
        t = self.find(pkt.ident)
        self.queue_count += 1
        pkt.link = None
        pkt.ident = self.current.ident
        if t.queue is None:
            t.queue = pkt
            t.waiting_packet = True
            t.waiting = False
            if t.priority > self.current.priority:
                return t
            return self.current
        t.queue = pkt.append_to(t.queue)
        return self.current

    def schedule(self):
        t = self.task_list
        while t is not None:
            if t.waiting and t.waiting_packet:
                t.waiting = False
            if t.blocked():
                t = t.link
                continue
            self.current = t
            if t.waiting_packet and not t.waiting:
                pkt = t.take_packet()
            else:
                pkt = None
            t = t.run(pkt)


def one_run():
    s = Scheduler()
    IdleTask(s, IDLE, 0, None, 1)
    wq = Packet(None, 0, KIND_WORK)
    wq = Packet(wq, 0, KIND_WORK)
    WorkerTask(s, WORKER, 1000, wq, None)
    q = Packet(None, DEVICE_A, KIND_DEVICE)
    q = Packet(q, DEVICE_A, KIND_DEVICE)
    q = Packet(q, DEVICE_A, KIND_DEVICE)
    HandlerTask(s, HANDLER_A, 2000, q, None)
    q = Packet(None, DEVICE_B, KIND_DEVICE)
    q = Packet(q, DEVICE_B, KIND_DEVICE)
    q = Packet(q, DEVICE_B, KIND_DEVICE)
    HandlerTask(s, HANDLER_B, 3000, q, None)
    DeviceTask(s, DEVICE_A, 4000, None, None)
    DeviceTask(s, DEVICE_B, 5000, None, None)
    # Tasks with an initial queue start runnable; the others start idle-waiting.
    for t in s.tasks:
        if t.queue is None and t.ident != IDLE:
            t.waiting = True
    s.schedule()
    return s.queue_count, s.hold_count


def main():
    iters = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    total_q = 0
    total_h = 0
    for _ in range(iters):
        qc, hc = one_run()
        total_q += qc
        total_h += hc
    print("richards iters=%d queue_count=%d hold_count=%d" % (iters, total_q, total_h))


if __name__ == "__main__":
    main()
