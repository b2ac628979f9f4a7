//! Delta debugging over the statement tree of a program.
//!
//! The program is read as lines; indentation gives the tree (a statement owns the more
//! indented lines after it). Hierarchical delta debugging runs `ddmin` over the children
//! of every node, top level first, and repeats until nothing more can be removed. A
//! block whose body is removed entirely gets a `pass`. A clause (`else:`, `elif`,
//! `except`, `finally:`) goes together with the statement it belongs to when that
//! statement is removed. The oracle decides whether a candidate still shows the failure;
//! the caller makes it check "still valid on CPython and still the same kind of
//! difference".

use std::collections::HashMap;

#[derive(Clone, Debug)]
struct Line {
    indent: usize,
    text: String,
}

/// Statistics of a minimization.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    pub tests: usize,
    pub cache_hits: usize,
}

struct Tree {
    lines: Vec<Line>,
    /// Children of each line (by index); `roots` for the top level.
    children: Vec<Vec<usize>>,
    roots: Vec<usize>,
    /// For each line: the clause lines (`else:`, `except`, ...) that follow it as siblings.
    clauses: Vec<Vec<usize>>,
    parent: Vec<Option<usize>>,
}

fn is_clause(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with("else:")
        || t.starts_with("elif ")
        || t.starts_with("except")
        || t.starts_with("finally:")
}

impl Tree {
    fn parse(src: &str) -> Tree {
        let lines: Vec<Line> = src
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .map(|l| Line {
                indent: l.len() - l.trim_start().len(),
                text: l.trim_start().to_string(),
            })
            .collect();
        let mut children = vec![Vec::new(); lines.len()];
        let mut roots = Vec::new();
        let mut stack: Vec<usize> = Vec::new();
        for i in 0..lines.len() {
            while let Some(&top) = stack.last() {
                if lines[top].indent >= lines[i].indent {
                    stack.pop();
                } else {
                    break;
                }
            }
            match stack.last() {
                Some(&parent) => children[parent].push(i),
                None => roots.push(i),
            }
            stack.push(i);
        }
        let mut clauses = vec![Vec::new(); lines.len()];
        let sibling_lists: Vec<Vec<usize>> = std::iter::once(roots.clone())
            .chain(children.iter().cloned())
            .collect();
        for sibs in &sibling_lists {
            let mut owner: Option<usize> = None;
            for &s in sibs {
                if is_clause(&lines[s].text) {
                    if let Some(o) = owner {
                        clauses[o].push(s);
                    }
                } else {
                    owner = Some(s);
                }
            }
        }
        let mut parent = vec![None; lines.len()];
        for (p, cs) in children.iter().enumerate() {
            for &c in cs {
                parent[c] = Some(p);
            }
        }
        Tree {
            lines,
            children,
            roots,
            clauses,
            parent,
        }
    }

    /// All lines of the subtree at `i`, including its clauses' subtrees.
    fn unit(&self, i: usize, out: &mut Vec<usize>) {
        self.subtree(i, out);
        for &c in &self.clauses[i] {
            self.subtree(c, out);
        }
    }

    fn subtree(&self, i: usize, out: &mut Vec<usize>) {
        out.push(i);
        for &c in &self.children[i] {
            self.subtree(c, out);
        }
    }

    #[cfg(test)]
    fn render(&self, keep: &[bool]) -> String {
        self.render_with(keep, &vec![false; keep.len()])
    }

    /// Renders the kept lines; an `unwrapped` header is left out and its body dedented.
    fn render_with(&self, keep: &[bool], unwrapped: &[bool]) -> String {
        let mut s = String::new();
        for i in 0..self.lines.len() {
            if !keep[i] || unwrapped[i] {
                continue;
            }
            let mut dedent = 0;
            let mut a = self.parent[i];
            while let Some(p) = a {
                if unwrapped[p] {
                    dedent += 4;
                }
                a = self.parent[p];
            }
            let l = &self.lines[i];
            let ind = l.indent.saturating_sub(dedent);
            s.push_str(&" ".repeat(ind));
            s.push_str(&l.text);
            s.push('\n');
            if l.text.ends_with(':') && !self.children[i].iter().any(|&c| keep[c]) {
                // A block header whose body is gone.
                let cind = self.children[i]
                    .first()
                    .map(|&c| self.lines[c].indent)
                    .unwrap_or(l.indent + 4);
                s.push_str(&" ".repeat(cind.saturating_sub(dedent)));
                s.push_str("pass\n");
            }
        }
        s
    }
}

fn unwrappable(text: &str) -> bool {
    ["if ", "try:", "for ", "while ", "with "]
        .iter()
        .any(|h| text.starts_with(h))
        && text.ends_with(':')
}

/// Minimizes `src` with respect to `oracle` (true = the candidate still fails in the
/// same way). Gives up after `max_tests` oracle calls. `src` itself is assumed to fail.
pub fn minimize(
    src: &str,
    oracle: &mut dyn FnMut(&str) -> bool,
    max_tests: usize,
) -> (String, Stats) {
    let mut tree = Tree::parse(src);
    let mut keep = vec![true; tree.lines.len()];
    let mut unwrapped = vec![false; tree.lines.len()];
    let mut stats = Stats::default();
    let mut cache: HashMap<String, bool> = HashMap::new();
    let mut test = |cand: &str, stats: &mut Stats| -> bool {
        if let Some(&r) = cache.get(cand) {
            stats.cache_hits += 1;
            return r;
        }
        if stats.tests >= max_tests {
            return false;
        }
        stats.tests += 1;
        let r = oracle(cand);
        cache.insert(cand.to_string(), r);
        r
    };
    loop {
        let before = keep.iter().filter(|k| **k).count();
        // Breadth-first over the tree: the top level, then the children of every kept node.
        let mut level: Vec<usize> = tree.roots.clone();
        while !level.is_empty() {
            // Group siblings by parent so ddmin runs within one block at a time.
            let mut groups: Vec<Vec<usize>> = Vec::new();
            let mut parent_of = HashMap::new();
            for (p, cs) in tree.children.iter().enumerate() {
                for &c in cs {
                    parent_of.insert(c, p);
                }
            }
            let mut cur_parent: Option<Option<usize>> = None;
            for &i in &level {
                let p = parent_of.get(&i).copied();
                if cur_parent != Some(p) {
                    groups.push(Vec::new());
                    cur_parent = Some(p);
                }
                groups.last_mut().unwrap().push(i);
            }
            for g in groups {
                let units: Vec<Vec<usize>> = g
                    .iter()
                    .filter(|&&i| keep[i])
                    .map(|&i| {
                        let mut u = Vec::new();
                        tree.unit(i, &mut u);
                        u
                    })
                    .collect();
                ddmin(units, &mut keep, &tree, &unwrapped, &mut |c: &str| {
                    test(c, &mut stats)
                });
            }
            let mut next = Vec::new();
            for &i in &level {
                if keep[i] {
                    next.extend(tree.children[i].iter().copied());
                }
            }
            level = next;
        }
        // Drop arguments of `print(...)` calls and elements of `return a, b, ...`, which
        // otherwise keep every variable of a digest alive.
        let mut shrunk_args = false;
        for i in 0..tree.lines.len() {
            if !keep[i] {
                continue;
            }
            let text = tree.lines[i].text.clone();
            let (head, inner, tail) = if let Some(inner) = text
                .strip_prefix("print(")
                .and_then(|t| t.strip_suffix(')'))
            {
                ("print(", inner.to_string(), ")")
            } else if let Some(inner) = text.strip_prefix("return ") {
                ("return ", inner.to_string(), "")
            } else {
                continue;
            };
            let args = split_top_level(&inner);
            if args.len() < 2 {
                continue;
            }
            let mut cur: Vec<String> = args.clone();
            let mut k = 0;
            while k < cur.len() && cur.len() > 1 {
                let mut cand_args = cur.clone();
                cand_args.remove(k);
                let cand_text = format!("{head}{}{tail}", cand_args.join(", "));
                tree.lines[i].text = cand_text.clone();
                if test(&tree.render_with(&keep, &unwrapped), &mut stats) {
                    cur = cand_args;
                    shrunk_args = true;
                } else {
                    k += 1;
                }
                tree.lines[i].text = format!("{head}{}{tail}", cur.join(", "));
            }
        }
        // Replace compound statements by their bodies.
        for i in 0..tree.lines.len() {
            if !keep[i] || unwrapped[i] || !unwrappable(&tree.lines[i].text) {
                continue;
            }
            if !tree.children[i].iter().any(|&c| keep[c]) {
                continue;
            }
            let mut cand_keep = keep.clone();
            for &c in &tree.clauses[i] {
                let mut u = Vec::new();
                tree.subtree(c, &mut u);
                for l in u {
                    cand_keep[l] = false;
                }
            }
            unwrapped[i] = true;
            if test(&tree.render_with(&cand_keep, &unwrapped), &mut stats) {
                keep = cand_keep;
                shrunk_args = true;
            } else {
                unwrapped[i] = false;
            }
        }
        let after = keep.iter().filter(|k| **k).count();
        if (after == before && !shrunk_args) || stats.tests >= max_tests {
            break;
        }
    }
    (tree.render_with(&keep, &unwrapped), stats)
}

/// Splits `a, f(b, c), 'x,y'` at top-level commas.
fn split_top_level(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut cur = String::new();
    let mut prev = ' ';
    for c in s.chars() {
        match quote {
            Some(q) => {
                if c == q && prev != '\\' {
                    quote = None;
                }
                cur.push(c);
            }
            None => match c {
                '\'' | '"' => {
                    quote = Some(c);
                    cur.push(c);
                }
                '(' | '[' | '{' => {
                    depth += 1;
                    cur.push(c);
                }
                ')' | ']' | '}' => {
                    depth -= 1;
                    cur.push(c);
                }
                ',' if depth == 0 => {
                    out.push(cur.trim().to_string());
                    cur.clear();
                }
                _ => cur.push(c),
            },
        }
        prev = if prev == '\\' && c == '\\' { ' ' } else { c };
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

/// Classic ddmin (complement removal) over `units` (sets of line indices).
fn ddmin(
    mut units: Vec<Vec<usize>>,
    keep: &mut [bool],
    tree: &Tree,
    unwrapped: &[bool],
    test: &mut dyn FnMut(&str) -> bool,
) {
    let mut n = 2usize;
    while !units.is_empty() {
        let n_eff = n.min(units.len());
        let chunk = units.len().div_ceil(n_eff);
        let mut removed = false;
        let mut start = 0;
        while start < units.len() {
            let end = (start + chunk).min(units.len());
            let mut cand = keep.to_vec();
            for u in &units[start..end] {
                for &l in u {
                    cand[l] = false;
                }
            }
            if test(&tree.render_with(&cand, unwrapped)) {
                keep.copy_from_slice(&cand);
                units.drain(start..end);
                n = (n_eff - 1).max(2);
                removed = true;
                break;
            }
            start = end;
        }
        if !removed {
            if n_eff >= units.len() {
                break;
            }
            n = (n_eff * 2).min(units.len());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A crude stand-in for "valid Python": every block header has a body and try has a handler.
    fn plausible(p: &str) -> bool {
        let t = Tree::parse(p);
        for (i, l) in t.lines.iter().enumerate() {
            if l.text.starts_with("try:") && t.clauses[i].is_empty() {
                return false;
            }
            if is_clause(&l.text) {
                // A clause must follow something at its own indentation.
                let prev = t.lines[..i].iter().rev().find(|p| p.indent <= l.indent);
                if prev.map(|p| p.indent != l.indent).unwrap_or(true) {
                    return false;
                }
            }
        }
        true
    }

    #[test]
    fn shrinks_a_synthetic_failure() {
        let mut prog = String::new();
        for i in 0..40 {
            prog += &format!("a{i} = {i}\n");
            prog += &format!("def f{i}(x):\n    y = x + {i}\n    for j in range(3):\n        y += j\n    return y\n");
            prog += &format!("print(f{i}(a{i}))\n");
            if i == 17 {
                prog += "try:\n    boom = 13\n    z = 1\nexcept ValueError:\n    pass\nelse:\n    w = 2\n";
                prog += "class K:\n    def m(self):\n        return boom * 3\n    other = 4\n";
            }
        }
        prog += "print(K().m())\n";
        // The "failure": K().m() still prints 39, i.e. boom = 13 and the method survive.
        let mut calls = 0;
        let mut oracle = |p: &str| {
            calls += 1;
            plausible(p)
                && p.contains("boom = 13")
                && p.contains("return boom * 3")
                && p.contains("print(K().m())")
        };
        assert!(oracle(&prog));
        let (min, stats) = minimize(&prog, &mut oracle, 2000);
        let n_lines = min.lines().count();
        assert!(
            n_lines <= 8,
            "not minimal enough ({n_lines} lines, {} tests):\n{min}",
            stats.tests
        );
        assert!(
            min.contains("boom = 13") && min.contains("print(K().m())"),
            "{min}"
        );
        assert!(prog.lines().count() > 10 * n_lines);
        assert!(stats.tests < 1000);
    }

    #[test]
    fn drops_print_arguments() {
        let src = "a = 1\nb = 2\nc = 3\nprint('x', a, f(b, 'p,q'), c)\n";
        assert_eq!(
            split_top_level("'x', a, f(b, 'p,q'), c"),
            vec!["'x'", "a", "f(b, 'p,q')", "c"]
        );
        let mut oracle = |p: &str| {
            p.contains("c = 3") && p.contains("print(") && p.contains(", c")
                || p.contains("print(c)") && p.contains("c = 3")
        };
        let (min, _) = minimize(src, &mut oracle, 200);
        assert_eq!(min, "c = 3\nprint(c)\n");
    }

    #[test]
    fn hoists_bodies() {
        let src =
            "x = 1\nif x > 0:\n    for j in range(2):\n        y = 5\nelse:\n    y = 6\nprint(y)\n";
        let mut oracle = |p: &str| p.contains("y = 5\n") && p.contains("print(y)");
        let (min, _) = minimize(src, &mut oracle, 200);
        assert_eq!(min, "y = 5\nprint(y)\n");
    }

    #[test]
    fn empty_bodies_get_pass() {
        let src = "if x:\n    a = 1\n    b = 2\nprint(1)\n";
        let t = Tree::parse(src);
        let keep = vec![true, false, false, true];
        assert_eq!(t.render(&keep), "if x:\n    pass\nprint(1)\n");
    }

    #[test]
    fn clauses_go_with_their_statement() {
        let src = "try:\n    a = 1\nexcept E:\n    b = 2\nfinally:\n    c = 3\nd = 4\n";
        let t = Tree::parse(src);
        let mut u = Vec::new();
        t.unit(0, &mut u);
        assert_eq!(u.len(), 6);
        let mut oracle = |p: &str| p.contains("d = 4");
        let (min, _) = minimize(src, &mut oracle, 100);
        assert_eq!(min, "d = 4\n");
    }
}
