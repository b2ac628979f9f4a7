// The modules in `Lib/` are frozen into the crate by `py_freeze!`, which cargo does not
// watch: rebuild when they change.
fn main() {
    println!("cargo:rerun-if-changed=Lib");
}
