//! The `rpyjit` command line: a drop-in for CPython's `python3`.
//!
//! Settings and the run mode come from the `rustpython` crate's own CPython-compatible
//! parser (`parse_opts`, which also reads every `PYTHON*` variable RustPython supports).
//! Before it runs we scan the command line ourselves, with the same grammar, for what must
//! behave differently from RustPython: rpyjit's help and version, CPython's exit status 2
//! and wording for a bad command line, and the JIT's `-X` options.

use std::ffi::OsString;
use std::io::{IsTerminal, Read};
use std::process::ExitCode;

use rustpython::RunMode;
use rustpython_vm::{scope::Scope, AsObject, PyResult, Settings, VirtualMachine};

use crate::embed::Runtime;
use rpyjit_jit::JitOptions;

const USAGE: &str = "usage: {PROG} [option] ... [-c cmd | -m mod | file | -] [arg] ...";

const HELP: &str = "\
Options (and corresponding environment variables):
-b     : issue warnings about converting bytes/bytearray to str and comparing
         bytes/bytearray with str or bytes with int. (-bb: issue errors)
-B     : don't write .pyc files on import; also PYTHONDONTWRITEBYTECODE=x
-c cmd : program passed in as string (terminates option list)
-d     : turn on parser debugging output; also PYTHONDEBUG=x
-E     : ignore PYTHON* and RPYJIT_* environment variables (such as PYTHONPATH)
-h     : print this help message and exit (also -? or --help)
-i     : inspect interactively after running script; also PYTHONINSPECT=x
-I     : isolate Python from the user's environment (implies -E, -P and -s)
-m mod : run library module as a script (terminates option list)
-O     : remove assert and __debug__-dependent statements; also PYTHONOPTIMIZE=x
-OO    : do -O changes and also discard docstrings
-P     : don't prepend a potentially unsafe path to sys.path; also PYTHONSAFEPATH
-q     : don't print version and copyright messages on interactive startup
-s     : don't add user site directory to sys.path; also PYTHONNOUSERSITE=x
-S     : don't imply 'import site' on initialization
-u     : force the stdout and stderr streams to be unbuffered; also PYTHONUNBUFFERED=x
-v     : verbose (trace import statements); also PYTHONVERBOSE=x
-V     : print the Python version number and exit (also --version)
         when given twice, print more information about the build
-W arg : warning control; arg is action:message:category:module:lineno
         also PYTHONWARNINGS=arg
-X opt : set implementation-specific option (see below)
--check-hash-based-pycs always|default|never:
         control how Python invalidates hash-based .pyc files
file   : program read from script file
-      : program read from stdin (default; interactive mode if a tty)
arg ...: arguments passed to program in sys.argv[1:]

JIT options (rpyjit):
-X jit=on|off       : compile hot code with the baseline JIT (default on);
                      also RPYJIT_JIT=on|off
-X jit-threshold=N  : calls or loop iterations before a function is compiled
                      (0 = compile before the first execution); also RPYJIT_THRESHOLD=N
-X jit-stats        : print JIT statistics on stderr at exit; also RPYJIT_STATS=1
-X jit-exclude=PAT  : keep functions matching module.qualname globs in the interpreter
                      (comma-separated); also RPYJIT_EXCLUDE=PAT
-X jit-dump=DIR     : write each compilation's types, CLIF and machine code into DIR
                      (- for stderr); also RPYJIT_DUMP=DIR
-X perf             : list compiled functions in /tmp/perf-<pid>.map for perf;
                      also RPYJIT_PERF=1

Other -X options: dev, faulthandler, utf8[=0|1], int_max_str_digits=N, no_debug_ranges,
warn_default_encoding, cpu_count=N

Other environment variables:
PYTHONPATH   : ':'-separated list of directories prefixed to the default module search path
PYTHONHASHSEED: if this variable is set to 'random', a random value is used to seed the
               hashes of str and bytes objects; an integer in [0,4294967295] fixes it
PYTHONIOENCODING: encoding[:errors] used for stdin/stdout/stderr
";

/// What the pre-scan decided before any interpreter exists.
enum Early {
    Help,
    Version(u8),
    Run,
}

/// Everything wrong with a command line is reported the way CPython does, exit status 2.
struct UsageError(String);

fn prog_name() -> String {
    std::env::args_os()
        .next()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "rpyjit".to_owned())
}

fn usage() -> String {
    USAGE.replace("{PROG}", &prog_name())
}

/// Scans the command line with CPython's grammar: flags may be combined (`-uc CODE`),
/// `-c`/`-m`/a script name/`-` end the options, and `--` ends them too.
fn prescan(args: &[OsString]) -> Result<(Early, Vec<(String, Option<String>)>), UsageError> {
    use lexopt::Arg::{Long, Short, Value};
    let mut parser = lexopt::Parser::from_args(args.iter().cloned());
    let mut version = 0u8;
    let mut help = false;
    let mut xopts = Vec::new();
    let need = |opt: char| UsageError(format!("Argument expected for the -{opt} option"));
    loop {
        let arg = match parser.next() {
            Ok(Some(arg)) => arg,
            Ok(None) => break,
            Err(lexopt::Error::UnexpectedValue { option, .. }) => {
                return Err(UsageError(format!("unknown option {option}")))
            }
            Err(e) => return Err(UsageError(e.to_string())),
        };
        match arg {
            Short('c') | Short('m') => {
                let Short(opt) = arg else { unreachable!() };
                parser.value().map_err(|_| need(opt))?;
                break;
            }
            Short('W') => {
                parser.value().map_err(|_| need('W'))?;
            }
            Short('X') => {
                let v = parser.value().map_err(|_| need('X'))?;
                let v = v.to_string_lossy().into_owned();
                let (name, value) = match v.split_once('=') {
                    Some((n, val)) => (n.to_owned(), Some(val.to_owned())),
                    None => (v, None),
                };
                xopts.push((name, value));
            }
            Short('h' | '?')
            | Long("help")
            | Long("help-all")
            | Long("help-xoptions")
            | Long("help-env") => help = true,
            Short('V') | Long("version") => version += 1,
            Short(
                'b' | 'B' | 'd' | 'E' | 'i' | 'I' | 'O' | 'P' | 'q' | 'R' | 's' | 'S' | 'u' | 'v',
            ) => {}
            Long("check-hash-based-pycs") => {
                let v = parser.value().map_err(|_| {
                    UsageError(
                        "--check-hash-based-pycs expects one of `default`, `always`, or `never`"
                            .into(),
                    )
                })?;
                if !matches!(v.to_str(), Some("default" | "always" | "never")) {
                    return Err(UsageError(
                        "--check-hash-based-pycs must be one of 'default', 'always', or 'never'"
                            .into(),
                    ));
                }
            }
            Short(c) => return Err(UsageError(format!("Unknown option: -{c}"))),
            Long(l) => return Err(UsageError(format!("unknown option --{l}"))),
            Value(_) => break,
        }
    }
    let early = if help {
        Early::Help
    } else if version > 0 {
        Early::Version(version)
    } else {
        Early::Run
    };
    Ok((early, xopts))
}

fn version_line(verbosity: u8) -> String {
    let v = format!(
        "Python {}.{}.{}",
        rustpython_vm::version::MAJOR,
        rustpython_vm::version::MINOR,
        rustpython_vm::version::MICRO
    );
    if verbosity < 2 {
        return v;
    }
    format!(
        "{v} (rpyjit {}, RustPython 0.6.0 with a Cranelift baseline JIT) [{} {}]",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::ARCH,
        std::env::consts::OS,
    )
}

/// Entry point of the `rpyjit` executable.
pub fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let xopts = match prescan(&args) {
        Ok((Early::Help, _)) => {
            println!("{}\n{HELP}", usage());
            return ExitCode::SUCCESS;
        }
        Ok((Early::Version(n), _)) => {
            println!("{}", version_line(n));
            return ExitCode::SUCCESS;
        }
        Ok((Early::Run, xopts)) => xopts,
        Err(UsageError(msg)) => {
            eprintln!("{msg}\n{}\nTry `python -h' for more information.", usage());
            return ExitCode::from(2);
        }
    };

    let (settings, mode) = match rustpython::parse_opts() {
        Ok(x) => x,
        Err(e) => {
            eprintln!("{e}\n{}\nTry `python -h' for more information.", usage());
            return ExitCode::from(2);
        }
    };

    let ignore_env = settings.ignore_environment;
    let jit =
        match JitOptions::from_sources(xopts.iter().map(|(n, v)| (n.as_str(), v.as_deref())), |k| {
            if ignore_env {
                None
            } else {
                std::env::var(k).ok()
            }
        }) {
            Ok(j) => j,
            Err(e) => {
                eprintln!(
                    "{}: {e}\n{}\nTry `python -h' for more information.",
                    prog_name(),
                    usage()
                );
                return ExitCode::from(2);
            }
        };

    if let Some(dir) = &jit.dump {
        if let Err(e) = rpyjit_jit::dump::dump_to(dir) {
            eprintln!(
                "{}: -X jit-dump={dir}: cannot create the directory: {e}",
                prog_name()
            );
            return ExitCode::from(2);
        }
    }
    let status = run(settings, mode, jit);
    ExitCode::from(u8::try_from(status & 0xff).unwrap_or(1))
}

/// Builds the runtime for a command-line run and executes `mode`; returns the exit status.
fn run(settings: Settings, mode: RunMode, jit: JitOptions) -> u32 {
    let rt = Runtime::builder().settings(settings).jit(jit).build();
    let res = rt.enter(|vm| run_mode(&rt, vm, mode));
    rt.finalize(res.err())
}

fn run_mode(rt: &Runtime, vm: &VirtualMachine, mode: RunMode) -> PyResult<()> {
    let scope = vm.new_scope_with_main()?;
    // Like CPython, a broken `warnings` or `site` is not fatal at startup.
    let _ = vm.import("warnings", 0);
    if vm.state.config.settings.import_site {
        let _ = vm.import("site", 0);
    }
    let safe_path = vm.state.config.settings.safe_path;
    let stdin_is_tty = std::io::stdin().is_terminal();

    let res = match mode {
        RunMode::Command(command) => {
            if !safe_path {
                vm.insert_sys_path(vm.new_pyobj(""))?;
            }
            rt.exec(vm, scope.clone(), &command, "<string>")
        }
        RunMode::Module(module) => {
            if !safe_path {
                let cwd = std::env::current_dir()
                    .ok()
                    .and_then(|p| p.to_str().map(str::to_owned))
                    .unwrap_or_default();
                vm.insert_sys_path(vm.new_pyobj(cwd))?;
            }
            vm.run_module(&module)
        }
        RunMode::Script(path) => run_script(rt, vm, scope.clone(), &path),
        RunMode::InstallPip(_) => Err(vm.new_system_error("rpyjit does not support --install-pip")),
        RunMode::Repl => {
            // CPython's sys.argv is [''] when no script is named (REPL, piped stdin).
            if vm.state.config.settings.argv.is_empty() {
                let argv = vm.ctx.new_list(vec![vm.ctx.new_str("").into()]);
                vm.sys_module.set_attr("argv", argv, vm)?;
            }
            if !safe_path {
                vm.insert_sys_path(vm.new_pyobj(""))?;
            }
            if stdin_is_tty {
                return run_repl(vm, scope);
            }
            // A program piped on stdin runs as `<stdin>`, like `python3 < prog.py`.
            let mut source = String::new();
            match std::io::stdin().read_to_string(&mut source) {
                Ok(_) => rt.exec(vm, scope.clone(), &source, "<stdin>"),
                Err(e) => Err(vm.new_os_error(format!("can't read program from stdin: {e}"))),
            }
        }
    };
    if vm.state.config.settings.inspect && res.is_ok() {
        return run_repl(vm, scope);
    }
    res
}

fn run_repl(vm: &VirtualMachine, scope: Scope) -> PyResult<()> {
    if !vm.state.config.settings.quiet && std::io::stdin().is_terminal() {
        eprintln!("{} on {}", version_line(2), std::env::consts::OS);
        eprintln!("Type \"help\", \"copyright\", \"credits\" or \"license\" for more information.");
    }
    rustpython::run_shell(vm, scope)
}

/// `rpyjit path args...`: runs a file, a directory or a zip with `__main__.py`, with
/// `sys.path[0]` set to the script's directory as CPython does.
fn run_script(rt: &Runtime, vm: &VirtualMachine, scope: Scope, path: &str) -> PyResult<()> {
    let abs = absolute(path);
    let meta = std::fs::metadata(&abs);
    let is_dir_or_zip = meta.as_ref().is_ok_and(|m| m.is_dir()) || is_zip(&abs);
    if is_dir_or_zip {
        vm.insert_sys_path(vm.new_pyobj(abs.clone()))?;
        let runpy = vm.import("runpy", 0)?;
        let run_module_as_main = runpy.get_attr("_run_module_as_main", vm)?;
        run_module_as_main.call(("__main__", false), vm)?;
        return Ok(());
    }
    if !vm.state.config.settings.safe_path {
        vm.insert_sys_path(vm.new_pyobj(script_dir(path)))?;
    }
    let source = match meta.and_then(|_| std::fs::read(&abs)) {
        Ok(bytes) => bytes,
        Err(err) => return Err(cant_open_file(vm, &abs, &err)),
    };
    let source = match String::from_utf8(source) {
        Ok(s) => s,
        Err(_) => {
            return Err(vm.new_exception_msg(
                vm.ctx.exceptions.syntax_error.to_owned(),
                format!("Non-UTF-8 code in file '{path}', but no encoding declared").into(),
            ))
        }
    };
    scope
        .globals
        .set_item("__file__", vm.new_pyobj(path.to_owned()), vm)?;
    scope.globals.set_item("__cached__", vm.ctx.none(), vm)?;
    let res = rt.exec(vm, scope.clone(), &source, path);
    let _ = scope.globals.del_item("__file__", vm);
    res
}

fn is_zip(path: &str) -> bool {
    let mut magic = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok()
        && &magic == b"PK\x03\x04"
}

fn absolute(path: &str) -> String {
    std::path::absolute(path)
        .ok()
        .and_then(|p| p.into_os_string().into_string().ok())
        .unwrap_or_else(|| path.to_owned())
}

/// The directory of the script after resolving symlinks, as CPython's `sys.path[0]`.
fn script_dir(path: &str) -> String {
    let resolved = std::fs::canonicalize(path)
        .ok()
        .and_then(|p| p.into_os_string().into_string().ok())
        .unwrap_or_else(|| absolute(path));
    match resolved.rfind('/') {
        Some(0) => "/".to_owned(),
        Some(i) => resolved[..i].to_owned(),
        None => String::new(),
    }
}

/// CPython: `python3: can't open file '/abs/x.py': [Errno 2] No such file or directory`,
/// exit status 2.
fn cant_open_file(
    vm: &VirtualMachine,
    path: &str,
    err: &std::io::Error,
) -> rustpython_vm::builtins::PyBaseExceptionRef {
    let program = &vm.state.config.paths.executable;
    let repr = vm
        .ctx
        .new_str(path)
        .as_object()
        .repr(vm)
        .map(|r| r.to_string_lossy().into_owned())
        .unwrap_or_else(|_| format!("'{path}'"));
    let errno = err.raw_os_error().unwrap_or(2);
    let text = std::io::Error::from_raw_os_error(errno).to_string();
    let text = text.split(" (os error").next().unwrap_or(&text);
    eprintln!("{program}: can't open file {repr}: [Errno {errno}] {text}");
    vm.new_system_exit(vec![vm.ctx.new_int(2).into()].into())
}
