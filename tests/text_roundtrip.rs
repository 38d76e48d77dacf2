//! Round trips: float64 values written with the default format and read
//! back are bit-identical; special values survive exactly as NumPy's own
//! round trip (np.loadtxt of np.savetxt) has them, checked in the same run.

use npyio_test_support as common;
#[path = "text_util.rs"]
mod text_util;

use npyio::text::{
    genfromtxt, loadtxt, savetxt, Delimiter, GenfromtxtOptions, LoadtxtOptions, SavetxtOptions,
};
use npyio::{DType, NpyFile, SaveOptions};

fn values() -> Vec<f64> {
    let mut v = vec![
        0.0,
        -0.0,
        f64::NAN,
        -f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        5e-324,
        -5e-324,
        f64::MIN_POSITIVE,
        2.225073858507201e-308,
        1e308,
        f64::MAX,
        f64::MIN,
        0.1,
        1.0 / 3.0,
        1e23,
        9007199254740993.0,
    ];
    let mut x: u64 = 0x2545f4914f6cdd1d;
    while v.len() < 30_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let f = f64::from_bits(x);
        if f.is_finite() {
            v.push(f);
        }
    }
    v
}

#[test]
fn default_format_round_trips_bit_for_bit() {
    let dir = common::scratch("text_roundtrip");
    let vals = values();
    let data: Vec<u8> = vals.iter().flat_map(|v| v.to_ne_bytes()).collect();
    let dt = DType::parse("<f8").unwrap();
    let shape = [vals.len() as u64 / 3, 3];
    npyio::save(
        dir.join("in.npy"),
        &dt,
        &shape,
        false,
        &data,
        SaveOptions::default(),
    )
    .unwrap();
    for (name, delim) in [("ws", " "), ("comma", ",")] {
        let txt = dir.join(format!("{name}.txt"));
        let so = SavetxtOptions {
            delimiter: delim.into(),
            ..Default::default()
        };
        savetxt(&txt, &dt, &shape, &data, &so).unwrap();
        let lo = LoadtxtOptions {
            delimiter: (delim != " ").then(|| delim.to_string()),
            ..Default::default()
        };
        let back = loadtxt(&txt, &lo).unwrap();
        assert_eq!(back.header().shape, shape);
        let got = back.data().unwrap();
        for (i, (a, b)) in got.chunks_exact(8).zip(data.chunks_exact(8)).enumerate() {
            let (a, b) = (
                f64::from_ne_bytes(a.try_into().unwrap()),
                f64::from_ne_bytes(b.try_into().unwrap()),
            );
            if b.is_nan() {
                assert!(a.is_nan(), "value {i}");
            } else {
                assert_eq!(
                    a.to_bits(),
                    b.to_bits(),
                    "value {i}: {b:e} came back as {a:e}"
                );
            }
        }
        let go = GenfromtxtOptions {
            delimiter: if delim == " " {
                Delimiter::Whitespace
            } else {
                Delimiter::Str(delim.into())
            },
            ..Default::default()
        };
        let g = genfromtxt(&txt, &go).unwrap();
        assert_eq!(g.data.data().unwrap().len(), got.len());
        // NumPy's own round trip of the same array gives the same bytes.
        let code = format!(
            "import numpy as np, sys\na = np.load(sys.argv[1])\nnp.savetxt(sys.argv[2], a, delimiter={delim:?})\n\
             np.save(sys.argv[3], np.loadtxt(sys.argv[2], delimiter={}))\n\
             np.save(sys.argv[4], np.genfromtxt(sys.argv[2], delimiter={}))",
            if delim == " " { "None".to_string() } else { format!("{delim:?}") },
            if delim == " " { "None".to_string() } else { format!("{delim:?}") },
        );
        let (npt, npl, npg) = (
            dir.join(format!("{name}.np.txt")),
            dir.join(format!("{name}.np.npy")),
            dir.join(format!("{name}.npg.npy")),
        );
        common::run_python(&[
            "-c",
            &code,
            dir.join("in.npy").to_str().unwrap(),
            npt.to_str().unwrap(),
            npl.to_str().unwrap(),
            npg.to_str().unwrap(),
        ]);
        assert!(
            std::fs::read(&txt).unwrap() == std::fs::read(&npt).unwrap(),
            "{name}: savetxt differs"
        );
        text_util::same(&back, &NpyFile::open(&npl).unwrap()).unwrap();
        text_util::same(&g.data, &NpyFile::open(&npg).unwrap()).unwrap();
    }
}
