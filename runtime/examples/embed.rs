//! Embedding rpyjit in a Rust application: a native module of the application's own, Python
//! code that uses it, values passed both ways, and a Python function called from Rust.
//!
//! Run it with `cargo run --release --ignore-rust-version -p rpyjit --example embed`.

use rpyjit::vm::{PyObjectRef, PyResult, VirtualMachine};
use rpyjit::{JitOptions, Runtime};

/// The application's own module, importable from Python as `host`.
#[rustpython_vm::pymodule]
mod host {
    use rustpython_vm::builtins::PyStrRef;
    use rustpython_vm::{PyResult, VirtualMachine};

    /// Scales a price by the host application's exchange rate.
    #[pyfunction]
    fn convert(amount: f64) -> f64 {
        amount * 1.25
    }

    /// Records a line in the host application's log (here: a Python-visible list).
    #[pyfunction]
    fn log(line: PyStrRef, vm: &VirtualMachine) -> PyResult<()> {
        let log = vm.import("builtins", 0)?.get_attr("_host_log", vm)?;
        vm.call_method(&log, "append", (line,))?;
        Ok(())
    }
}

const SCRIPT: &str = r#"
import host, builtins
builtins._host_log = []

def total(prices, discount=0.0):
    s = 0.0
    for p in prices:
        s += host.convert(p)
    host.log(f"total of {len(prices)} prices")
    return round(s * (1 - discount), 2)
"#;

/// Runs the example and returns what it computed, so a test can check it.
pub fn run_example() -> PyResult<(f64, Vec<String>)> {
    let rt = Runtime::builder()
        .jit(JitOptions::default())
        .native_module(|ctx| host::module_def(ctx))
        .build();
    rt.enter(|vm: &VirtualMachine| {
        let scope = vm.new_scope_with_builtins();
        rt.exec(vm, scope.clone(), SCRIPT, "<app>")?;
        let total = scope.globals.get_item("total", vm)?;
        // Rust values in: a list of floats and a keyword argument.
        let prices: Vec<PyObjectRef> = [10.0, 20.0, 30.5]
            .iter()
            .map(|p| vm.ctx.new_float(*p).into())
            .collect();
        let args = rustpython_vm::function::FuncArgs::new(
            vec![vm.ctx.new_list(prices).into()],
            [("discount", PyObjectRef::from(vm.ctx.new_float(0.1)))]
                .into_iter()
                .collect::<rustpython_vm::function::KwArgs>(),
        );
        let result: f64 = total.call(args, vm)?.try_into_value(vm)?;
        // Python values out: the host log as Rust strings.
        let log = rt.eval(vm, "__import__('builtins')._host_log")?;
        let lines: Vec<String> = log.try_into_value(vm)?;
        Ok((result, lines))
    })
}

#[allow(dead_code)]
fn main() {
    match run_example() {
        Ok((total, log)) => {
            println!("total = {total}");
            for line in log {
                println!("log: {line}");
            }
        }
        Err(_) => {
            eprintln!("the embedded Python code raised an exception");
            std::process::exit(1);
        }
    }
}
