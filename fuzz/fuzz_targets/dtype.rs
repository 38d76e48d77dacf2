//! Fuzz target `dtype`: see npyio_fuzz::checks::check_dtype for the invariants.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    npyio_fuzz::checks::check_dtype(data);
});
