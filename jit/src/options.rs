//! JIT configuration: `-X jit=on|off`, `-X jit-threshold=N`, `-X jit-stats`,
//! `-X jit-exclude=PATTERN`, `-X jit-dump=DIR`, `-X perf`, and the same through
//! `RPYJIT_JIT`, `RPYJIT_THRESHOLD`, `RPYJIT_STATS`, `RPYJIT_EXCLUDE`, `RPYJIT_DUMP`,
//! `RPYJIT_PERF`. A `-X` option wins over the
//! environment; `-E`/`-I` make rpyjit ignore the `RPYJIT_*` variables like `PYTHON*` ones.
//! The developer knobs ([`DebugKnobs`]) are here too: every variable the JIT reads.

use std::fmt;

/// Calls or loop back-edges a code object runs in the interpreter before it is compiled.
///
/// Why 1000, from measurements on the benchmark machine: translating and compiling a
/// function takes about 1-3 ms (the `compile time` in `-X jit-stats`), while one
/// interpreted call or loop iteration takes 0.2-2 µs. At 1000 the time already spent
/// interpreting is of the order of the compile cost (the usual break-even rule), the
/// interpreter has quickened the code, so the type profile is ready, and code that runs
/// only a few hundred times, most startup and library code, is never compiled.
pub const DEFAULT_THRESHOLD: u32 = 1000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JitOptions {
    /// Compile hot code at all. Off means rpyjit is exactly the RustPython interpreter.
    pub enabled: bool,
    /// Calls (per code object) or back-edges (per loop) before compiling; 0 compiles a
    /// code object before its first execution.
    pub threshold: u32,
    /// Print the statistics summary on stderr at exit.
    pub stats: bool,
    /// Globs (`*`, `?`) over `module.qualname` of functions that stay in the interpreter
    /// (`-X jit-exclude=PATTERN[,PATTERN...]`, repeatable; `RPYJIT_EXCLUDE`).
    pub exclude: Vec<String>,
    /// List every compiled function in `/tmp/perf-<pid>.map` (`-X perf`, `RPYJIT_PERF=1`),
    /// the file `perf report` reads to name code without symbols, as CPython's `-X perf`.
    pub perf: bool,
    /// Write each compilation's typed instructions, CLIF and machine code into this
    /// directory (`-` for stderr): `-X jit-dump=DIR`, `RPYJIT_DUMP=DIR` (see [`crate::dump`]).
    pub dump: Option<String>,
}

impl Default for JitOptions {
    fn default() -> Self {
        Self {
            enabled: true,
            threshold: DEFAULT_THRESHOLD,
            stats: false,
            exclude: Vec::new(),
            perf: false,
            dump: None,
        }
    }
}

/// A JIT option with a value we cannot accept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionError {
    /// Where the value came from, as the user wrote it: `-X jit=maybe` or `RPYJIT_JIT=maybe`.
    pub source: String,
    pub expected: &'static str,
}

impl fmt::Display for OptionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: expected {}", self.source, self.expected)
    }
}

impl std::error::Error for OptionError {}

/// The `-X` names this module owns, so the command line can tell them from typos.
pub const XOPTION_NAMES: &[&str] = &[
    "jit",
    "jit-threshold",
    "jit-stats",
    "jit-exclude",
    "jit-dump",
    "perf",
];

impl JitOptions {
    /// Reads the options from `-X` pairs (name, optional value) and an environment lookup.
    /// Pass `|_| None` as `env` to ignore the environment.
    pub fn from_sources<'a>(
        xoptions: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, OptionError> {
        let mut opts = Self::default();
        // Environment first, so that -X options override it.
        if let Some(v) = env("RPYJIT_JIT").filter(|v| !v.is_empty()) {
            opts.enabled = parse_switch(&v).ok_or_else(|| err("RPYJIT_JIT", &v, SWITCH))?;
        }
        if let Some(v) = env("RPYJIT_THRESHOLD").filter(|v| !v.is_empty()) {
            opts.threshold = parse_count(&v).ok_or_else(|| err("RPYJIT_THRESHOLD", &v, COUNT))?;
        }
        if let Some(v) = env("RPYJIT_EXCLUDE").filter(|v| !v.is_empty()) {
            opts.exclude.extend(split_patterns(&v));
        }
        if let Some(v) = env("RPYJIT_STATS").filter(|v| !v.is_empty()) {
            opts.stats = parse_switch(&v).ok_or_else(|| err("RPYJIT_STATS", &v, SWITCH))?;
        }
        if let Some(v) = env("RPYJIT_PERF").filter(|v| !v.is_empty()) {
            opts.perf = parse_switch(&v).ok_or_else(|| err("RPYJIT_PERF", &v, SWITCH))?;
        }
        if let Some(v) = env("RPYJIT_DUMP").filter(|v| !v.is_empty()) {
            opts.dump = Some(v);
        }
        for (name, value) in xoptions {
            let shown = || match value {
                Some(v) => format!("-X {name}={v}"),
                None => format!("-X {name}"),
            };
            let bad = |expected| OptionError {
                source: shown(),
                expected,
            };
            match name {
                "jit" => {
                    opts.enabled = value
                        .map_or(Some(true), parse_switch)
                        .ok_or_else(|| bad(SWITCH))?
                }
                "jit-threshold" => {
                    opts.threshold = value.and_then(parse_count).ok_or_else(|| bad(COUNT))?
                }
                "jit-exclude" => {
                    let v = value
                        .filter(|v| !v.is_empty())
                        .ok_or_else(|| bad(PATTERN))?;
                    opts.exclude.extend(split_patterns(v));
                }
                "jit-stats" => {
                    opts.stats = value
                        .map_or(Some(true), parse_switch)
                        .ok_or_else(|| bad(SWITCH))?
                }
                "jit-dump" => {
                    let v = value.filter(|v| !v.is_empty()).ok_or_else(|| bad(DIR))?;
                    opts.dump = Some(v.to_owned());
                }
                "perf" => {
                    opts.perf = value
                        .map_or(Some(true), parse_switch)
                        .ok_or_else(|| bad(SWITCH))?
                }
                _ => {}
            }
        }
        Ok(opts)
    }
}

/// Developer knobs, read once from the process environment: they print or record what
/// the JIT does and never change what a program computes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DebugKnobs {
    /// `RPYJIT_CROSS_ISA=1`: each translation also checked and compiled for the other
    /// architecture, the outcome counted in the statistics.
    pub cross_isa: bool,
    /// `RPYJIT_PERF_MAP=1`: compiled functions listed in `/tmp/perf-<pid>.map` for `perf`
    /// (the older name of `-X perf` / `RPYJIT_PERF=1`).
    pub perf_map: bool,
}

impl DebugKnobs {
    /// The knobs from an environment lookup.
    pub fn from_env(env: impl Fn(&str) -> Option<String>) -> Self {
        let one = |name: &str| env(name).is_some_and(|v| v == "1");
        Self {
            cross_isa: one("RPYJIT_CROSS_ISA"),
            perf_map: one("RPYJIT_PERF_MAP"),
        }
    }
}

/// This process's developer knobs.
pub fn debug_knobs() -> &'static DebugKnobs {
    static KNOBS: std::sync::OnceLock<DebugKnobs> = std::sync::OnceLock::new();
    KNOBS.get_or_init(|| DebugKnobs::from_env(|k| std::env::var(k).ok()))
}

const SWITCH: &str = "on or off (also 1/0, true/false, yes/no)";
const COUNT: &str = "a non-negative integer";
const DIR: &str = "a directory to write compilations into (- for stderr)";
const PATTERN: &str = "a pattern like module.function or mypkg.* (comma-separated for several)";

fn split_patterns(v: &str) -> impl Iterator<Item = String> + '_ {
    v.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(String::from)
}

fn err(var: &str, value: &str, expected: &'static str) -> OptionError {
    OptionError {
        source: format!("{var}={value}"),
        expected,
    }
}

fn parse_switch(v: &str) -> Option<bool> {
    match v.to_ascii_lowercase().as_str() {
        "on" | "1" | "true" | "yes" => Some(true),
        "off" | "0" | "false" | "no" => Some(false),
        _ => None,
    }
}

fn parse_count(v: &str) -> Option<u32> {
    v.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn debug_knobs_are_off_unless_set() {
        assert_eq!(DebugKnobs::from_env(no_env), DebugKnobs::default());
        let env = |k: &str| (k == "RPYJIT_PERF_MAP").then(|| "1".into());
        let k = DebugKnobs::from_env(env);
        assert!(k.perf_map && !k.cross_isa);
    }

    #[test]
    fn defaults_enable_the_jit_at_the_default_threshold() {
        let o = JitOptions::from_sources([], no_env).unwrap();
        assert_eq!(o, JitOptions::default());
        assert!(o.enabled && !o.stats && o.threshold == DEFAULT_THRESHOLD);
    }

    #[test]
    fn x_options_set_each_field() {
        let o = JitOptions::from_sources(
            [
                ("jit", Some("off")),
                ("jit-threshold", Some("0")),
                ("jit-stats", None),
            ],
            no_env,
        )
        .unwrap();
        assert_eq!(
            o,
            JitOptions {
                enabled: false,
                threshold: 0,
                stats: true,
                exclude: vec![],
                perf: false,
                dump: None,
            }
        );
    }

    #[test]
    fn jit_dump_takes_a_directory_from_x_or_the_environment() {
        let env = |k: &str| (k == "RPYJIT_DUMP").then(|| "/tmp/from-env".to_string());
        let o = JitOptions::from_sources([], env).unwrap();
        assert_eq!(o.dump.as_deref(), Some("/tmp/from-env"));
        let o = JitOptions::from_sources([("jit-dump", Some("out"))], env).unwrap();
        assert_eq!(
            o.dump.as_deref(),
            Some("out"),
            "-X wins over the environment"
        );
        let e = JitOptions::from_sources([("jit-dump", None)], no_env).unwrap_err();
        assert_eq!(e.source, "-X jit-dump");
    }

    #[test]
    fn exclusions_add_up_from_the_environment_and_every_option() {
        let env = |k: &str| (k == "RPYJIT_EXCLUDE").then(|| "pkg.*, m.f".to_string());
        let o = JitOptions::from_sources(
            [("jit-exclude", Some("a.b,c.*")), ("jit-exclude", Some("d"))],
            env,
        )
        .unwrap();
        assert_eq!(o.exclude, ["pkg.*", "m.f", "a.b", "c.*", "d"]);
        let e = JitOptions::from_sources([("jit-exclude", None)], |_| None).unwrap_err();
        assert_eq!(e.source, "-X jit-exclude");
    }

    #[test]
    fn x_options_override_the_environment() {
        let env = |k: &str| match k {
            "RPYJIT_JIT" => Some("off".to_string()),
            "RPYJIT_THRESHOLD" => Some("7".to_string()),
            _ => None,
        };
        let o = JitOptions::from_sources([("jit", Some("on"))], env).unwrap();
        assert!(o.enabled);
        assert_eq!(o.threshold, 7);
    }

    #[test]
    fn bad_values_name_their_source() {
        let e = JitOptions::from_sources([("jit", Some("maybe"))], no_env).unwrap_err();
        assert_eq!(e.source, "-X jit=maybe");
        let e = JitOptions::from_sources([("jit-threshold", None)], no_env).unwrap_err();
        assert_eq!(e.source, "-X jit-threshold");
        let env = |k: &str| (k == "RPYJIT_THRESHOLD").then(|| "-3".to_string());
        let e = JitOptions::from_sources([], env).unwrap_err();
        assert_eq!(
            e.to_string(),
            "RPYJIT_THRESHOLD=-3: expected a non-negative integer"
        );
    }
}
