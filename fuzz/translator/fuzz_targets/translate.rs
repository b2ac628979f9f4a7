//! libFuzzer target: arbitrary edits of real code objects are analysed, translated and
//! compiled, or refused with a reason; never a panic, never CLIF the verifier rejects.
//! The input format is described in `src/lib.rs`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let outcome = rpyjit_translator_fuzz::run(data);
    // `RPYJIT_FUZZ_VERBOSE=1`: say how far each input got (replaying a corpus).
    if std::env::var_os("RPYJIT_FUZZ_VERBOSE").is_some() {
        eprintln!("outcome: {outcome:?}");
    }
});

/// LeakSanitizer's defaults: leak checking off. The interpreter lives for the whole process
/// (leaked on purpose) and RustPython does not collect every reference cycle, so memory
/// left at exit is expected, not a finding.
// SAFETY: `no_mangle` exports this as the C hook LeakSanitizer looks up at start-up; nothing
// else defines the symbol, and it returns a pointer to a static NUL-terminated string that
// stays valid for the whole process, as the hook's contract requires.
#[no_mangle]
pub extern "C" fn __lsan_default_options() -> *const std::ffi::c_char {
    c"detect_leaks=0".as_ptr()
}
