# A function run in a subinterpreter (`_interpreters.run_func`, `_interpreters.exec`) is
# checked to be a script and runs there with its own code, hot or compiled here or not.
import _interpreters

interp = _interpreters.create()

def script():
    import sys
    total = 0
    for i in range(1000):
        total += i
    sys.stdout.write(f"subinterpreter total {total}\n")

for _ in range(3):
    _interpreters.run_func(interp, script)
_interpreters.exec(interp, script.__code__)
_interpreters.destroy(interp)
print("done")
