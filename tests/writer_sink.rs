//! Writers to a sink the caller supplies (`NpyWriter::to_sink`,
//! `NpzWriter::to_sink`), as `np.save` writes to a file object and
//! `np.savez` to a `BytesIO`: NumPy loads what they wrote, the .npy bytes
//! are np.save's, and archive members of every kind (stored, deflate,
//! written in pieces) come back equal.

use npyio_test_support as common;

use npyio::npz::{Compression, NpzWriter, NpzWriterOptions};
use npyio::{DType, NpyWriter, Status};
use std::io::Write;
use std::sync::{Arc, Mutex};

/// A sink into a shared buffer that takes at most 777 bytes a call.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = buf.len().min(777);
        self.0.lock().unwrap().extend_from_slice(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A sink that fails every write.
struct Broken;

impl Write for Broken {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::Error::other("disk on fire"))
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn sinks_numpy_loads_them() {
    let dir = common::scratch("writer_sink");
    let f8 = DType::parse("<f8").unwrap();
    let v: Vec<u8> = (0..600)
        .flat_map(|i| (i as f64 * 0.5).to_le_bytes())
        .collect();

    let npy = Shared::default();
    let mut w = NpyWriter::to_sink(npy.clone(), "<sink>", &f8, &[200, 3], false).unwrap();
    w.write(&v[..1000]).unwrap();
    w.write(&v[1000..]).unwrap();
    w.finish().unwrap();
    std::fs::write(dir.join("sink.npy"), &*npy.0.lock().unwrap()).unwrap();

    let npz = Shared::default();
    let mut z = NpzWriter::to_sink(npz.clone(), "<sink>", NpzWriterOptions::default()).unwrap();
    z.add("stored", &f8, &[200, 3], false, &v, Compression::Stored)
        .unwrap();
    z.add("deflated", &f8, &[600], false, &v, Compression::Deflate)
        .unwrap();
    z.begin("pieces", &f8, &[600], false, Compression::Stored)
        .unwrap();
    z.write(&v[..2400]).unwrap();
    z.write(&v[2400..]).unwrap();
    z.end().unwrap();
    z.finish().unwrap();
    std::fs::write(dir.join("sink.npz"), &*npz.0.lock().unwrap()).unwrap();

    let out = common::py(
        &dir,
        r#"
import io, numpy as np
a = (np.arange(600) * 0.5).reshape(200, 3)
b = io.BytesIO(); np.save(b, a)
assert open('sink.npy', 'rb').read() == b.getvalue(), 'npy bytes differ from np.save'
with np.load('sink.npz', allow_pickle=False) as z:
    assert z.files == ['stored', 'deflated', 'pieces'], z.files
    assert np.array_equal(z['stored'], a)
    assert np.array_equal(z['deflated'], a.ravel())
    assert np.array_equal(z['pieces'], a.ravel())
print('ok')
"#,
    );
    assert_eq!(out.trim(), "ok");

    // A sink that fails: the error names it; the writer fails from then on.
    let mut w = NpyWriter::to_sink(Broken, "<sink>", &f8, &[2], false).unwrap();
    let e = w.write(&v[..16]).unwrap_err();
    assert_eq!(e.status(), Status::Io, "{e}");
    assert!(
        e.message().contains("<sink>") && e.message().contains("disk on fire"),
        "{e}"
    );
    assert!(w.finish().is_err());
    let mut z = NpzWriter::to_sink(Broken, "<sink>", NpzWriterOptions::default()).unwrap();
    let e = z
        .add("x", &f8, &[2], false, &v[..16], Compression::Stored)
        .unwrap_err();
    assert_eq!(e.status(), Status::Io, "{e}");
}
