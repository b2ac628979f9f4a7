//! The "kernels" block: small functions that use only their arguments and locals (no
//! globals, builtins, closures or exception handlers), the kind a baseline JIT compiles
//! first, called thousands of times from a module-level loop with argument types that
//! change after K calls (int → float → bool → huge int → custom number → int subclass),
//! so compiled code meets failing type guards and must deoptimize.

use crate::gen::Gen;

macro_rules! wl {
    ($g:expr, $($a:tt)*) => {{
        let s = format!($($a)*);
        $g.line_pub(&s)
    }};
}

const LOCALS: &[&str] = &["a", "b", "j", "t", "u"];

impl Gen {
    pub(crate) fn kernels(&mut self, p: &str) {
        // The custom number and int subclass the arguments turn into.
        self.emit_num_classes(p);
        // Half of the blocks are int-only: bit operations, shifts past 64, floor division and
        // modulo with negative operands, values at the i64 boundaries.
        let flavour = self.r.below(10);
        self.kint = flavour >= 4;
        self.kplain = flavour >= 7;
        let nk = self.r.range(1, 3);
        for k in 0..nk {
            let name = format!("{p}_k{k}");
            self.kernel_def(&name);
        }
        // A kernel that calls another one passed as an argument (a local, not a global).
        wl!(self, "def {p}_via(f, a, b, n):");
        self.ind_inc();
        wl!(self, "r = f(a, b, n)");
        wl!(self, "return r * 2 if r == r else r");
        self.ind_dec();
        // Phases of argument types.
        let mut kinds = if self.kplain {
            vec!["int", "bool", "big", "intsub", "neg", "edge"]
        } else if self.kint {
            vec!["int", "bool", "big", "intsub", "neg", "edge"]
        } else {
            vec!["int", "float", "bool", "big", "num", "intsub", "neg", "nan"]
        };
        self.r.shuffle(&mut kinds);
        if self.kplain || self.r.chance(70) {
            let pos = kinds.iter().position(|k| *k == "int").unwrap();
            kinds.swap(0, pos);
        }
        let nph = self.r.range(2, 5) as usize;
        let mut bounds = Vec::new();
        let mut b = self.r.range(500, 3000);
        for _ in 1..nph {
            bounds.push(b);
            b += self.r.range(50, 500);
        }
        let calls = b;
        let which_arg = self.r.below(3);
        let pp = self.r.range(97, 400);
        wl!(self, "{p}_out = []");
        wl!(self, "{p}_sum = 0");
        wl!(self, "for i in range({calls}):");
        self.ind_inc();
        for (j, kind) in kinds[..nph].iter().enumerate() {
            let val = match *kind {
                "int" => format!("i % {} - {}", self.r.range(3, 40), self.r.range(0, 20)),
                "float" => format!(
                    "(i % {}) * {} - 2.0",
                    self.r.range(3, 40),
                    self.r.pick(&["0.5", "0.25", "1.5", "0.1"])
                ),
                "bool" => format!("i % {} == 0", self.r.range(2, 4)),
                "big" => format!("(i % 5 - 2) * 2**{} + i", self.r.range(62, 70)),
                "num" => format!("{p}_N(i % {} - 3)", self.r.range(3, 9)),
                "intsub" => format!("{p}_S(i % {} - 3)", self.r.range(3, 9)),
                "neg" => format!("-(i % {}) - 1", self.r.range(2, 50)),
                "edge" => self
                    .r
                    .pick(&[
                        "2**63 - 1 - i % 3",
                        "-2**63 + i % 5",
                        "2**62 + i",
                        "-(2**31) - i",
                        "2**32 * (i % 3 + 1)",
                    ])
                    .to_string(),
                _ => self
                    .r
                    .pick(&["float('nan')", "float('inf')", "-0.0", "float(2**60)"])
                    .to_string(),
            };
            if j == 0 {
                if nph == 1 {
                    wl!(self, "if True:");
                } else {
                    wl!(self, "if i < {}:", bounds[0]);
                }
            } else if j < bounds.len() {
                wl!(self, "elif i < {}:", bounds[j]);
            } else {
                wl!(self, "else:");
            }
            self.ind_inc();
            wl!(self, "v = {val}");
            self.ind_dec();
        }
        let b_arg = self.r.range(-5, 9);
        let n_arg = self.r.range(1, 8);
        let args = match which_arg {
            0 => format!("v, {b_arg}, {n_arg}"),
            1 => format!("{}, v, {n_arg}", self.r.range(-5, 9)),
            _ => format!("v, v, {n_arg}"),
        };
        let k = self.r.range(0, nk - 1);
        if self.r.chance(30) {
            wl!(self, "r = {p}_via({p}_k{k}, {args})");
        } else {
            wl!(self, "r = {p}_k{k}({args})");
        }
        wl!(self, "if i % {pp} == 0:");
        self.ind_inc();
        wl!(self, "{p}_out.append(repr(r))");
        self.ind_dec();
        wl!(self, "if r == r and type(r) is int:");
        self.ind_inc();
        wl!(self, "{p}_sum = ({p}_sum + r) % 1000000007");
        self.ind_dec();
        self.ind_dec();
        wl!(self, "print('{p}', {p}_sum, len({p}_out))");
        wl!(self, "print('{p}', {p}_out[:8])");
        wl!(self, "print('{p}', {p}_out[8:])");
        // Direct calls with every type after the loop (the function is hot by now).
        let k = self.r.range(0, nk - 1);
        if self.kint {
            wl!(
                self,
                "print('{p} end', repr({p}_k{k}(7, 2, 3)), repr({p}_k{k}(-7, -2, 3)), repr({p}_k{k}(True, False, 2)), repr({p}_k{k}(2**65, -3, 2)), repr({p}_k{k}(2**63 - 1, 2**63 - 1, 2)), repr({p}_k{k}(-2**63, -1, 2)), repr({p}_k{k}({p}_S(3), 5, 1)))"
            );
            self.kint = false;
            self.kplain = false;
            return;
        }
        wl!(
            self,
            "print('{p} end', repr({p}_k{k}(7, 2, 3)), repr({p}_k{k}(2.5, 1, 2)), repr({p}_k{k}(True, False, 2)), repr({p}_k{k}(2**65, -3, 2)), repr({p}_k{k}({p}_N(4), 2, 2)), repr({p}_k{k}({p}_S(3), 5, 1)))"
        );
    }

    fn emit_num_classes(&mut self, p: &str) {
        let lines = [
            format!("class {p}_N:"),
            "    def __init__(self, v):".into(),
            "        self.v = v".into(),
            "    def _o(self, o):".into(),
            format!("        return o.v if isinstance(o, {p}_N) else o"),
            "    def __add__(self, o):".into(),
            format!("        return {p}_N(self.v + self._o(o))"),
            "    __radd__ = __add__".into(),
            "    def __sub__(self, o):".into(),
            format!("        return {p}_N(self.v - self._o(o))"),
            "    def __rsub__(self, o):".into(),
            format!("        return {p}_N(self._o(o) - self.v)"),
            "    def __mul__(self, o):".into(),
            format!("        return {p}_N(self.v * self._o(o))"),
            "    __rmul__ = __mul__".into(),
            "    def __truediv__(self, o):".into(),
            format!("        return {p}_N(self.v / self._o(o))"),
            "    def __floordiv__(self, o):".into(),
            format!("        return {p}_N(self.v // self._o(o))"),
            "    def __mod__(self, o):".into(),
            format!("        return {p}_N(self.v % self._o(o))"),
            "    def __neg__(self):".into(),
            format!("        return {p}_N(-self.v)"),
            "    def __lt__(self, o):".into(),
            "        return self.v < self._o(o)".into(),
            "    def __gt__(self, o):".into(),
            "        return self.v > self._o(o)".into(),
            "    def __le__(self, o):".into(),
            "        return self.v <= self._o(o)".into(),
            "    def __ge__(self, o):".into(),
            "        return self.v >= self._o(o)".into(),
            "    def __eq__(self, o):".into(),
            "        return self.v == self._o(o)".into(),
            "    def __bool__(self):".into(),
            "        return self.v != 0".into(),
            "    def __int__(self):".into(),
            "        return int(self.v)".into(),
            "    def __repr__(self):".into(),
            format!("        return 'N(' + repr(self.v) + ')'"),
            format!("class {p}_S(int):"),
            "    def __add__(self, o):".into(),
            format!("        return {p}_S(int(self) + int(o) + 1)"),
            "    def __mul__(self, o):".into(),
            format!("        return {p}_S(int(self) * int(o) - 1)"),
            "    def __repr__(self):".into(),
            "        return 'S(' + str(int(self)) + ')'".into(),
        ];
        for l in lines {
            self.line_pub(&l);
        }
    }

    fn kernel_def(&mut self, name: &str) {
        wl!(self, "def {name}(a, b, n):");
        self.ind_inc();
        wl!(self, "t = {}", self.k_expr(1, &["a", "b"]));
        wl!(self, "u = {}", self.r.pick(&["0", "1", "b", "a"]));
        wl!(self, "j = 0");
        wl!(self, "while j < n:");
        self.ind_inc();
        let nst = self.r.range(1, 4);
        for _ in 0..nst {
            self.k_stmt(2);
        }
        wl!(self, "j += 1");
        self.ind_dec();
        if self.r.chance(30) {
            wl!(self, "for j in range(n):");
            self.ind_inc();
            self.k_stmt(1);
            self.ind_dec();
        }
        wl!(
            self,
            "return {}",
            self.r
                .pick(&["t", "t", "u", "(t, u)", "t - u", "t if t > u else u"])
        );
        self.ind_dec();
    }

    /// Keeps `v` bounded: modulo a constant, or (compiled by a young JIT that does not do
    /// float `%` yet) a conditional reset.
    fn k_bound(&mut self, v: &str, e: &str) {
        if self.r.chance(40) {
            let ms: &[&str] = if self.kplain {
                &["1009", "65521", "(-7)", "1000003"]
            } else if self.kint {
                &["1009", "(2**63 - 1)", "(-(2**63))", "(-7)", "(2**64 + 1)"]
            } else {
                &["1009", "65521", "(2**61 - 1)", "7", "(2**64 + 1)"]
            };
            let m = self.r.pick(ms).to_string();
            wl!(self, "{v} = ({e}) % {m}");
        } else {
            let bs: &[&str] = if self.kplain {
                &["1000000", "100", "65536"]
            } else {
                &["1000000", "(2**62)", "100", "(10**30)"]
            };
            let b = self.r.pick(bs).to_string();
            wl!(self, "{v} = {e}");
            wl!(self, "if {v} > {b} or {v} < -{b}:");
            self.ind_inc();
            let resets: &[&str] = if self.kplain {
                &["j", "-j", "u - j", "a"]
            } else if self.kint {
                &["j", "-j", "u - j", "a", "(2**63 - 1)"]
            } else {
                &["j", "-j", "u - j", "0.5", "a"]
            };
            wl!(self, "{v} = {}", self.r.pick(resets));
            self.ind_dec();
        }
    }

    fn k_stmt(&mut self, depth: u32) {
        if self.kplain && self.r.chance(25) {
            // Overflows a 64-bit int inside the loop, then comes back into range.
            let k = self
                .r
                .pick(&[
                    "4611686018427387904",
                    "3037000500",
                    "9223372036854775807",
                    "(-4611686018427387904)",
                ])
                .to_string();
            wl!(
                self,
                "u = (a + j) * {k} % {}",
                self.r.pick(&["1000003", "(-65537)", "4294967296"])
            );
            return;
        }
        match self.r.below(if depth > 0 { 7 } else { 4 }) {
            0 | 1 => {
                let e = self.k_expr(2, LOCALS);
                self.k_bound("t", &e);
            }
            2 => {
                let e = self.k_expr(2, LOCALS);
                self.k_bound("u", &e);
            }
            3 => {
                let op = self.r.pick(&["+", "-", "*"]).to_string();
                let e = self.k_expr(1, LOCALS);
                self.k_bound("t", &format!("t {op} {e}"));
            }
            4 | 5 => {
                let c = self.k_cond();
                wl!(self, "if {c}:");
                self.ind_inc();
                self.k_stmt(depth - 1);
                self.ind_dec();
                if self.r.chance(60) {
                    wl!(self, "else:");
                    self.ind_inc();
                    self.k_stmt(depth - 1);
                    self.ind_dec();
                }
            }
            _ => {
                let c = self.k_cond();
                wl!(self, "if {c}:");
                self.ind_inc();
                wl!(
                    self,
                    "{}",
                    self.r.pick(&["break", "u = u + 1", "t = -t", "u = t"])
                );
                self.ind_dec();
            }
        }
    }

    fn k_cond(&mut self) -> String {
        let a = self.k_leaf(LOCALS);
        let b = self.k_leaf(LOCALS);
        match self.r.below(6) {
            0 => format!("{a} < {b}"),
            1 => format!("{a} >= {b}"),
            2 => format!("{a} == {b}"),
            3 => format!("{a} != {b}"),
            4 if !self.kplain => format!("{a} < {b} <= t"),
            4 => format!("{a} <= {b}"),
            _ => format!("j % {} == 0", self.r.range(2, 5)),
        }
    }

    fn k_leaf(&mut self, vars: &[&str]) -> String {
        if self.kplain {
            return match self.r.below(7) {
                0..=4 => self.r.pick(vars).to_string(),
                _ => self.r.range(-9, 9).to_string(),
            };
        }
        if self.kint {
            return match self.r.below(9) {
                0..=4 => self.r.pick(vars).to_string(),
                5 | 6 => self.r.range(-9, 9).to_string(),
                _ => self
                    .r
                    .pick(&[
                        "(2**62)",
                        "(2**63 - 1)",
                        "(-2**63)",
                        "(2**32 + 1)",
                        "(-(2**31))",
                        "(2**64)",
                    ])
                    .to_string(),
            };
        }
        match self.r.below(8) {
            0..=4 => self.r.pick(vars).to_string(),
            5 => self.r.range(-9, 9).to_string(),
            6 => self.r.pick(&["0.5", "2.25", "(-1.5)", "1e3"]).to_string(),
            _ => self
                .r
                .pick(&["(2**62)", "(2**63 - 1)", "(-2**63)", "(10**19)"])
                .to_string(),
        }
    }

    /// An expression valid for every argument type in play (no calls, no division by variables).
    fn k_expr(&mut self, d: u32, vars: &[&str]) -> String {
        if d == 0 || self.r.chance(25) {
            let l = self.k_leaf(vars);
            return if l.starts_with('-') {
                format!("({l})")
            } else {
                l
            };
        }
        let a = self.k_expr(d - 1, vars);
        let b = self.k_expr(d - 1, vars);
        if self.kplain {
            return match self.r.below(12) {
                0 | 1 => format!("({a} + {b})"),
                2 => format!("({a} - {b})"),
                3 | 4 => format!("({a} * {b})"),
                5 => format!("({a} // {})", self.r.pick(&["3", "(-2)", "7", "(-1)"])),
                6 => format!("({a} % {})", self.r.pick(&["5", "(-3)", "1000"])),
                7 => format!("({a} << {})", self.r.range(0, 5)),
                8 => format!("({a} >> {})", self.r.range(0, 5)),
                9 => format!("({a} & {b})"),
                10 => format!("({a} | {b})"),
                _ => format!("({a} ^ {b})"),
            };
        }
        if self.kint {
            return match self.r.below(12) {
                0 | 1 => format!("({a} + {b})"),
                2 => format!("({a} - {b})"),
                3 | 4 => format!("({a} * {b})"),
                5 => format!(
                    "({a} // {})",
                    self.r
                        .pick(&["3", "(-2)", "7", "(-(2**33))", "(2**64 + 3)", "(-1)"])
                ),
                6 => format!(
                    "({a} % {})",
                    self.r.pick(&["5", "(-3)", "1000", "(-(2**40))", "(2**63)"])
                ),
                7 => format!(
                    "({a} << {})",
                    self.r.pick(&["1", "3", "31", "32", "63", "64", "65"])
                ),
                8 => format!(
                    "({a} >> {})",
                    self.r.pick(&["1", "7", "32", "63", "64", "100"])
                ),
                9 => format!("({a} & {b})"),
                10 => format!("({a} | {b})"),
                _ => format!("({a} ^ {b})"),
            };
        }
        match self.r.below(10) {
            0 | 1 => format!("({a} + {b})"),
            2 | 3 => format!("({a} - {b})"),
            4 | 5 => format!("({a} * {b})"),
            6 => {
                // Constant float `//` is folded wrongly by RustPython 0.6.0 (KNOWN_DIFFERENCES.md).
                let a = if crate::gen::foldable(&a) {
                    self.r.pick(vars).to_string()
                } else {
                    a
                };
                format!("({a} // {})", self.r.pick(&["3", "(-2)", "7", "0.5"]))
            }
            7 => format!("({a} % {})", self.r.pick(&["5", "(-3)", "1000", "2.5"])),
            8 => format!("(-{a})"),
            // `+ 0.0`: RustPython 0.6.0 drops the sign of int `0 / -n` (KNOWN_DIFFERENCES.md).
            _ => format!("({a} / {} + 0.0)", self.r.pick(&["4", "(-8)", "0.25"])),
        }
    }
}
