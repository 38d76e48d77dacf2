//! Give the shared library an ELF SONAME (libnpyio.so.<major>) so installed
//! copies can be versioned: libnpyio.so -> libnpyio.so.0 -> libnpyio.so.0.1.0.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" || os == "freebsd" || os == "android" {
        let major = std::env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_else(|_| "0".into());
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libnpyio.so.{major}");
    }
}
