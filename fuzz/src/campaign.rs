//! Checking one program against CPython in every mode, saving and minimizing findings.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::minimize::minimize;
use crate::run::{compare, first_diff_line, run, Diff, RunOut, MODES};

#[derive(Clone, Debug)]
pub struct Config {
    pub cpython: PathBuf,
    pub rpyjit: PathBuf,
    pub timeout: Duration,
    /// Indices into `MODES`.
    pub modes: Vec<usize>,
    pub findings: PathBuf,
    pub minimize: bool,
    pub max_tests: usize,
    /// Scratch directory for running programs.
    pub work: PathBuf,
}

#[derive(Debug)]
pub enum Verdict {
    Same,
    /// CPython itself did not run the program cleanly: a generator bug.
    BadProgram(String),
    Differs(Finding),
}

#[derive(Debug)]
pub struct Finding {
    /// (mode name, difference) for every mode that differed.
    pub diffs: Vec<(&'static str, Diff)>,
    pub dir: PathBuf,
    /// Lines of the minimized program, if minimization ran.
    pub minimized_lines: Option<usize>,
    pub summary: String,
}

pub struct Checked {
    pub verdict: Verdict,
    pub cpython_time: Duration,
}

fn write_prog(dir: &Path, name: &str, src: &str) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join(name), src)
}

/// Runs `src` (named `tag`, e.g. `seed-12`) under CPython and rpyjit in every mode.
pub fn check_program(cfg: &Config, tag: &str, src: &str) -> std::io::Result<Checked> {
    let work = cfg.work.join(tag);
    write_prog(&work, "prog.py", src)?;
    let cpy_limit = cfg.timeout;
    let cpy = run(&cfg.cpython, &[], &work, "prog.py", cpy_limit)?;
    let cpython_time = cpy.elapsed;
    if cpy.code != 0 || cpy.timed_out {
        let dir = cfg.findings.join(tag);
        write_prog(&dir, "original.py", src)?;
        save_outputs(&dir, "cpython", &cpy)?;
        let why = if cpy.timed_out {
            "timed out".to_string()
        } else {
            format!(
                "exit {}: {}",
                cpy.code,
                cpy.stderr.lines().last().unwrap_or("")
            )
        };
        let _ = std::fs::remove_dir_all(&work);
        return Ok(Checked {
            verdict: Verdict::BadProgram(format!("{why} (saved in {})", dir.display())),
            cpython_time,
        });
    }
    let mut diffs = Vec::new();
    let mut outs: Vec<(&'static str, RunOut)> = Vec::new();
    for &m in &cfg.modes {
        let (name, args) = MODES[m];
        let r = run(&cfg.rpyjit, args, &work, "prog.py", cfg.timeout)?;
        if let Some(d) = compare(&cpy, &r) {
            diffs.push((name, d));
        }
        outs.push((name, r));
    }
    if diffs.is_empty() {
        let _ = std::fs::remove_dir_all(&work);
        return Ok(Checked {
            verdict: Verdict::Same,
            cpython_time,
        });
    }
    // Save everything.
    let dir = cfg.findings.join(tag);
    let _ = std::fs::remove_dir_all(&dir);
    write_prog(&dir, "original.py", src)?;
    save_outputs(&dir, "cpython", &cpy)?;
    for (name, r) in &outs {
        save_outputs(&dir, name, r)?;
    }
    let mut summary = String::new();
    for (name, d) in &diffs {
        summary += &format!("{name}: {d}");
        let r = &outs.iter().find(|o| o.0 == *name).unwrap().1;
        if *d == Diff::Stdout {
            if let Some((n, a, b)) = first_diff_line(&cpy.stdout, &r.stdout) {
                summary += &format!(" (line {n}: cpython {a:?}, rpyjit {b:?})");
            }
        } else if !matches!(d, Diff::Hang) {
            if let Some(l) = r.stderr.lines().rev().find(|l| !l.trim().is_empty()) {
                summary += &format!(" (stderr: {l})");
            }
        }
        summary += "\n";
    }
    let mut report = format!("{tag}\n\n{summary}\n");
    report += &format!(
        "reproduce:\n  {cpy} original.py\n  {rpy} -X jit=off original.py\n  {rpy} original.py\n  {rpy} -X jit-threshold=0 original.py\n",
        cpy = cfg.cpython.display(),
        rpy = cfg.rpyjit.display()
    );
    let mut minimized_lines = None;
    if cfg.minimize {
        // Minimize against the first mode that differed; if jit-off was clean, keep it clean,
        // so that a JIT-only bug does not drift into an interpreter difference.
        let (primary, kind) = diffs[0].clone();
        let pm = MODES.iter().position(|m| m.0 == primary).unwrap();
        let off_clean = cfg.modes.contains(&0) && !diffs.iter().any(|d| d.0 == MODES[0].0);
        let max_tests = if kind == Diff::Hang {
            cfg.max_tests.min(40)
        } else {
            cfg.max_tests
        };
        let cpy_limit = (cpython_time * 20)
            .max(Duration::from_secs(5))
            .min(cfg.timeout);
        let mut oracle = |cand: &str| -> bool {
            if write_prog(&work, "cand.py", cand).is_err() {
                return false;
            }
            let Ok(c) = run(&cfg.cpython, &[], &work, "cand.py", cpy_limit) else {
                return false;
            };
            if c.code != 0 || c.timed_out || c.stdout.contains(" at 0x") {
                return false;
            }
            // The candidate must still be deterministic (ids, str hashes and set order vary
            // between CPython runs).
            match run(&cfg.cpython, &[], &work, "cand.py", cpy_limit) {
                Ok(c2) if c2.stdout == c.stdout => {}
                _ => return false,
            }
            let Ok(r) = run(&cfg.rpyjit, MODES[pm].1, &work, "cand.py", cfg.timeout) else {
                return false;
            };
            if compare(&c, &r).as_ref() != Some(&kind) {
                return false;
            }
            if off_clean && pm != 0 {
                let Ok(r0) = run(&cfg.rpyjit, MODES[0].1, &work, "cand.py", cfg.timeout) else {
                    return false;
                };
                if compare(&c, &r0).is_some() {
                    return false;
                }
            }
            true
        };
        let (min, stats) = minimize(src, &mut oracle, max_tests);
        write_prog(&dir, "minimized.py", &min)?;
        // Outputs of the minimized program, for the report.
        write_prog(&work, "cand.py", &min)?;
        if let Ok(c) = run(&cfg.cpython, &[], &work, "cand.py", cfg.timeout) {
            save_outputs(&dir, "minimized.cpython", &c)?;
            if let Ok(r) = run(&cfg.rpyjit, MODES[pm].1, &work, "cand.py", cfg.timeout) {
                save_outputs(&dir, &format!("minimized.{primary}"), &r)?;
                if let Some((n, a, b)) = first_diff_line(&c.stdout, &r.stdout) {
                    report += &format!("\nminimized, {primary}: first stdout difference at line {n}:\n  cpython: {a}\n  rpyjit:  {b}\n");
                }
            }
        }
        report += &format!(
            "\nminimized against {primary} ({kind}){}: {} lines, {} oracle calls\n",
            if off_clean && pm != 0 {
                ", jit-off kept clean"
            } else {
                ""
            },
            min.lines().count(),
            stats.tests
        );
        minimized_lines = Some(min.lines().count());
    }
    std::fs::write(dir.join("report.txt"), &report)?;
    let _ = std::fs::remove_dir_all(&work);
    Ok(Checked {
        verdict: Verdict::Differs(Finding {
            diffs,
            dir,
            minimized_lines,
            summary,
        }),
        cpython_time,
    })
}

fn save_outputs(dir: &Path, name: &str, r: &RunOut) -> std::io::Result<()> {
    std::fs::write(dir.join(format!("{name}.stdout")), &r.stdout)?;
    let mut err = r.stderr.clone();
    err += &format!(
        "\n[exit {}{}{}, {:.2}s]\n",
        r.code,
        r.signal
            .map(|s| format!(", signal {s}"))
            .unwrap_or_default(),
        if r.timed_out { ", TIMED OUT" } else { "" },
        r.elapsed.as_secs_f64()
    );
    std::fs::write(dir.join(format!("{name}.stderr")), err)
}
