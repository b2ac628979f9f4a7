//! The "stdlib" block: standard-library machinery that introspects the running program,
//! driven from hot loops whose value changes type at a random iteration:
//! `typing.Protocol` with `@runtime_checkable` (isinstance/issubclass), `namedtuple`
//! and the `Enum`/`IntEnum`/`Flag` functional API with classes made inside the hot
//! function and pickle round trips of their instances and members, `dataclasses`
//! (fields, asdict, astuple, replace, eq, order, frozen errors), `functools.lru_cache`
//! (cache_info counts, typed caches), `functools.wraps` (`__name__`, `__wrapped__`,
//! signatures), `logging` records with `%(funcName)s:%(lineno)d` into a StringIO, and
//! `warnings.warn(..., stacklevel=...)` recorded with `catch_warnings(record=True)`.
//! The `frames` block already covers class `__module__` and the simplest pickles; this
//! one looks at what users see of these libraries.

use crate::gen::Gen;

const PARTS: &[&str] = &[
    "std_protocol",
    "std_namedtuple",
    "std_enum",
    "std_dataclass",
    "std_lru_cache",
    "std_wraps",
    "std_logging",
    "std_warnings",
];

impl Gen {
    pub(crate) fn stdlib(&mut self, p: &str) {
        self.line_pub(
            "import typing, collections, collections.abc, enum, pickle, dataclasses, functools, inspect, logging, warnings, io, os",
        );
        let mut picks: Vec<usize> = (0..PARTS.len()).collect();
        self.r.shuffle(&mut picks);
        let k = self.r.range(1, 3) as usize;
        picks.truncate(k);
        for (j, &part) in picks.iter().enumerate() {
            let q = format!("{p}{}", (b'a' + j as u8) as char);
            self.line_pub(&format!("# feature: {}", PARTS[part]));
            let n = self.r.range(800, 2500);
            let flip = self.r.range(200, 2000);
            let every = self.r.range(150, 600);
            let at = self.r.below(every as u64) as i64;
            let v = |s: &str| s.to_string();
            let mut vars = vec![
                ("p", q.clone()),
                ("n", n.to_string()),
                ("flip", flip.to_string()),
                ("every", every.to_string()),
                ("at", at.to_string()),
            ];
            match PARTS[part] {
                "std_protocol" => {
                    let step = *self.r.pick(&["1", "3", "5"]);
                    let gain = self.r.range(100, n);
                    vars.push(("step", v(step)));
                    vars.push(("gain", gain.to_string()));
                    self.emit(PROTOCOL, &vars);
                }
                "std_namedtuple" => {
                    let spec = *self.r.pick(&[
                        "'a b c'",
                        "['a', 'b', 'c']",
                        "'a, b, c'",
                        "('a', 'b', 'c')",
                    ]);
                    let defaults = *self.r.pick(&["(x, 'z')", "[0.5, x]", "('d', 'e')"]);
                    vars.push(("spec", v(spec)));
                    vars.push(("defaults", v(defaults)));
                    self.emit(NAMEDTUPLE, &vars);
                }
                "std_enum" => {
                    let spec = *self.r.pick(&[
                        "'A B C'",
                        "'A,B,C'",
                        "['A', 'B', 'C']",
                        "[('A', 1), ('B', 2), ('C', 3)]",
                        "{'A': 1, 'B': 2, 'C': 3}",
                    ]);
                    let kind = *self.r.pick(&["Enum", "IntEnum"]);
                    self.line_pub(&format!("# feature: std_enum_{kind}"));
                    vars.push(("spec", v(spec)));
                    vars.push(("kind", v(kind)));
                    self.emit(ENUM, &vars);
                }
                "std_dataclass" => {
                    let frozen = *self.r.pick(&["True", "False"]);
                    let order = *self.r.pick(&["True", "False"]);
                    vars.push(("frozen", v(frozen)));
                    vars.push(("order", v(order)));
                    self.emit(DATACLASS, &vars);
                }
                "std_lru_cache" => {
                    let maxsize = *self.r.pick(&["None", "4", "16", "64"]);
                    // Untyped caches differ: CPython keys a lone int or str argument by
                    // itself and a float by a tuple, so `f(2)` then `f(2.0)` misses in
                    // CPython and hits in RustPython (KNOWN_DIFFERENCES.md).
                    let typed = "True";
                    let modk = self.r.range(5, 24);
                    let clear = self.r.range(100, n);
                    vars.push(("maxsize", v(maxsize)));
                    vars.push(("typed", v(typed)));
                    vars.push(("modk", modk.to_string()));
                    vars.push(("clear", clear.to_string()));
                    self.emit(LRU, &vars);
                }
                "std_wraps" => {
                    self.emit(WRAPS, &vars);
                }
                "std_logging" => {
                    let site = *self.r.pick(&["inline", "helper", "method", "stacklevel"]);
                    self.line_pub(&format!("# feature: std_logging_{site}"));
                    let fmt = *self.r.pick(&[
                        "%(funcName)s:%(lineno)d:%(levelname)s:%(message)s",
                        "%(name)s:%(funcName)s:%(lineno)d:%(message)s",
                        "%(filename)s:%(module)s:%(funcName)s:%(lineno)d:%(message)s",
                    ]);
                    let quiet = self.r.range(100, n);
                    vars.push(("fmt", v(fmt)));
                    vars.push(("quiet", quiet.to_string()));
                    let call = match site {
                        "inline" => format!("{q}_log.info('i=%d x=%r', i, x)"),
                        "helper" => format!("{q}_note(i, x)"),
                        "method" => format!("{q}_obj.note(i, x)"),
                        _ => format!("{q}_note2(i, x)"),
                    };
                    vars.push(("call", call));
                    self.emit(LOGGING, &vars);
                }
                _ => {
                    let sl = *self.r.pick(&["1", "2"]);
                    let cat = *self.r.pick(&[
                        "UserWarning",
                        "RuntimeWarning",
                        "DeprecationWarning",
                        "@p@_W",
                    ]);
                    let action = *self.r.pick(&["always", "always", "default", "error"]);
                    let scope = *self.r.pick(&["loop", "call"]);
                    self.line_pub(&format!("# feature: std_warnings_{action}_{scope}"));
                    vars.push(("sl", v(sl)));
                    vars.push(("cat", cat.replace("@p@", &q)));
                    vars.push(("action", v(action)));
                    if scope == "loop" {
                        self.emit(WARNINGS_LOOP, &vars);
                    } else {
                        self.emit(WARNINGS_CALL, &vars);
                    }
                }
            }
        }
    }
}

const PROTOCOL: &str = r#"
@typing.runtime_checkable
class @p@_Sized(typing.Protocol):
    def __len__(self): ...
@typing.runtime_checkable
class @p@_Closer(typing.Protocol):
    def close(self): ...
@typing.runtime_checkable
class @p@_Named(typing.Protocol):
    name: str
    def close(self): ...
class @p@_A:
    def __len__(self):
        return 3
class @p@_B:
    name = 'b'
    def close(self):
        return None
class @p@_C(@p@_A):
    def close(self):
        return 1
def @p@_run(n, flip):
    late = @p@_C()
    vals = [@p@_A(), @p@_B(), late, [1, 2], 'ab', 5, 2.5, None, @p@_B, io.StringIO()]
    c = [0, 0, 0, 0]
    out = []
    for i in range(n):
        x = i if i < flip else i * 0.5
        v = vals[(i * @step@) % len(vals)]
        if i == @gain@:
            late.name = 'late'
        if isinstance(v, @p@_Sized):
            c[0] += 1
        if isinstance(v, @p@_Closer):
            c[1] += 1
        if isinstance(v, @p@_Named):
            c[2] += 1
        if isinstance(x, collections.abc.Hashable) and isinstance(v, collections.abc.Sized):
            c[3] += 1
        if i % @every@ == @at@:
            out.append((i, isinstance(late, @p@_Named), sum(c)))
    return c, out[-3:]
print('@p@', @p@_run(@n@, @flip@))
print('@p@', [issubclass(t, @p@_Sized) for t in (@p@_A, @p@_B, @p@_C, list, int)], [issubclass(t, @p@_Closer) for t in (@p@_A, @p@_B, @p@_C)])
try:
    issubclass(@p@_B, @p@_Named)
except TypeError as e:
    print('@p@', type(e).__name__)
"#;

const NAMEDTUPLE: &str = r#"
@p@_T = collections.namedtuple('@p@_T', @spec@)
def @p@_run(n, flip):
    global @p@_T
    out = []
    acc = 0
    for i in range(n):
        x = i if i < flip else i * 0.5
        if i % @every@ == @at@:
            @p@_T = collections.namedtuple('@p@_T', @spec@, defaults=@defaults@)
            R = collections.namedtuple('R', ['ok', 'def', 'ok', '_x'], rename=True)
            out.append((@p@_T._fields, @p@_T._field_defaults, R._fields, @p@_T.__doc__))
        t = @p@_T(i, x, -1)
        a, b, c = t
        acc += t.a + t[1] - c + len(t) + (t.b is x)
        u = t._replace(c=i % 7)
        acc += u.c + t.index(x)
        if i % @every@ == @at@ + 1:
            w = pickle.loads(pickle.dumps(u))
            out.append((w == u, type(w) is @p@_T, w._asdict(), repr(w), @p@_T._make([1, 2, 3]), @p@_T(7)))
    return acc, out[-4:]
print('@p@', @p@_run(@n@, @flip@))
"#;

const ENUM: &str = r#"
@p@_E = enum.@kind@('@p@_E', @spec@)
@p@_F = enum.Flag('@p@_F', 'R W X')
def @p@_run(n, flip):
    global @p@_E
    out = []
    acc = 0
    for i in range(n):
        x = i if i < flip else i * 0.5
        if i % @every@ == @at@:
            @p@_E = enum.@kind@('@p@_E', @spec@)
            out.append(([m.name for m in @p@_E], [m.value for m in @p@_E], len(@p@_E)))
        m = @p@_E(i % 3 + 1)
        acc += m.value + (m is @p@_E[m.name]) + (@p@_E.B in @p@_E) + (m is getattr(@p@_E, m.name))
        f = @p@_F.R | (@p@_F.W if i % 2 else @p@_F.X)
        acc += f.value + (@p@_F.R in f) + len(list(f))
        if x > 0 and i % @every@ == @at@ + 1:
            b = pickle.loads(pickle.dumps(m))
            g = pickle.loads(pickle.dumps(f))
            out.append((b is m, str(b), repr(m), g == f, repr(g), str(@p@_F.R | @p@_F.X)))
    return acc, out[-4:]
print('@p@', @p@_run(@n@, @flip@))
print('@p@', @p@_E.A < @p@_E.B if issubclass(@p@_E, int) else 'enum', [repr(m) for m in @p@_E], @p@_E['C'].name)
"#;

const DATACLASS: &str = r#"
@dataclasses.dataclass(frozen=@frozen@, order=@order@)
class @p@_P:
    x: int
    y: float = 0.5
    tags: list = dataclasses.field(default_factory=list, compare=False)
    def norm(self):
        return self.x + self.y
@dataclasses.dataclass
class @p@_Q:
    a: int
    b: str = 'q'
    def __post_init__(self):
        self.b = self.b * 2
def @p@_run(n, flip):
    out = []
    eq = 0
    errs = {}
    acc = 0
    for i in range(n):
        x = i if i < flip else i * 0.5
        p = @p@_P(i % 10, x)
        if p == @p@_P(i % 10, x, [i]):
            eq += 1
        acc += p.norm() + len(@p@_Q(i).b)
        try:
            p.x = 3
            acc += p.x
        except dataclasses.FrozenInstanceError as e:
            errs[type(e).__name__] = errs.get(type(e).__name__, 0) + 1
        try:
            if p < @p@_P(5, 0):
                acc += 1
        except TypeError as e:
            errs[type(e).__name__] = errs.get(type(e).__name__, 0) + 1
        if i % @every@ == @at@:
            r = dataclasses.replace(p, y=1.5)
            out.append((dataclasses.asdict(r), dataclasses.astuple(r), repr(r), r == p))
    return eq, sorted(errs.items()), acc, out[-3:]
print('@p@', @p@_run(@n@, @flip@))
print('@p@', [f.name for f in dataclasses.fields(@p@_P)], [f.type.__name__ for f in dataclasses.fields(@p@_P)], @p@_P.__match_args__, dataclasses.is_dataclass(@p@_P(1)), repr(@p@_Q(2)))
"#;

const LRU: &str = r#"
@functools.lru_cache(maxsize=@maxsize@, typed=@typed@)
def @p@_fib(k):
    if k < 2:
        return k
    return @p@_fib(k - 1) + @p@_fib(k - 2)
@functools.lru_cache(maxsize=@maxsize@, typed=@typed@)
def @p@_sq(v):
    return v * v
def @p@_run(n, flip):
    out = []
    acc = 0
    for i in range(n):
        x = i % @modk@ if i < flip else (i % @modk@) * 1.0
        acc += @p@_sq(x) + @p@_fib(i % @modk@)
        if i == @clear@:
            @p@_sq.cache_clear()
            out.append(('cleared', @p@_sq.cache_info()))
        if i % @every@ == @at@:
            out.append(tuple(@p@_sq.cache_info()))
    return acc, out[-4:], @p@_fib.cache_info(), @p@_sq.cache_info()
print('@p@', @p@_run(@n@, @flip@))
print('@p@', @p@_sq(2), @p@_sq(2.0), @p@_sq(True), @p@_sq.cache_info(), @p@_sq.__wrapped__(3), @p@_fib.__name__)
"#;

const WRAPS: &str = r#"
def @p@_deco(tag):
    def d(f):
        @functools.wraps(f)
        def w(*a, **k):
            w.calls += 1
            return f(*a, **k)
        w.calls = 0
        w.tag = tag
        return w
    return d
def @p@_f(x, y=1, *, z=2):
    """doc of f"""
    return x * 2 + y + z
@p@_f.marker = 5
@p@_orig = @p@_f
@p@_f = @p@_deco('a')(@p@_f)
@p@_g = @p@_deco('b')(@p@_f)
def @p@_run(n, flip):
    acc = 0
    for i in range(n):
        x = i if i < flip else i * 0.5
        acc += @p@_g(x, z=i % 3)
        if @p@_g.__wrapped__ is @p@_f and @p@_f.__wrapped__ is @p@_orig:
            acc += 1
    return acc, @p@_g.calls, @p@_f.calls
print('@p@', @p@_run(@n@, @flip@))
print('@p@', @p@_g.__name__, @p@_g.__qualname__, @p@_g.__doc__, @p@_g.__module__, @p@_g.marker, @p@_g.tag, @p@_f.tag)
print('@p@', inspect.unwrap(@p@_g) is @p@_orig, str(inspect.signature(@p@_g)), @p@_g.__wrapped__.__wrapped__(1), @p@_g.calls, @p@_f.calls)
"#;

const LOGGING: &str = r#"
@p@_stream = io.StringIO()
@p@_handler = logging.StreamHandler(@p@_stream)
@p@_handler.setFormatter(logging.Formatter('@fmt@'))
@p@_log = logging.getLogger('@p@')
@p@_log.addHandler(@p@_handler)
@p@_log.propagate = False
@p@_log.setLevel(logging.DEBUG)
def @p@_note(i, x):
    @p@_log.info('i=%d x=%r', i, x)
def @p@_note2(i, x):
    @p@_log.info('i=%d x=%r', i, x, stacklevel=2)
class @p@_K:
    def note(self, i, x):
        @p@_log.warning('i=%d x=%r', i, x)
@p@_obj = @p@_K()
def @p@_run(n, flip):
    acc = 0
    for i in range(n):
        x = i if i < flip else i * 0.5
        acc += x
        if i == @quiet@:
            @p@_log.setLevel(logging.ERROR)
            @p@_log.debug('quiet')
        if i % @every@ == @at@:
            @call@
            @p@_log.debug('acc=%r', acc)
    @p@_log.error('done %d', n)
    return acc
print('@p@', @p@_run(@n@, @flip@), @p@_log.isEnabledFor(logging.INFO))
print('@p@', @p@_stream.getvalue().splitlines())
"#;

const WARNINGS_LOOP: &str = r#"
class @p@_W(UserWarning):
    pass
def @p@_warn(i, x):
    warnings.warn('w%d' % (i % 3), @cat@, stacklevel=@sl@)
    return x
def @p@_run(n, flip):
    acc = 0
    errs = 0
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('@action@')
        for i in range(n):
            x = i if i < flip else i * 0.5
            acc += x
            if i % @every@ == @at@:
                try:
                    acc += @p@_warn(i, x)
                except Warning as e:
                    errs += 1
                    acc += len(str(e))
    return acc, errs, [(r.lineno, os.path.basename(r.filename), str(r.message), r.category.__name__) for r in w]
print('@p@', @p@_run(@n@, @flip@))
"#;

const WARNINGS_CALL: &str = r#"
class @p@_W(UserWarning):
    pass
def @p@_warn(i, x):
    warnings.warn('w%d' % (i % 3), @cat@, stacklevel=@sl@)
    return x
def @p@_probe(i, x):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('@action@')
        try:
            @p@_warn(i, x)
        except Warning as e:
            return ('raised', type(e).__name__, str(e))
    return [(r.lineno, os.path.basename(r.filename), str(r.message), r.category.__name__) for r in w]
def @p@_run(n, flip):
    acc = 0
    out = []
    for i in range(n):
        x = i if i < flip else i * 0.5
        acc += x
        if i % @every@ == @at@:
            out.append(@p@_probe(i, x))
    return acc, out[-4:]
print('@p@', @p@_run(@n@, @flip@))
"#;
