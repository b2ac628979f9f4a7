//! Where the runtimes under test live: rpyjit, CPython 3.13 (pyenv) and PyPy (installed
//! with apt-get when missing), and small process helpers.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub struct Runtime {
    pub key: &'static str,
    pub exe: Option<PathBuf>,
    pub extra_args: Vec<String>,
    /// Why the runtime is unavailable (when exe is None).
    pub missing: String,
    pub version: String,
}

impl Runtime {
    pub fn available(&self) -> bool {
        self.exe.is_some()
    }
    pub fn describe_cmd(&self) -> String {
        match &self.exe {
            Some(p) => {
                let mut s = p.display().to_string();
                for a in &self.extra_args {
                    s.push(' ');
                    s.push_str(a);
                }
                s
            }
            None => format!("unavailable ({})", self.missing),
        }
    }
}

pub fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(p)
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

pub fn which(name: &str) -> Option<PathBuf> {
    let path = env::var_os("PATH")?;
    env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| is_executable(p))
}

pub fn home() -> Option<PathBuf> {
    env::var_os("HOME").map(PathBuf::from)
}

/// Output (stdout + stderr, trimmed, lines joined by a space) of a short command.
pub fn capture(cmd: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .ok()?;
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push('\n');
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    let joined = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if joined.is_empty() {
        None
    } else {
        Some(joined)
    }
}

pub fn find_workspace_root() -> PathBuf {
    // Compile-time location of this crate: <root>/bench.
    let compiled = Path::new(env!("CARGO_MANIFEST_DIR"));
    if let Some(root) = compiled.parent() {
        if root.join("bench/programs").is_dir() {
            return root.to_path_buf();
        }
    }
    // Fall back to walking up from the current directory.
    if let Ok(cwd) = env::current_dir() {
        let mut dir: Option<&Path> = Some(cwd.as_path());
        while let Some(d) = dir {
            if d.join("bench/programs").is_dir() && d.join("Cargo.toml").is_file() {
                return d.to_path_buf();
            }
            dir = d.parent();
        }
    }
    compiled.parent().unwrap_or(compiled).to_path_buf()
}

pub fn absolutize(p: PathBuf) -> PathBuf {
    if p.is_absolute() {
        p
    } else {
        env::current_dir().map(|c| c.join(&p)).unwrap_or(p)
    }
}

pub fn find_cpython(explicit: Option<PathBuf>) -> Result<PathBuf, String> {
    if let Some(p) = explicit {
        let p = absolutize(p);
        return if is_executable(&p) {
            Ok(p)
        } else {
            Err(format!("{} is not executable", p.display()))
        };
    }
    let mut roots: Vec<PathBuf> = Vec::new();
    if let Some(r) = env::var_os("PYENV_ROOT") {
        roots.push(PathBuf::from(r));
    }
    let pyenv = which("pyenv").or_else(|| {
        home()
            .map(|h| h.join(".pyenv/bin/pyenv"))
            .filter(|p| is_executable(p))
    });
    if let Some(pyenv) = pyenv {
        if let Ok(out) = Command::new(pyenv)
            .arg("root")
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
        {
            let r = String::from_utf8_lossy(&out.stdout).trim().to_string();
            if out.status.success() && !r.is_empty() {
                roots.push(PathBuf::from(r));
            }
        }
    }
    if let Some(h) = home() {
        roots.push(h.join(".pyenv"));
    }
    for r in &roots {
        let p = r.join("versions/3.13.0/bin/python3.13");
        if is_executable(&p) {
            return Ok(p);
        }
    }
    // Last resort: a python3.13 on PATH (may be a pyenv shim).
    if let Some(p) = which("python3.13") {
        return Ok(p);
    }
    Err("python3.13 not found (looked in $PYENV_ROOT, `pyenv root`, ~/.pyenv, PATH)".into())
}

pub fn find_pypy(explicit: Option<PathBuf>, allow_install: bool) -> Result<PathBuf, String> {
    if let Some(p) = explicit {
        let p = absolutize(p);
        return if is_executable(&p) {
            Ok(p)
        } else {
            Err(format!("{} is not executable", p.display()))
        };
    }
    let look = || {
        which("pypy3")
            .or_else(|| Some(PathBuf::from("/usr/bin/pypy3")).filter(|p| is_executable(p)))
    };
    if let Some(p) = look() {
        return Ok(p);
    }
    if !allow_install {
        return Err("pypy3 not found on PATH (install skipped: --no-install)".into());
    }
    eprintln!("pypy3 not found; trying `apt-get install -y pypy3` ...");
    let root = capture(Path::new("id"), &["-u"])
        .map(|s| s == "0")
        .unwrap_or(false);
    let mut last_err = String::new();
    for update_first in [false, true] {
        let mut steps: Vec<Vec<&str>> = Vec::new();
        if update_first {
            steps.push(vec!["apt-get", "update"]);
        }
        steps.push(vec!["apt-get", "install", "-y", "pypy3"]);
        let mut ok = true;
        for step in steps {
            let mut cmd = if root {
                Command::new(step[0])
            } else {
                let mut c = Command::new("sudo");
                c.arg("-n").arg(step[0]);
                c
            };
            cmd.args(&step[1..])
                .env("DEBIAN_FRONTEND", "noninteractive")
                .stdin(Stdio::null());
            match cmd.output() {
                Ok(out) if out.status.success() => {}
                Ok(out) => {
                    let err = String::from_utf8_lossy(&out.stderr);
                    last_err = format!(
                        "`{}` failed ({}): {}",
                        step.join(" "),
                        out.status,
                        err.lines()
                            .rev()
                            .find(|l| !l.trim().is_empty())
                            .unwrap_or("")
                            .trim()
                    );
                    ok = false;
                    break;
                }
                Err(e) => {
                    last_err =
                        format!("could not run {}: {e}", if root { step[0] } else { "sudo" });
                    ok = false;
                    break;
                }
            }
        }
        if ok {
            if let Some(p) = look() {
                eprintln!("installed pypy3 at {}", p.display());
                return Ok(p);
            }
            last_err = "apt-get succeeded but pypy3 is still not on PATH".into();
        }
    }
    Err(format!("pypy3 unavailable: {last_err}"))
}
