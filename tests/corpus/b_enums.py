# enum: Enum, IntEnum, Flag, auto, iteration, lookup by value and name, members in dicts.
import enum
from enum import Enum, IntEnum, Flag, auto, unique

class Color(Enum):
    RED = 1
    GREEN = 2
    BLUE = 3
    CRIMSON = 1   # alias of RED

print(Color.RED, repr(Color.GREEN), Color(3), Color["BLUE"], Color.CRIMSON is Color.RED)
print([c.name for c in Color], len(Color), list(Color.__members__))
print(Color.RED.name, Color.RED.value, type(Color.RED).__name__, isinstance(Color.RED, Color))
try:
    Color(7)
except ValueError:
    print("Color(7) -> ValueError")
try:
    Color["PINK"]
except KeyError:
    print("Color['PINK'] -> KeyError")
print(Color.RED == 1, Color.RED == Color.CRIMSON, Color.RED is not Color.BLUE)

class Weekday(IntEnum):
    MON = 1
    TUE = 2
    WED = 3
print(Weekday.TUE + 1, Weekday.WED > Weekday.MON, sorted([Weekday.WED, Weekday.MON]), Weekday(2).name)
print(int(Weekday.WED), Weekday.MON == 1, [d.value for d in Weekday])

class Perm(Flag):
    R = auto()
    W = auto()
    X = auto()
rw = Perm.R | Perm.W
print(rw.value, Perm.R in rw, Perm.X in rw, (rw & Perm.W).name, bool(Perm.X & rw), Perm(0).value)
print([p.name for p in Perm], [m.name for m in rw])

class Auto(Enum):
    A = auto()
    B = auto()
    C = auto()
print([(m.name, m.value) for m in Auto])

try:
    @unique
    class Dup(Enum):
        A = 1
        B = 1
except ValueError:
    print("unique violation -> ValueError")

# Enum with methods and properties
class Planet(Enum):
    MERCURY = (3, 2)
    EARTH = (6, 5)
    def __init__(self, radius, mass):
        self.radius = radius
        self.mass = mass
    @property
    def density(self):
        return self.mass * 100 // (self.radius ** 3)
    def describe(self):
        return f"{self.name.title()}: r={self.radius} m={self.mass}"
print([p.describe() for p in Planet], Planet.EARTH.density, Planet((3, 2)).name)

# Enums as dict keys and in a hot state machine
class State(Enum):
    IDLE = "idle"
    RUN = "run"
    STOP = "stop"
transitions = {
    (State.IDLE, "go"): State.RUN,
    (State.RUN, "halt"): State.STOP,
    (State.STOP, "reset"): State.IDLE,
}
events = ["go", "noop", "halt", "reset"]
st = State.IDLE
visits = {s: 0 for s in State}
for i in range(3000):
    st = transitions.get((st, events[i % 4]), st)
    visits[st] += 1
print("final", st, sorted((k.value, v) for k, v in visits.items()))

# Functional API
Animal = Enum("Animal", "ANT BEE CAT")
print([(a.name, a.value) for a in Animal], Animal.BEE)

# StrEnum
class Mode(enum.StrEnum):
    READ = auto()
    WRITE = "w"
print(Mode.READ, Mode.WRITE, Mode.READ == "read", f"{Mode.WRITE}!", Mode("w").name)
