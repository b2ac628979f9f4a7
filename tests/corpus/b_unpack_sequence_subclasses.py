# Unpacking reads exact tuples and lists directly; anything else, including subclasses of
# tuple and list, unpacks by iterating, as the interpreter does: struct sequences
# (`time.struct_time`, `os.stat_result`) hold more fields than they yield, and a subclass
# may define its own __iter__.
import os
import time

class Pair(tuple):
    def __iter__(self):
        yield "first"
        yield "second"

class Reversed(list):
    def __iter__(self):
        return iter(list.__getitem__(self, slice(None, None, -1)))

def unpack_struct_time(t):
    year, month, day, hh, mm, ss, wd, yd, dst = t
    return year, month, wd

def unpack_stat(st):
    mode, ino, dev, nlink, uid, gid, size, atime, mtime, ctime = st
    return size

def unpack_pair(p):
    a, b = p
    return a + "/" + b

def unpack_reversed(r):
    a, b, c = r
    return a, b, c

def unpack_wrong(t):
    try:
        a, b = t
    except ValueError as e:
        return str(e)

def main():
    # A hot loop (compiled) calling the unpacking functions (compiled for it).
    st = os.stat(__file__)
    for i in range(3000):
        r1 = unpack_struct_time(time.gmtime(86400 * i))
        r2 = unpack_stat(st)
        r3 = unpack_pair(Pair((1, 2, 3)))
        r4 = unpack_reversed(Reversed([1, 2, 3]))
        r5 = unpack_wrong(time.gmtime(0))
        year, *rest = time.gmtime(0)
    print(r1, r2 == st.st_size, r3, r4, year, len(rest))
    print(r5)

main()
