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

// MmapMode is how Mmap maps a file, as np.load's mmap_mode.
type MmapMode int32

const (
	// MmapRead is mmap_mode='r': read-only. Writing to Data() crashes the program.
	MmapRead MmapMode = C.NPYIO_MMAP_READ
	// MmapReadWrite is mmap_mode='r+': writes through Data() reach the file (see Flush).
	MmapReadWrite MmapMode = C.NPYIO_MMAP_READ_WRITE
	// MmapCopyOnWrite is mmap_mode='c': writes stay in memory, never reach the file.
	MmapCopyOnWrite MmapMode = C.NPYIO_MMAP_COPY_ON_WRITE
	// MmapWritePlus is mode='w+' for MmapRaw: create or replace the file, zeroed.
	MmapWritePlus MmapMode = C.NPYIO_MMAP_CREATE
)

// Mmap maps the .npy file at path (np.load(path, mmap_mode=...)). Data and MmapSlice give
// the array's bytes, as stored (byte order and memory order unchanged), valid until Close.
//
// Keep the File reachable while you use those slices: call Close explicitly (defer f.Close()
// does this), because the finalizer of an unreachable File unmaps the memory.
func Mmap(path string, mode MmapMode) (*File, error) {
	cp := C.CString(path)
	defer C.free(unsafe.Pointer(cp))
	var c *C.npy_file
	if err := call("Mmap", func() C.npyio_status { return C.npy_mmap(cp, C.npy_mmap_mode(mode), &c) }); err != nil {
		return nil, err
	}
	return newFile(c, nil), nil
}

// MmapCreate creates a new .npy file and maps it read-write, zeroed, like NumPy's
// open_memmap(path, mode='w+', dtype, shape, fortran_order). Fill Data(), then Flush, Close.
func MmapCreate(path, descr string, shape []uint64, fortran bool) (*File, error) {
	cp := C.CString(path)
	defer C.free(unsafe.Pointer(cp))
	var c *C.npy_file
	err := withDType("MmapCreate", descr, func(dt *C.npyio_dtype) error {
		return call("MmapCreate", func() C.npyio_status {
			return C.npy_mmap_create(cp, dt, C.size_t(len(shape)), cShape(shape), C.bool(fortran), &c)
		})
	})
	if err != nil {
		return nil, err
	}
	return newFile(c, nil), nil
}

// MmapRaw maps a raw file without a header, like np.memmap(path, dtype, mode, offset, shape,
// order). A nil shape means one dimension holding every item after offset (shape=None); an
// empty non-nil shape maps a 0-d array.
func MmapRaw(path, descr string, mode MmapMode, offset uint64, shape []uint64, fortran bool) (*File, error) {
	cp := C.CString(path)
	defer C.free(unsafe.Pointer(cp))
	var c *C.npy_file
	err := withDType("MmapRaw", descr, func(dt *C.npyio_dtype) error {
		return call("MmapRaw", func() C.npyio_status {
			return C.npy_mmap_raw(cp, dt, C.npy_mmap_mode(mode), C.uint64_t(offset),
				C.size_t(len(shape)), cShape(shape), C.bool(fortran), &c)
		})
	})
	if err != nil {
		return nil, err
	}
	return newFile(c, nil), nil
}

// Data returns the array's bytes in memory (a map, or the copy behind OpenMemory), as stored,
// valid until Close. It is writable for MmapReadWrite, MmapCopyOnWrite and MmapCreate maps;
// for other arrays it must only be read. nil for an array opened with Open or a closed File.
func (f *File) Data() []byte {
	if f == nil || f.c == nil {
		return nil
	}
	p := C.npy_data_mut(f.c)
	if p == nil {
		p = unsafe.Pointer(C.npy_data(f.c))
	}
	n := uint64(C.npy_nbytes(f.c))
	runtime.KeepAlive(f)
	if p == nil || n == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(p), int(n))
}

// Writable reports whether Data() may be written to.
func (f *File) Writable() bool {
	w := C.npy_data_mut(f.c) != nil
	runtime.KeepAlive(f)
	return w
}

// Flush writes a MmapReadWrite map's changed pages to the file and waits (msync); a no-op
// for other arrays.
func (f *File) Flush() error {
	if err := f.live("Flush"); err != nil {
		return err
	}
	err := call("Flush", func() C.npyio_status { return C.npy_flush(f.c) })
	runtime.KeepAlive(f)
	return err
}

// MmapSlice views a mapped (or in-memory) array as a []T without copying, valid until Close
// (keep the File reachable meanwhile). The dtype must match T and be in the host's byte
// order, and the data must be aligned for T (always for .npy files; NumPy's own archives
// need not be, archives written with NpzAlign are); otherwise ErrInvalidArg, and Read copies
// instead. The elements are in the stored order: see Fortran().
func MmapSlice[T Numeric](f *File) ([]T, error) {
	if err := checkNativeType[T](f, "MmapSlice", "use Read to convert it"); err != nil {
		return nil, err
	}
	data := f.Data()
	if data == nil {
		if f.Count() == 0 {
			return []T{}, nil
		}
		return nil, newError("MmapSlice", ErrState, "array is not mapped or in memory")
	}
	var zero T
	if uintptr(unsafe.Pointer(&data[0]))%unsafe.Alignof(zero) != 0 {
		return nil, newError("MmapSlice", ErrInvalidArg, "data is not aligned for "+DescrOf[T]()+
			"; use Read to copy it")
	}
	n, err := intLen("MmapSlice", f.Count())
	if err != nil {
		return nil, err
	}
	return unsafe.Slice((*T)(unsafe.Pointer(&data[0])), n), nil
}
