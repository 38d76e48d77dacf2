//! Fuzz target `savetxt`: see npyio_fuzz::checks::check_savetxt for the invariants.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    npyio_fuzz::checks::check_savetxt(data);
});
