from dataclasses import dataclass, field
from enum import Enum, auto
class Color(Enum):
    RED = auto()
    GREEN = auto()
    BLUE = auto()
@dataclass(order=True)
class P:
    x: int
    y: int = 0
    tags: list = field(default_factory=list)
ps = [P(i % 7, i % 3) for i in range(3000)]
print(ps[:3], max(ps), P(1) == P(1, 0), P(1) < P(2))
counts = {}
for i in range(3000):
    c = list(Color)[i % 3]
    counts[c.name] = counts.get(c.name, 0) + c.value
print(sorted(counts.items()), Color.GREEN, Color(3), Color["RED"].value)
