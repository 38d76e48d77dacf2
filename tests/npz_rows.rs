//! Row slabs of deflate members: sequential reads continue the stream
//! (no re-inflation from the start), any order gives the right bytes, and a
//! read reaching the end still checks the CRC.

mod common;

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
