//! `ssl` works for real: an `https` request with `urllib` to a local TLS server (Python's
//! `http.server` behind `ssl`, on 127.0.0.1, with a self-signed certificate), verified
//! against that certificate, and refused without it. In every JIT mode.

mod common;
use common::{rpyjit, stderr, stdout};

#[test]
fn urllib_fetches_over_https_from_a_local_tls_server() {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("data");
    for mode in ["jit=off", "jit=on", "jit-threshold=0"] {
        let out = rpyjit()
            .args(["-X", mode])
            .arg(data.join("https_roundtrip.py"))
            .arg(&data)
            .output()
            .expect("run rpyjit");
        assert!(out.status.success(), "{mode}: {}", stderr(&out));
        assert_eq!(
            stdout(&out),
            "200 hello over TLS, path /greeting\nunverified: SSLCertVerificationError\n",
            "{mode}"
        );
    }
}
