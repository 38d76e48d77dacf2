package npyio

/*
#include <stdlib.h>
#include <string.h>
#include "npyio.h"
*/
import "C"

import (
	"math"
	"runtime"
	"strconv"
	"unsafe"
)

// ReadFlags select conversions for ReadInto and ReadRowsInto.
type ReadFlags uint32

const (
	// ReadNative converts every multi-byte scalar to the host's byte order.
	ReadNative ReadFlags = C.NPYIO_READ_NATIVE
	// ReadCOrder returns C-order (row-major) data for a Fortran-order array.
	ReadCOrder ReadFlags = C.NPYIO_READ_C_ORDER
	// ReadNoHugePage leaves the destination's pages without huge-page advice.
	ReadNoHugePage ReadFlags = C.NPYIO_READ_NO_HUGEPAGE
)

// File is one .npy array: a file on disk (Open), a copy of bytes in memory (OpenMemory), an
// .npz member (Npz.Member) or a memory map (Mmap). Close it when done; a finalizer closes a
// File that is garbage-collected unclosed, as a safety net only. Describe and read methods
// may be called from several goroutines at once; Close must not race with them.
type File struct {
	c   *C.npy_file
	mem unsafe.Pointer // C copy of the bytes behind OpenMemory, freed by Close
}

func newFile(c *C.npy_file, mem unsafe.Pointer) *File {
	f := &File{c: c, mem: mem}
	runtime.SetFinalizer(f, (*File).Close)
	return f
}

// Open opens the .npy file at path and parses its header (np.load reads the data later).
func Open(path string) (*File, error) {
	return openPath("Open", path, func(p *C.char, out **C.npy_file) C.npyio_status {
		return C.npy_open(p, out)
	})
}

// openPath runs the C opener open on path (as a C string) and wraps the handle it makes.
func openPath(op, path string, open func(*C.char, **C.npy_file) C.npyio_status) (*File, error) {
	cp := C.CString(path)
	defer C.free(unsafe.Pointer(cp))
	var c *C.npy_file
	if err := call(op, func() C.npyio_status { return open(cp, &c) }); err != nil {
		return nil, err
	}
	return newFile(c, nil), nil
}

// OpenMemory parses a complete .npy file held in data. The bytes are copied into C memory
// owned by the File (cgo forbids C from keeping Go pointers), so data may be reused at once.
func OpenMemory(data []byte) (*File, error) {
	mem := C.malloc(C.size_t(len(data) + 1))
	if mem == nil {
		return nil, newError("OpenMemory", ErrAlloc, "out of memory")
	}
	if len(data) > 0 {
		C.memcpy(mem, unsafe.Pointer(&data[0]), C.size_t(len(data)))
	}
	var c *C.npy_file
	err := call("OpenMemory", func() C.npyio_status {
		return C.npy_open_memory(mem, C.size_t(len(data)), &c)
	})
	if err != nil {
		C.free(mem)
		return nil, err
	}
	return newFile(c, mem), nil
}

// Close releases the array (file descriptor, map, buffers). Slices returned by Data and
// MmapSlice become invalid. Closing twice is fine.
func (f *File) Close() error {
	if f == nil || f.c == nil {
		return nil
	}
	C.npy_close(f.c)
	f.c = nil
	if f.mem != nil {
		C.free(f.mem)
		f.mem = nil
	}
	runtime.SetFinalizer(f, nil)
	return nil
}

func (f *File) live(op string) error {
	if f == nil || f.c == nil {
		return newError(op, ErrState, "file is closed")
	}
	return nil
}

// NDim returns the number of dimensions (0 for a 0-d array).
func (f *File) NDim() int {
	n := int(C.npy_ndim(f.c))
	runtime.KeepAlive(f)
	return n
}

// Shape returns a copy of the shape (empty for a 0-d array, nil for a closed File).
func (f *File) Shape() []uint64 {
	if f == nil || f.c == nil {
		return nil
	}
	n := int(C.npy_ndim(f.c))
	shape := make([]uint64, n)
	if n > 0 {
		copy(shape, unsafe.Slice((*uint64)(unsafe.Pointer(C.npy_shape(f.c))), n))
	}
	runtime.KeepAlive(f)
	return shape
}

// DType returns the dtype string: "<f8", "|b1", ">i4", "<U3", or a record's descr list
// "[('x', '<f4'), ('y', '<i8')]" (the header's descr without the quotes of a plain dtype).
func (f *File) DType() string {
	if f == nil || f.c == nil {
		return ""
	}
	s := stripQuotes(C.GoString(C.npyio_dtype_descr(C.npy_dtype(f.c))))
	runtime.KeepAlive(f)
	return s
}

// Kind returns NumPy's dtype.kind: 'b', 'i', 'u', 'f', 'c', 'S', 'U', 'V', 'M' or 'm'.
func (f *File) Kind() byte {
	k := byte(C.npyio_dtype_kind(C.npy_dtype(f.c)))
	runtime.KeepAlive(f)
	return k
}

// ItemSize returns the size of one element in bytes.
func (f *File) ItemSize() int {
	n := int(C.npyio_dtype_itemsize(C.npy_dtype(f.c)))
	runtime.KeepAlive(f)
	return n
}

// ByteOrder returns '<', '>' or '|' (not applicable).
func (f *File) ByteOrder() byte {
	b := byte(C.npyio_dtype_byteorder(C.npy_dtype(f.c)))
	runtime.KeepAlive(f)
	return b
}

// Fortran reports the header's fortran_order.
func (f *File) Fortran() bool {
	b := bool(C.npy_fortran_order(f.c))
	runtime.KeepAlive(f)
	return b
}

// NBytes returns the data size: product(shape) × itemsize.
func (f *File) NBytes() uint64 {
	n := uint64(C.npy_nbytes(f.c))
	runtime.KeepAlive(f)
	return n
}

// Count returns the number of elements (1 for a 0-d array).
func (f *File) Count() uint64 {
	n := uint64(C.npy_count(f.c))
	runtime.KeepAlive(f)
	return n
}

// RowNBytes returns the bytes of one row along axis 0 (0 for a 0-d array).
func (f *File) RowNBytes() uint64 {
	n := uint64(C.npy_row_nbytes(f.c))
	runtime.KeepAlive(f)
	return n
}

// FormatVersion returns the .npy format major version (1, 2 or 3; 0 for a raw map).
func (f *File) FormatVersion() int {
	n := int(C.npy_format_version(f.c))
	runtime.KeepAlive(f)
	return n
}

// ReadInto reads the whole array into dst (at least NBytes bytes). With flags 0 the bytes
// are as stored; ReadNative and ReadCOrder convert.
func (f *File) ReadInto(dst []byte, flags ReadFlags) error {
	if err := f.live("ReadInto"); err != nil {
		return err
	}
	err := call("ReadInto", func() C.npyio_status {
		return C.npy_read_into(f.c, cBytes(dst), C.size_t(len(dst)), C.uint32_t(flags))
	})
	runtime.KeepAlive(f)
	return err
}

// ReadRowsInto reads rows [first, first+count) along axis 0 into dst (count × RowNBytes
// bytes). Flags as ReadInto.
func (f *File) ReadRowsInto(first, count uint64, dst []byte, flags ReadFlags) error {
	if err := f.live("ReadRowsInto"); err != nil {
		return err
	}
	err := call("ReadRowsInto", func() C.npyio_status {
		return C.npy_read_rows(f.c, C.uint64_t(first), C.uint64_t(count), cBytes(dst),
			C.size_t(len(dst)), C.uint32_t(flags))
	})
	runtime.KeepAlive(f)
	return err
}

// checkType fails with ErrInvalidArg unless the dtype has T's kind and size (any byte order).
func checkType[T Numeric](f *File, op string) error {
	if err := f.live(op); err != nil {
		return err
	}
	kind, size := kindOf[T]()
	if f.Kind() != kind || f.ItemSize() != size || f.DType()[0] == '[' {
		return newError(op, ErrInvalidArg, "array dtype "+f.DType()+
			" does not match the requested "+DescrOf[T]())
	}
	return nil
}

// checkNativeType is checkType, and the dtype in the host's byte order (or one byte wide);
// otherwise ErrInvalidArg, whose message ends with instead (what to use instead).
func checkNativeType[T Numeric](f *File, op, instead string) error {
	if err := checkType[T](f, op); err != nil {
		return err
	}
	if o := f.ByteOrder(); o != '|' && o != nativeOrder() {
		return newError(op, ErrInvalidArg, "array dtype "+f.DType()+
			" is not in the host's byte order; "+instead)
	}
	return nil
}

func intLen(op string, n uint64) (int, error) {
	if n > math.MaxInt {
		return 0, newError(op, ErrOverflow, strconv.FormatUint(n, 10)+" elements do not fit in an int")
	}
	return int(n), nil
}

// normalizeBools makes every byte of a bool slice read from a file exactly 0 or 1.
func normalizeBools[T Numeric](s []T) {
	if k, _ := kindOf[T](); k != 'b' {
		return
	}
	b := asBytes(s)
	for i := range b {
		if b[i] != 0 {
			b[i] = 1
		}
	}
}

// Read reads the whole array as a []T in C order and the host's byte order, after checking
// that the dtype matches T (kind and size; ErrInvalidArg otherwise).
func Read[T Numeric](f *File) ([]T, error) {
	if err := checkType[T](f, "Read"); err != nil {
		return nil, err
	}
	n, err := intLen("Read", f.Count())
	if err != nil {
		return nil, err
	}
	out := make([]T, n)
	if err := ReadIntoSlice(f, out); err != nil {
		return nil, err
	}
	return out, nil
}

// ReadIntoSlice reads the whole array into dst (len(dst) ≥ Count()), checked and converted
// as Read.
func ReadIntoSlice[T Numeric](f *File, dst []T) error {
	if err := checkType[T](f, "ReadIntoSlice"); err != nil {
		return err
	}
	if err := f.ReadInto(asBytes(dst), ReadNative|ReadCOrder); err != nil {
		return err
	}
	normalizeBools(dst)
	return nil
}

// ReadRows reads rows [first, first+count) along axis 0 as a []T (C order, host byte order).
func ReadRows[T Numeric](f *File, first, count uint64) ([]T, error) {
	if err := checkType[T](f, "ReadRows"); err != nil {
		return nil, err
	}
	_, size := kindOf[T]()
	perRow := f.RowNBytes() / uint64(size)
	if count != 0 && perRow > math.MaxInt/count {
		return nil, newError("ReadRows", ErrOverflow, "row range too large")
	}
	out := make([]T, int(perRow*count))
	if err := f.ReadRowsInto(first, count, asBytes(out), ReadNative|ReadCOrder); err != nil {
		return nil, err
	}
	normalizeBools(out)
	return out, nil
}

// Load opens path, reads it as Read does, and closes it: np.load for one numeric array.
func Load[T Numeric](path string) ([]T, []uint64, error) {
	f, err := Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	data, err := Read[T](f)
	if err != nil {
		return nil, nil, err
	}
	return data, f.Shape(), nil
}

// SaveBytes writes an array as np.save does, byte for byte. descr is a dtype string ("<f8",
// ">i4", "[('x', '<f4')]"); data holds product(shape) × itemsize bytes in storage order (C,
// or Fortran if fortran) and the dtype's byte order. The file is replaced atomically.
func SaveBytes(path, descr string, shape []uint64, fortran bool, data []byte) error {
	cp := C.CString(path)
	defer C.free(unsafe.Pointer(cp))
	return withDType("SaveBytes", descr, func(dt *C.npyio_dtype) error {
		return call("SaveBytes", func() C.npyio_status {
			return C.npy_save(cp, dt, C.size_t(len(shape)), cShape(shape), C.bool(fortran),
				cBytes(data), C.size_t(len(data)))
		})
	})
}

// SaveFortran is Save for data in Fortran (column-major) order.
func SaveFortran[T Numeric](path string, data []T, shape []uint64) error {
	return SaveBytes(path, DescrOf[T](), shape, true, asBytes(data))
}

// Writer writes a .npy file in pieces, for arrays larger than memory. Close commits; Discard
// (or the finalizer of a Writer never closed) abandons it, leaving any old file in place.
// A Writer belongs to one goroutine at a time.
type Writer struct {
	c *C.npy_writer
}

// Create starts writing an array of dtype descr and the given shape and order to path.
func Create(path, descr string, shape []uint64, fortran bool) (*Writer, error) {
	cp := C.CString(path)
	defer C.free(unsafe.Pointer(cp))
	var c *C.npy_writer
	err := withDType("Create", descr, func(dt *C.npyio_dtype) error {
		return call("Create", func() C.npyio_status {
			return C.npy_writer_create(cp, dt, C.size_t(len(shape)), cShape(shape),
				C.bool(fortran), &c)
		})
	})
	if err != nil {
		return nil, err
	}
	w := &Writer{c: c}
	runtime.SetFinalizer(w, (*Writer).Discard)
	return w, nil
}

// Write appends p (storage order, the dtype's byte order). It implements io.Writer.
func (w *Writer) Write(p []byte) (int, error) {
	if w == nil || w.c == nil {
		return 0, newError("Writer.Write", ErrState, "writer is closed")
	}
	err := call("Writer.Write", func() C.npyio_status {
		return C.npy_writer_write(w.c, cBytes(p), C.size_t(len(p)))
	})
	runtime.KeepAlive(w)
	if err != nil {
		return 0, err
	}
	return len(p), nil
}

// Close checks that the whole array was written and commits the file.
func (w *Writer) Close() error {
	if w == nil || w.c == nil {
		return newError("Writer.Close", ErrState, "writer is closed")
	}
	c := w.c
	w.c = nil
	runtime.SetFinalizer(w, nil)
	return call("Writer.Close", func() C.npyio_status { return C.npy_writer_finish(c) })
}

// Discard abandons the file; a no-op after Close or Discard.
func (w *Writer) Discard() {
	if w == nil || w.c == nil {
		return
	}
	C.npy_writer_discard(w.c)
	w.c = nil
	runtime.SetFinalizer(w, nil)
}
