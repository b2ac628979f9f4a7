//! The "frames" block: hot code that looks at itself the way the standard library does.
//! A chain of functions (plain calls, a method, a closure; sometimes called from inside a
//! `try`, sometimes with an argument that changes type so compiled code deoptimizes) ends
//! in a probe that reads the running frames: `sys._getframe(n)` names and lines up the
//! chain, a caller's `f_locals` (its int, float and str values), `inspect.stack()`,
//! `traceback.extract_stack()`, `logging` records (funcName, lineno), `warnings.warn`
//! with a `stacklevel`, and classes made by `collections.namedtuple` and the `Enum`
//! functional API (their `__module__`, and a pickle round trip). Every probe's result is
//! plain data, so CPython and rpyjit print the same bytes.

use crate::gen::Gen;

macro_rules! wl {
    ($g:expr, $($a:tt)*) => {{
        let s = format!($($a)*);
        $g.line_pub(&s)
    }};
}

/// What a probe reads (the names are the feature names the campaign counts).
const PROBES: &[&str] = &[
    "getframe_chain",
    "f_locals",
    "inspect_stack",
    "extract_stack",
    "logging_lineno",
    "warnings_stacklevel",
    "namedtuple_module",
    "enum_module",
];

impl Gen {
    pub(crate) fn frames(&mut self, p: &str) {
        let probe = *self.r.pick(PROBES);
        wl!(self, "# feature: {probe}");
        wl!(
            self,
            "import sys, inspect, traceback, logging, warnings, io, collections, enum, pickle"
        );
        self.frames_probe(p, probe);
        // The chain: leaf -> (mid) -> caller loop; the leaf probes once in a while.
        let every = self.r.range(97, 700);
        let at = self.r.below(every as u64) as i64;
        let flip = self.r.range(300, 2500);
        // At most the frames every chain has (probe, leaf, caller loop, module): beyond the
        // stack, RustPython's `warnings` reports line 1 where CPython reports 0.
        let depth = self.r.range(2, 4);
        wl!(self, "def {p}_leaf(i, x):");
        self.ind_inc();
        wl!(self, "y = x * {} + i", self.r.range(2, 9));
        wl!(self, "if i % {every} == {at}:");
        self.ind_inc();
        wl!(self, "return {p}_probe({depth}, y)");
        self.ind_dec();
        wl!(self, "return None");
        self.ind_dec();
        let shape = *self.r.pick(&["direct", "mid", "method", "closure"]);
        wl!(self, "# feature: chain_{shape}");
        let call = match shape {
            "direct" => format!("{p}_leaf(i, x)"),
            "mid" => {
                wl!(self, "def {p}_mid(i, x):");
                self.ind_inc();
                wl!(self, "r = {p}_leaf(i, x)");
                wl!(self, "return r");
                self.ind_dec();
                format!("{p}_mid(i, x)")
            }
            "method" => {
                wl!(self, "class {p}_C:");
                self.ind_inc();
                wl!(self, "def step(self, i, x):");
                self.ind_inc();
                wl!(self, "return {p}_leaf(i, x)");
                self.ind_dec();
                self.ind_dec();
                wl!(self, "{p}_obj = {p}_C()");
                format!("{p}_obj.step(i, x)")
            }
            _ => {
                wl!(self, "def {p}_make(k):");
                self.ind_inc();
                wl!(self, "def inner(i, x):");
                self.ind_inc();
                wl!(self, "return {p}_leaf(i, x + k)");
                self.ind_dec();
                wl!(self, "return inner");
                self.ind_dec();
                wl!(self, "{p}_inner = {p}_make({})", self.r.range(1, 5));
                format!("{p}_inner(i, x)")
            }
        };
        let guarded = self.r.chance(30);
        let n = self.r.range(1000, 3000);
        wl!(self, "def {p}_run(n):");
        self.ind_inc();
        wl!(self, "seen = []");
        wl!(self, "total = 0");
        wl!(self, "for i in range(n):");
        self.ind_inc();
        // An argument that changes type: compiled code meets a failing guard.
        wl!(self, "x = i if i < {flip} else i * 0.5");
        if guarded {
            wl!(self, "# feature: probe_in_try");
            wl!(self, "try:");
            self.ind_inc();
            wl!(self, "r = {call}");
            self.ind_dec();
            wl!(self, "except ZeroDivisionError:");
            self.ind_inc();
            wl!(self, "r = None");
            self.ind_dec();
        } else {
            wl!(self, "r = {call}");
        }
        wl!(self, "if r is not None:");
        self.ind_inc();
        wl!(self, "seen.append(r)");
        self.ind_dec();
        wl!(self, "total += i");
        self.ind_dec();
        wl!(self, "return seen[-3:], total");
        self.ind_dec();
        wl!(self, "print('{p}', {p}_run({n}))");
    }

    /// `{p}_probe(depth, y)`: what one kind of probe sees, as plain data.
    fn frames_probe(&mut self, p: &str, probe: &str) {
        if probe == "logging_lineno" {
            wl!(self, "{p}_stream = io.StringIO()");
            wl!(self, "{p}_handler = logging.StreamHandler({p}_stream)");
            wl!(self, "{p}_handler.setFormatter(logging.Formatter('%(funcName)s:%(lineno)d:%(message)s'))");
            wl!(self, "{p}_log = logging.getLogger('{p}')");
            wl!(self, "{p}_log.addHandler({p}_handler)");
            wl!(self, "{p}_log.propagate = False");
        }
        wl!(self, "def {p}_probe(depth, y):");
        self.ind_inc();
        match probe {
            "getframe_chain" => {
                wl!(self, "f = sys._getframe(1)");
                wl!(self, "out = []");
                wl!(self, "for _ in range(depth):");
                self.ind_inc();
                wl!(self, "if f is None:");
                self.ind_inc();
                wl!(self, "break");
                self.ind_dec();
                wl!(self, "out.append((f.f_code.co_name, f.f_lineno))");
                wl!(self, "f = f.f_back");
                self.ind_dec();
                wl!(self, "return out");
            }
            "f_locals" => {
                wl!(self, "loc = sys._getframe(depth - 1).f_locals");
                wl!(self, "return sorted((k, v) for k, v in loc.items() if type(v) in (int, float, str) and not k.startswith('__'))");
            }
            "inspect_stack" => {
                wl!(
                    self,
                    "return [(fi.function, fi.lineno) for fi in inspect.stack()[1:depth + 1]]"
                );
            }
            "extract_stack" => {
                wl!(self, "return [(fs.name, fs.lineno) for fs in traceback.extract_stack()[-depth - 1:-1]]");
            }
            "logging_lineno" => {
                wl!(self, "{p}_log.warning('at %s', y, stacklevel=depth)");
                wl!(self, "return {p}_stream.getvalue().splitlines()[-1]");
            }
            "warnings_stacklevel" => {
                wl!(self, "with warnings.catch_warnings(record=True) as w:");
                self.ind_inc();
                wl!(self, "warnings.simplefilter('always')");
                wl!(self, "warnings.warn('w', stacklevel=depth)");
                self.ind_dec();
                wl!(self, "return [x.lineno for x in w]");
            }
            "namedtuple_module" => {
                // A global of the same name, so pickle finds the class.
                wl!(self, "global {p}_T");
                wl!(self, "{p}_T = collections.namedtuple('{p}_T', 'a b')");
                wl!(
                    self,
                    "return {p}_T.__module__, pickle.loads(pickle.dumps({p}_T(1, y))) == (1, y)"
                );
            }
            _ => {
                wl!(self, "global {p}_E");
                wl!(self, "{p}_E = enum.Enum('{p}_E', 'A B')");
                wl!(
                    self,
                    "return {p}_E.__module__, pickle.loads(pickle.dumps({p}_E.A)).name"
                );
            }
        }
        self.ind_dec();
    }
}
