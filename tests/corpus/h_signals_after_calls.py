# A signal handler runs right after the call that made its signal due, in hot code as in
# the interpreter: what it raises leaves from that call (inside the `try` around it), and
# what it does is visible on the next line.
import _thread
import signal


def interrupted(n):
    caught = 0
    for i in range(n):
        try:
            _thread.interrupt_main()
            caught -= 1000  # never reached: KeyboardInterrupt comes first
        except KeyboardInterrupt:
            caught += 1
    return caught


print("interrupts caught around their call:", interrupted(3000))

got = []
signal.signal(signal.SIGUSR1, lambda sig, frame: got.append(sig))


def raised(n):
    late = 0
    for i in range(n):
        before = len(got)
        signal.raise_signal(signal.SIGUSR1)
        if len(got) == before:
            late += 1
    return late


print("handlers that ran after the next line:", raised(3000), "of", len(got))


# The same through a call with keywords and a call with `*args`.
def through_other_calls(n):
    late = 0
    args = (signal.SIGUSR1,)
    for i in range(n):
        before = len(got)
        if i % 2:
            signal.raise_signal(*args)
        else:
            sorted(args, key=signal.raise_signal)
        if len(got) == before:
            late += 1
    return late


print("after keyword and *args calls:", through_other_calls(3000))
