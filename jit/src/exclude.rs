//! The escape hatch: functions a user keeps in the interpreter (say, after meeting a JIT
//! bug), by decorating them with `@rpyjit.interpreted` or by naming them with
//! `-X jit-exclude=PATTERN`. Such a function is never compiled, neither when its calls nor
//! when its loops get hot, nor for native callers; each refusal shows in the statistics
//! with its reason. Functions nested in it are not affected.

use std::collections::HashMap;
use std::sync::{Mutex, RwLock};

use rustpython_vm::builtins::{PyCode, PyFunction, PyStr};
use rustpython_vm::{AsObject, Py, PyRef, VirtualMachine};

use crate::stats::STATS;

pub const BY_DECORATOR: &str = "kept in the interpreter by @rpyjit.interpreted";
pub const BY_PATTERN: &str = "kept in the interpreter by -X jit-exclude";

/// Globs from `-X jit-exclude` / `RPYJIT_EXCLUDE`, matched against `module.qualname`, per
/// interpreter (the address of its global state).
static PATTERNS: RwLock<Vec<(usize, Vec<String>)>> = RwLock::new(Vec::new());

/// Plain code objects of functions decorated with `@rpyjit.interpreted`, by id (the
/// reference keeps the id from being reused).
static KEPT: Mutex<Option<HashMap<usize, PyRef<PyCode>>>> = Mutex::new(None);

/// The exclusion patterns of `vm`'s interpreter.
pub fn set_patterns(vm: &VirtualMachine, patterns: &[String]) {
    let key = crate::policy::interpreter_key(vm);
    let mut all = PATTERNS.write().unwrap_or_else(|p| p.into_inner());
    all.retain(|(k, _)| *k != key);
    if !patterns.is_empty() {
        all.push((key, patterns.to_vec()));
    }
}

/// Keeps the function whose own code is `plain` in the interpreter
/// (`@rpyjit.interpreted`, see `entry::keep_interpreted`).
pub(crate) fn keep(plain: &PyRef<PyCode>) {
    KEPT.lock()
        .unwrap_or_else(|p| p.into_inner())
        .get_or_insert_with(HashMap::new)
        .insert(plain.as_object().get_id(), plain.clone());
    STATS.refused(Some(plain.code.qualname.as_str()), BY_DECORATOR);
}

/// Why `func` (running `plain`, its code without rpyjit's prologue) must stay in the
/// interpreter, if the user said so.
pub fn reason(
    vm: &VirtualMachine,
    func: &Py<PyFunction>,
    plain: &Py<PyCode>,
) -> Option<&'static str> {
    let kept = KEPT.lock().unwrap_or_else(|p| p.into_inner());
    if kept
        .as_ref()
        .is_some_and(|k| k.contains_key(&plain.as_object().get_id()))
    {
        return Some(BY_DECORATOR);
    }
    drop(kept);
    let all = PATTERNS.read().unwrap_or_else(|p| p.into_inner());
    let key = crate::policy::interpreter_key(vm);
    let (_, patterns) = all.iter().find(|(k, _)| *k == key)?;
    let text = |attr: &'static str| {
        func.as_object()
            .get_attr(attr, vm)
            .ok()
            .and_then(|v| v.downcast::<PyStr>().ok())
            .map(|s| s.to_string())
    };
    let name = format!(
        "{}.{}",
        text("__module__").unwrap_or_default(),
        text("__qualname__").unwrap_or_default()
    );
    patterns
        .iter()
        .any(|p| glob_match(p, &name))
        .then_some(BY_PATTERN)
}

/// Shell-style glob: `*` matches any run of characters (dots too), `?` one character.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    // Where the last `*` was, and the text position it currently covers up to.
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn globs_match_dotted_names() {
        assert!(glob_match("__main__.f", "__main__.f"));
        assert!(!glob_match("__main__.f", "__main__.fg"));
        assert!(glob_match("mypkg.*", "mypkg.parser.Parser.parse"));
        assert!(glob_match("*.Parser.parse", "mypkg.parser.Parser.parse"));
        assert!(glob_match("*.f?", "m.fg"));
        assert!(!glob_match("*.f?", "m.f"));
        assert!(glob_match("*", ""));
        assert!(!glob_match("a*b", "acd"));
        assert!(glob_match("a*b*c", "axxbyyc"));
    }
}
