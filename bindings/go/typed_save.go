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

// NpzCompressed (for NewNpzWriterOpts): members added with AddTyped are deflated, as
// np.savez_compressed writes them; without it they are stored, as np.savez writes them.
const NpzCompressed = uint32(C.NPYIO_NPZ_COMPRESSED)

// Save writes data (C order) with the given shape as np.save does, byte for byte
// (npy_save_typed): the dtype is T's in host byte order (DescrOf[T]), and nothing is parsed.
// len(data) must equal product(shape) (ErrSizeMismatch otherwise); an empty shape saves a
// 0-d array of data[0]. The file is replaced atomically: on error an old file is untouched.
func Save[T Numeric](path string, data []T, shape []uint64) error {
	cp := C.CString(path)
	defer C.free(unsafe.Pointer(cp))
	b := asBytes(data)
	return call("Save", func() C.npyio_status {
		return C.npy_save_typed(cp, typeOf[T](), C.size_t(len(shape)), cShape(shape),
			cBytes(b), C.size_t(len(b)))
	})
}

// AddTyped adds data (C order) with the given shape as member name + ".npy"
// (npz_writer_add_typed), stored as np.savez writes it, or deflated as np.savez_compressed
// does when the writer was made with NpzCompressed. len(data) must equal product(shape).
func AddTyped[T Numeric](w *NpzWriter, name string, data []T, shape []uint64) error {
	if err := w.live("AddTyped"); err != nil {
		return err
	}
	cn := C.CString(name)
	defer C.free(unsafe.Pointer(cn))
	b := asBytes(data)
	err := call("AddTyped", func() C.npyio_status {
		return C.npz_writer_add_typed(w.c, cn, typeOf[T](), C.size_t(len(shape)),
			cShape(shape), cBytes(b), C.size_t(len(b)))
	})
	runtime.KeepAlive(w)
	return err
}
