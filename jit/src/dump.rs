//! `-X jit-dump=DIR` (`RPYJIT_DUMP=DIR`): every compilation's typed instructions, CLIF
//! and machine code, for reading what the JIT made of a function. In `DIR` each
//! compilation writes `NNNN-<label>.types` (each bytecode instruction with its quickened
//! form and the kinds typing inferred before it), `NNNN-<label>.clif` (the function
//! Cranelift was given, readable by `clif-util`) and `NNNN-<label>.asm` (Cranelift's
//! listing of the machine code after register allocation), numbered in compile order.
//! `DIR` = `-` prints the three on stderr instead.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// Where compilations are dumped, once set (the first interpreter that asks wins).
static WHERE: OnceLock<Where> = OnceLock::new();

#[derive(Debug)]
enum Where {
    Stderr,
    Dir(PathBuf),
}

/// Dumps every compilation from now on into `dir` (`-` for stderr), creating it.
pub fn dump_to(dir: &str) -> std::io::Result<()> {
    let w = if dir == "-" {
        Where::Stderr
    } else {
        std::fs::create_dir_all(dir)?;
        Where::Dir(PathBuf::from(dir))
    };
    let _ = WHERE.set(w);
    Ok(())
}

/// Whether compilations are dumped: translation and code generation then keep their
/// listings, which they otherwise never make.
pub fn wanted() -> bool {
    WHERE.get().is_some()
}

/// One compilation's listings.
pub struct Listings<'a> {
    pub label: &'a str,
    pub types: &'a str,
    pub clif: &'a str,
    pub asm: &'a str,
}

/// Writes `l` where `-X jit-dump` asked. A failed write is reported on stderr once per
/// compilation and never changes what the program does.
pub fn write(l: &Listings) {
    static SEQ: AtomicUsize = AtomicUsize::new(0);
    let Some(w) = WHERE.get() else { return };
    let n = SEQ.fetch_add(1, Ordering::Relaxed) + 1;
    let parts = [("types", l.types), ("clif", l.clif), ("asm", l.asm)];
    match w {
        Where::Stderr => {
            for (ext, text) in parts {
                eprintln!("; rpyjit dump {n:04} {} ({ext})\n{text}", l.label);
            }
        }
        Where::Dir(dir) => {
            let stem = format!("{n:04}-{}", file_name_part(l.label));
            for (ext, text) in parts {
                let path = dir.join(format!("{stem}.{ext}"));
                let header = format!("; {} ({ext})\n", l.label);
                if let Err(e) = std::fs::write(&path, header + text) {
                    eprintln!("rpyjit: -X jit-dump: cannot write {}: {e}", path.display());
                    return;
                }
            }
        }
    }
}

/// `label` made safe as part of a file name: qualnames hold `<locals>`, `.`, spaces and
/// parentheses.
fn file_name_part(label: &str) -> String {
    let s: String = label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    s.chars().take(100).collect()
}

#[cfg(test)]
mod tests {
    use super::file_name_part;

    #[test]
    fn labels_become_file_names_without_separators() {
        assert_eq!(
            file_name_part("outer.<locals>.f (loop at unit 12)"),
            "outer._locals_.f__loop_at_unit_12_"
        );
        assert_eq!(file_name_part("a/b"), "a_b");
    }
}
