from ..util import scale
from .. import core
def triple_bump(x):
    core.bump()
    return scale(x)
