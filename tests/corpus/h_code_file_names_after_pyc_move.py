# Code loaded from a .pyc written for another path (a moved project, a symlinked
# directory) shows the path it was imported from: importlib fixes the file name of every
# code object in the module when it loads the .pyc. The same holds once the JIT has
# rewritten or compiled the module's functions: co_filename, frames and tracebacks.
import importlib.util
import os
import py_compile
import shutil
import sys
import tempfile

SOURCE = '''
import sys

def work(n):
    total = 0
    for i in range(n):
        total += i % 3
    return total

def where():
    return sys._getframe().f_code.co_filename

def fail(n):
    if n > 5:
        raise ValueError(n)
    return n

def make_closure(k):
    def inner(x):
        return x + k
    return inner

class Box:
    def get(self):
        return sys._getframe().f_code.co_filename
'''

d = tempfile.mkdtemp()
try:
    src = os.path.join(d, "moved_mod.py")
    with open(src, "w") as f:
        f.write(SOURCE)
    elsewhere = os.path.join(os.sep, "somewhere", "else", "moved_mod.py")
    py_compile.compile(src, cfile=importlib.util.cache_from_source(src), dfile=elsewhere,
                       doraise=True)
    sys.path.insert(0, d)
    import moved_mod as m

    def shown(path):
        return "here" if path == src else ("elsewhere" if path == elsewhere else path)

    # Hot enough to be compiled by default; every mode must say the same.
    for i in range(2000):
        m.work(30)
        m.where()
        m.make_closure(i)(1)
        m.Box().get()
    print("module", shown(m.__file__))
    print("function", shown(m.work.__code__.co_filename))
    print("frame", shown(m.where()))
    print("closure", shown(m.make_closure(1).__code__.co_filename))
    print("method", shown(m.Box().get()))
    for n in range(8):
        try:
            m.fail(n)
        except ValueError as e:
            tb = e.__traceback__
            while tb.tb_next:
                tb = tb.tb_next
            print("traceback", n, shown(tb.tb_frame.f_code.co_filename), tb.tb_lineno)
finally:
    sys.path.remove(d) if d in sys.path else None
    shutil.rmtree(d)
