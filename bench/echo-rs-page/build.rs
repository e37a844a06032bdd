//! The bench page links with a 64 KiB wasm stack instead of Rust's default
//! 1 MiB (`BENCH_WASM_STACK` overrides it, in bytes; 0 keeps the default).
//! Linear memory never shrinks, so the stack is a floor under the page's
//! memory. This is the application's build choice, not echo-rs's: the link
//! argument applies to this cdylib only.
fn main() {
    println!("cargo:rerun-if-env-changed=BENCH_WASM_STACK");
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() != Ok("wasm32") {
        return;
    }
    let stack = std::env::var("BENCH_WASM_STACK").unwrap_or_else(|_| "65536".into());
    if stack != "0" {
        println!("cargo:rustc-link-arg-cdylib=-zstack-size={stack}");
    }
}
