package npyio

/*
#include <stdlib.h>
#include "npyio.h"
*/
import "C"

import (
	"math"
	"runtime"
	"strconv"
	"unsafe"
)

// Compression of an .npz member.
type Compression int32

const (
	// Stored members are uncompressed, as np.savez writes them.
	Stored Compression = C.NPYIO_STORED
	// Deflate members are compressed, as np.savez_compressed writes them.
	Deflate Compression = C.NPYIO_DEFLATE
	// Zstd members are Zstandard-compressed (zip method 93), large ones on all cores. np.load
	// reads them with Python 3.14's zipfile, or an earlier Python's with the backports.zstd
	// package's zipfile in its place; older readers refuse them.
	Zstd Compression = C.NPYIO_ZSTD
)

// Npz is an .npz archive opened for reading (np.load of an .npz). Members open as
// independent Files that stay valid after the archive is closed. Safe for concurrent use
// except Close.
type Npz struct {
	c *C.npz_file
}

// OpenNpz opens the archive at path and reads its central directory.
func OpenNpz(path string) (*Npz, error) {
	cp := C.CString(path)
	defer C.free(unsafe.Pointer(cp))
	var c *C.npz_file
	if err := call("OpenNpz", func() C.npyio_status { return C.npz_open(cp, &c) }); err != nil {
		return nil, err
	}
	z := &Npz{c: c}
	runtime.SetFinalizer(z, (*Npz).Close)
	return z, nil
}

// Close releases the archive; Files opened from it stay valid. Closing twice is fine.
func (z *Npz) Close() error {
	if z == nil || z.c == nil {
		return nil
	}
	C.npz_close(z.c)
	z.c = nil
	runtime.SetFinalizer(z, nil)
	return nil
}

// Len returns the number of members.
func (z *Npz) Len() int {
	n := int(C.npz_count(z.c))
	runtime.KeepAlive(z)
	return n
}

// Names returns the members' keys in archive order, as NpzFile.files ("x" for "x.npy").
func (z *Npz) Names() []string {
	if z == nil || z.c == nil {
		return nil
	}
	n := int(C.npz_count(z.c))
	names := make([]string, n)
	for i := range names {
		names[i] = C.GoString(C.npz_name(z.c, C.size_t(i)))
	}
	runtime.KeepAlive(z)
	return names
}

// MemberSize returns member i's uncompressed size in bytes (0 if out of range).
func (z *Npz) MemberSize(i int) uint64 {
	n := uint64(C.npz_member_size(z.c, C.size_t(i)))
	runtime.KeepAlive(z)
	return n
}

// MemberCompression returns member i's compression method (-1 if out of range).
func (z *Npz) MemberCompression(i int) Compression {
	c := Compression(C.npz_member_compression(z.c, C.size_t(i)))
	runtime.KeepAlive(z)
	return c
}

func (z *Npz) open(op, name string, fn func(*C.npz_file, *C.char, **C.npy_file) C.npyio_status) (*File, error) {
	if z == nil || z.c == nil {
		return nil, newError(op, ErrState, "archive is closed")
	}
	cn := C.CString(name)
	defer C.free(unsafe.Pointer(cn))
	var c *C.npy_file
	err := call(op, func() C.npyio_status { return fn(z.c, cn, &c) })
	runtime.KeepAlive(z)
	if err != nil {
		return nil, err
	}
	return newFile(c, nil), nil
}

// Member opens member name ("x" or "x.npy") as an array (ErrNotFound if absent).
func (z *Npz) Member(name string) (*File, error) {
	return z.open("Member", name, func(a *C.npz_file, n *C.char, out **C.npy_file) C.npyio_status {
		return C.npz_open_member(a, n, out)
	})
}

// MmapMember maps stored member name read-only, zero-copy (ErrNotMappable for deflate).
func (z *Npz) MmapMember(name string) (*File, error) {
	return z.open("MmapMember", name, func(a *C.npz_file, n *C.char, out **C.npy_file) C.npyio_status {
		return C.npz_mmap_member(a, n, out)
	})
}

// ReadRaw returns the uncompressed bytes of a member that is not a .npy file.
func (z *Npz) ReadRaw(name string) ([]byte, error) {
	if z == nil || z.c == nil {
		return nil, newError("ReadRaw", ErrState, "archive is closed")
	}
	size := uint64(0)
	for i, key := range z.Names() {
		if key == name || key+".npy" == name {
			size = z.MemberSize(i)
			break
		}
	}
	n, err := intLen("ReadRaw", size)
	if err != nil {
		return nil, err
	}
	buf := make([]byte, n)
	cn := C.CString(name)
	defer C.free(unsafe.Pointer(cn))
	err = call("ReadRaw", func() C.npyio_status {
		return C.npz_read_raw(z.c, cn, cBytes(buf), C.size_t(len(buf)))
	})
	runtime.KeepAlive(z)
	if err != nil {
		return nil, err
	}
	return buf, nil
}

// NpzWriter writes an .npz archive (np.savez / np.savez_compressed). Close commits; Discard
// (or the finalizer of a writer never closed) abandons it, leaving any old file in place.
// A writer belongs to one goroutine at a time.
type NpzWriter struct {
	c *C.npz_writer
}

// NpzAlign (for NewNpzWriterOpts) starts every stored member's data at a multiple of 64
// bytes in the archive, so MmapMember views are aligned.
const NpzAlign = uint32(C.NPYIO_NPZ_ALIGN)

// SaveFsync (for NewNpzWriterOpts) fsyncs the archive and its directory on Close.
const SaveFsync = uint32(C.NPYIO_SAVE_FSYNC)

// NewNpzWriter starts an archive at path, written to a temporary file until Close.
func NewNpzWriter(path string) (*NpzWriter, error) { return NewNpzWriterOpts(path, 0, -1) }

// NewNpzWriterOpts is NewNpzWriter with flags (NpzAlign, SaveFsync) and a deflate level
// 0-9 (-1: NumPy's default, 6).
func NewNpzWriterOpts(path string, flags uint32, level int) (*NpzWriter, error) {
	cp := C.CString(path)
	defer C.free(unsafe.Pointer(cp))
	var c *C.npz_writer
	err := call("NewNpzWriter", func() C.npyio_status {
		return C.npz_writer_open_ex(cp, C.uint32_t(flags), C.int32_t(level), &c)
	})
	if err != nil {
		return nil, err
	}
	w := &NpzWriter{c: c}
	runtime.SetFinalizer(w, (*NpzWriter).Discard)
	return w, nil
}

func (w *NpzWriter) live(op string) error {
	if w == nil || w.c == nil {
		return newError(op, ErrState, "archive writer is closed")
	}
	return nil
}

// Add writes member name+".npy" from raw bytes: dtype descr, shape, order, and data in
// storage order and the dtype's byte order.
func (w *NpzWriter) Add(name, descr string, shape []uint64, fortran bool, data []byte, c Compression) error {
	if err := w.live("Add"); err != nil {
		return err
	}
	cn := C.CString(name)
	defer C.free(unsafe.Pointer(cn))
	err := withDType("Add", descr, func(dt *C.npyio_dtype) error {
		return call("Add", func() C.npyio_status {
			return C.npz_writer_add(w.c, cn, dt, C.size_t(len(shape)), cShape(shape),
				C.bool(fortran), cBytes(data), C.size_t(len(data)), C.npyio_compression(c))
		})
	})
	runtime.KeepAlive(w)
	return err
}

// AddArray writes data (C order, host byte order, dtype DescrOf[T]) as member name.
func AddArray[T Numeric](w *NpzWriter, name string, data []T, shape []uint64, c Compression) error {
	return w.Add(name, DescrOf[T](), shape, false, asBytes(data), c)
}

// Begin starts member name written in pieces with Write, ended by End.
func (w *NpzWriter) Begin(name, descr string, shape []uint64, fortran bool, c Compression) error {
	if err := w.live("Begin"); err != nil {
		return err
	}
	cn := C.CString(name)
	defer C.free(unsafe.Pointer(cn))
	err := withDType("Begin", descr, func(dt *C.npyio_dtype) error {
		return call("Begin", func() C.npyio_status {
			return C.npz_writer_begin(w.c, cn, dt, C.size_t(len(shape)), cShape(shape),
				C.bool(fortran), C.npyio_compression(c))
		})
	})
	runtime.KeepAlive(w)
	return err
}

// Write appends data to the member started with Begin. It implements io.Writer.
func (w *NpzWriter) Write(p []byte) (int, error) {
	if err := w.live("NpzWriter.Write"); err != nil {
		return 0, err
	}
	err := call("NpzWriter.Write", func() C.npyio_status {
		return C.npz_writer_write(w.c, cBytes(p), C.size_t(len(p)))
	})
	runtime.KeepAlive(w)
	if err != nil {
		return 0, err
	}
	return len(p), nil
}

// End ends the member started with Begin.
func (w *NpzWriter) End() error {
	if err := w.live("End"); err != nil {
		return err
	}
	err := call("End", func() C.npyio_status { return C.npz_writer_end(w.c) })
	runtime.KeepAlive(w)
	return err
}

// SetLevel sets the level of the members of compression c written from now on: Deflate 0-9
// (-1: NumPy's 6), Zstd 1-22, negative fast levels, or 0 (the default, 1). Stored has no
// level (ErrInvalidArg, as for a level out of range).
func (w *NpzWriter) SetLevel(c Compression, level int) error {
	if err := w.live("SetLevel"); err != nil {
		return err
	}
	if level < math.MinInt32 || level > math.MaxInt32 {
		return newError("SetLevel", ErrInvalidArg, "level "+strconv.Itoa(level)+" is out of range")
	}
	err := call("SetLevel", func() C.npyio_status {
		return C.npz_writer_set_level(w.c, C.npyio_compression(c), C.int32_t(level))
	})
	runtime.KeepAlive(w)
	return err
}

// Close writes the central directory and commits the archive.
func (w *NpzWriter) Close() error {
	if err := w.live("NpzWriter.Close"); err != nil {
		return err
	}
	c := w.c
	w.c = nil
	runtime.SetFinalizer(w, nil)
	return call("NpzWriter.Close", func() C.npyio_status { return C.npz_writer_finish(c) })
}

// Discard abandons the archive; a no-op after Close or Discard.
func (w *NpzWriter) Discard() {
	if w == nil || w.c == nil {
		return
	}
	C.npz_writer_discard(w.c)
	w.c = nil
	runtime.SetFinalizer(w, nil)
}
