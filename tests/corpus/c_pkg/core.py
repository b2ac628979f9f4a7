from .util import normalize
_registry = {}
calls = 0
class Registry:
    @staticmethod
    def names():
        return sorted(_registry)
    @staticmethod
    def get(name):
        return _registry[normalize(name)]
def register(name):
    def deco(fn):
        _registry[normalize(name)] = fn
        return fn
    return deco
def bump():
    global calls
    calls += 1
    return calls
