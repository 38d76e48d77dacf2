//! Shared invariant checks for the fuzz targets; the regression test in the
//! main crate (tests/fuzz_regressions.rs) includes the same file.
pub mod checks;
