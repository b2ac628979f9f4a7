//! Seeded generator of random, deterministic Python programs (valid for CPython 3.13).
//!
//! A program is a sequence of self-contained *blocks* (each with its own name prefix
//! `bN_`), each a hot piece of code built from a template whose constants, operators,
//! expressions and control flow are drawn from the seed. Every block prints a digest of
//! its state (values, reprs, caught exception type names) and every program ends
//! normally. See `fuzz/README.md` for the list of block kinds.
//!
//! Rules every block obeys, so that CPython and a correct rpyjit print the same bytes:
//! no ids, no `hash()` of str, no set iteration order (sets print `sorted(...)`), no
//! implementation-specific exception messages (only `type(e).__name__` and args we
//! passed ourselves), finalizer timing only where reference counting fixes it, ints far below the 4300-digit
//! str limit, recursion depth well under 100, and one statement per line (the
//! minimizer works on lines and indentation).

use crate::rng::Rng;

/// The program for `seed`. Pure function of the seed.
pub fn generate(seed: u64) -> String {
    let mut g = Gen::new(seed);
    g.program(seed);
    let mut s = g.lines.join("\n");
    s.push('\n');
    s
}

pub(crate) struct Gen {
    pub(crate) r: Rng,
    lines: Vec<String>,
    ind: usize,
    blk: usize,
    /// The kernel being generated only ever sees ints (and int subclasses, bools).
    pub(crate) kint: bool,
    /// ... and only small literals, no chained comparisons: what a young JIT compiles.
    pub(crate) kplain: bool,
}

macro_rules! w {
    ($g:expr, $($a:tt)*) => {{
        let s = format!($($a)*);
        $g.line(&s)
    }};
}

macro_rules! emit {
    ($g:expr, $tpl:expr, $vars:expr $(,)?) => {{
        let v = $vars;
        $g.emit($tpl, v)
    }};
}

/// Kinds of blocks with their weights.
const BLOCKS: &[(&str, u64)] = &[
    ("int_arith", 10),
    ("float_arith", 8),
    ("type_flip", 12),
    ("builtin_rebind", 7),
    ("global_rebind", 7),
    ("recursive_rebind", 6),
    ("closures", 7),
    ("classes", 9),
    ("exceptions", 9),
    ("loops", 9),
    ("generators", 7),
    ("strings", 7),
    ("collections", 7),
    ("poly", 6),
    ("attr_shapes", 6),
    ("soup", 14),
    ("calls", 6),
    ("kernels", 16),
    ("frames", 8),
    ("identity", 8),
    ("lifetimes", 8),
    ("stdlib", 8),
];

impl Gen {
    fn new(seed: u64) -> Self {
        Gen {
            r: Rng::new(seed),
            lines: Vec::new(),
            ind: 0,
            blk: 0,
            kint: false,
            kplain: false,
        }
    }

    fn line(&mut self, s: &str) {
        self.lines.push(format!("{}{}", "    ".repeat(self.ind), s));
    }
    fn open(&mut self, s: &str) {
        self.line(s);
        self.ind += 1;
    }
    fn close(&mut self) {
        self.ind -= 1;
    }
    pub(crate) fn line_pub(&mut self, s: &str) {
        self.line(s)
    }
    pub(crate) fn ind_inc(&mut self) {
        self.ind += 1;
    }
    pub(crate) fn ind_dec(&mut self) {
        self.ind -= 1;
    }
    pub(crate) fn float_expr_pub(&mut self, d: u32, vars: &[&str]) -> String {
        self.float_expr(d, vars)
    }

    /// Emits a template: `@key@` placeholders are replaced, the common indentation is
    /// stripped and the current indentation added.
    pub(crate) fn emit(&mut self, tpl: &str, vars: &[(&str, String)]) {
        let mut text = tpl.to_string();
        for (k, v) in vars {
            text = text.replace(&format!("@{k}@"), v);
        }
        assert!(!text.contains("@p@"), "unreplaced placeholder");
        let body: Vec<&str> = text.lines().collect();
        let base = body
            .iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start().len())
            .min()
            .unwrap_or(0);
        for l in body {
            if l.trim().is_empty() {
                continue;
            }
            self.line(&l[base..]);
        }
    }

    fn program(&mut self, seed: u64) {
        w!(self, "# rpyjit-fuzz program, seed {seed} (cargo run --release -p rpyjit-fuzz -- --print {seed})");
        self.line("import math");
        let nblocks = self.r.range(5, 9);
        let total: u64 = BLOCKS.iter().map(|b| b.1).sum();
        for _ in 0..nblocks {
            let mut x = self.r.below(total);
            let mut kind = BLOCKS[0].0;
            for (name, wt) in BLOCKS {
                if x < *wt {
                    kind = name;
                    break;
                }
                x -= wt;
            }
            self.blk += 1;
            let p = format!("b{}", self.blk);
            w!(self, "# block {p}: {kind}");
            self.block(kind, &p);
        }
        w!(self, "print('end', {seed})");
    }

    pub(crate) fn block(&mut self, kind: &str, p: &str) {
        match kind {
            "int_arith" => self.int_arith(p),
            "float_arith" => self.float_arith(p),
            "type_flip" => self.type_flip(p),
            "builtin_rebind" => self.builtin_rebind(p),
            "global_rebind" => self.global_rebind(p),
            "recursive_rebind" => self.recursive_rebind(p),
            "closures" => self.closures(p),
            "classes" => self.classes(p),
            "exceptions" => self.exceptions(p),
            "loops" => self.loops(p),
            "generators" => self.generators(p),
            "strings" => self.strings(p),
            "collections" => self.collections(p),
            "poly" => self.poly(p),
            "attr_shapes" => self.attr_shapes(p),
            "soup" => self.soup(p),
            "calls" => self.calls(p),
            "kernels" => self.kernels(p),
            "frames" => self.frames(p),
            "identity" => self.identity(p),
            "lifetimes" => self.lifetimes(p),
            "stdlib" => self.stdlib(p),
            _ => unreachable!("{kind}"),
        }
    }

    // ------------------------------------------------------------------ helpers

    /// The hot-loop length: thousands of iterations.
    fn hot(&mut self) -> i64 {
        self.r.range(1000, 3000)
    }
    /// A type-change point, "after many iterations".
    fn k_point(&mut self) -> i64 {
        self.r.range(500, 3000)
    }
    fn small(&mut self) -> i64 {
        self.r.range(-12, 12)
    }
    fn lit(v: i64) -> String {
        if v < 0 {
            format!("({v})")
        } else {
            v.to_string()
        }
    }
    fn nonzero(&mut self) -> i64 {
        let v = self.r.range(1, 13);
        if self.r.chance(40) {
            -v
        } else {
            v
        }
    }
    fn big_lit(&mut self) -> String {
        self.r
            .pick(&[
                "(2**63)",
                "(2**63 - 1)",
                "(-2**63)",
                "(2**64 + 7)",
                "(1 << 70)",
                "(10**20)",
                "9223372036854775807",
                "(-(2**65) + 3)",
                "4611686018427387904",
                "(-9223372036854775809)",
                "(3**41)",
                "(2**62 + 2**61)",
            ])
            .to_string()
    }

    fn int_leaf(&mut self, vars: &[&str]) -> String {
        match self.r.below(10) {
            0..=4 => self.r.pick(vars).to_string(),
            5..=7 => {
                let v = self.small();
                Self::lit(v)
            }
            _ => self.big_lit(),
        }
    }

    /// An int-valued expression; may raise ZeroDivisionError only.
    fn int_expr(&mut self, d: u32, vars: &[&str]) -> String {
        if d == 0 || self.r.chance(25) {
            return self.int_leaf(vars);
        }
        let a = self.int_expr(d - 1, vars);
        match self.r.below(17) {
            0 | 1 => format!("({a} + {})", self.int_expr(d - 1, vars)),
            2 | 3 => format!("({a} - {})", self.int_expr(d - 1, vars)),
            4 => format!("({a} * {})", self.int_expr(d - 1, vars)),
            5 => format!("({a} // {})", self.int_expr(d - 1, vars)),
            6 => format!("({a} % {})", self.int_expr(d - 1, vars)),
            7 => format!("({a} & {})", self.int_expr(d - 1, vars)),
            8 => format!("({a} | {})", self.int_expr(d - 1, vars)),
            9 => format!("({a} ^ {})", self.int_expr(d - 1, vars)),
            10 => format!("({a} << {})", self.r.range(0, 66)),
            11 => format!("({a} >> {})", self.r.range(0, 70)),
            12 => match self.r.below(3) {
                0 => format!("(-{a})"),
                1 => format!("abs({a})"),
                _ => format!("(~{a})"),
            },
            13 => {
                let f = *self.r.pick(&["min", "max"]);
                format!("{f}({a}, {})", self.int_expr(d - 1, vars))
            }
            14 => {
                let c = self.int_cond(vars);
                format!("({a} if {c} else {})", self.int_expr(d - 1, vars))
            }
            15 => {
                let leaf = self.int_leaf(vars);
                format!("({leaf} ** {})", self.r.range(0, 3))
            }
            _ => {
                let m = *self
                    .r
                    .pick(&["97", "(2**61 - 1)", "(-1000003)", "(10**9 + 7)"]);
                format!("pow({a}, {}, {m})", self.r.range(0, 9))
            }
        }
    }

    fn int_cond(&mut self, vars: &[&str]) -> String {
        let a = self.int_leaf(vars);
        let b = self.int_leaf(vars);
        match self.r.below(5) {
            0 => format!("{a} < {b}"),
            1 => format!("{a} == {b}"),
            2 => format!("{a} % 2 == 0"),
            3 => format!("{a} >= {b}"),
            _ => format!("{a} != {b}"),
        }
    }

    fn float_leaf(&mut self, vars: &[&str]) -> String {
        match self.r.below(12) {
            0..=4 => self.r.pick(vars).to_string(),
            5 => "float(i)".to_string(),
            6 => "i".to_string(),
            7 => format!("(i * {})", self.r.pick(&["0.1", "-0.25", "1.5", "3e-5"])),
            8 => self
                .r
                .pick(&["(2**70)", "(-7)", "(2**63)", "3"])
                .to_string(),
            _ => self
                .r
                .pick(&[
                    "0.5",
                    "(-1.25)",
                    "3.0",
                    "1e-3",
                    "2.5e10",
                    "(-0.0)",
                    "1e300",
                    "7.75",
                    "(-3.5)",
                    "0.1",
                    "1e16",
                    "float('inf')",
                    "(-2.5)",
                ])
                .to_string(),
        }
    }

    /// A float-ish expression; may raise ZeroDivisionError, OverflowError, ValueError.
    fn float_expr(&mut self, d: u32, vars: &[&str]) -> String {
        if d == 0 || self.r.chance(25) {
            return self.float_leaf(vars);
        }
        let a = self.float_expr(d - 1, vars);
        match self.r.below(16) {
            0 | 1 => format!("({a} + {})", self.float_expr(d - 1, vars)),
            2 | 3 => format!("({a} - {})", self.float_expr(d - 1, vars)),
            4 | 5 => format!("({a} * {})", self.float_expr(d - 1, vars)),
            // `+ 0.0` turns -0.0 into 0.0: RustPython 0.6.0 drops the sign of int `0 / -n`
            // (KNOWN_DIFFERENCES.md).
            6 => format!("({a} / {} + 0.0)", self.float_expr(d - 1, vars)),
            7 => {
                // RustPython 0.6.0 constant-folds float `//` wrongly (KNOWN_DIFFERENCES.md):
                // keep at least one operand a run-time value.
                let mut b = self.float_expr(d - 1, vars);
                if foldable(&a) && foldable(&b) {
                    b = self.r.pick(vars).to_string();
                }
                format!("({a} // {b})")
            }
            8 => format!("({a} % {})", self.float_expr(d - 1, vars)),
            9 => match self.r.below(3) {
                0 => format!("(-{a})"),
                1 => format!("abs({a})"),
                _ => format!("({a} ** {})", self.r.pick(&["2", "3", "(-1)", "0"])),
            },
            10 => {
                let c = self.r.pick(&["<", "<=", "==", "!="]).to_string();
                let b = self.float_expr(d - 1, vars);
                let e = self.float_expr(d - 1, vars);
                format!("({a} if {a} {c} {b} else {e})")
            }
            11 => format!("round({a})"),
            12 => format!("int({a})"),
            13 => format!("math.floor({a})"),
            14 => format!("math.sqrt(abs({a}))"),
            _ => {
                let f = *self.r.pick(&["min", "max"]);
                format!("{f}({a}, {})", self.float_expr(d - 1, vars))
            }
        }
    }

    fn checkpoint(&mut self, n: i64) -> i64 {
        (n / self.r.range(3, 6)).max(1)
    }

    // ------------------------------------------------------------------ blocks

    fn int_arith(&mut self, p: &str) {
        let n = self.hot();
        let pp = self.checkpoint(n);
        let modulus = *self.r.pick(&[
            "(2**61 - 1)",
            "(10**9 + 7)",
            "(2**89 - 1)",
            "(-(2**64) - 13)",
            "1000003",
            "(2**31 - 1)",
            "97",
            "(-65537)",
        ]);
        let mult = self.r.range(2, 40);
        w!(self, "def {p}_arith(n, a, b):");
        self.ind += 1;
        w!(self, "acc = {}", self.r.range(0, 100));
        self.line("zc = 0");
        w!(
            self,
            "x = {}",
            self.r
                .pick(&["(2**62 - 5)", "(-2**62)", "(2**63 - 100)", "0", "(2**64)"])
        );
        self.open("for i in range(n):");
        let nexpr = self.r.range(1, 3);
        for _ in 0..nexpr {
            self.open("try:");
            let e = self.int_expr(3, &["i", "a", "b", "acc", "x"]);
            w!(self, "t = {e}");
            self.close();
            self.open("except ZeroDivisionError:");
            self.line("zc += 1");
            self.line("t = i");
            self.close();
            w!(self, "acc = (acc * {mult} + t) % {modulus}");
        }
        // Walk across the 2**63 boundary in both directions.
        let step = self
            .r
            .pick(&[
                "(2**58 + 3)",
                "(2**60 - 1)",
                "(-(2**59))",
                "(3 * 2**57)",
                "12345678901234567",
            ])
            .to_string();
        w!(self, "x += {step}");
        self.open("if x > 2**64:");
        self.line("x -= 2**65 + 1");
        self.close();
        self.open("elif x < -2**64:");
        self.line("x += 2**65 - 1");
        self.close();
        let dv = self.nonzero();
        w!(self, "q, r = divmod(x, {})", Self::lit(dv));
        w!(
            self,
            "acc = (acc + q % {} + r) % {modulus}",
            self.r.range(2, 1000)
        );
        if self.r.chance(50) {
            let k = self.k_point().min(n - 1);
            let nb = self.big_lit();
            w!(self, "if i == {k}:");
            self.ind += 1;
            w!(self, "b = {nb}");
            self.close();
        }
        w!(self, "if i % {pp} == 0:");
        self.ind += 1;
        w!(self, "print('{p}', i, acc, x, zc)");
        self.close();
        self.close();
        self.line("return acc, x, zc");
        self.close();
        let (a, b) = (self.small(), self.small());
        w!(
            self,
            "print('{p}', {p}_arith({n}, {}, {}))",
            Self::lit(a),
            Self::lit(b)
        );
        if self.r.chance(50) {
            let b2 = self.big_lit();
            w!(
                self,
                "print('{p}', {p}_arith({}, {b2}, {}))",
                self.r.range(200, 1500),
                Self::lit(self.small())
            );
        }
        // Floor division and modulo of negative operands, at module level.
        let (x, y) = (self.r.range(-50, 50), self.nonzero());
        w!(self, "print('{p} fm', {x} // {y}, {x} % {y}, -{x} // {y}, divmod({x}, {y}), (-2**65 - {x}) // {y}, (2**64 + {x}) % {y})", x = Self::lit(x), y = Self::lit(y));
    }

    fn float_arith(&mut self, p: &str) {
        let n = self.hot();
        let pp = self.checkpoint(n);
        w!(self, "def {p}_flt(n, x, y):");
        self.ind += 1;
        self.line("facc = 0.0");
        self.line("errs = {}");
        self.line("t = 0.0");
        self.open("for i in range(n):");
        self.open("try:");
        let e = self.float_expr(3, &["x", "y", "facc"]);
        w!(self, "t = {e}");
        self.close();
        self.open("except (ZeroDivisionError, OverflowError, ValueError) as e:");
        self.line("k = type(e).__name__");
        self.line("errs[k] = errs.get(k, 0) + 1");
        self.line("t = 0.5");
        self.close();
        self.open("if t == t and -1e300 < t < 1e300:");
        w!(
            self,
            "facc = facc * {} + t",
            self.r.pick(&["0.5", "0.25", "(-0.5)", "0.75"])
        );
        self.close();
        self.open("else:");
        self.line("facc = -facc / 2");
        self.close();
        if self.r.chance(50) {
            w!(
                self,
                "x = x + {}",
                self.r.pick(&["0.125", "(-0.5)", "1e-7", "3"])
            );
        }
        w!(self, "if i % {pp} == 0:");
        self.ind += 1;
        w!(self, "print('{p}', i, facc, t)");
        self.close();
        self.close();
        self.line("return facc, errs");
        self.close();
        let x = self
            .r
            .pick(&["1.5", "(-2.25)", "0.0", "1e-5", "100.0", "(-7)"])
            .to_string();
        let y = self
            .r
            .pick(&["0.0", "(-3.0)", "2.5", "1e200", "7"])
            .to_string();
        w!(self, "print('{p}', {p}_flt({n}, {x}, {y}))");
        // Negative floor division and modulo on floats, float/int comparisons.
        let a = self
            .r
            .pick(&["7.5", "(-7.5)", "(-0.0)", "1e20", "(-1e-20)", "2.0"])
            .to_string();
        let b = self
            .r
            .pick(&["2.0", "(-2.0)", "0.3", "(-0.7)", "3"])
            .to_string();
        // Through variables: constant float `//` is folded wrongly by RustPython 0.6.0.
        w!(self, "{p}_fa = {a}");
        w!(self, "{p}_fb = {b}");
        w!(self, "print('{p} fm', {p}_fa // {p}_fb, {p}_fa % {p}_fb, divmod({p}_fa, {p}_fb), {p}_fa == int({p}_fa), 2**53 + 1 == float(2**53 + 1), {p}_fa < 2**64)");
        w!(self, "print('{p} fmt', repr({p}_fa / {p}_fb), str({p}_fa * 3), float('-inf') < {p}_fa, 0.1 + 0.2, 1e16 + 1.0, {p}_fa // 1, round(2.5), round(-0.5), round(3.5))");
    }

    fn type_flip(&mut self, p: &str) {
        emit!(self, NUM_CLASS, &[("p", p.to_string())]);
        emit!(self, INT_SUB_CLASS, &[("p", p.to_string())]);
        let c = self.nonzero();
        w!(self, "def {p}_h(x, y):");
        self.ind += 1;
        w!(
            self,
            "return {}",
            self.r.pick(&[
                "x * y - x",
                "x + y * x",
                "(x - y) * 2",
                "x * x + y",
                "-x + y"
            ])
        );
        self.close();
        w!(self, "class {p}_Box:");
        self.ind += 1;
        self.line("pass");
        self.close();
        // Phases: the value's type changes at increasing boundaries.
        let mut kinds = vec!["int", "float", "bool", "big", "num", "intsub", "numf"];
        self.r.shuffle(&mut kinds);
        let nph = self.r.range(3, 5) as usize;
        // Usually start with plain ints so the JIT specializes on them first.
        if self.r.chance(60) {
            if let Some(pos) = kinds.iter().position(|k| *k == "int") {
                kinds.swap(0, pos);
            }
        }
        let kinds = &kinds[..nph];
        let mut bounds = Vec::new();
        let mut b = self.k_point();
        for _ in 1..nph {
            bounds.push(b);
            b += self.r.range(100, 700);
        }
        let n = b;
        let pp = self.checkpoint(n);
        w!(self, "def {p}_flip(n):");
        self.ind += 1;
        self.line("acc = 0");
        self.line("lt = eq = tr = 0");
        self.line("m = None");
        self.line("box = [0, 0, 0, 0]");
        w!(self, "o = {p}_Box()");
        self.line("o.val = 0");
        self.open("for i in range(n):");
        for (j, kind) in kinds.iter().enumerate() {
            let val = match *kind {
                "int" => format!("i % {} - {}", self.r.range(5, 30), self.r.range(0, 10)),
                "float" => format!(
                    "(i % {}) * {} - 4.0",
                    self.r.range(5, 30),
                    self.r.pick(&["0.75", "0.5", "1.25"])
                ),
                "bool" => format!("(i % {} == 0)", self.r.range(2, 5)),
                "big" => format!("(i % 7 - 3) * 2**{} + i", self.r.range(62, 70)),
                "num" => format!("{p}_Num(i % {} - 5)", self.r.range(6, 15)),
                "intsub" => format!("{p}_I(i % {} - 4)", self.r.range(5, 12)),
                _ => format!("{p}_Num((i % 5) * 0.5)"),
            };
            if j == 0 {
                w!(self, "if i < {}:", bounds[0]);
            } else if j < bounds.len() {
                w!(self, "elif i < {}:", bounds[j]);
            } else {
                self.line("else:");
            }
            self.ind += 1;
            w!(self, "v = {val}");
            self.close();
        }
        let nops = self.r.range(2, 5);
        for _ in 0..nops {
            let k = self.r.range(2, 9);
            match self.r.below(14) {
                0 => w!(self, "acc = acc + v * {k}"),
                1 => w!(self, "acc = acc - v"),
                2 => w!(self, "acc = acc + {p}_h(v, {k})"),
                3 => w!(self, "acc = acc + abs(v)"),
                4 => w!(self, "acc = acc + (-v)"),
                5 => w!(self, "acc = acc + v // {}", Self::lit(c)),
                6 => w!(self, "acc = acc + v % {}", Self::lit(c)),
                7 => {
                    w!(self, "if v < {k}:");
                    self.ind += 1;
                    self.line("lt += 1");
                    self.close();
                }
                8 => {
                    w!(self, "if v == {}:", k - 5);
                    self.ind += 1;
                    self.line("eq += 1");
                    self.close();
                }
                9 => {
                    self.open("if v:");
                    self.line("tr += 1");
                    self.close();
                }
                10 => w!(self, "acc = acc + v / {}", Self::lit(c)),
                11 => {
                    self.line("m = v if m is None or v > m else m");
                }
                12 => {
                    self.line("o.val = v");
                    w!(self, "acc = acc + o.val * {k}");
                }
                _ => {
                    self.line("box[i % 4] = v");
                    self.line("acc = acc + box[(i + 1) % 4]");
                }
            }
        }
        w!(self, "if i % {pp} == 0:");
        self.ind += 1;
        w!(
            self,
            "print('{p}', i, repr(acc), type(v).__name__, lt, eq, tr)"
        );
        self.close();
        self.close();
        self.line("return repr(acc), lt, eq, tr, repr(m)");
        self.close();
        w!(self, "print('{p}', {p}_flip({n}))");
        if self.r.chance(50) {
            // A second call: the function is hot and sees the first phase again.
            w!(
                self,
                "print('{p} again', {p}_flip({}))",
                self.r.range(100, 1200)
            );
        }
        if self.r.chance(60) {
            // The helper is hot on ints, then called with everything else.
            let m = self.hot();
            w!(self, "{p}_t = 0");
            w!(self, "for i in range({m}):");
            self.ind += 1;
            w!(self, "{p}_t = {p}_t + {p}_h(i, {c})", c = Self::lit(c));
            self.close();
            w!(self, "print('{p} h', {p}_t, repr({p}_h(2.5, 3)), repr({p}_h(True, 2)), repr({p}_h({p}_Num(4), 3)), repr({p}_h({p}_I(5), 2)), repr({p}_h(2**64, -3)))");
        }
    }

    fn builtin_rebind(&mut self, p: &str) {
        let table: &[(&str, &str, &str)] = &[
            ("len", "lambda x: 7", "len(s)"),
            ("abs", "lambda x: -1", "abs(i - 1500)"),
            ("min", "lambda *a: -5", "min(i, 40)"),
            ("max", "lambda *a: 99", "max(i % 10, 3)"),
            ("str", "lambda x: 'S'", "(1 if str(i) == 'S' else 2)"),
            ("ord", "lambda c: 1", "ord('abc'[i % 3])"),
            (
                "isinstance",
                "lambda a, b: False",
                "(1 if isinstance(i, int) else 5)",
            ),
            ("bool", "lambda x: True", "(3 if bool(i % 2) else 4)"),
            ("int", "lambda x: 3", "int(i * 0.5)"),
            ("sum", "lambda x: 11", "sum(s2)"),
        ];
        let (name, fake, usage) = *self.r.pick(table);
        let s = self
            .r
            .pick(&["'abc'", "[1, 2, 3]", "(4, 5, 6, 7)", "'xyzw'"])
            .to_string();
        let n = self.hot();
        w!(self, "def {p}_use(n):");
        self.ind += 1;
        w!(self, "s = {s}");
        self.line("s2 = [1, 2]");
        self.line("t = 0");
        self.open("for i in range(n):");
        w!(self, "t += {usage}");
        self.close();
        self.line("return t");
        self.close();
        let form = self.r.below(5);
        match form {
            0 => {
                w!(self, "print('{p} a', {p}_use({n}))");
                w!(self, "{name} = {fake}");
                w!(self, "print('{p} b', {p}_use({n}))");
                w!(self, "del {name}");
                w!(self, "print('{p} c', {p}_use({n}))");
            }
            1 | 2 => {
                let k1 = self.k_point().min(n - 10);
                let k2 = k1 + self.r.range(1, n - k1 + 300);
                w!(self, "def {p}_mid(n, k1, k2):");
                self.ind += 1;
                w!(self, "s = {s}");
                self.line("s2 = [1, 2]");
                self.line("t = 0");
                self.open("for i in range(n):");
                self.open("if i == k1:");
                if form == 1 {
                    w!(self, "globals()['{name}'] = {fake}");
                } else {
                    w!(self, "globals().update({name}={fake})");
                }
                self.close();
                self.open("if i == k2:");
                w!(self, "del globals()['{name}']");
                self.close();
                w!(self, "t += {usage}");
                let cp = self.checkpoint(n);
                self.open(&format!("if i % {cp} == 0:"));
                w!(self, "print('{p}', i, t)");
                self.close();
                self.close();
                self.line("return t");
                self.close();
                w!(self, "print('{p} mid', {p}_mid({n}, {k1}, {k2}))");
                w!(
                    self,
                    "print('{p} after', {p}_use(100), '{name}' in globals())"
                );
                w!(self, "globals().pop('{name}', None)");
            }
            3 => {
                let k = self.k_point().min(n - 10);
                w!(self, "def {p}_g(n, k):");
                self.ind += 1;
                w!(self, "global {name}");
                w!(self, "s = {s}");
                self.line("s2 = [1, 2]");
                self.line("t = 0");
                self.open("for i in range(n):");
                self.open("if i == k:");
                w!(self, "{name} = {fake}");
                self.close();
                w!(self, "t += {usage}");
                self.close();
                w!(self, "del {name}");
                self.line("return t");
                self.close();
                w!(self, "print('{p} g', {p}_g({n}, {k}), {p}_use(50))");
            }
            _ => {
                let k = self.k_point().min(n - 10);
                self.line("import builtins");
                w!(self, "{p}_orig = builtins.{name}");
                w!(self, "def {p}_bi(n, k):");
                self.ind += 1;
                w!(self, "s = {s}");
                self.line("s2 = [1, 2]");
                self.line("t = 0");
                self.open("try:");
                self.open("for i in range(n):");
                self.open("if i == k:");
                w!(self, "builtins.{name} = {fake}");
                self.close();
                w!(self, "t += {usage}");
                self.close();
                self.close();
                self.open("finally:");
                w!(self, "builtins.{name} = {p}_orig");
                self.close();
                self.line("return t");
                self.close();
                w!(self, "print('{p} bi', {p}_bi({n}, {k}), {p}_use(50))");
            }
        }
    }

    fn global_rebind(&mut self, p: &str) {
        let c = self.small();
        let c2 = self.r.range(2, 5);
        w!(self, "def {p}_helper(x):");
        self.ind += 1;
        w!(self, "return x + {}", Self::lit(c));
        self.close();
        w!(self, "def {p}_alt(x):");
        self.ind += 1;
        w!(self, "return x * {c2} - 1");
        self.close();
        emit!(
            self,
            r#"
            class @p@_Sub(int):
                def __radd__(self, o):
                    return int(o) + 2 * int(self)
            "#,
            &[("p", p.to_string())],
        );
        let repl = self
            .r
            .pick(&[
                format!("{p}_alt"),
                "lambda x: -x".to_string(),
                format!("{p}_Sub"),
                "abs".to_string(),
                "(lambda x: x * 0.5)".to_string(),
                "(lambda x: x + 2**64)".to_string(),
                "bool".to_string(),
            ])
            .clone();
        let n = self.hot();
        let k = self.k_point().min(n - 1);
        let pp = self.checkpoint(n);
        emit!(
            self,
            r#"
            @p@_G = 0
            def @p@_loop(n, k):
                global @p@_helper, @p@_G
                t = 0
                for i in range(n):
                    if i == k:
                        @p@_helper = @repl@
                    if i == @k2@:
                        @p@_G = @gval@
                    t += @p@_helper(i) + @p@_G
                    if i % @pp@ == 0:
                        print('@p@', i, repr(t))
                return t
            @p@_saved = @p@_helper
            print('@p@', repr(@p@_loop(@n@, @k@)))
            @p@_helper = @p@_saved
            @p@_G = 0
            print('@p@', repr(@p@_loop(@n2@, @k3@)))
            @p@_helper = @p@_saved
            "#,
            &[
                ("p", p.to_string()),
                ("repl", repl),
                ("k2", self.r.range(300, 3000).to_string()),
                (
                    "gval",
                    self.r
                        .pick(&["2.5", "2**64", "True", "-3", "(1 << 63)"])
                        .to_string()
                ),
                ("pp", pp.to_string()),
                ("n", n.to_string()),
                ("k", k.to_string()),
                ("n2", self.r.range(100, 1500).to_string()),
                ("k3", self.r.range(0, 1500).to_string()),
            ],
        );
        if self.r.chance(70) {
            // A function that redefines itself (a `def` bound to its global name) while it runs.
            let n = self.hot();
            let k = self.r.range(0, n - 1);
            emit!(
                self,
                r#"
                def @p@_self(n):
                    global @p@_self
                    t = 0
                    for i in range(n):
                        t += i % 7
                        if i == @k@:
                            def @p@_self(n):
                                return -n
                    return t
                print('@p@ self', @p@_self(@n@), @p@_self(@n@))
                "#,
                &[
                    ("p", p.to_string()),
                    ("n", n.to_string()),
                    ("k", k.to_string())
                ],
            );
        }
    }

    fn recursive_rebind(&mut self, p: &str) {
        let depth = self.r.range(8, 30);
        let d = self.r.range(2, depth);
        let d2 = self.r.range(0, d - 1);
        let reps = self.r.range(100, 300);
        let expr = self
            .r
            .pick(&["2 * n", "n - 1", "n * n", "-n", "n % 3"])
            .to_string();
        emit!(
            self,
            r#"
            def @p@_rec(n):
                global @p@_rec
                if n <= 0:
                    return @base@
                if n == @d@:
                    @p@_rec = @p@_alt
                return n + @p@_rec(n - 1)
            def @p@_alt(n):
                global @p@_rec
                if n <= 0:
                    return @base2@
                if n == @d2@:
                    @p@_rec = @p@_orig
                return @expr@ + @p@_rec(n - 1)
            @p@_orig = @p@_rec
            @p@_t = 0
            @p@_same = 0
            for j in range(@reps@):
                @p@_rec = @p@_orig
                @p@_t += @p@_rec(@depth@ + j % 5)
                if @p@_rec is @p@_orig:
                    @p@_same += 1
            print('@p@', @p@_t, @p@_same)
            "#,
            &[
                ("p", p.to_string()),
                ("base", self.r.range(0, 9).to_string()),
                ("base2", self.r.range(50, 150).to_string()),
                ("d", d.to_string()),
                ("d2", d2.to_string()),
                ("reps", reps.to_string()),
                ("depth", depth.to_string()),
                ("expr", expr),
            ],
        );
        if self.r.chance(50) {
            // Mutual recursion through globals, one side replaced by a float-returning version.
            emit!(
                self,
                r#"
                def @p@_even(n):
                    return True if n == 0 else @p@_odd(n - 1)
                def @p@_odd(n):
                    return False if n == 0 else @p@_even(n - 1)
                @p@_c = 0
                for j in range(@reps@):
                    if @p@_even(j % 40):
                        @p@_c += 1
                    if j == @k@:
                        @p@_odd = lambda n: (n % 3) * 1.5
                print('@p@ eo', @p@_c, @p@_even(7), @p@_even(10))
                "#,
                &[
                    ("p", p.to_string()),
                    ("reps", self.r.range(200, 600).to_string()),
                    ("k", self.r.range(50, 400).to_string()),
                ],
            );
        }
    }

    fn closures(&mut self, p: &str) {
        let n = self.hot();
        let k = self.k_point().min(n - 1);
        emit!(
            self,
            r#"
            def @p@_make(start):
                count = start
                hist = []
                def inc(d):
                    nonlocal count
                    count += d
                    if count % @m@ == 0:
                        hist.append(count)
                    return count
                def get():
                    return count, len(hist), hist[-3:]
                def reset(v):
                    nonlocal count
                    old = count
                    count = v
                    return old
                return inc, get, reset
            @p@_inc, @p@_get, @p@_reset = @p@_make(@start@)
            for i in range(@n@):
                @p@_inc(i % 7 - 3)
                if i == @k@:
                    print('@p@ reset', @p@_reset(@newv@))
            print('@p@', @p@_get())
            "#,
            &[
                ("p", p.to_string()),
                ("m", self.r.range(3, 50).to_string()),
                ("start", self.small().to_string()),
                ("n", n.to_string()),
                ("k", k.to_string()),
                (
                    "newv",
                    self.r.pick(&["2.5", "10**20", "-7", "True"]).to_string()
                ),
            ],
        );
        if self.r.chance(70) {
            emit!(
                self,
                r#"
                def @p@_outer(a):
                    x = a
                    def mid(b):
                        nonlocal x
                        y = b
                        def inner(c):
                            nonlocal x, y
                            x += c
                            y -= c
                            return x * y
                        r = 0
                        for k in range(b):
                            r += inner(k)
                        return r, y
                    return mid, lambda: x
                @p@_mid, @p@_getx = @p@_outer(@a@)
                @p@_r = []
                for j in range(@reps@):
                    @p@_r.append(@p@_mid(j % 9))
                print('@p@ nest', @p@_r[-3:], @p@_getx(), len(@p@_r))
                "#,
                &[
                    ("p", p.to_string()),
                    ("a", self.small().to_string()),
                    ("reps", self.r.range(100, 400).to_string()),
                ],
            );
        }
        if self.r.chance(60) {
            emit!(
                self,
                r#"
                @p@_fs = [lambda: i for i in range(@m@)]
                @p@_gs = [lambda i=i: i * 2 for i in range(@m@)]
                def @p@_adder(k):
                    return lambda v: v + k
                @p@_adders = [@p@_adder(k) for k in range(10)]
                @p@_s = 0
                for i in range(@n@):
                    @p@_s = @p@_adders[i % 10](@p@_s) % 100003
                def @p@_late():
                    v = 1
                    g = lambda: v * 2
                    v = @v@
                    return g()
                print('@p@ late', [f() for f in @p@_fs], [g() for g in @p@_gs], @p@_s, @p@_late())
                "#,
                &[
                    ("p", p.to_string()),
                    ("m", self.r.range(2, 6).to_string()),
                    ("n", self.hot().to_string()),
                    ("v", self.r.pick(&["10", "2.5", "'ab'", "[1]"]).to_string()),
                ],
            );
        }
        if self.r.chance(50) {
            // A closure cell whose content changes type in a hot loop.
            let n = self.hot();
            emit!(
                self,
                r#"
                def @p@_cell(n, k):
                    v = 0
                    def bump(d):
                        nonlocal v
                        v = v + d
                    for i in range(n):
                        bump(1 if i < k else 0.5)
                        if i == k + 7:
                            bump(@p@_Big())
                    return repr(v)
                class @p@_Big:
                    def __radd__(self, o):
                        return o * 2
                print('@p@ cell', @p@_cell(@n@, @k@))
                "#,
                &[
                    ("p", p.to_string()),
                    ("n", n.to_string()),
                    ("k", self.r.range(0, n).to_string())
                ],
            );
        }
    }

    fn classes(&mut self, p: &str) {
        emit!(
            self,
            VEC_CLASSES,
            &[
                ("p", p.to_string()),
                ("mul", self.r.range(2, 5).to_string())
            ]
        );
        let n = self.r.range(500, 1500);
        let k = self.k_point().min(n - 1);
        let pp = self.checkpoint(n);
        emit!(
            self,
            r#"
            @p@_vs = [@p@_Vec(i, i + 1) if i % 3 else @p@_Vec2(i, -i) for i in range(@m@)]
            def @p@_run(n, k):
                acc = @p@_Vec(0, 0)
                cnt = eq = tot = 0
                for i in range(n):
                    v = @p@_vs[i % len(@p@_vs)]
                    acc = acc + v
                    if v < acc:
                        cnt += 1
                    if v == @p@_vs[0]:
                        eq += 1
                    tot += len(v) + v[0] + v[-1]
                    if i == k:
                        @p@_Vec.__len__ = lambda self: 99
                    if i % @pp@ == 0:
                        print('@p@', i, acc, cnt, eq, tot)
                del @p@_Vec.__len__
                @p@_Vec.__len__ = @p@_vlen
                return acc, cnt, eq, tot
            print('@p@', @p@_run(@n@, @k@))
            print('@p@', sorted(@p@_vs)[:3], list(@p@_vs[4]), [x for x in @p@_vs[5]], @p@_vs[1][-1], @p@_vs[2] in @p@_vs, sum(@p@_vs[:4], @p@_Vec(0, 0)))
            print('@p@', @p@_Old(4) == @p@_Old(4), list(@p@_Old(5)), 3 in @p@_Old(5), @p@_Vec2(1, 2) + @p@_Vec2(3, 4), @p@_vs[0] != @p@_vs[3])
            try:
                print(@p@_Vec(1) < 5)
            except TypeError as e:
                print('@p@', type(e).__name__)
            "#,
            &[
                ("p", p.to_string()),
                ("m", self.r.range(6, 25).to_string()),
                ("n", n.to_string()),
                ("k", k.to_string()),
                ("pp", pp.to_string()),
            ],
        );
        if self.r.chance(60) {
            emit!(
                self,
                r#"
                class @p@_Base:
                    kind = 'base'
                    def __init__(self, x):
                        self.x = x
                    def area(self):
                        return self.x * 2
                    def describe(self):
                        return self.kind + ':' + str(self.area())
                    @property
                    def double(self):
                        return self.x * 2
                    @staticmethod
                    def st(a):
                        return a + 1
                    @classmethod
                    def make(cls, x):
                        return cls(x)
                class @p@_Mid(@p@_Base):
                    kind = 'mid'
                    def area(self):
                        return super().area() + 1
                class @p@_Leaf(@p@_Mid):
                    def __init__(self, x, y):
                        super().__init__(x)
                        self.y = y
                    def area(self):
                        return super().area() * self.y
                @p@_objs = [@p@_Base(3), @p@_Mid(4), @p@_Leaf(5, 2), @p@_Mid.make(6), @p@_Leaf.make(7, 3) if False else @p@_Leaf(1, 9)]
                @p@_t = 0
                for i in range(@n@):
                    o = @p@_objs[i % 5]
                    @p@_t += o.area() + o.double + o.st(i % 3)
                    if i == @k@:
                        @p@_Mid.area = lambda self: -self.x
                print('@p@ inh', @p@_t, [o.describe() for o in @p@_objs], @p@_Leaf.__mro__[1].__name__, isinstance(@p@_objs[2], @p@_Base))
                "#,
                &[
                    ("p", p.to_string()),
                    ("n", self.hot().to_string()),
                    ("k", self.k_point().to_string()),
                ],
            );
        }
    }

    fn exceptions(&mut self, p: &str) {
        let n = self.r.range(500, 2000);
        let depth = self.r.range(3, 15);
        let pp = self.checkpoint(n);
        emit!(
            self,
            r#"
            class @p@_E(Exception):
                pass
            class @p@_F(@p@_E):
                def __init__(self, code):
                    super().__init__(code)
                    self.code = code
            def @p@_deep(n, kind):
                if n == 0:
                    if kind == 0:
                        raise @p@_F(n + kind + 1)
                    if kind == 1:
                        raise KeyError(kind)
                    if kind == 2:
                        return {}['missing']
                    if kind == 3:
                        return [][1]
                    if kind == 4:
                        return 1 // (kind - 4)
                    if kind == 5:
                        return int('x')
                    if kind == 6:
                        return None.attr
                    if kind == 7:
                        raise @p@_E('seven', kind)
                    if kind == 8:
                        return 1.5 % 0.0
                    return n
                return @p@_deep(n - 1, kind) + 1
            @p@_stats = [0, 0]
            def @p@_mid(i):
                try:
                    return @p@_deep(i % @depth@, i % @kinds@)
                except @p@_F as e:
                    if e.code % 2:
                        raise
                    return -1
                finally:
                    @p@_stats[0] += 1
            def @p@_run(n):
                log = {}
                ok = fin = 0
                for i in range(n):
                    try:
                        r = @p@_mid(i)
                    except @p@_E as e:
                        key = 'E' + str(e.args)
                        log[key] = log.get(key, 0) + 1
                    except LookupError as e:
                        key = type(e).__name__
                        log[key] = log.get(key, 0) + 1
                    except ArithmeticError as e:
                        key = type(e).__name__
                        log[key] = log.get(key, 0) + 1
                    except Exception as e:
                        key = 'X' + type(e).__name__
                        log[key] = log.get(key, 0) + 1
                    else:
                        ok += r
                    finally:
                        fin += 1
                    if i % @pp@ == 0:
                        print('@p@', i, ok, fin, len(log))
                return ok, fin, log
            print('@p@', @p@_run(@n@), @p@_stats)
            "#,
            &[
                ("p", p.to_string()),
                ("depth", depth.to_string()),
                ("kinds", self.r.range(2, 10).to_string()),
                ("n", n.to_string()),
                ("pp", pp.to_string()),
            ],
        );
        if self.r.chance(60) {
            emit!(
                self,
                r#"
                def @p@_chain(i):
                    try:
                        try:
                            return 10 // (i % @m@)
                        except ZeroDivisionError as e:
                            raise @p@_E('wrapped', i) from e
                    except @p@_E as e:
                        try:
                            raise ValueError(i)
                        except ValueError as v:
                            return (type(e.__cause__).__name__, e.args, type(v.__context__).__name__, e.__suppress_context__)
                @p@_res = {}
                for i in range(@n@):
                    r = @p@_chain(i)
                    k = r if isinstance(r, int) else r[0]
                    @p@_res[k] = @p@_res.get(k, 0) + 1
                print('@p@ chain', @p@_res, @p@_chain(0))
                def @p@_unbound():
                    e = 1
                    try:
                        raise KeyError(1)
                    except KeyError as e:
                        pass
                    try:
                        return e
                    except NameError as x:
                        return type(x).__name__
                print('@p@ unbound', @p@_unbound())
                "#,
                &[
                    ("p", p.to_string()),
                    ("m", self.r.range(2, 9).to_string()),
                    ("n", self.r.range(300, 1500).to_string())
                ],
            );
        }
        if self.r.chance(60) {
            let n = self.hot();
            emit!(
                self,
                r#"
                def @p@_tf(n):
                    fin = brk = t = 0
                    for i in range(n):
                        try:
                            if i % @a@ == 0:
                                continue
                            if i == @k@:
                                break
                            t += i
                            if i % @b@ == 1:
                                raise @p@_E(i % 3)
                        except @p@_E as e:
                            t -= e.args[0]
                        finally:
                            fin += 1
                    else:
                        brk = -1
                    return t, fin, brk
                def @p@_ret(i):
                    try:
                        if i % 3 == 0:
                            return 'r'
                        if i % 3 == 1:
                            raise ValueError(i)
                    except ValueError:
                        return 'e'
                    finally:
                        @p@_stats[1] += 1
                    return 'n'
                print('@p@ tf', @p@_tf(@n@), ''.join(@p@_ret(i) for i in range(20)), @p@_stats)
                "#,
                &[
                    ("p", p.to_string()),
                    ("a", self.r.range(2, 9).to_string()),
                    ("b", self.r.range(2, 9).to_string()),
                    ("k", self.r.range(0, n + 200).to_string()),
                    ("n", n.to_string()),
                ],
            );
        }
    }

    fn loops(&mut self, p: &str) {
        w!(self, "def {p}_loops():");
        self.ind += 1;
        self.line("acc = 0");
        self.line("els = 0");
        self.line("brk = 0");
        w!(
            self,
            "lst = [{}]",
            (0..self.r.range(3, 12))
                .map(|_| self.r.range(-20, 40).to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        self.line("d = {k: k * k - 3 for k in range(-5, 15)}");
        let nloops = self.r.range(2, 4);
        for _ in 0..nloops {
            let budget = self.r.range(800, 2500);
            self.loop_nest(2, budget, &mut vec!["acc".to_string()]);
        }
        self.line("return acc, els, brk");
        self.close();
        w!(self, "print('{p}', {p}_loops())");
        // A hot loop at module level too.
        let n = self.hot();
        emit!(
            self,
            r#"
            @p@_t = 0
            @p@_j = 0
            while True:
                @p@_j += 1
                if @p@_j % @a@ == 0:
                    continue
                @p@_t += @p@_j
                if @p@_j >= @n@:
                    break
            else:
                @p@_t = -1
            print('@p@ while', @p@_t, @p@_j)
            "#,
            &[
                ("p", p.to_string()),
                ("a", self.r.range(2, 9).to_string()),
                ("n", n.to_string())
            ],
        );
    }

    /// Emits a random loop with up to `depth` nested loops, running at most ~`budget` iterations.
    fn loop_nest(&mut self, depth: u32, budget: i64, vars: &mut Vec<String>) {
        let v = format!("v{}", self.ind);
        let form = self.r.below(10);
        // Iteration count of this loop.
        let inner = depth > 1 && self.r.chance(50);
        let cnt = if inner {
            self.r.range(2, 8)
        } else {
            budget.max(2)
        };
        let mut loop_vars = vec![v.clone()];
        match form {
            0 => {
                let start = self.r.range(-20, 20);
                let step = self.nonzero().clamp(-3, 3);
                let end = start + step * cnt;
                w!(self, "for {v} in range({start}, {end}, {step}):");
            }
            1 => w!(self, "for {v} in lst * {}:", (cnt / 8).max(1)),
            2 => {
                let k2 = format!("{v}b");
                w!(
                    self,
                    "for {v}, {k2} in list(d.items()) * {}:",
                    (cnt / 20).max(1)
                );
                loop_vars.push(k2);
            }
            3 => w!(self, "for {v} in (x * 3 - 7 for x in range({cnt})):"),
            4 => {
                let j = format!("{v}i");
                w!(self, "for {j}, {v} in enumerate(range({cnt}, 0, -1)):");
                loop_vars.push(j);
            }
            5 => {
                let w2 = format!("{v}z");
                w!(
                    self,
                    "for {v}, {w2} in zip(range({cnt}), reversed(range({}))):",
                    cnt + 3
                );
                loop_vars.push(w2);
            }
            6 => w!(
                self,
                "for {v} in sorted(d, key=lambda q: -q) * {}:",
                (cnt / 20).max(1)
            ),
            7 => w!(self, "for {v} in 'abcdefgh' * {}:", (cnt / 8).max(1)),
            _ => {
                // while loop with its own counter
                w!(self, "{v} = 0");
                w!(self, "while {v} < {cnt}:");
                self.ind += 1;
                w!(self, "{v} += 1");
                self.ind -= 1;
            }
        }
        self.ind += 1;
        let is_str = form == 7;
        if is_str {
            w!(self, "{v}n = ord({v})");
            loop_vars[0] = format!("{v}n");
        }
        vars.extend(loop_vars.iter().cloned());
        let names: Vec<&str> = vars
            .iter()
            .map(|s| s.as_str())
            .filter(|s| *s != "acc")
            .collect();
        let names_acc: Vec<&str> = vars.iter().map(|s| s.as_str()).collect();
        let lv = loop_vars[0].clone();
        let nst = self.r.range(1, 3);
        for _ in 0..nst {
            match self.r.below(6) {
                0 => {
                    let m = self.r.range(2, 7);
                    w!(self, "if {lv} % {m} == {}:", self.r.range(0, m - 1));
                    self.ind += 1;
                    self.line("continue");
                    self.ind -= 1;
                }
                1 => {
                    let c = self.int_cond(&names);
                    w!(self, "if {c} and acc % {} == 0:", self.r.range(3, 40));
                    self.ind += 1;
                    self.line("brk += 1");
                    self.line("break");
                    self.ind -= 1;
                }
                _ => {
                    let e = self
                        .int_expr(2, &names_acc)
                        .replace(" // ", " + ")
                        .replace(" % ", " - ")
                        .replace("pow(", "max(");
                    let md = self
                        .r
                        .pick(&["1000003", "(2**64 + 13)", "(-99991)", "(2**31 - 1)"])
                        .to_string();
                    w!(self, "acc = (acc + {e}) % {md}");
                }
            }
        }
        if depth > 1 && self.r.chance(60) {
            let b = (budget / cnt.max(1)).clamp(2, 10);
            self.loop_nest(depth - 1, b, vars);
        }
        self.ind -= 1;
        if self.r.chance(50) {
            self.line("else:");
            self.ind += 1;
            self.line("els += 1");
            self.ind -= 1;
        }
        for _ in 0..loop_vars.len() {
            vars.pop();
        }
    }

    fn generators(&mut self, p: &str) {
        emit!(
            self,
            r#"
            def @p@_gen(n, step):
                total = 0
                i = 0
                while i < n:
                    got = yield i * step
                    if got is not None:
                        total += got
                        i += got % 3
                    i += 1
                return total
            def @p@_wrap(n):
                r = yield from @p@_gen(n, @step@)
                yield ('ret', r)
            def @p@_drive(n):
                g = @p@_wrap(n)
                out = []
                x = next(g)
                try:
                    while True:
                        if isinstance(x, tuple):
                            out.append(x)
                            x = next(g)
                        elif x % @m@ == 0:
                            x = g.send(x % 7)
                        else:
                            out.append(x)
                            x = next(g)
                except StopIteration as e:
                    out.append(('stop', e.value))
                return len(out), out[:4], out[-3:]
            print('@p@', @p@_drive(@n@))
            def @p@_sq(n):
                for i in range(n):
                    if i % @skip@ == 0:
                        continue
                    yield i * i
            @p@_tot = 0
            for j in range(@reps@):
                @p@_tot += sum(@p@_sq(j % 50))
                @p@_tot -= sum(x for x in range(j % 30) if x % 3)
            print('@p@ sum', @p@_tot, list(@p@_sq(10)), max(@p@_sq(20)))
            "#,
            &[
                ("p", p.to_string()),
                ("step", self.r.range(1, 9).to_string()),
                ("m", self.r.range(2, 9).to_string()),
                ("n", self.r.range(200, 2000).to_string()),
                ("skip", self.r.range(2, 7).to_string()),
                ("reps", self.r.range(100, 400).to_string()),
            ],
        );
        if self.r.chance(60) {
            emit!(
                self,
                r#"
                def @p@_catcher():
                    n = 0
                    while True:
                        try:
                            v = yield n
                            n += v
                        except ValueError:
                            n = -n
                def @p@_fin(log):
                    try:
                        for i in range(100):
                            yield i
                    finally:
                        log.append('closed')
                @p@_c = @p@_catcher()
                next(@p@_c)
                @p@_vals = []
                for i in range(@n@):
                    if i % @m@ == 0:
                        @p@_vals.append(@p@_c.throw(ValueError))
                    else:
                        @p@_vals.append(@p@_c.send(i % 5))
                @p@_log = []
                @p@_g = @p@_fin(@p@_log)
                @p@_first = [next(@p@_g) for _ in range(3)]
                @p@_g.close()
                @p@_c.close()
                print('@p@ ctl', @p@_vals[-4:], sum(@p@_vals), @p@_first, @p@_log)
                def @p@_chain(*its):
                    for it in its:
                        yield from it
                print('@p@ chain', list(@p@_chain(range(3), 'ab', [None], (x for x in range(2)))))
                "#,
                &[
                    ("p", p.to_string()),
                    ("n", self.r.range(300, 2000).to_string()),
                    ("m", self.r.range(2, 9).to_string())
                ],
            );
        }
    }

    fn strings(&mut self, p: &str) {
        let n = self.hot();
        emit!(
            self,
            r#"
            def @p@_str(n):
                s = ''
                parts = []
                for i in range(n):
                    c = chr(97 + (i * @k@) % 26)
                    if i % @u@ == 0:
                        s += c.upper()
                    else:
                        s += c
                    if i % 100 == 0:
                        parts.append(s[-5:])
                return s, parts
            @p@_s, @p@_parts = @p@_str(@n@)
            print('@p@', len(@p@_s), @p@_s[:20], @p@_s[-20:], @p@_s.count('a'), @p@_s.find('xyz'), @p@_s[::97][:30], @p@_s[-3::-5][:10])
            print('@p@', '|'.join(@p@_parts[:8]), len(@p@_s.split('e')), max(@p@_s.split('e'), key=len)[:10])
            print('@p@', @p@_s.replace('a', '--')[:30], @p@_s.upper()[:10], @p@_s.swapcase()[5:15], @p@_s.title()[:12], @p@_s[:10].center(16, '*'))
            print('@p@', @p@_s.startswith(@p@_s[:3]), 'Q' in @p@_s, @p@_s.rfind('b'), @p@_s.partition('c')[0][-4:], @p@_s[:6].zfill(9), @p@_s.isalpha(), @p@_s[:4].isupper())
            @p@_n = @num@
            print('@p@ f', f"{@p@_n:>8}|{@p@_n:x}|{@p@_n:b}|{@p@_n / 7:.4f}|{@p@_s[:3]!r}|{-@p@_n:+d}|{@p@_n:,}|{@p@_n:08.2f}|{@p@_n * 1.5:e}|{@p@_n:^9}|{0.1 * @p@_n:g}")
            print('@p@ %', '%d-%s-%5.2f|%-6d|%x|%r|%05d' % (@p@_n, @p@_s[:4], @p@_n / 3, @p@_n, abs(@p@_n), @p@_s[:2], @p@_n))
            print('@p@ r', repr("a'b\"c\n\t\\"), repr('x' * 3 + "'"), str(2**100), int('-' + str(2**70)), int('  42  '), int('ff', 16), hex(-255), oct(8), bin(5), ascii('é'))
            print('@p@ cmp', 'abc' < 'abd', 'a' * 3 == 'aaa', 'B' < 'a', sorted(['b', 'A', 'c', 'aa']), ord('z') - ord('a'), chr(0x41), ' x y  z '.split(), 'a,b,,c'.split(','), '-'.join(map(str, range(5))))
            "#,
            &[
                ("p", p.to_string()),
                ("k", self.r.range(1, 25).to_string()),
                ("u", self.r.range(2, 11).to_string()),
                ("n", n.to_string()),
                ("num", self.r.range(-100000, 100000).to_string()),
            ],
        );
        if self.r.chance(50) {
            // A string value whose content type changes: str -> int conversion in a hot loop.
            emit!(
                self,
                r#"
                @p@_tot = 0
                @p@_acc = []
                for i in range(@n@):
                    t = str(i * @k@)
                    @p@_tot += int(t[::-1]) % 1000 + len(t)
                    if i % @m@ == 0:
                        @p@_acc.append(t[-2:])
                print('@p@ conv', @p@_tot, ''.join(@p@_acc)[:40], 'é'.upper(), 'ß'.upper(), 'İ'.lower() == 'i̇', 'ǅ'.swapcase(), '\u00e9' == 'é', len('日本語'), '日本語'[1], 'straße'.casefold())
                "#,
                &[
                    ("p", p.to_string()),
                    ("n", self.hot().to_string()),
                    ("k", self.r.range(1, 999).to_string()),
                    ("m", self.r.range(50, 300).to_string()),
                ],
            );
        }
    }

    fn collections(&mut self, p: &str) {
        let n = self.hot();
        emit!(
            self,
            r#"
            def @p@_coll(n):
                lst = []
                d = {}
                s = set()
                for i in range(n):
                    lst.append(i * @a@ % @m@)
                    if len(lst) > @cap@:
                        lst.pop(i % 3)
                    key = i % @km@
                    d[key] = d.get(key, 0) + i
                    if i % @dm@ == 0:
                        d.pop((i // 2) % @km@, None)
                    s.add(i % @sm@)
                    if i % 7 == 0:
                        s.discard((i * 3) % @sm@)
                return lst, d, s
            @p@_l, @p@_d, @p@_s = @p@_coll(@n@)
            print('@p@', len(@p@_l), @p@_l[:5], @p@_l[-5:], sum(@p@_l), sorted(@p@_l)[:4], @p@_l.count(@p@_l[0]), @p@_l.index(@p@_l[-1]))
            print('@p@', list(@p@_d.items())[:6], len(@p@_d), sorted(@p@_d.values())[-3:], max(@p@_d, key=lambda q: @p@_d[q]))
            print('@p@', sorted(@p@_s)[:10], len(@p@_s), sorted(@p@_s & {1, 2, 3, 50}), sorted(@p@_s ^ set(range(5))), sorted({1, 2} | {3}), sorted(@p@_s - set(range(10)))[:5], {1, 2} <= @p@_s)
            @p@_t = (3, 1, 2)
            @p@_a, *@p@_b, @p@_c = range(6)
            @p@_lst = [5, 3, 8, 1, 9, 2]
            @p@_lst.sort(key=lambda x: (x % 3, -x))
            @p@_lst2 = @p@_lst[:]
            @p@_lst2[1:3] = [10, 20, 30]
            del @p@_lst2[::2]
            @p@_lst2.insert(-1, 7)
            @p@_lst2.extend(reversed(@p@_lst))
            print('@p@ seq', @p@_t < (3, 2), @p@_t.index(2), @p@_a, @p@_b, @p@_c, @p@_lst, @p@_lst2, @p@_lst2[-2::-2], [1, 2] * 3, (1,) + (2,), [[i * j for j in range(3)] for i in range(3)])
            @p@_dd = {(1, 2): 'a', 'k': [1]}
            @p@_dd.setdefault('k', []).append(2)
            @p@_dd.update({'z': 0}, y=1)
            @p@_merged = @p@_dd | {'k': 'new'}
            print('@p@ dict', @p@_dd, @p@_merged, dict(zip('abc', range(3))), {k: v for k, v in enumerate('xyz') if k != 1}, list({3: 1, 1: 2, 2: 3}), @p@_dd.pop('missing', 'dflt'), 'k' in @p@_dd)
            print('@p@ sort', sorted([(1, 'b'), (1, 'a'), (0, 'z')]), sorted('hello', reverse=True), min([3, 1, 2], key=lambda x: -x), sorted([2.5, 1, True, -3]), list(map(lambda x: x * 2, [1, 2])), list(filter(None, [0, 1, '', 'a', None])))
            "#,
            &[
                ("p", p.to_string()),
                ("a", self.r.range(3, 97).to_string()),
                ("m", self.r.range(50, 1000).to_string()),
                ("cap", self.r.range(20, 300).to_string()),
                ("km", self.r.range(5, 60).to_string()),
                ("dm", self.r.range(3, 40).to_string()),
                ("sm", self.r.range(10, 100).to_string()),
                ("n", n.to_string()),
            ],
        );
    }

    fn poly(&mut self, p: &str) {
        emit!(self, NUM_CLASS, &[("p", p.to_string())]);
        let body = self
            .r
            .pick(&[
                "x * 2 + x",
                "x + x",
                "x * 3",
                "[x, x]",
                "x == x",
                "not x",
                "(x, 1) < (x, 2)",
                "x * 0",
            ])
            .to_string();
        let n = self.hot();
        let pp = self.r.range(50, 300);
        emit!(
            self,
            r#"
            def @p@_poly(x):
                return @body@
            def @p@_minus(x):
                try:
                    return x - 1
                except TypeError as e:
                    return type(e).__name__
            @p@_items = [3, 2.5, True, 'ab', [1], (2, 3), 2**70, -7, @p@_Num(4), None if False else 0.0, b'xy', @p@_Num(1.5)]
            @p@_out = []
            @p@_errs = 0
            for i in range(@n@):
                x = @p@_items[i % len(@p@_items)]
                r = @p@_poly(x)
                m = @p@_minus(x)
                if isinstance(m, str):
                    @p@_errs += 1
                if i % @pp@ == 0:
                    @p@_out.append(repr(r))
            print('@p@', @p@_out[:12], @p@_errs, [repr(@p@_minus(x)) for x in @p@_items])
            "#,
            &[
                ("p", p.to_string()),
                ("body", body),
                ("n", n.to_string()),
                ("pp", pp.to_string())
            ],
        );
    }

    fn attr_shapes(&mut self, p: &str) {
        let n = self.hot();
        let mut ks: Vec<i64> = (0..5).map(|_| self.r.range(100, n - 1)).collect();
        ks.sort();
        emit!(
            self,
            r#"
            class @p@_C:
                k = 1
                def get(self):
                    return self.k * 2
            class @p@_D(@p@_C):
                __slots__ = ()
            class @p@_E:
                k = 100
                def get(self):
                    return 3 + self.k
            @p@_o = @p@_C()
            @p@_q = @p@_D()
            @p@_t = 0
            for i in range(@n@):
                if i == @k1@:
                    @p@_o.k = 5
                if i == @k2@:
                    @p@_C.k = 7
                if i == @k3@:
                    del @p@_o.k
                if i == @k4@:
                    @p@_C.get = lambda self: -1
                if i == @k5@:
                    @p@_o.__class__ = @p@_E
                @p@_t += @p@_o.get() + @p@_q.get()
            print('@p@', @p@_t, @p@_o.get(), @p@_q.get(), @p@_C.k, type(@p@_o).__name__)
            "#,
            &[
                ("p", p.to_string()),
                ("n", n.to_string()),
                ("k1", ks[0].to_string()),
                ("k2", ks[1].to_string()),
                ("k3", ks[2].to_string()),
                ("k4", ks[3].to_string()),
                (
                    "k5",
                    if self.r.chance(50) { ks[4] } else { n + 10 }.to_string()
                ),
            ],
        );
        // Attributes appear, change type and disappear on instances in a hot function.
        let n = self.hot();
        emit!(
            self,
            r#"
            class @p@_P:
                def __init__(self, a):
                    self.a = a
            def @p@_walk(objs, n):
                t = 0
                for i in range(n):
                    o = objs[i % len(objs)]
                    t = t + o.a
                    if i == @k@:
                        objs[0].a = 0.5
                        objs[1].b = 3
                    if hasattr(o, 'b'):
                        t = t + o.b
                    if i % @pp@ == 0:
                        print('@p@ walk', i, repr(t))
                return repr(t), getattr(objs[2], 'b', 'nob'), vars(objs[1])
            print('@p@', @p@_walk([@p@_P(i) for i in range(4)], @n@))
            "#,
            &[
                ("p", p.to_string()),
                ("n", n.to_string()),
                ("k", self.r.range(0, n).to_string()),
                ("pp", self.checkpoint(n).to_string()),
            ],
        );
    }

    fn calls(&mut self, p: &str) {
        emit!(
            self,
            r#"
            def @p@_deco(f):
                calls = [0]
                def wrapper(*args, **kwargs):
                    calls[0] += 1
                    return f(*args, **kwargs)
                wrapper.calls = calls
                return wrapper
            @@p@_deco
            def @p@_kw(a, b=2, *rest, c, d=4, **kw):
                return a + b * 2 + len(rest) * 3 + c * 5 + d * 7 + sum(kw.values()) * 11
            def @p@_dflt(x, acc=[]):
                acc.append(x)
                return len(acc)
            @p@_t = 0
            for i in range(@n@):
                @p@_t += @p@_kw(i, c=i % 5)
                @p@_t += @p@_kw(i, 3, 4, 5, c=1, z=i % 3)
                @p@_t += @p@_kw(*(i, 1), **{'c': 2, 'd': i % 7})
                @p@_t += @p@_dflt(i)
                if (m := i % @w@) > 3 and 0 <= m < 100:
                    @p@_t -= m
            print('@p@ calls', @p@_t, @p@_kw.calls, @p@_dflt(0), @p@_kw(1, c=2, **{'e': 3}))
            try:
                @p@_kw(1, 2)
            except TypeError as e:
                print('@p@', type(e).__name__)
            class @p@_CM:
                def __init__(self, log, suppress):
                    self.log = log
                    self.suppress = suppress
                def __enter__(self):
                    self.log.append('in')
                    return self
                def __exit__(self, et, ev, tb):
                    self.log.append('out:' + (et.__name__ if et else 'ok'))
                    return self.suppress
            @p@_log = []
            @p@_cnt = 0
            for i in range(@n2@):
                try:
                    with @p@_CM(@p@_log, i % 2 == 0) as cm, @p@_CM(@p@_log, False):
                        if i % 3 == 0:
                            raise ValueError(i)
                        @p@_cnt += 1
                except ValueError:
                    @p@_cnt += 100
            print('@p@ with', @p@_cnt, len(@p@_log), @p@_log[-6:])
            class @p@_Dyn:
                def __init__(self):
                    self._v = 0
                def __getattr__(self, name):
                    return len(name)
                @property
                def v(self):
                    return self._v
                @v.setter
                def v(self, x):
                    self._v = x * 2
            @p@_o = @p@_Dyn()
            @p@_s = 0
            for i in range(@n3@):
                @p@_o.v = i % 50
                @p@_s += @p@_o.v + @p@_o.abc + @p@_o.xy
            print('@p@ dyn', @p@_s, @p@_o.v, getattr(@p@_o, 'hello'), hasattr(@p@_o, 'zz'))
            "#,
            &[
                ("p", p.to_string()),
                ("n", self.r.range(300, 1500).to_string()),
                ("w", self.r.range(4, 11).to_string()),
                ("n2", self.r.range(100, 600).to_string()),
                ("n3", self.r.range(500, 2000).to_string()),
            ],
        );
    }
}

/// True if `e` is made of literals only, so a compiler may fold it.
pub(crate) fn foldable(e: &str) -> bool {
    e.chars().all(|c| "0123456789.e+-*/%() ~<>&|^".contains(c))
}

const NUM_CLASS: &str = r#"
class @p@_Num:
    def __init__(self, v):
        self.v = v
    def _o(self, o):
        return o.v if isinstance(o, @p@_Num) else o
    def __add__(self, o):
        return @p@_Num(self.v + self._o(o))
    def __radd__(self, o):
        return @p@_Num(self._o(o) + self.v)
    def __sub__(self, o):
        return @p@_Num(self.v - self._o(o))
    def __rsub__(self, o):
        return @p@_Num(self._o(o) - self.v)
    def __mul__(self, o):
        return @p@_Num(self.v * self._o(o))
    __rmul__ = __mul__
    def __truediv__(self, o):
        return @p@_Num(self.v / self._o(o))
    def __floordiv__(self, o):
        return @p@_Num(self.v // self._o(o))
    def __mod__(self, o):
        return @p@_Num(self.v % self._o(o))
    def __neg__(self):
        return @p@_Num(-self.v)
    def __abs__(self):
        return @p@_Num(abs(self.v))
    def __lt__(self, o):
        return self.v < self._o(o)
    def __gt__(self, o):
        return self.v > self._o(o)
    def __eq__(self, o):
        return self.v == self._o(o)
    def __bool__(self):
        return self.v != 0
    def __int__(self):
        return int(self.v)
    def __repr__(self):
        return '@p@_Num(' + repr(self.v) + ')'
"#;

const INT_SUB_CLASS: &str = r#"
class @p@_I(int):
    def __add__(self, o):
        return @p@_I(int(self) + int(o) + 1)
    def __radd__(self, o):
        return @p@_I(int(o) + int(self) + 1)
    def __repr__(self):
        return '@p@_I(' + str(int(self)) + ')'
"#;

const VEC_CLASSES: &str = r#"
class @p@_Vec:
    def __init__(self, *xs):
        self.xs = list(xs)
    def __len__(self):
        return len(self.xs)
    def __getitem__(self, k):
        return self.xs[k]
    def __iter__(self):
        return iter(self.xs)
    def __add__(self, o):
        if isinstance(o, @p@_Vec):
            return @p@_Vec(*[a + b for a, b in zip(self.xs, o.xs)])
        return @p@_Vec(*[a + o for a in self.xs])
    def __radd__(self, o):
        return self.__add__(o)
    def __eq__(self, o):
        return isinstance(o, @p@_Vec) and self.xs == o.xs
    def __lt__(self, o):
        if not isinstance(o, @p@_Vec):
            return NotImplemented
        return sum(self.xs) < sum(o.xs)
    def __repr__(self):
        return 'Vec(' + ', '.join(repr(x) for x in self.xs) + ')'
    __hash__ = None
@p@_vlen = @p@_Vec.__len__
class @p@_Vec2(@p@_Vec):
    def __init__(self, *xs):
        super().__init__(*xs)
        self.tag = len(xs)
    def __add__(self, o):
        r = super().__add__(o)
        return @p@_Vec2(*[x * @mul@ % 1000 for x in r])
    def __getitem__(self, k):
        if k >= len(self):
            raise IndexError(k)
        return super().__getitem__(k) * 10
class @p@_Old:
    def __init__(self, n):
        self.n = n
    def __getitem__(self, k):
        if k >= self.n:
            raise IndexError(k)
        return k * k
    def __eq__(self, o):
        return isinstance(o, @p@_Old) and o.n == self.n
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_program() {
        for seed in [0u64, 1, 7, 12345, u64::MAX] {
            assert_eq!(generate(seed), generate(seed));
        }
        assert_ne!(generate(1), generate(2));
    }

    #[test]
    fn one_statement_per_line_and_indentation_of_four() {
        for seed in 0..300 {
            let prog = generate(seed);
            for l in prog.lines() {
                let ind = l.len() - l.trim_start().len();
                assert_eq!(ind % 4, 0, "seed {seed}: {l}");
                assert!(!l.contains('\t'), "seed {seed}: tab");
                assert!(!l.contains("@p@"), "seed {seed}: {l}");
            }
        }
    }
}
