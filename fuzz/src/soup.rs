//! The "soup" block: a hot function whose body is random typed statements over int,
//! float, str, list and bool locals, with nested if/for/try. Every statement keeps its
//! variable bounded (ints reduced modulo a constant, strings and lists truncated, floats
//! clamped), strings and lists never become empty, so any statement order is valid.

use crate::gen::Gen;

macro_rules! wl {
    ($g:expr, $($a:tt)*) => {{
        let s = format!($($a)*);
        w_line($g, &s)
    }};
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Ty {
    Int,
    Float,
    Str,
    List,
    Bool,
}

pub(crate) struct Soup {
    vars: Vec<(String, Ty)>,
    /// Read-only int names (loop variables).
    ro: Vec<String>,
    loop_depth: u32,
    /// Whether int expressions may divide (only where ZeroDivisionError is caught).
    div: std::cell::Cell<bool>,
}

impl Soup {
    fn of(&self, t: Ty) -> Vec<String> {
        let mut v: Vec<String> = self
            .vars
            .iter()
            .filter(|x| x.1 == t)
            .map(|x| x.0.clone())
            .collect();
        if t == Ty::Int {
            v.extend(self.ro.iter().cloned());
        }
        v
    }
}

impl Gen {
    pub(crate) fn soup(&mut self, p: &str) {
        let mut s = Soup {
            vars: Vec::new(),
            ro: vec!["i".into()],
            loop_depth: 1,
            div: std::cell::Cell::new(false),
        };
        let n = self.r.range(500, 2500);
        wl!(self, "def {p}_soup(n):");
        self.ind_inc();
        let inits: &[(Ty, &[&str])] = &[
            (
                Ty::Int,
                &["0", "7", "(-3)", "(2**63 - 1)", "(10**18)", "(-2**40)"],
            ),
            (Ty::Float, &["0.5", "(-2.25)", "1e10", "3.0"]),
            (Ty::Str, &["'ab'", "'xyz'", "'Hello'", "'a-b-c'", "'é!'"]),
            (
                Ty::List,
                &["[1, 2, 3]", "[0]", "[5, -4, 9, 2]", "list(range(6))"],
            ),
            (Ty::Bool, &["True", "False"]),
        ];
        let mut k = 0;
        for (t, vals) in inits {
            let cnt = if *t == Ty::Int {
                self.r.range(2, 3)
            } else {
                self.r.range(1, 2)
            };
            for _ in 0..cnt {
                let name = format!("{}{k}", prefix(*t));
                k += 1;
                let v = self.r.pick(vals).to_string();
                wl!(self, "{name} = {v}");
                s.vars.push((name, *t));
            }
        }
        w_line(self, "for i in range(n):");
        self.ind_inc();
        let nst = self.r.range(4, 9);
        for _ in 0..nst {
            self.soup_stmt(&mut s, 2);
        }
        let pp = (n / self.r.range(3, 6)).max(1);
        let digest: Vec<String> = s
            .vars
            .iter()
            .map(|(v, t)| match t {
                Ty::Str => format!("{v}[-12:]"),
                Ty::List => format!("{v}[-6:]"),
                _ => v.clone(),
            })
            .collect();
        wl!(self, "if i % {pp} == 0:");
        self.ind_inc();
        wl!(self, "print('{p}', i, {})", digest.join(", "));
        self.ind_dec();
        self.ind_dec();
        wl!(self, "return {}", digest.join(", "));
        self.ind_dec();
        wl!(self, "print('{p}', {p}_soup({n}))");
        if self.r.chance(50) {
            wl!(self, "print('{p}', {p}_soup({}))", self.r.range(5, 200));
        }
    }

    fn soup_stmt(&mut self, s: &mut Soup, depth: u32) {
        let choice = self.r.below(if depth > 0 { 16 } else { 12 });
        match choice {
            0..=2 => {
                let v = self.r.pick(&s.of_assignable(Ty::Int)).clone();
                s.div.set(true);
                let e = self.s_int(s, 2);
                s.div.set(false);
                let m = self
                    .r
                    .pick(&[
                        "1000003",
                        "(2**64 + 13)",
                        "(-99991)",
                        "(2**31 - 1)",
                        "97",
                        "(10**30 + 57)",
                    ])
                    .to_string();
                if e.contains("//") || e.contains('%') {
                    w_line(self, "try:");
                    self.ind_inc();
                    wl!(self, "{v} = {e} % {m}");
                    self.ind_dec();
                    w_line(self, "except ZeroDivisionError:");
                    self.ind_inc();
                    wl!(self, "{v} = {}", self.r.range(-5, 5));
                    self.ind_dec();
                } else {
                    wl!(self, "{v} = {e} % {m}");
                }
            }
            3 | 4 => {
                let v = self.r.pick(&s.of_assignable(Ty::Float)).clone();
                let fv = s.of(Ty::Float);
                let fvr: Vec<&str> = fv.iter().map(|x| x.as_str()).collect();
                let e = self.float_expr_pub(2, &fvr);
                w_line(self, "try:");
                self.ind_inc();
                wl!(self, "{v} = {e}");
                self.ind_dec();
                w_line(
                    self,
                    "except (ZeroDivisionError, OverflowError, ValueError):",
                );
                self.ind_inc();
                wl!(self, "{v} = -0.5");
                self.ind_dec();
                wl!(self, "if not (-1e12 < {v} < 1e12):");
                self.ind_inc();
                wl!(self, "{v} = 0.25");
                self.ind_dec();
            }
            5 | 6 => {
                let v = self.r.pick(&s.of_assignable(Ty::Str)).clone();
                let e = self.s_str(s, 2);
                wl!(
                    self,
                    "{v} = ({e} + '{}')[-30:]",
                    self.r.pick(&["q", "Z", "0", "é"])
                );
            }
            7 | 8 => {
                let v = self.r.pick(&s.of_assignable(Ty::List)).clone();
                match self.r.below(7) {
                    0 => {
                        let e = self.s_int(s, 1);
                        wl!(self, "{v}.append({e} % 1000)");
                        wl!(self, "if len({v}) > 30:");
                        self.ind_inc();
                        wl!(self, "del {v}[:10]");
                        self.ind_dec();
                    }
                    1 => wl!(
                        self,
                        "{v} = sorted({v}, reverse={})",
                        self.r.pick(&["True", "False"])
                    ),
                    2 => {
                        let e = self.s_int(s, 1);
                        wl!(self, "{v}[i % len({v})] = {e} % 10007");
                    }
                    3 => wl!(
                        self,
                        "{v} = [x * {} % 97 - 40 for x in {v}]",
                        self.r.range(2, 9)
                    ),
                    4 => w_line(self, &format!("{v}.reverse()")),
                    5 => {
                        wl!(self, "if len({v}) > 1:");
                        self.ind_inc();
                        let at = self
                            .r
                            .pick(&["", "0", "-1", "len(@) // 2"])
                            .replace('@', &v);
                        wl!(self, "{v}.pop({at})");
                        self.ind_dec();
                    }
                    _ => {
                        let other = self.r.pick(&s.of(Ty::List)).clone();
                        wl!(self, "{v} = ({v} + {other}[:3])[-25:]");
                    }
                }
            }
            9 => {
                let v = self.r.pick(&s.of_assignable(Ty::Bool)).clone();
                let c = self.s_cond(s);
                wl!(self, "{v} = {c}");
            }
            10 => {
                // Augmented assignment on an int, bounded afterwards.
                let v = self.r.pick(&s.of_assignable(Ty::Int)).clone();
                let op = self
                    .r
                    .pick(&["+=", "-=", "*=", "^=", "|=", "&="])
                    .to_string();
                let e = self.s_int(s, 1);
                wl!(self, "{v} {op} {e}");
                wl!(
                    self,
                    "{v} %= {}",
                    self.r.pick(&["(2**70 + 1)", "65521", "(-(10**12))"])
                );
            }
            11 => {
                if s.loop_depth > 0 && self.r.chance(50) {
                    let c = self.s_cond(s);
                    wl!(self, "if {c}:");
                    self.ind_inc();
                    w_line(self, "continue");
                    self.ind_dec();
                } else {
                    let v = self.r.pick(&s.of_assignable(Ty::Int)).clone();
                    let e = self.s_int(s, 2);
                    wl!(self, "{v} = ({v} * 31 + hash(({e}) % 1000)) % 1000003");
                }
            }
            12 | 13 => {
                let c = self.s_cond(s);
                wl!(self, "if {c}:");
                self.ind_inc();
                for _ in 0..self.r.range(1, 2) {
                    self.soup_stmt(s, depth - 1);
                }
                self.ind_dec();
                if self.r.chance(50) {
                    w_line(self, "else:");
                    self.ind_inc();
                    self.soup_stmt(s, depth - 1);
                    self.ind_dec();
                }
            }
            14 => {
                let l = self.r.pick(&s.of(Ty::List)).clone();
                let x = format!("x{}", s.ro.len());
                wl!(self, "for {x} in {l}[:{}]:", self.r.range(1, 6));
                self.ind_inc();
                s.ro.push(x);
                s.loop_depth += 1;
                for _ in 0..self.r.range(1, 2) {
                    self.soup_stmt(s, depth - 1);
                }
                s.loop_depth -= 1;
                s.ro.pop();
                self.ind_dec();
                if self.r.chance(30) {
                    w_line(self, "else:");
                    self.ind_inc();
                    self.soup_stmt(s, depth - 1);
                    self.ind_dec();
                }
            }
            _ => {
                // A pattern match on a value's shape.
                let v = self.r.pick(&s.vars.clone()).clone();
                let t = self.r.pick(&s.of_assignable(Ty::Int)).clone();
                wl!(self, "match {}:", v.0);
                self.ind_inc();
                let arms = [
                    "case int(nn) if nn > 100:",
                    "case [a, b, *rest]:",
                    "case str() as q if len(q) > 3:",
                    "case float(z):",
                    "case True | False:",
                    "case [x0]:",
                    "case 0 | 1 | 2:",
                ];
                let mut chosen: Vec<&str> = arms.to_vec();
                self.r.shuffle(&mut chosen);
                for arm in chosen.iter().take(self.r.range(1, 3) as usize) {
                    w_line(self, arm);
                    self.ind_inc();
                    wl!(self, "{t} = ({t} + {}) % 1000003", self.r.range(1, 99));
                    self.ind_dec();
                }
                w_line(self, "case _:");
                self.ind_inc();
                wl!(self, "{t} = ({t} - 1) % 1000003");
                self.ind_dec();
                self.ind_dec();
            }
        }
    }

    fn s_int_leaf(&mut self, s: &Soup) -> String {
        match self.r.below(16) {
            0..=5 => self.r.pick(&s.of(Ty::Int)).clone(),
            6 | 7 => {
                let v = self.r.range(-9, 9);
                if v < 0 {
                    format!("({v})")
                } else {
                    v.to_string()
                }
            }
            8 => self
                .r
                .pick(&["(2**63)", "(2**64 + 1)", "(-2**63 - 1)", "(10**20)"])
                .to_string(),
            9 => format!("len({})", self.r.pick(&s.of(Ty::Str))),
            10 => format!("len({})", self.r.pick(&s.of(Ty::List))),
            11 => {
                let l = self.r.pick(&s.of(Ty::List)).clone();
                format!("{l}[i % len({l})]")
            }
            12 => format!(
                "{}.count('{}')",
                self.r.pick(&s.of(Ty::Str)),
                self.r.pick(&["a", "b", "q", "-"])
            ),
            13 => format!("sum({})", self.r.pick(&s.of(Ty::List))),
            14 => format!("int({})", self.r.pick(&s.of(Ty::Bool))),
            _ => format!("ord({}[-1])", self.r.pick(&s.of(Ty::Str))),
        }
    }

    fn s_int(&mut self, s: &Soup, d: u32) -> String {
        if d == 0 || self.r.chance(30) {
            return self.s_int_leaf(s);
        }
        let a = self.s_int(s, d - 1);
        let b = self.s_int(s, d - 1);
        match self.r.below(12) {
            0 | 1 => format!("({a} + {b})"),
            2 => format!("({a} - {b})"),
            3 => format!("({a} * {b})"),
            4 if s.div.get() => format!("({a} // {b})"),
            5 if s.div.get() => format!("({a} % {b})"),
            4 | 5 => format!("({a} - {b})"),
            6 => format!("({a} ^ {b})"),
            7 => format!("({a} >> {})", self.r.range(0, 5)),
            8 => format!("({a} << {})", self.r.range(0, 3)),
            9 => format!("({a} if {} else {b})", self.s_cond(s)),
            10 => format!("max({a}, {b})"),
            _ => format!("round({})", self.r.pick(&s.of(Ty::Float))),
        }
    }

    fn s_str(&mut self, s: &Soup, d: u32) -> String {
        let sv = s.of(Ty::Str);
        if d == 0 || self.r.chance(30) {
            return if self.r.chance(70) {
                self.r.pick(&sv).clone()
            } else {
                self.r
                    .pick(&["'ab'", "'Q'", "'é'", "'x y'", "'-'"])
                    .to_string()
            };
        }
        let a = self.s_str(s, d - 1);
        match self.r.below(12) {
            0 | 1 => format!("({a} + {})", self.s_str(s, d - 1)),
            2 => format!("({a} * {})", self.r.range(0, 3)),
            3 => format!("{a}[{}:{}]", self.r.range(-5, 2), self.r.range(-2, 8)),
            4 => format!("{a}.upper()"),
            5 => format!("{a}.replace('a', '{}')", self.r.pick(&["bb", "", "A"])),
            6 => format!("str({})", self.s_int(s, 1)),
            7 => format!("repr({})", self.r.pick(&s.of(Ty::Float))),
            8 => format!("'-'.join(map(str, {}[:3]))", self.r.pick(&s.of(Ty::List))),
            9 => format!(
                "f\"{{{}}}{{{}!r}}\"",
                self.r.pick(&s.of(Ty::Int)),
                self.r.pick(&sv)
            ),
            10 => format!("{a}[::-1]"),
            _ => format!("{a}.strip('aq')"),
        }
    }

    fn s_cond(&mut self, s: &Soup) -> String {
        match self.r.below(9) {
            0 | 1 => {
                let op = self.r.pick(&["<", "<=", "==", "!=", ">"]).to_string();
                format!("{} {op} {}", self.s_int_leaf(s), self.s_int_leaf(s))
            }
            2 => format!(
                "{} < {}",
                self.r.pick(&s.of(Ty::Str)),
                self.r.pick(&s.of(Ty::Str))
            ),
            3 => format!(
                "'{}' in {}",
                self.r.pick(&["a", "b", "Q", "-"]),
                self.r.pick(&s.of(Ty::Str))
            ),
            4 => format!("{} in {}", self.s_int_leaf(s), self.r.pick(&s.of(Ty::List))),
            5 => self.r.pick(&s.of(Ty::Bool)).clone(),
            6 => format!("not {}", self.r.pick(&s.of(Ty::Bool))),
            7 => format!("{} < {}", self.r.pick(&s.of(Ty::Float)), self.s_int_leaf(s)),
            _ => format!(
                "({} and {} % 3 == 0)",
                self.r.pick(&s.of(Ty::Bool)),
                self.s_int_leaf(s)
            ),
        }
    }
}

impl Soup {
    fn of_assignable(&self, t: Ty) -> Vec<String> {
        self.vars
            .iter()
            .filter(|x| x.1 == t)
            .map(|x| x.0.clone())
            .collect()
    }
}

fn prefix(t: Ty) -> &'static str {
    match t {
        Ty::Int => "n",
        Ty::Float => "f",
        Ty::Str => "s",
        Ty::List => "l",
        Ty::Bool => "b",
    }
}

fn w_line(g: &mut Gen, s: &str) {
    g.line_pub(s);
}
