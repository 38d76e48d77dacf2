//! Row slabs of deflate members: sequential reads continue the stream
//! (no re-inflation from the start), any order gives the right bytes, and a
//! read reaching the end still checks the CRC.

use npyio_test_support as common;

use npyio::npz::{Compression, NpzFile, NpzWriter};
use npyio::{DType, Status, READ_NATIVE};

#[test]
fn deflate_member_rows_in_any_order() {
    let dir = common::scratch("npz_rows");
    let p = dir.join("rows.npz");
    let dt = DType::parse(">i4").unwrap();
    let (rows, cols) = (3000u64, 33u64);
    let data: Vec<u8> = (0..rows * cols)
        .flat_map(|i| ((i * 2654435761) as u32).to_be_bytes())
        .collect();
    let mut w = NpzWriter::create(&p, Default::default()).unwrap();
    w.add("x", &dt, &[rows, cols], false, &data, Compression::Deflate)
        .unwrap();
    w.finish().unwrap();
    let z = NpzFile::open(&p).unwrap();
    let f = z.open_member("x").unwrap();
    let row = (cols * 4) as usize;
    let native: Vec<u8> = data
        .chunks(4)
        .flat_map(|c| [c[3], c[2], c[1], c[0]])
        .collect();
    // Forward in uneven chunks, then backwards, then random-ish.
    let mut order: Vec<(u64, u64)> = Vec::new();
    let mut first = 0;
    while first < rows {
        let n = (first % 13 + 1).min(rows - first);
        order.push((first, n));
        first += n;
    }
    order.extend(order.clone().into_iter().rev());
    order.extend((0..50).map(|k| ((k * 977) % (rows - 5), 5)));
    for (first, n) in order {
        let mut buf = vec![0u8; n as usize * row];
        f.read_rows(first, n, &mut buf, READ_NATIVE).unwrap();
        let s = first as usize * row;
        assert!(buf == native[s..s + buf.len()], "rows {first}+{n}");
    }
    // A damaged stream is still caught when a sequential read reaches the end.
    let mut bytes = std::fs::read(&p).unwrap();
    let crc_at = 14; // first local header's CRC
    bytes[crc_at] ^= 1;
    let cd = bytes.windows(4).rposition(|w| w == b"PK\x01\x02").unwrap();
    bytes[cd + 16] ^= 1; // and the central directory's
    let z = NpzFile::from_bytes(bytes).unwrap();
    let f = z.open_member("x").unwrap();
    let mut buf = vec![0u8; 1000 * row];
    f.read_rows(0, 1000, &mut buf, 0).unwrap();
    f.read_rows(1000, 1000, &mut buf, 0).unwrap();
    let e = f.read_rows(2000, 1000, &mut buf, 0).unwrap_err();
    assert_eq!(e.status(), Status::Crc, "{e}");
}

/// Deflate output depends only on the data and the level: one thread and all
/// cores write the same archive, whichever compressor each block gets.
#[test]
fn deflate_output_is_the_same_for_any_thread_count() {
    let dir = common::scratch("npz_threads");
    let dt = DType::parse("<f8").unwrap();
    // 1 MiB stretches of random, zero, mostly-zero and counting doubles.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut vals: Vec<f64> = Vec::new();
    for stretch in 0..6u64 {
        for i in 0..131072u64 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            vals.push(match stretch % 4 {
                0 => (x >> 11) as f64 / (1u64 << 53) as f64,
                1 => 0.0,
                2 if x % 100 == 0 => 1.5,
                2 => 0.0,
                _ => i as f64,
            });
        }
    }
    let data: Vec<u8> = vals.iter().flat_map(|v| v.to_le_bytes()).collect();
    let mut archives = Vec::new();
    for threads in [1, 2, 3] {
        let p = dir.join(format!("t{threads}.npz"));
        let opts = npyio::npz::NpzWriterOptions {
            threads,
            ..Default::default()
        };
        let mut w = NpzWriter::create(&p, opts).unwrap();
        w.add(
            "x",
            &dt,
            &[vals.len() as u64],
            false,
            &data,
            Compression::Deflate,
        )
        .unwrap();
        w.finish().unwrap();
        let z = NpzFile::open(&p).unwrap();
        let mut back = vec![0u8; data.len()];
        z.open_member("x").unwrap().read_into(&mut back, 0).unwrap();
        assert!(back == data, "threads {threads}: data differs");
        archives.push(std::fs::read(&p).unwrap());
    }
    assert!(archives[0] == archives[1] && archives[1] == archives[2]);
}
