//! Give the shared library an ELF SONAME that changes exactly when the ABI may break (see the
//! README, "Versioning"): `libnpyio.so.0.<minor>` while the major version is 0, where every
//! minor release may break the ABI, and `libnpyio.so.<major>` from 1.0 on. CMakeLists.txt
//! derives the same name for the installed chain libnpyio.so -> libnpyio.so.0.1 ->
//! libnpyio.so.0.1.0 and checks it after every build.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" || os == "freebsd" || os == "android" {
        let major = std::env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_else(|_| "0".into());
        let minor = std::env::var("CARGO_PKG_VERSION_MINOR").unwrap_or_else(|_| "0".into());
        let abi = if major == "0" {
            format!("0.{minor}")
        } else {
            major
        };
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libnpyio.so.{abi}");
    }
}
