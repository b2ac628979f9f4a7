//! The "lifetimes" block: when objects die, as the program sees it. Objects whose
//! `__del__` logs an event, `weakref.ref` callbacks, `weakref.finalize` and `gc.collect()`
//! of a cycle, interleaved with the program's own events, in a hot loop (or a hot helper
//! called from it) whose value changes type at a random iteration. Each iteration's
//! events are joined into a signature and the block prints how often each signature
//! occurred, so a finalizer that runs late, early or never shows up as a new signature.
//!
//! Only moments where reference counting makes the order deterministic, in CPython and in
//! RustPython alike: `del` of the last reference, rebinding a local, returning from a
//! function, leaving an exception handler, a closure or generator dropped, an element
//! popped. Never two objects dying at the same moment (a list or tuple dropping several
//! finalizable elements: CPython and RustPython free them in opposite orders).

use crate::gen::Gen;

/// (feature, loop lines using `i` and `x`; `@p@` is the block prefix).
const SCENARIOS: &[(&str, &str)] = &[
    (
        "life_del",
        "o = @p@_D('1', x)\n@p@_E('a')\ndel o\n@p@_E('b')",
    ),
    (
        "life_rebind",
        "o = @p@_D('1', x)\n@p@_E('a')\no = x\n@p@_E('b')",
    ),
    (
        "life_carry",
        "@p@_E('a')\ncarry = @p@_D('k', x)\n@p@_E('b')",
    ),
    (
        "life_rebind_new",
        "o = @p@_D('1')\no = @p@_D('2', x)\n@p@_E('a')\no = None",
    ),
    ("life_return", "y = @p@_f(x)\n@p@_E('out')"),
    (
        "life_temporary",
        "y = @p@_mk(x).v\n@p@_E('b')\n@p@_mk(x)\n@p@_E('c')",
    ),
    (
        "life_closure",
        "g = @p@_cl(x)\n@p@_E(str(g() == x))\ndel g\n@p@_E('b')",
    ),
    (
        "life_nonlocal",
        "h = @p@_nl(x)\n@p@_E('a')\nh()\n@p@_E('b')\ndel h",
    ),
    (
        "life_list",
        "l = [0, @p@_D('l', x)]\n@p@_E('a')\n@pop@\n@p@_E('b')",
    ),
    (
        "life_dict",
        "dd = {'k': @p@_D('k', x), 'j': i}\n@p@_E('a')\n@dpop@\n@p@_E('b')",
    ),
    (
        "life_attr",
        "ob = @p@_O()\nob.a = @p@_D('a', x)\n@p@_E('a')\ndel ob.a\n@p@_E('b')\nob.a = @p@_D('c')\nob = None\n@p@_E('c')",
    ),
    (
        "life_except_named",
        "try:\n    raise @p@_Err(@p@_D('e', x))\nexcept @p@_Err as e:\n    @p@_E('in')\n@p@_E('out')",
    ),
    (
        "life_except_bare",
        "try:\n    @p@_E('t')\n    raise @p@_Err(@p@_D('e', x))\nexcept @p@_Err:\n    @p@_E('in')\nfinally:\n    @p@_E('fin')\n@p@_E('out')",
    ),
    (
        "life_except_handled_value",
        "try:\n    raise @p@_Err(@p@_D('e', x))\nexcept @p@_Err as e:\n    keep = e.args[0]\n    @p@_E('in')\n@p@_E('out')\ndel keep\n@p@_E('gone')",
    ),
    (
        "life_weakref",
        "o = @p@_O()\nr = weakref.ref(o, @p@_cb)\n@p@_E(str(r() is o))\ndel o\n@p@_E(str(r() is None))",
    ),
    (
        "life_finalize",
        "o = @p@_O()\nf = weakref.finalize(o, @p@_E, 'fin')\n@p@_E(str(f.alive))\no = x\n@p@_E(str(f.alive))",
    ),
    (
        "life_generator",
        "it = @p@_gen(x)\nnext(it)\n@p@_E('a')\ndel it\n@p@_E('b')\ns = sum(@p@_gen(1))\n@p@_E('s')",
    ),
    (
        "life_with",
        "with @p@_CM() as v:\n    @p@_E('body')\n@p@_E('after')\ndel v\n@p@_E('b')",
    ),
    (
        "life_gc_cycle",
        "if i % @every@ == @at@:\n    o = @p@_D('cyc', x)\n    o.me = o\n    del o\n    @p@_E('a')\n    gc.collect()\n    @p@_E('b')",
    ),
    (
        "life_refcount",
        "o = [x]\nra = sys.getrefcount(o)\nl = [o, o]\nrb = sys.getrefcount(o)\ndel l\nrc = sys.getrefcount(o)\n@p@_E('rc%d,%d' % (rb - ra, rc - ra))",
    ),
];

impl Gen {
    pub(crate) fn lifetimes(&mut self, p: &str) {
        self.emit(
            r#"
            import gc, weakref, sys
            @p@_ev = []
            def @p@_E(s):
                @p@_ev.append(s)
            def @p@_cb(w):
                @p@_ev.append('cb')
            class @p@_D:
                def __init__(self, tag, v=0):
                    self.tag = tag
                    self.v = v
                def __del__(self):
                    @p@_ev.append('d' + self.tag)
            class @p@_O:
                pass
            class @p@_Err(Exception):
                pass
            def @p@_f(v):
                o = @p@_D('f', v)
                @p@_E('in')
                return v + 1
            def @p@_mk(v):
                return @p@_D('t', v)
            def @p@_cl(v):
                o = @p@_D('c', v)
                def g():
                    return o.v
                return g
            def @p@_nl(v):
                o = @p@_D('n', v)
                def drop():
                    nonlocal o
                    o = None
                return drop
            def @p@_gen(v):
                o = @p@_D('g', v)
                yield v
                yield v + 1
            class @p@_CM:
                def __enter__(self):
                    return @p@_D('w')
                def __exit__(self, *a):
                    @p@_E('exit')
                    return False
            "#,
            &[("p", p.to_string())],
        );
        let mut picks: Vec<usize> = (0..SCENARIOS.len()).collect();
        self.r.shuffle(&mut picks);
        let k = self.r.range(2, 4) as usize;
        picks.truncate(k);
        let n = self.r.range(1000, 3000);
        let flip = self.r.range(300, 2500);
        let every = self.r.range(200, 700);
        let at = self.r.below(every as u64);
        let in_step = self.r.chance(35);
        let mut lines = String::new();
        let uses_gc = picks.iter().any(|&j| SCENARIOS[j].0 == "life_gc_cycle");
        for &j in &picks {
            let (feat, text) = SCENARIOS[j];
            self.line_pub(&format!("# feature: {feat}"));
            let pop = *self
                .r
                .pick(&["l.pop()", "del l[1]", "l[1] = x", "l.clear()", "l = None"]);
            let dpop = *self
                .r
                .pick(&["dd.pop('k')", "del dd['k']", "dd['k'] = x", "dd = {}"]);
            let t = text
                .replace("@p@", p)
                .replace("@pop@", pop)
                .replace("@dpop@", dpop)
                .replace("@every@", &every.to_string())
                .replace("@at@", &at.to_string());
            lines.push_str(&t);
            lines.push('\n');
        }
        let indent = |s: &str, n: usize| -> String {
            s.lines()
                .map(|l| format!("{}{l}\n", "    ".repeat(n)))
                .collect()
        };
        let mut body = String::new();
        if in_step {
            // The events happen in a helper the hot loop calls (compiled as a callee).
            self.line_pub("# feature: life_in_step");
            body.push_str(&format!("def {p}_step(i, x):\n"));
            body.push_str(&indent(&lines, 1));
            body.push_str("    return None\n");
        }
        body.push_str(&format!("def {p}_run(n, flip):\n"));
        body.push_str("    seen = {}\n    for i in range(n):\n");
        body.push_str("        x = i if i < flip else i * 0.5\n");
        body.push_str(&format!("        {p}_ev.clear()\n"));
        if in_step {
            body.push_str(&format!("        {p}_step(i, x)\n"));
        } else {
            body.push_str(&indent(&lines, 2));
        }
        body.push_str(&format!("        sig = '|'.join({p}_ev)\n"));
        body.push_str("        seen[sig] = seen.get(sig, 0) + 1\n");
        body.push_str(&format!("    {p}_ev.clear()\n"));
        // Leaving the function frees its last object (and the loop's leftovers).
        body.push_str(&format!("    last = {p}_D('last', n)\n"));
        body.push_str("    return sorted(seen.items())\n");
        self.emit(&body, &[]);
        if uses_gc {
            // No automatic collection may take the cycle before `gc.collect()` does.
            self.line_pub("gc.disable()");
        }
        let n2 = self.r.range(200, 900);
        self.emit(
            r#"
            @p@_r = @p@_run(@n@, @flip@)
            @p@_E('ret')
            print('@p@', @p@_r, @p@_ev)
            @p@_ev.clear()
            @p@_r = @p@_run(@n2@, 0)
            @p@_E('ret')
            print('@p@', @p@_r, @p@_ev)
            "#,
            &[
                ("p", p.to_string()),
                ("n", n.to_string()),
                ("flip", flip.to_string()),
                ("n2", n2.to_string()),
            ],
        );
        if uses_gc {
            self.line_pub("gc.enable()");
        }
    }
}
