from .core import Registry, register
from . import util
VERSION = (1, 2)
init_count = 0
init_count += 1
__all__ = ["Registry", "register", "util"]
