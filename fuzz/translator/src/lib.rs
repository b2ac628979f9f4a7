//! The logic of the `translate` libFuzzer target, as a library so that a stable `#[test]`
//! can run it over the seed corpus.
//!
//! An input picks a template function (real code objects from the RustPython compiler),
//! the kinds of its arguments, edits of its instruction stream (replace, insert or delete
//! code units; change an argument byte), edits of its exception table and stack-depth
//! bound, a type profile (the specialized form per instruction, and the instructions
//! compiled generically) and optionally an on-stack-replacement entry at a loop header.
//! The mutated code object then goes through [`Analysis::new`] and [`translate`]; the only
//! acceptable outcomes are an analysis error, a refusal, or CLIF that Cranelift's verifier
//! accepts on both supported ISAs. Any panic, and any verifier error, is a finding. The
//! generated code is never executed.
//!
//! The input is read as a stream of bytes; a missing byte reads as 0, so every input is
//! valid and libFuzzer can grow or shrink it freely:
//!
//! ```text
//! [template] [flags] [kind per argument slot]...
//! [n] n x [action pos_hi pos_lo op arg]          code-unit edits
//! [n] n x [index flags choice]                   profile entries
//! if flags & 1: [at] [kind per local slot]... [kind per stack slot]...   loop entry
//! if flags & 2: [n] n x [entry field value_hi value_lo]                  exception table
//! if flags & 4: [max_stackdepth]
//! ```

use std::cell::Cell;
use std::sync::Arc;

use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::isa::TargetIsa;
use cranelift_codegen::CodegenError;
use rpyjit_jit::bytecode::Analysis;
use rpyjit_jit::helpers::HelperTable;
use rpyjit_jit::translate::{arg_slots, translate, Entry, Kind, Profile};
use rustpython_vm::builtins::{PyCode, PyFunction};
use rustpython_vm::bytecode::{
    decode_exception_table, encode_exception_table, CodeUnit, Instruction, OpArgByte,
};
use rustpython_vm::{AsObject, Interpreter, PyRef, VirtualMachine};

/// Template functions: varied shapes so mutations start from many kinds of real bytecode.
/// Each source defines `f`.
pub const TEMPLATES: &[&str] = &[
    // 0: int loop with break, augmented assignment, comparison
    "def f(a, b):\n    x = a + b\n    for i in range(b):\n        x += i * 2\n        if x > 100:\n            break\n    return x\n",
    // 1: while loop, floats, chained comparison
    "def f(a, b):\n    s = 0.0\n    i = 0\n    while 0 <= i < a:\n        s += b * 1.5 - i / 2\n        i += 1\n    return s\n",
    // 2: try/except/else/finally, raise, assert
    "def f(a, b):\n    try:\n        x = a // b\n        assert x >= 0, 'neg'\n    except ZeroDivisionError as e:\n        x = -1\n    except (TypeError, ValueError):\n        raise RuntimeError('bad') from None\n    else:\n        x += 1\n    finally:\n        y = 1\n    return x + y\n",
    // 3: closures, nested function, lambda, nonlocal
    "def f(a, b):\n    n = 0\n    def g(c):\n        nonlocal n\n        n += 1\n        return a + c\n    h = lambda: a * b\n    return g(b) + h() + n\n",
    // 4: comprehensions (inlined), zip, dict and set
    "def f(a, b):\n    xs = [i * a for i in range(b) if i % 2]\n    d = {k: v for k, v in zip(xs, xs)}\n    s = {x for x in xs}\n    return xs, d, s, sum(x for x in xs)\n",
    // 5: calls with keywords, star-args, **kwargs, defaults
    "def f(a, b, *args, c=3, **kw):\n    r = sorted(a, key=len, reverse=True)\n    m = max(a, b, default=c)\n    print(*args, sep=',', **kw)\n    return r, m, dict(a=1, **kw)\n",
    // 6: f-strings with conversions and format specs
    "def f(a, b):\n    w = 10\n    return f'{a!r:>{w}} {b:.2f} {a + b} {a=}' + f'{b!s}{a!a}'\n",
    // 7: with statements, attributes
    "def f(a, b):\n    with a as x:\n        y = x.attr\n    with open(b) as g, a:\n        y += g.read()\n    return y\n",
    // 8: match statement: sequence, mapping, class, guard, or-pattern
    "def f(a, b):\n    match a:\n        case [1, 2, *rest]:\n            return rest\n        case {'k': v, **others}:\n            return v\n        case int(x) if x > b:\n            return x\n        case complex(real=0) | None:\n            return 0\n        case str() as s:\n            return s\n        case _:\n            return b\n",
    // 9: attributes, subscripts, slices, globals, del, isinstance
    "G = 5\ndef f(a, b):\n    global G\n    a.x = b\n    a[b] = a.x + G\n    del a[0]\n    G = a[1:b:2]\n    return a.y.z, len(a), isinstance(a, int), not a\n",
    // 10: nested loops, continue/else, bool ops, bitwise ops
    "def f(a, b, c):\n    total = 0\n    for i in range(a):\n        for j in range(i, b, 2):\n            if 0 < i < j and not c:\n                total += i ^ j | (i << 2) & ~j\n            elif i is None or j in (1, 2):\n                continue\n        else:\n            total -= 1\n    return total\n",
    // 11: unpacking, tuple/list building, star-unpacking, conditional expression
    "def f(a, b):\n    x, *y, z = a\n    p, q = q, p = b, a\n    t = (*y, x, z) if a else [*b, 1]\n    return t, -x, +z, x ** 2 % 7\n",
];

/// Kinds an argument or local can have at entry (a range iterator only lives on the stack).
const VALUE_KINDS: [Kind; 4] = [Kind::Int, Kind::Float, Kind::Bool, Kind::Obj];

/// Reads bytes of the input; past the end, reads zeros.
struct Input<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Input<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }
    fn u16(&mut self) -> u16 {
        u16::from(self.byte()) << 8 | u16::from(self.byte())
    }
    fn value_kind(&mut self) -> Kind {
        VALUE_KINDS[usize::from(self.byte()) % VALUE_KINDS.len()]
    }
}

struct State {
    interp: Interpreter,
    templates: Vec<PyRef<PyCode>>,
    isas: Vec<Arc<dyn TargetIsa>>,
    helpers: HelperTable,
    /// Every opcode the VM defines (base and specialized forms).
    ops: Vec<Instruction>,
}

fn interpreter() -> Interpreter {
    let b = Interpreter::builder(Default::default());
    let defs = rustpython_stdlib::stdlib_module_defs(&b.ctx);
    b.add_native_modules(&defs)
        .add_frozen_modules(rustpython_pylib::FROZEN_STDLIB)
        .build()
}

fn define_fn(vm: &VirtualMachine, src: &str) -> PyRef<PyCode> {
    let scope = vm.new_scope_with_builtins();
    let code = vm
        .compile(src, rustpython_vm::compiler::Mode::Exec, "<fuzz>")
        .expect("template compiles");
    vm.run_code_obj(code, scope.clone()).expect("template runs");
    let f: PyRef<PyFunction> = scope
        .globals
        .get_item("f", vm)
        .expect("template defines f")
        .downcast()
        .expect("f is a function");
    f.as_object()
        .get_attr("__code__", vm)
        .expect("__code__")
        .downcast()
        .expect("a code object")
}

impl State {
    fn new() -> Self {
        let interp = interpreter();
        let templates = interp.enter(|vm| TEMPLATES.iter().map(|s| define_fn(vm, s)).collect());
        State {
            interp,
            templates,
            isas: rpyjit_jit::isa::all_supported().expect("Cranelift ISAs"),
            helpers: HelperTable::dummy(),
            ops: (0u8..=255)
                .filter_map(|b| Instruction::try_from(b).ok())
                .collect(),
        }
    }
}

thread_local! {
    // The interpreter is not `Sync`: one per thread (libFuzzer runs inputs on one thread).
    // Leaked on purpose: dropping an interpreter during thread-local destruction at exit
    // panics inside RustPython (its deallocation uses thread-locals already destroyed).
    static STATE: Cell<Option<&'static State>> = const { Cell::new(None) };
}

/// How far one input got, for the stable corpus test and for debugging.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// `Analysis::new` rejected the mutated bytecode.
    Unanalysable(String),
    /// The translator refused, with its reason.
    Refused(String),
    /// Translated, and the CLIF compiled (or hit a non-verifier limit) on every ISA.
    Compiled,
}

/// Runs one fuzz input. Panics on a finding: a panic in analysis, translation or
/// compilation, or CLIF that Cranelift's verifier rejects.
pub fn run(data: &[u8]) -> Outcome {
    let s = STATE.with(|cell| match cell.get() {
        Some(s) => s,
        None => {
            let s: &'static State = Box::leak(Box::new(State::new()));
            cell.set(Some(s));
            s
        }
    });
    s.interp.enter(|vm| run_in(vm, s, data))
}

fn run_in(vm: &VirtualMachine, s: &State, data: &[u8]) -> Outcome {
    let mut inp = Input { data, pos: 0 };
    let template = &s.templates[usize::from(inp.byte()) % s.templates.len()];
    let flags = inp.byte();
    let kinds: Vec<Kind> = (0..arg_slots(template)).map(|_| inp.value_kind()).collect();

    // Code-unit edits. Locations stay parallel to the units, as the VM keeps them.
    let mut c = template.code.clone();
    let mut units: Vec<CodeUnit> = c.instructions.iter().copied().collect();
    let mut locations = c.locations.to_vec();
    for _ in 0..inp.byte() % 16 {
        let action = inp.byte();
        let pos = usize::from(inp.u16());
        let op = s.ops[usize::from(inp.byte()) % s.ops.len()];
        let arg = OpArgByte::new(inp.byte());
        let unit = CodeUnit::new(op, arg);
        match action % 4 {
            0 if !units.is_empty() => {
                let i = pos % units.len();
                units[i] = unit;
            }
            1 => {
                let i = pos % (units.len() + 1);
                units.insert(i, unit);
                let loc = locations
                    .get(i.min(locations.len().saturating_sub(1)))
                    .copied()
                    .unwrap_or_default();
                locations.insert(i.min(locations.len()), loc);
            }
            2 if !units.is_empty() => {
                let i = pos % units.len();
                units.remove(i);
                if i < locations.len() {
                    locations.remove(i);
                }
            }
            3 if !units.is_empty() => {
                // Keep the opcode, change the argument byte only.
                let i = pos % units.len();
                units[i] = CodeUnit::new(units[i].op, arg);
            }
            _ => {}
        }
    }
    c.instructions = units.into();
    c.locations = locations.into_boxed_slice();

    // Profile: by default each instruction's own form; entries pick a specialization of
    // the same base instruction (what the interpreter's quickening can produce) or, rarely,
    // any opcode at all (a stale profile), and mark instructions generic.
    let profile_edits: Vec<(u8, u8, u8)> = (0..inp.byte() % 32)
        .map(|_| (inp.byte(), inp.byte(), inp.byte()))
        .collect();

    let loop_at = (flags & 1 != 0).then(|| inp.byte());
    let loop_kinds: Vec<u8> = if flags & 1 != 0 {
        (0..c.localspluskinds.len() + 64)
            .map(|_| inp.byte())
            .collect()
    } else {
        Vec::new()
    };

    if flags & 2 != 0 {
        let mut table = decode_exception_table(&c.exceptiontable);
        for _ in 0..inp.byte() % 8 {
            let which = usize::from(inp.byte());
            let field = inp.byte();
            let v = u32::from(inp.u16());
            if table.is_empty() || field % 8 == 7 {
                table.push(rustpython_vm::bytecode::ExceptionTableEntry {
                    start: v & 0xff,
                    end: v >> 8,
                    target: u32::from(field),
                    depth: (v % 8) as u16,
                    push_lasti: which & 1 != 0,
                });
                continue;
            }
            let n = table.len();
            let e = &mut table[which % n];
            match field % 8 {
                0 => e.start = v,
                1 => e.end = v,
                2 => e.target = v,
                3 => e.depth = v as u16,
                4 => e.push_lasti = !e.push_lasti,
                5 => {
                    table.remove(which % n);
                }
                _ => table.swap(which % n, (v as usize) % n),
            }
        }
        c.exceptiontable = encode_exception_table(&table);
    }
    if flags & 4 != 0 {
        c.max_stackdepth = u32::from(inp.byte());
    }

    let code = vm.ctx.new_code(c);
    let analysis = match Analysis::new(&code.code) {
        Ok(a) => a,
        Err(e) => return Outcome::Unanalysable(e.0),
    };

    let n = analysis.insns.len();
    let mut quick: Vec<Instruction> = analysis.insns.iter().map(|i| i.quickened).collect();
    let mut generic = Vec::new();
    if n > 0 {
        for (index, fl, choice) in profile_edits {
            let k = usize::from(index) % n;
            if fl & 1 != 0 {
                generic.push(k);
            }
            if fl & 2 != 0 {
                quick[k] = if fl & 0xf0 == 0xf0 {
                    s.ops[usize::from(choice) % s.ops.len()]
                } else {
                    let base = analysis.insns[k].op;
                    let forms: Vec<Instruction> = s
                        .ops
                        .iter()
                        .copied()
                        .filter(|o| {
                            std::mem::discriminant(&o.deoptimize()) == std::mem::discriminant(&base)
                        })
                        .collect();
                    forms[usize::from(choice) % forms.len().max(1)]
                };
            }
        }
    }
    generic.sort_unstable();
    generic.dedup();
    let profile = Profile { quick, generic };

    // The entry: a call with the argument kinds, or an on-stack replacement at an
    // instruction (preferably a loop header: the target of a back-edge) with a kind per
    // local slot (or unbound) and per value-stack slot, as `entry::enter_at_loop` builds.
    let entry = match loop_at {
        Some(at) if n > 0 => {
            let headers: Vec<u32> = analysis
                .insns
                .iter()
                .filter(|i| i.is_back_edge())
                .filter_map(|i| i.jump_target())
                .collect();
            let at = if at & 0x80 == 0 && !headers.is_empty() {
                headers[usize::from(at) % headers.len()]
            } else {
                analysis.insns[usize::from(at) % n].at
            };
            let mut kb = loop_kinds.into_iter();
            let nslots = code.code.localspluskinds.len();
            let locals: Vec<Option<Kind>> = (0..nslots)
                .map(|_| {
                    let b = kb.next().unwrap_or(0);
                    (b % 5 != 4).then(|| VALUE_KINDS[usize::from(b % 5)])
                })
                .collect();
            let depth = analysis
                .index_of(at)
                .and_then(|k| analysis.depth[k])
                .unwrap_or(0) as usize;
            const STACK_KINDS: [Kind; 5] =
                [Kind::Int, Kind::Float, Kind::Bool, Kind::Obj, Kind::Range];
            let stack: Vec<Kind> = (0..depth.min(64))
                .map(|_| STACK_KINDS[usize::from(kb.next().unwrap_or(0)) % STACK_KINDS.len()])
                .collect();
            Entry::Loop { at, locals, stack }
        }
        _ => Entry::Call(kinds),
    };

    let mut outcome = Outcome::Compiled;
    for isa in &s.isas {
        let t = match translate(&code, &analysis, &profile, &entry, &**isa, &s.helpers) {
            Ok(t) => t,
            Err(r) => {
                outcome = Outcome::Refused(r.0);
                continue;
            }
        };
        let mut ctx = cranelift_codegen::Context::for_function(t.func.clone());
        if let Err(e) = ctx.compile(&**isa, &mut ControlPlane::default()) {
            if let CodegenError::Verifier(errors) = &e.inner {
                eprintln!("entry: {entry:?}\nprofile: {profile:?}");
                eprintln!("{}", t.func.display());
                panic!(
                    "invalid CLIF for {} on {}: {errors}",
                    code.code.qualname,
                    isa.triple()
                );
            }
        }
    }
    outcome
}
