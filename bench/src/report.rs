//! Tables and the facts about the machine and command that go with them.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::thread;

use crate::runtimes::capture;

#[derive(Clone, Debug)]
pub enum Cell {
    NotRun,
    Unavailable,
    Time(f64),
    Wrong,
    Failed(String),
    Timeout,
}

impl Cell {
    pub fn time(&self) -> Option<f64> {
        match self {
            Cell::Time(t) => Some(*t),
            _ => None,
        }
    }
    pub fn render(&self) -> String {
        match self {
            Cell::NotRun => "-".into(),
            Cell::Unavailable => "n/a".into(),
            Cell::Time(t) => fmt_secs(*t),
            Cell::Wrong => "WRONG".into(),
            Cell::Failed(c) => format!("FAIL({c})"),
            Cell::Timeout => "TIMEOUT".into(),
        }
    }
}

pub fn fmt_secs(t: f64) -> String {
    if t >= 100.0 {
        format!("{t:.1}")
    } else {
        format!("{t:.3}")
    }
}

pub fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

pub struct Ratio {
    pub title: &'static str,
    pub num: &'static str,
    pub den: &'static str,
}

pub const RATIOS: [Ratio; 3] = [
    Ratio {
        title: "jit-off/rpyjit",
        num: "jit-off",
        den: "rpyjit",
    },
    Ratio {
        title: "rpyjit/cpython",
        num: "rpyjit",
        den: "cpython",
    },
    Ratio {
        title: "rpyjit/pypy",
        num: "rpyjit",
        den: "pypy",
    },
];

pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Index of the first row that belongs to the footer (geomean).
    pub footer_from: usize,
}

pub fn render_text(t: &Table) -> String {
    let ncol = t.headers.len();
    let mut widths: Vec<usize> = t.headers.iter().map(|h| h.len()).collect();
    for r in &t.rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.len());
        }
    }
    let line = |cells: &[String]| -> String {
        let mut s = String::new();
        for i in 0..ncol {
            if i == 0 {
                let _ = write!(s, "{:<w$}", cells[i], w = widths[i]);
            } else {
                let _ = write!(s, "  {:>w$}", cells[i], w = widths[i]);
            }
        }
        s.trim_end().to_string()
    };
    let total: usize = widths.iter().sum::<usize>() + 2 * (ncol - 1);
    let mut out = String::new();
    out.push_str(&line(&t.headers));
    out.push('\n');
    out.push_str(&"-".repeat(total));
    out.push('\n');
    for (i, r) in t.rows.iter().enumerate() {
        if i == t.footer_from {
            out.push_str(&"-".repeat(total));
            out.push('\n');
        }
        out.push_str(&line(r));
        out.push('\n');
    }
    out
}

pub fn render_markdown(t: &Table) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "| {} |", t.headers.join(" | "));
    let seps: Vec<&str> = (0..t.headers.len())
        .map(|i| if i == 0 { ":---" } else { "---:" })
        .collect();
    let _ = writeln!(out, "|{}|", seps.join("|"));
    for (i, r) in t.rows.iter().enumerate() {
        let cells: Vec<String> = if i >= t.footer_from {
            r.iter()
                .map(|c| {
                    if c.is_empty() {
                        String::new()
                    } else {
                        format!("**{c}**")
                    }
                })
                .collect()
        } else {
            r.clone()
        };
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out
}

pub fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=,:+@%".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

pub fn exact_command() -> String {
    let args: Vec<String> = env::args().skip(1).map(|a| shell_quote(&a)).collect();
    let prefix = if env::var_os("CARGO").is_some() {
        "cargo run --release -p rpyjit-bench --".to_string()
    } else {
        env::args()
            .next()
            .map(|a| shell_quote(&a))
            .unwrap_or_else(|| "rpyjit-bench".into())
    };
    if args.is_empty() {
        prefix
    } else {
        format!("{prefix} {}", args.join(" "))
    }
}

pub fn machine_info() -> Vec<(String, String)> {
    let mut v = Vec::new();
    v.push((
        "Date".into(),
        capture(Path::new("date"), &["-u", "+%Y-%m-%d %H:%M UTC"]).unwrap_or_default(),
    ));
    v.push((
        "Machine".into(),
        capture(Path::new("uname"), &["-srm"]).unwrap_or_default(),
    ));
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| {
            l.starts_with("model name") || l.starts_with("Model") || l.starts_with("cpu model")
        })
        .and_then(|l| l.split_once(':'))
        .map(|(_, m)| m.trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    v.push(("CPU".into(), model));
    let procs = cpuinfo
        .lines()
        .filter(|l| l.starts_with("processor"))
        .count();
    let avail = thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let cores = if procs > 0 && procs != avail {
        format!("{procs} ({avail} available to this process)")
    } else {
        format!("{}", procs.max(avail))
    };
    v.push(("Cores".into(), cores));
    v
}
