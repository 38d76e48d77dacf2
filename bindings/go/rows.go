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

// CreateRows makes the .npy file at path at its full size and opens it for WriteRows, from
// this File and from others (OpenRows, in other goroutines or processes). The header is
// np.save's for descr, shape and fortran; the data reads as zeros until rows are written. The
// file is made under a temporary name and renamed over path when complete, so path is always
// either the old file or a new one NumPy loads. Every describe and read method works on the
// returned File too. Close it when done; Flush makes the written rows durable.
func CreateRows(path, descr string, shape []uint64, fortran bool) (*File, error) {
	cp := C.CString(path)
	defer C.free(unsafe.Pointer(cp))
	var c *C.npy_file
	err := withDType("CreateRows", descr, func(dt *C.npyio_dtype) error {
		return call("CreateRows", func() C.npyio_status {
			return C.npy_create(cp, dt, C.size_t(len(shape)), cShape(shape), C.bool(fortran), &c)
		})
	})
	if err != nil {
		return nil, err
	}
	return newFile(c, nil), nil
}

// OpenRows opens the existing .npy file at path for WriteRows (and reads, which go to the file
// each time and so see rows other writers wrote). Any number of goroutines and processes may
// hold such Files on one file and write disjoint rows at once.
func OpenRows(path string) (*File, error) {
	return openPath("OpenRows", path, func(p *C.char, out **C.npy_file) C.npyio_status {
		return C.npy_open_rw(p, out)
	})
}

// WriteRows writes rows [first, first+count) along axis 0 from data: count × RowNBytes bytes
// in the file's byte order, C order for a C-order file and Fortran order for a Fortran-order
// one (as ReadRowsInto returns them with flags 0). Only Files from CreateRows or OpenRows take
// writes (ErrState otherwise); rows past the end are ErrInvalidArg, a wrong length
// ErrSizeMismatch. May be called from several goroutines at once on disjoint rows; nothing is
// synced (see Flush).
func (f *File) WriteRows(first, count uint64, data []byte) error {
	if err := f.live("WriteRows"); err != nil {
		return err
	}
	err := call("WriteRows", func() C.npyio_status {
		return C.npy_write_rows(f.c, C.uint64_t(first), C.uint64_t(count), cBytes(data),
			C.size_t(len(data)))
	})
	runtime.KeepAlive(f)
	return err
}

// WriteRowsOf writes len(rows) / (RowNBytes / size of T) whole rows from first on, after
// checking that the dtype matches T (kind and size) in the host's byte order and that rows
// holds whole rows (ErrInvalidArg, ErrSizeMismatch). The array must be in C order or 1-D (a
// 0-d array has no rows: ErrInvalidArg, as WriteRows).
func WriteRowsOf[T Numeric](f *File, first uint64, rows []T) error {
	err := checkNativeType[T](f, "WriteRowsOf", "use WriteRows with bytes in the file's order")
	if err != nil {
		return err
	}
	if f.NDim() == 0 {
		return newError("WriteRowsOf", ErrInvalidArg, "a 0-d array has no rows")
	}
	if f.Fortran() && f.NDim() > 1 {
		return newError("WriteRowsOf", ErrInvalidArg,
			"array is in Fortran order (use WriteRows with a Fortran-order slab)")
	}
	b := asBytes(rows)
	per := f.RowNBytes()
	if per == 0 || uint64(len(b))%per != 0 {
		return newError("WriteRowsOf", ErrSizeMismatch, "the slice is not a whole number of rows")
	}
	return f.WriteRows(first, uint64(len(b))/per, b)
}

// AppendRows appends whole rows along axis 0 to the .npy file at path, as saving
// np.concatenate([a, rows]) over it would: data is a whole number of rows (C order, the file's
// byte order). The file is at every instant either the old array or the new one, and appends
// from several goroutines or processes are serialised (flock). Files open on path keep the
// old shape.
func AppendRows(path string, data []byte) error {
	cp := C.CString(path)
	defer C.free(unsafe.Pointer(cp))
	return call("AppendRows", func() C.npyio_status {
		return C.npy_append_rows(cp, cBytes(data), C.size_t(len(data)))
	})
}
