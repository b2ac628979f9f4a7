from .shapes import Square, area_sum
from . import counter
VERSION = (1, 2)
