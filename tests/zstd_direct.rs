//! Large zstd members read to their end are decoded straight into the
//! caller's buffer when the member is one frame that declares its size:
//! every way of reading them gives the member's bytes, and every kind of
//! damage is refused with its own status and message, with no more memory
//! than the member.

use npyio_test_support as common;

use npyio::npz::{Compression, NpzFile, NpzWriter, NpzWriterOptions};
use npyio::{DType, Status, READ_NATIVE};

#[global_allocator]
static A: common::Peak = common::Peak;

/// Float64 values 0, 1, 2, ... as an .npy file of dtype `descr`.
fn npy(n: u64, descr: &str) -> Vec<u8> {
    let dt = DType::parse(descr).unwrap();
    let mut v = npyio::header::header_bytes(&dt, &[n], false).unwrap();
    for i in 0..n {
        let x = i as f64 * 0.25;
        v.extend_from_slice(&if descr.starts_with('>') {
            x.to_be_bytes()
        } else {
            x.to_le_bytes()
        });
    }
    v
}

/// A one-member archive (plain zip) whose member `a.npy` has method 93,
/// `size` uncompressed bytes, CRC `crc` and compressed bytes `stream`.
fn archive(stream: &[u8], size: u64, crc: u32) -> Vec<u8> {
    let name = b"a.npy";
    let mut out = Vec::new();
    let mut cd = Vec::new();
    for (sig, hdr) in [(0x0403_4b50u32, &mut out), (0x0201_4b50u32, &mut cd)] {
        hdr.extend_from_slice(&sig.to_le_bytes());
        if sig == 0x0201_4b50 {
            hdr.extend_from_slice(&63u16.to_le_bytes());
        }
        hdr.extend_from_slice(&63u16.to_le_bytes());
        hdr.extend_from_slice(&0u16.to_le_bytes());
        hdr.extend_from_slice(&93u16.to_le_bytes());
        hdr.extend_from_slice(&0u16.to_le_bytes());
        hdr.extend_from_slice(&0x21u16.to_le_bytes());
        hdr.extend_from_slice(&crc.to_le_bytes());
        hdr.extend_from_slice(&(stream.len() as u32).to_le_bytes());
        hdr.extend_from_slice(&(size as u32).to_le_bytes());
        hdr.extend_from_slice(&(name.len() as u16).to_le_bytes());
        hdr.extend_from_slice(&0u16.to_le_bytes());
        if sig == 0x0201_4b50 {
            hdr.extend_from_slice(&[0u8; 6]);
            hdr.extend_from_slice(&0x0180_0000u32.to_le_bytes());
            hdr.extend_from_slice(&0u32.to_le_bytes());
        }
        hdr.extend_from_slice(name);
    }
    out.extend_from_slice(stream);
    let cd_off = out.len() as u32;
    out.extend_from_slice(&cd);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0u8; 4]);
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&(cd.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_off.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// A zstd frame header declaring `size` bytes of content (single segment).
fn frame_header(size: u64) -> Vec<u8> {
    let mut h = vec![0x28, 0xB5, 0x2F, 0xFD, 0xE0];
    h.extend_from_slice(&size.to_le_bytes());
    h
}

/// A zstd block header: `size` bytes, block type `ty` (0 raw, 3 reserved).
fn block_header(size: usize, ty: u32, last: bool) -> [u8; 3] {
    let v = (size as u32) << 3 | ty << 1 | last as u32;
    [v as u8, (v >> 8) as u8, (v >> 16) as u8]
}

/// `data` as one frame of raw 128 KiB blocks declaring `declared` bytes.
fn raw_frame(data: &[u8], declared: u64) -> Vec<u8> {
    let mut s = frame_header(declared);
    let n = data.len().div_ceil(128 << 10);
    for (i, b) in data.chunks(128 << 10).enumerate() {
        s.extend_from_slice(&block_header(b.len(), 0, i + 1 == n));
        s.extend_from_slice(b);
    }
    s
}

/// Reading member `a` of `bytes` fails with `status` and every needle in
/// the message, from a file and from memory, allocating no more than the
/// member (and 1.3 MB of decoder buffers).
fn read_fails(name: &str, bytes: &[u8], status: Status, needles: &[&str]) {
    let dir = common::scratch(&format!("zstd_direct_{name}"));
    let p = dir.join("a.npz");
    std::fs::write(&p, bytes).unwrap();
    for z in [
        NpzFile::open(&p).unwrap(),
        NpzFile::from_bytes(bytes.to_vec()).unwrap(),
    ] {
        let f = z.open_member("a").unwrap();
        let mut buf = vec![0u8; f.nbytes() as usize];
        common::reset_peak();
        let e = f.read_into(&mut buf, 0).unwrap_err();
        let peak = common::peak();
        let declared = z.entries()[0].size as usize;
        assert!(
            peak <= declared + (1300 << 10),
            "{name}: allocated {peak} for a {declared}-byte member"
        );
        assert_eq!(e.status(), status, "{name}: {e}");
        assert!(e.message().contains("a.npy"), "{name}: {e}");
        for n in needles {
            assert!(e.message().contains(n), "{name}: lacks {n:?}: {e}");
        }
    }
}

/// Read member `a` every way: whole into a buffer (from a file and from
/// memory, native order or not), raw from byte 0, and verified. `name`
/// makes the file's scratch directory, one per test (tests run at once).
fn reads_back(name: &str, bytes: &[u8], data: &[u8], descr: &str) {
    let dir = common::scratch(&format!("zstd_direct_ok_{name}"));
    let p = dir.join(format!("ok{}.npz", &descr[..1] == ">"));
    std::fs::write(&p, bytes).unwrap();
    let hlen = npyio::header::header_bytes(&DType::parse(descr).unwrap(), &[1], false)
        .unwrap()
        .len();
    for z in [
        NpzFile::open(&p).unwrap(),
        NpzFile::from_bytes(bytes.to_vec()).unwrap(),
    ] {
        let f = z.open_member("a").unwrap();
        let mut buf = vec![0u8; f.nbytes() as usize];
        f.read_into(&mut buf, 0).unwrap();
        assert!(buf == data[hlen..], "{descr}: read_into");
        let f = z.open_member("a").unwrap();
        f.read_into(&mut buf, READ_NATIVE).unwrap();
        // Host order (little-endian hosts: big-endian values reversed).
        let mut want = data[hlen..].to_vec();
        if descr.starts_with('>') == cfg!(target_endian = "little") {
            want.chunks_mut(8).for_each(|c| c.reverse());
        }
        assert!(buf == want, "{descr}: READ_NATIVE");
        let mut raw = vec![0u8; data.len()];
        z.read_raw(0, &mut raw).unwrap();
        assert!(raw == data, "{descr}: read_raw");
    }
}

#[test]
fn members_we_write_read_back_every_way() {
    for descr in ["<f8", ">f8"] {
        let data = npy(700_000, descr);
        let dir = common::scratch("zstd_direct_write");
        let p = dir.join("w.npz");
        let mut w = NpzWriter::create(&p, NpzWriterOptions::default()).unwrap();
        let dt = DType::parse(descr).unwrap();
        let hlen = data.len() - 700_000 * 8;
        w.add(
            "a",
            &dt,
            &[700_000],
            false,
            &data[hlen..],
            Compression::Zstd,
        )
        .unwrap();
        w.finish().unwrap();
        let bytes = std::fs::read(&p).unwrap();
        // The member is one frame that records its size (Python's zipfile
        // reads a member's first frame only), which the reads below decode
        // straight into the buffer.
        let at = 30
            + u16::from_le_bytes([bytes[26], bytes[27]]) as usize
            + u16::from_le_bytes([bytes[28], bytes[29]]) as usize;
        let z = NpzFile::open(&p).unwrap();
        let member = &bytes[at..at + z.entries()[0].compressed_size as usize];
        assert_eq!(
            zstd::zstd_safe::get_frame_content_size(member)
                .ok()
                .flatten(),
            Some(data.len() as u64)
        );
        assert_eq!(
            zstd::zstd_safe::find_frame_compressed_size(member).ok(),
            Some(member.len())
        );
        reads_back("write", &bytes, &data, descr);
    }
}

#[test]
fn frames_of_raw_blocks_and_other_writers_frames_read_back() {
    let data = npy(600_000, "<f8");
    let crc = crc32fast::hash(&data);
    let size = data.len() as u64;
    reads_back(
        "raw",
        &archive(&raw_frame(&data, size), size, crc),
        &data,
        "<f8",
    );
    // A frame without its content size (zstd's streaming compressor, as
    // Python's zipfile writes) takes the streaming decoder.
    let mut e = zstd::stream::Encoder::new(Vec::new(), 3).unwrap();
    std::io::Write::write_all(&mut e, &data).unwrap();
    let s = e.finish().unwrap();
    assert!(
        matches!(zstd::zstd_safe::get_frame_content_size(&s), Ok(None)),
        "the stream records no size"
    );
    reads_back("streamed", &archive(&s, size, crc), &data, "<f8");
    // One frame made in one go (with its size), at level 3.
    let s = zstd::bulk::compress(&data, 3).unwrap();
    reads_back("bulk", &archive(&s, size, crc), &data, "<f8");
}

#[test]
fn crc_mismatch_is_refused() {
    let data = npy(600_000, "<f8");
    let s = zstd::bulk::compress(&data, 1).unwrap();
    let bad = archive(&s, data.len() as u64, crc32fast::hash(&data) ^ 1);
    read_fails("crc", &bad, Status::Crc, &["CRC-32 mismatch"]);
}

#[test]
fn truncated_stream_is_refused() {
    let data = npy(600_000, "<f8");
    let crc = crc32fast::hash(&data);
    let mut s = zstd::bulk::compress(&data, 1).unwrap();
    s.truncate(s.len() * 2 / 3);
    read_fails(
        "cut",
        &archive(&s, data.len() as u64, crc),
        Status::Zip,
        &["truncated zstd stream: the compressed data ends after"],
    );
}

#[test]
fn bad_block_is_refused() {
    let data = npy(600_000, "<f8");
    let crc = crc32fast::hash(&data);
    let mut s = raw_frame(&data, data.len() as u64);
    // The tenth block's header: the reserved block type.
    let at = 13 + 9 * (3 + (128 << 10));
    s[at..at + 3].copy_from_slice(&block_header(128 << 10, 3, false));
    read_fails(
        "reserved",
        &archive(&s, data.len() as u64, crc),
        Status::Zip,
        &["corrupt zstd stream"],
    );
    // A block longer than zstd allows.
    let mut s = raw_frame(&data, data.len() as u64);
    s[at..at + 3].copy_from_slice(&block_header((1 << 21) - 1, 0, false));
    read_fails(
        "long_block",
        &archive(&s, data.len() as u64, crc),
        Status::Zip,
        &["corrupt zstd stream"],
    );
}

#[test]
fn content_size_that_lies_is_refused() {
    let data = npy(600_000, "<f8");
    let crc = crc32fast::hash(&data);
    let size = data.len() as u64;
    // The frame declares the member's size, but its blocks make less:
    // zstd's own check at the frame's end.
    let short = raw_frame(&data[..data.len() - 1000], size);
    read_fails(
        "fcs_more",
        &archive(&short, size, crc),
        Status::Zip,
        &["corrupt zstd stream"],
    );
    // Its blocks make more than the member (and the frame) declare: the
    // output stops at the caller's buffer.
    let mut long = data.clone();
    long.extend_from_slice(&[7u8; 5000]);
    read_fails(
        "fcs_less",
        &archive(&raw_frame(&long, size), size, crc),
        Status::Zip,
        &["zstd stream inflates past the member's declared size"],
    );
    // The frame declares more than the member: the streaming decoder
    // reads it and stops at the member's size.
    read_fails(
        "entry_less",
        &archive(&raw_frame(&long, long.len() as u64), size, crc),
        Status::Zip,
        &["inflates past its declared size"],
    );
}

/// A member big enough for two threads (a helper takes the CRC and reads
/// ahead): read back every way, and its damage refused as a small one's.
#[test]
fn big_members_read_with_a_helper_thread() {
    npyio::Limit::ReadThreads.set(2);
    let data = npy(2_300_000, "<f8");
    assert!(data.len() > 16 << 20);
    let crc = crc32fast::hash(&data);
    let s = zstd::bulk::compress(&data, 1).unwrap();
    reads_back("big", &archive(&s, data.len() as u64, crc), &data, "<f8");
    let bad = archive(&s, data.len() as u64, crc ^ 1);
    read_fails("big_crc", &bad, Status::Crc, &["CRC-32 mismatch"]);
    let cut = archive(&s[..s.len() * 2 / 3], data.len() as u64, crc);
    read_fails(
        "big_cut",
        &cut,
        Status::Zip,
        &["truncated zstd stream: the compressed data ends after"],
    );
}

/// Bytes after the member's frame (junk, or a second frame) are ignored,
/// as Python's zipfile ignores them: a whole read (decoded straight into
/// the buffer, with and without the helper thread) and a read of rows in
/// order (the streaming decoder) give the same array.
#[test]
fn bytes_after_the_frame_are_ignored_as_zipfile_does() {
    for n in [600_000u64, 2_300_000] {
        let data = npy(n, "<f8");
        let crc = crc32fast::hash(&data);
        let s = zstd::bulk::compress(&data, 1).unwrap();
        let hlen = data.len() - n as usize * 8;
        for extra in [
            b"junk junk".to_vec(),
            zstd::bulk::compress(b"xyz", 1).unwrap(),
        ] {
            let mut t = s.clone();
            t.extend_from_slice(&extra);
            let bytes = archive(&t, data.len() as u64, crc);
            if n == 600_000 {
                // The oracle: np.load with Python 3.14's zipfile.
                let dir = common::scratch("zstd_direct_trailing");
                std::fs::write(dir.join("t.npz"), &bytes).unwrap();
                let out = common::py(
                    &dir,
                    "import sys\nfrom backports.zstd import zipfile as zf\n\
                     sys.modules['zipfile'] = zf\nimport numpy as np\n\
                     a = np.load('t.npz', allow_pickle=False)['a']\n\
                     print(np.array_equal(a, np.arange(600_000) * 0.25))\n",
                );
                assert_eq!(out.trim(), "True");
            }
            reads_back("trailing", &bytes, &data, "<f8");
            let z = NpzFile::from_bytes(bytes).unwrap();
            let f = z.open_member("a").unwrap();
            let mut buf = vec![0u8; f.nbytes() as usize];
            let half = n / 2;
            let (a, b) = buf.split_at_mut(half as usize * 8);
            f.read_rows(0, half, a, 0).unwrap();
            f.read_rows(half, n - half, b, 0).unwrap();
            assert!(buf == data[hlen..], "rows in order, {n} values");
        }
    }
}
