//! Runs the fuzz target's logic over the committed seed corpus on the stable toolchain:
//! `cargo test` in `fuzz/translator`. A finding panics, failing the test.

use rpyjit_translator_fuzz::{run, Outcome, TEMPLATES};

#[test]
fn seed_corpus_is_translated_or_refused() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/translate");
    let mut seeds: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus/translate")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("seed-"))
        })
        .collect();
    seeds.sort();
    assert!(!seeds.is_empty());
    let mut compiled = 0;
    for p in &seeds {
        let data = std::fs::read(p).expect("seed");
        let out = run(&data);
        eprintln!("{}: {out:?}", p.display());
        compiled += usize::from(out == Outcome::Compiled);
    }
    assert!(compiled > 0, "no seed reaches Cranelift");
}

/// Every template, unmutated, with object arguments, is translated (or refused) cleanly.
#[test]
fn every_template_unmutated() {
    for t in 0..TEMPLATES.len() {
        let out = run(&[t as u8, 0, 3, 3, 3, 3, 3, 3]);
        eprintln!("template {t}: {out:?}");
    }
}
