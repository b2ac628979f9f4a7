# Single inheritance, overriding, isinstance/issubclass, method resolution.

class Animal:
    kind = "animal"
    count = 0
    def __init__(self, name):
        self.name = name
        Animal.count += 1
    def speak(self):
        return "..."
    def describe(self):
        return f"{self.name} the {self.kind} says {self.speak()}"

class Dog(Animal):
    kind = "dog"
    def speak(self):
        return "woof"

class Puppy(Dog):
    def speak(self):
        return super().speak() + "!"
    def describe(self):
        return "little " + super().describe()

class Cat(Animal):
    kind = "cat"
    def __init__(self, name, lives=9):
        super().__init__(name)
        self.lives = lives
    def speak(self):
        return "meow"

zoo = [Animal("generic"), Dog("rex"), Puppy("bit"), Cat("tom", 7)]
for a in zoo:
    print(a.describe())
print("count", Animal.count)
print([type(a).__name__ for a in zoo])
print([isinstance(a, Dog) for a in zoo])
print(issubclass(Puppy, Animal), issubclass(Cat, Dog), issubclass(Dog, Dog))
print([c.__name__ for c in Puppy.__mro__])
print(Puppy.__bases__[0].__name__, Cat.__base__.__name__)
print(zoo[3].lives, hasattr(zoo[1], "lives"))

# Overriding a class attribute on an instance
d = zoo[1]
d.kind = "wolf"
print(d.describe(), Dog.kind)
del d.kind
print(d.describe())

# Polymorphic hot loop
def chorus(animals, n):
    counts = {}
    for i in range(n):
        s = animals[i % len(animals)].speak()
        counts[s] = counts.get(s, 0) + 1
    return sorted(counts.items())
print(chorus(zoo, 3000))

# Subclass of builtins
class MyList(list):
    def total(self):
        return sum(self)
    def append(self, x):
        super().append(x * 2)
ml = MyList([1, 2, 3])
ml.append(10)
print(ml, ml.total(), len(ml), isinstance(ml, list), type(ml).__name__)

class DefaultDictish(dict):
    def __missing__(self, key):
        self[key] = len(key)
        return self[key]
dd = DefaultDictish()
print(dd["abc"], dd["hello"], sorted(dd.items()))

class Str2(str):
    def shout(self):
        return self.upper() + "!"
s2 = Str2("hey")
print(s2.shout(), s2 + "x", type(s2 + "x").__name__)

# Class with __init_subclass__
class PluginBase:
    plugins = []
    def __init_subclass__(cls, tag=None, **kw):
        super().__init_subclass__(**kw)
        PluginBase.plugins.append((cls.__name__, tag))
class PA(PluginBase, tag="a"):
    pass
class PB(PluginBase):
    pass
class PC(PA, tag="c"):
    pass
print(PluginBase.plugins)

# Methods looked up on the class at call time
class Base:
    def hook(self):
        return "base"
    def run(self):
        return self.hook()
class Child(Base):
    pass
c = Child()
r1 = c.run()
Child.hook = lambda self: "patched child"
r2 = c.run()
del Child.hook
r3 = c.run()
print(r1, r2, r3)
