package npyio

/*
#include <stdlib.h>
#include "npyio.h"
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// Casting is one of NumPy's casting rules, for the ReadAs family: what a conversion to
// another type may do, as a.astype(type, casting=...) allows it.
type Casting int32

const (
	// CastingNo allows the same type in the same byte order only.
	CastingNo Casting = C.NPYIO_CASTING_NO
	// CastingEquiv allows the same type in either byte order.
	CastingEquiv Casting = C.NPYIO_CASTING_EQUIV
	// CastingSafe allows casts that keep every value (int32 to float64, not the reverse).
	CastingSafe Casting = C.NPYIO_CASTING_SAFE
	// CastingSameKind also allows casts within a kind or to a higher one (float64 to float32).
	CastingSameKind Casting = C.NPYIO_CASTING_SAME_KIND
	// CastingUnsafe allows any cast, with NumPy's values (integers wrap, NaN to int is
	// the x86-64 conversion's value).
	CastingUnsafe Casting = C.NPYIO_CASTING_UNSAFE
)

// typeOf returns the npyio_type code of T.
func typeOf[T Numeric]() C.npyio_type {
	kind, size := kindOf[T]()
	switch kind {
	case 'b':
		return C.NPYIO_BOOL
	case 'i':
		return [...]C.npyio_type{1: C.NPYIO_INT8, 2: C.NPYIO_INT16, 4: C.NPYIO_INT32,
			8: C.NPYIO_INT64}[size]
	case 'u':
		return [...]C.npyio_type{1: C.NPYIO_UINT8, 2: C.NPYIO_UINT16, 4: C.NPYIO_UINT32,
			8: C.NPYIO_UINT64}[size]
	case 'f':
		if size == 4 {
			return C.NPYIO_FLOAT32
		}
		return C.NPYIO_FLOAT64
	default:
		if size == 8 {
			return C.NPYIO_COMPLEX64
		}
		return C.NPYIO_COMPLEX128
	}
}

// ReadAsInto reads the whole array into dst (len(dst) ≥ Count()) converted to T with NumPy's
// casting rule, in C order and the host's byte order (npy_read_as_ex). A cast the rule
// refuses is ErrCast, whose message names both dtypes.
func ReadAsInto[T Numeric](f *File, dst []T, casting Casting) error {
	if err := f.live("ReadAsInto"); err != nil {
		return err
	}
	b := asBytes(dst)
	err := call("ReadAsInto", func() C.npyio_status {
		return C.npy_read_as_ex(f.c, typeOf[T](), cBytes(b), C.size_t(len(b)),
			C.npyio_casting(casting))
	})
	runtime.KeepAlive(f)
	return err
}

// ReadAs reads the whole array as a []T converted with NumPy's casting rule (see ReadAsInto):
// Read for arrays of another type, e.g. an int32 file as []float64 with CastingSafe.
func ReadAs[T Numeric](f *File, casting Casting) ([]T, error) {
	if err := f.live("ReadAs"); err != nil {
		return nil, err
	}
	n, err := intLen("ReadAs", f.Count())
	if err != nil {
		return nil, err
	}
	out := make([]T, n)
	if err := ReadAsInto(f, out, casting); err != nil {
		return nil, err
	}
	return out, nil
}

// LoadAs is np.load(path).astype(T, casting='safe') for one numeric array: the values
// converted to T (ErrCast if the safe rule refuses), C order, with the shape. The data is
// read once, straight into the returned slice.
func LoadAs[T Numeric](path string) ([]T, []uint64, error) {
	f, err := Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	data, err := ReadAs[T](f, CastingSafe)
	if err != nil {
		return nil, nil, err
	}
	return data, f.Shape(), nil
}

// NpzReadAs reads member name ("x" or "x.npy") converted to T with NumPy's casting rule
// (npz_read_as_ex); a missing member is ErrNotFound.
func NpzReadAs[T Numeric](z *Npz, name string, casting Casting) ([]T, error) {
	m, err := z.Member(name)
	if err != nil {
		return nil, err
	}
	count := m.Count()
	m.Close()
	n, err := intLen("NpzReadAs", count)
	if err != nil {
		return nil, err
	}
	out := make([]T, n)
	b := asBytes(out)
	cn := C.CString(name)
	defer C.free(unsafe.Pointer(cn))
	err = call("NpzReadAs", func() C.npyio_status {
		return C.npz_read_as_ex(z.c, cn, typeOf[T](), cBytes(b), C.size_t(len(b)),
			C.npyio_casting(casting))
	})
	runtime.KeepAlive(z)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// LoadFile loads the whole .npy file at path into memory the library owns (npy_load),
// converted to T with the safe rule, in C order and the host's byte order. Data() returns
// the bytes and MmapSlice[T] a []T over them, valid until Close. LoadStored keeps the
// stored dtype.
func LoadFile[T Numeric](path string) (*File, error) {
	return load("LoadFile", path, typeOf[T]())
}

// LoadStored loads the whole .npy file at path into memory the library owns in its stored
// dtype (any dtype, records included), converted only to the host's byte order and C order.
func LoadStored(path string) (*File, error) {
	return load("LoadStored", path, C.NPYIO_TYPE_STORED)
}

func load(op, path string, t C.npyio_type) (*File, error) {
	cp := C.CString(path)
	defer C.free(unsafe.Pointer(cp))
	var c *C.npy_file
	if err := call(op, func() C.npyio_status { return C.npy_load(cp, t, &c) }); err != nil {
		return nil, err
	}
	return newFile(c, nil), nil
}

// NpzLoad loads member name ("x" or "x.npy") into memory the library owns (npz_load),
// converted to T with the safe rule; the File outlives the archive.
func NpzLoad[T Numeric](z *Npz, name string) (*File, error) {
	return z.open("NpzLoad", name, func(zc *C.npz_file, cn *C.char, out **C.npy_file) C.npyio_status {
		return C.npz_load(zc, cn, typeOf[T](), out)
	})
}
