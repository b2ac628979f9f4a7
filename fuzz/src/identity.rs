//! The "identity" block: `is`, `is not`, `id(a) == id(b)` and identity-first containment
//! (`x in container`, `count`, `==` of containers holding a NaN or an object that equals
//! nothing) on values of many kinds, passed through locals, arguments, returns,
//! containers, attributes, globals, closure cells and tuple unpacking, in a hot loop
//! whose value changes kind at a random iteration (compiled code deoptimizes mid-way).
//!
//! Only identities Python guarantees are tested: the *same* object, stored or passed
//! anywhere, is still itself; two objects alive at the same time (a list and its copy)
//! are distinct. Whether two separately computed equal ints or floats are one object is
//! implementation-defined and never looked at. The program prints counts of checks that
//! held, never an `id()`.

use crate::gen::Gen;

/// A kind of value: (name, expression of the loop counter `i`, hashable).
const KINDS: &[(&str, &str, bool)] = &[
    ("float", "i * 0.5 + 0.25", true),
    ("small_int", "i % 250 - 5", true),
    ("big_int", "10 ** 6 + i", true),
    ("huge_int", "2 ** 70 + i", true),
    ("str", "'s' + str(i % 40)", true),
    ("tuple", "(i, 'a')", true),
    ("list", "[i, i + 1]", false),
    ("nan", "float('nan')", true),
    ("nan_shared", "@p@_NAN", true),
    ("never_eq", "@p@_NE(i)", true),
    ("bool", "i % 3 == 0", true),
];

/// Checks: (feature, needs a hashable value, lines; `@c@` is the counter to bump).
const CHECKS: &[(&str, bool, &str)] = &[
    (
        "id_local",
        false,
        "y = x\nif y is x and not (y is not x):\n    @c@ += 1",
    ),
    (
        "id_call",
        false,
        "if @p@_ret(x) is x and @p@_same(x, x):\n    @c@ += 1",
    ),
    (
        "id_builtin_id",
        false,
        "if id(@p@_ret(x)) == id(x) and id(x) == id(x):\n    @c@ += 1",
    ),
    (
        "id_unpack",
        false,
        "a, b = @p@_pair(x)\nif a is b and a is x:\n    @c@ += 1\nh, *rest = [x, i, x]\nif rest[-1] is h and h is x:\n    @c@ += 1",
    ),
    (
        "id_list",
        false,
        "lst.append(x)\nif lst[-1] is x and x in lst and lst.count(x) >= 1:\n    @c@ += 1\nif len(lst) > 20:\n    del lst[:10]",
    ),
    (
        "id_tuple",
        false,
        "t = (i, x, None)\nif t[1] is x and x in t:\n    @c@ += 1\nu, v, w = t\nif v is x and (v, 1) == (x, 1):\n    @c@ += 1",
    ),
    (
        "id_dict_value",
        false,
        "dv[i % 5] = x\nif dv[i % 5] is x and dv.get(i % 5) is x and x in dv.values():\n    @c@ += 1",
    ),
    (
        "id_dict_key",
        true,
        "dk = {x: i}\nif x in dk and dk[x] == i and x in {x} and x in dk.keys():\n    @c@ += 1",
    ),
    (
        "id_cell",
        false,
        "g = lambda: x\nif g() is x:\n    @c@ += 1",
    ),
    (
        "id_attr",
        false,
        "ob.v = x\nif ob.v is x and getattr(ob, 'v') is x:\n    @c@ += 1",
    ),
    (
        "id_global",
        false,
        "@p@_g = x\nif @p@_g is x and @p@_get() is x:\n    @c@ += 1",
    ),
    (
        "id_copy",
        false,
        "l2 = [x]\nl3 = list(l2)\nif l3 is not l2 and l3[0] is l2[0] and l3 == l2:\n    @c@ += 1",
    ),
    (
        "id_builtins",
        false,
        "if max([x]) is x and sorted([x])[0] is x and next(iter((x,))) is x and [*[x]][0] is x:\n    @c@ += 1",
    ),
    (
        "id_nan_in",
        false,
        "nv = @nan@\nbox = [1, nv]\nif nv in box and nv in (nv,) and nv in {nv: 0} and [nv] == [nv] and box.count(nv) == 1 and nv != nv:\n    @c@ += 1",
    ),
    (
        "id_sentinel",
        false,
        "if x is not @p@_SENT and @p@_SENT is @p@_SENT and (x is None) is False:\n    @c@ += 1",
    ),
];

impl Gen {
    pub(crate) fn identity(&mut self, p: &str) {
        let a = self.r.below(KINDS.len() as u64) as usize;
        let mut b = self.r.below(KINDS.len() as u64) as usize;
        if self.r.chance(20) {
            b = a;
        }
        let (ka, kb) = (KINDS[a], KINDS[b]);
        self.line_pub(&format!("# feature: id_kind_{}", ka.0));
        if b != a {
            self.line_pub(&format!("# feature: id_kind_{}", kb.0));
            self.line_pub("# feature: id_deopt");
        }
        let hashable = ka.2 && kb.2;
        let mut picks: Vec<usize> = (0..CHECKS.len())
            .filter(|&j| hashable || !CHECKS[j].1)
            .collect();
        self.r.shuffle(&mut picks);
        let k = self.r.range(3, 7) as usize;
        picks.truncate(k);
        picks.sort();
        let n = self.r.range(1000, 3000);
        let flip = self.r.range(300, 2500);
        let every = self.r.range(97, 600);
        let at = self.r.below(every as u64);
        let nan = *self
            .r
            .pick(&["float('nan')", "@p@_NAN", "i * 0.0 + @p@_NAN"]);
        let via_fn = self.r.chance(40);
        self.emit(
            r#"
            @p@_NAN = float('nan')
            @p@_SENT = object()
            class @p@_NE:
                def __init__(self, v):
                    self.v = v
                def __eq__(self, o):
                    return False
                __hash__ = object.__hash__
            class @p@_Box:
                pass
            @p@_g = None
            def @p@_get():
                return @p@_g
            def @p@_ret(x):
                return x
            def @p@_same(a, b):
                return a is b
            def @p@_pair(x):
                return x, x
            def @p@_val(i, flip):
                if i < flip:
                    return @ea@
                return @eb@
            "#,
            &[
                ("p", p.to_string()),
                ("ea", ka.1.replace("@p@", p)),
                ("eb", kb.1.replace("@p@", p)),
            ],
        );
        let mut body = String::new();
        body.push_str(&format!("def {p}_run(n, flip):\n"));
        if picks.iter().any(|&j| CHECKS[j].0 == "id_global") {
            body.push_str(&format!("    global {p}_g\n"));
        }
        body.push_str(&format!("    c = [0] * {}\n", picks.len() * 2));
        body.push_str("    keep = []\n    lst = []\n    dv = {}\n");
        body.push_str(&format!("    ob = {p}_Box()\n"));
        body.push_str("    for i in range(n):\n");
        if via_fn {
            self.line_pub("# feature: id_value_from_call");
            body.push_str(&format!("        x = {p}_val(i, flip)\n"));
        } else {
            body.push_str(&format!(
                "        x = ({}) if i < flip else ({})\n",
                ka.1.replace("@p@", p),
                kb.1.replace("@p@", p)
            ));
        }
        let mut ci = 0;
        for &j in &picks {
            let (feat, _, text) = CHECKS[j];
            self.line_pub(&format!("# feature: {feat}"));
            // Each `@c@` gets its own counter slot.
            let mut t = text
                .replace("@p@", p)
                .replace("@nan@", &nan.replace("@p@", p));
            while let Some(pos) = t.find("@c@") {
                t.replace_range(pos..pos + 3, &format!("c[{ci}]"));
                ci += 1;
            }
            for l in t.lines() {
                body.push_str(&format!("        {l}\n"));
            }
        }
        body.push_str(&format!(
            "        if i % {every} == {at}:\n            keep.append(sum(c))\n"
        ));
        body.push_str(&format!("    return c[:{ci}], keep[-4:]\n"));
        self.emit(&body, &[]);
        let n2 = self.r.range(300, 1500);
        let n3 = self.r.range(100, 800);
        self.emit(
            r#"
            print('@p@', @p@_run(@n@, @flip@))
            print('@p@', @p@_run(@n2@, 0))
            print('@p@', @p@_run(@n3@, @n3@))
            "#,
            &[
                ("p", p.to_string()),
                ("n", n.to_string()),
                ("flip", flip.to_string()),
                ("n2", n2.to_string()),
                ("n3", n3.to_string()),
            ],
        );
    }
}
