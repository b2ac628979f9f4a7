//! Bytecode analysis agrees with the compiler on every function of the corpus the JIT may
//! take (all but generators and coroutines): every
//! reachable instruction gets one consistent stack depth within `max_stackdepth`.

use rpyjit_jit::bytecode::Analysis;
use rustpython_vm::bytecode::{CodeObject, ConstantData};
use rustpython_vm::compiler::{compile, CompileOpts, Mode};

fn each_code(code: &CodeObject, f: &mut impl FnMut(&CodeObject)) {
    f(code);
    for c in code.constants.iter() {
        if let ConstantData::Code { code } = c {
            each_code(code, f);
        }
    }
}

#[test]
fn every_corpus_code_object_has_consistent_stack_depths() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("py") {
            continue;
        }
        let src = std::fs::read_to_string(&path).unwrap();
        let Ok(code) = compile(
            &src,
            Mode::Exec,
            path.to_str().unwrap(),
            CompileOpts::default(),
        ) else {
            continue; // a corpus program may test SyntaxError at run time
        };
        each_code(&code, &mut |c| {
            // Generators and coroutines are refused before analysis (SEND/END_ASYNC_FOR
            // stack shapes are not modelled yet), so only the code the JIT takes is checked.
            use rustpython_vm::bytecode::CodeFlags;
            if c.flags.intersects(
                CodeFlags::GENERATOR | CodeFlags::COROUTINE | CodeFlags::ASYNC_GENERATOR,
            ) {
                return;
            }
            let a = Analysis::new(c)
                .unwrap_or_else(|e| panic!("{}: {}: {e}", path.display(), c.obj_name));
            let max = a.depth.iter().flatten().max().copied().unwrap_or(0);
            assert!(
                max <= c.max_stackdepth,
                "{}: {}: depth {max} > max_stackdepth {}",
                path.display(),
                c.obj_name,
                c.max_stackdepth
            );
            assert_eq!(a.depth[0], Some(0));
            checked += 1;
        });
    }
    assert!(checked > 100, "only {checked} code objects analysed");
}

#[test]
fn a_for_loop_has_its_iterator_on_the_stack_inside_the_body() {
    let src = r#"def f(xs):
    t = 0
    for x in xs:
        t += x
    return t
"#;
    let module = compile(src, Mode::Exec, "<t>", CompileOpts::default()).unwrap();
    let f = module
        .constants
        .iter()
        .find_map(|c| match c {
            ConstantData::Code { code } => Some(code.clone()),
            _ => None,
        })
        .unwrap();
    let a = Analysis::new(&f).unwrap();
    let back = a
        .insns
        .iter()
        .position(|i| i.is_back_edge())
        .expect("a back-edge");
    // Inside the body, the iterator sits on the stack under nothing else.
    assert_eq!(a.depth[back], Some(1));
    let target = a.index_of(a.insns[back].jump_target().unwrap()).unwrap();
    assert!(matches!(
        a.insns[target].op,
        rustpython_vm::bytecode::Instruction::ForIter { .. }
    ));
    assert!(a.leaders[target]);
}
