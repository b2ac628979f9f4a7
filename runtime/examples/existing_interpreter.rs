//! An application that builds RustPython's own `Interpreter` switches the JIT on with one
//! call, [`rpyjit::install`], and runs code through RustPython's API with the code
//! counted ([`rpyjit::JitVm`]): its hot functions compile as a script's would.
//!
//! Run it with `cargo run --release --ignore-rust-version -p rpyjit --example existing_interpreter`.

use rpyjit::vm::{Interpreter, PyResult};
use rpyjit::{JitOptions, JitVm};

const APP_CODE: &str = r#"
def step(i):
    return i * i % 7

def total(n):
    s = 0
    for i in range(n):
        s += step(i)
    return s
"#;

pub struct Report {
    pub total: i64,
    pub total_compiled: bool,
    pub compiled_functions: i64,
}

pub fn run_example() -> PyResult<Report> {
    // The application's interpreter, built the RustPython way, with rpyjit's stdlib.
    let interpreter = rpyjit::add_stdlib(Interpreter::builder(Default::default())).build();
    // The one call that switches the JIT on.
    rpyjit::install(
        &interpreter,
        &JitOptions {
            threshold: 100,
            ..Default::default()
        },
    );

    interpreter.enter(|vm| {
        let scope = vm.new_scope_with_builtins();
        vm.jit_run_code_string(scope.clone(), APP_CODE, "<app>")?;
        // Called from Rust 300 times: hot after 100 calls.
        let total_fn = scope.globals.get_item("total", vm)?;
        let mut sum = 0i64;
        for _ in 0..300 {
            sum += total_fn.call((1_000,), vm)?.try_into_value::<i64>(vm)?;
        }
        let rpyjit_module = vm.import("rpyjit", 0)?;
        let total_compiled = rpyjit_module
            .get_attr("is_compiled", vm)?
            .call((total_fn,), vm)?;
        let stats = rpyjit_module.get_attr("stats", vm)?.call((), vm)?;
        let compiled = stats.get_item("compiled", vm)?.length(vm)?;
        Ok(Report {
            total: sum,
            total_compiled: total_compiled.try_into_value(vm)?,
            compiled_functions: compiled as i64,
        })
    })
}

#[allow(dead_code)]
fn main() {
    match run_example() {
        Ok(r) => println!(
            "total = {}; total() compiled: {}; compiled functions: {}",
            r.total, r.total_compiled, r.compiled_functions
        ),
        Err(e) => {
            eprintln!("the example raised: {e:?}");
            std::process::exit(1)
        }
    }
}
