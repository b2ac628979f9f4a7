//! The shape of `jit/src`, kept by a test so that it does not drift back: no file over
//! 1,200 lines, no function over 200 lines, and no import cycle among the top-level
//! modules except the documented upcall (the call helpers enter native code).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_FILE_LINES: usize = 1200;
const MAX_FN_LINES: usize = 200;
/// Module dependencies allowed to close a cycle: `(from, to)`.
const ALLOWED_UPCALLS: &[(&str, &str)] = &[("helpers", "entry")];

fn sources() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out.sort();
    out
}

fn src_relative(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    path.strip_prefix(root).unwrap().display().to_string()
}

/// Functions (by their `fn` line and the closing brace at the same indentation) longer
/// than the limit.
fn long_functions(text: &str) -> Vec<(String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let Some(pos) = trimmed.find("fn ") else {
            continue;
        };
        let head = &trimmed[..pos];
        let is_item = head.split_whitespace().all(|w| {
            [
                "pub",
                "pub(crate)",
                "pub(super)",
                "const",
                "unsafe",
                "extern",
                "\"C\"",
                "async",
            ]
            .contains(&w)
        });
        if !is_item || trimmed.ends_with(';') {
            continue;
        }
        let end = lines[i..]
            .iter()
            .position(|l| *l == format!("{indent}}}"))
            .map(|n| n + 1);
        if let Some(n) = end.filter(|n| *n > MAX_FN_LINES) {
            let name: String = trimmed[pos + 3..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.push((name, n));
        }
    }
    out
}

#[test]
fn no_source_file_is_over_the_limit() {
    let over: Vec<String> = sources()
        .iter()
        .filter_map(|p| {
            let n = std::fs::read_to_string(p).unwrap().lines().count();
            (n > MAX_FILE_LINES).then(|| format!("{}: {n} lines", src_relative(p)))
        })
        .collect();
    assert!(
        over.is_empty(),
        "files over {MAX_FILE_LINES} lines: {over:#?}"
    );
}

#[test]
fn no_function_is_over_the_limit() {
    let over: Vec<String> = sources()
        .iter()
        .flat_map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            long_functions(&text)
                .into_iter()
                .map(move |(f, n)| format!("{}: fn {f}: {n} lines", src_relative(p)))
        })
        .collect();
    assert!(
        over.is_empty(),
        "functions over {MAX_FN_LINES} lines: {over:#?}"
    );
}

/// The top-level module a source file belongs to (`translate/ops/arith.rs` → `translate`).
fn module_of(path: &Path) -> Option<String> {
    let rel = src_relative(path);
    let first = rel.split('/').next()?.trim_end_matches(".rs").to_owned();
    (first != "lib").then_some(first)
}

/// Which top-level modules each module uses (`crate::X` anywhere in its files).
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let modules: BTreeSet<String> = sources().iter().filter_map(|p| module_of(p)).collect();
    for p in sources() {
        let Some(from) = module_of(&p) else { continue };
        // Code only: a doc link is not a dependency.
        let text: String = std::fs::read_to_string(&p)
            .unwrap()
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let uses = graph.entry(from.clone()).or_default();
        for (i, _) in text.match_indices("crate::") {
            let to: String = text[i + 7..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if to != from && modules.contains(&to) {
                uses.insert(to);
            }
        }
    }
    graph
}

#[test]
fn modules_form_no_import_cycle_but_the_documented_upcall() {
    let mut graph = module_graph();
    for (from, to) in ALLOWED_UPCALLS {
        if let Some(uses) = graph.get_mut(*from) {
            uses.remove(*to);
        }
    }
    // Depth-first search for a back edge; report the cycle it closes.
    fn visit(
        m: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == m) {
            let mut cycle = path[at..].to_vec();
            cycle.push(m.to_owned());
            return Some(cycle);
        }
        if done.contains(m) {
            return None;
        }
        path.push(m.to_owned());
        for next in graph.get(m).into_iter().flatten() {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(m.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    for m in graph.keys() {
        if let Some(cycle) = visit(m, &graph, &mut Vec::new(), &mut done) {
            panic!(
                "import cycle among jit's modules: {}\n(module graph: {graph:#?})",
                cycle.join(" -> ")
            );
        }
    }
}
