package npyio

/*
#include <stdlib.h>
#include "npyio.h"
*/
import "C"

import (
	"reflect"
	"strconv"
	"unsafe"
)

// Numeric is the set of Go element types that have a NumPy dtype: bool (|b1), the sized
// integers and int/uint (i8/u8 on 64-bit platforms), float32/64 and complex64/128, and
// named types based on them. Reads and writes of these types use the host's byte order.
type Numeric interface {
	~bool | ~int8 | ~int16 | ~int32 | ~int64 | ~int |
		~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uint |
		~float32 | ~float64 | ~complex64 | ~complex128
}

// kindOf returns NumPy's dtype.kind and the item size of T.
func kindOf[T Numeric]() (byte, int) {
	var zero T
	size := int(unsafe.Sizeof(zero))
	switch reflect.TypeOf(zero).Kind() {
	case reflect.Bool:
		return 'b', size
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Int:
		return 'i', size
	case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uint:
		return 'u', size
	case reflect.Float32, reflect.Float64:
		return 'f', size
	default: // Complex64, Complex128
		return 'c', size
	}
}

var hostLittleEndian = func() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}()

func nativeOrder() byte {
	if hostLittleEndian {
		return '<'
	}
	return '>'
}

// DescrOf returns the dtype string of T in the host's byte order: "<f8", "|b1", "<c16", ...
func DescrOf[T Numeric]() string {
	kind, size := kindOf[T]()
	order := nativeOrder()
	if size == 1 {
		order = '|'
	}
	return string([]byte{order, kind}) + strconv.Itoa(size)
}

// withDType parses descr ("<f8", "'<f8'", "int32", "[('x', '<f4')]") for the duration of fn.
func withDType(op, descr string, fn func(*C.npyio_dtype) error) error {
	cs := C.CString(descr)
	defer C.free(unsafe.Pointer(cs))
	var dt *C.npyio_dtype
	if err := call(op, func() C.npyio_status { return C.npyio_dtype_parse(cs, &dt) }); err != nil {
		return err
	}
	defer C.npyio_dtype_free(dt)
	return fn(dt)
}

// cShape returns a C pointer for shape: NULL for a nil slice, a pointer to a zero for an
// empty non-nil one (a 0-d array where the C API wants a non-NULL pointer), else &shape[0].
// The Go memory holds no Go pointers, so it may be passed to C for the duration of a call.
func cShape(shape []uint64) *C.uint64_t {
	if shape == nil {
		return nil
	}
	if len(shape) == 0 {
		return (*C.uint64_t)(unsafe.Pointer(&zeroDim))
	}
	return (*C.uint64_t)(unsafe.Pointer(&shape[0]))
}

var zeroDim uint64

// cBytes returns a pointer to data's first byte, or nil for an empty slice.
func cBytes(data []byte) unsafe.Pointer {
	if len(data) == 0 {
		return nil
	}
	return unsafe.Pointer(&data[0])
}

// asBytes views a slice of elements as its bytes (no copy).
func asBytes[T Numeric](s []T) []byte {
	if len(s) == 0 {
		return nil
	}
	var zero T
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*int(unsafe.Sizeof(zero)))
}

// stripQuotes turns the header descr "'<f8'" into "<f8"; records stay as they are.
func stripQuotes(descr string) string {
	if len(descr) >= 2 && descr[0] == '\'' && descr[len(descr)-1] == '\'' {
		return descr[1 : len(descr)-1]
	}
	return descr
}
