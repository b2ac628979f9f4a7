# Ends with an uncaught custom exception raised 4 frames deep (exit 1).
class PipelineError(Exception):
    pass
class StageFailed(PipelineError):
    pass

def stage4(x):
    if x == 2999:
        raise StageFailed("stage4 failed on %d" % x)
    return x * 2
def stage3(x):
    return stage4(x) + 1
def stage2(x):
    return stage3(x) - 1
def stage1(x):
    return stage2(x) // 2

total = 0
for i in range(3000):
    if i % 1000 == 0:
        print("progress", i, total)
    total += stage1(i)
print("unreachable")
