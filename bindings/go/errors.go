package npyio

/*
#cgo pkg-config: npyio
#include <stdlib.h>
#include "npyio.h"
*/
import "C"

import (
	"io/fs"
	"runtime"
	"syscall"
	"unsafe"
)

// Status is a libnpyio status code (NPYIO_OK or a negative NPYIO_ERR_* code). A Status is
// itself an error whose text is the library's static description, so the codes below work
// as sentinels: errors.Is(err, npyio.ErrNotFound).
type Status int32

// The status codes of npyio.h. Codes never change meaning.
const (
	OK                    Status = C.NPYIO_OK
	ErrNullArg            Status = C.NPYIO_ERR_NULL_ARG
	ErrPanic              Status = C.NPYIO_ERR_PANIC
	ErrIO                 Status = C.NPYIO_ERR_IO
	ErrBadMagic           Status = C.NPYIO_ERR_BAD_MAGIC
	ErrUnsupportedVersion Status = C.NPYIO_ERR_UNSUPPORTED_VERSION
	ErrBadHeader          Status = C.NPYIO_ERR_BAD_HEADER
	ErrBadDType           Status = C.NPYIO_ERR_BAD_DTYPE
	ErrObjectDType        Status = C.NPYIO_ERR_OBJECT_DTYPE
	ErrOverflow           Status = C.NPYIO_ERR_OVERFLOW
	ErrTruncated          Status = C.NPYIO_ERR_TRUNCATED
	ErrLimit              Status = C.NPYIO_ERR_LIMIT
	ErrBufferTooSmall     Status = C.NPYIO_ERR_BUFFER_TOO_SMALL
	ErrInvalidArg         Status = C.NPYIO_ERR_INVALID_ARG
	ErrSizeMismatch       Status = C.NPYIO_ERR_SIZE_MISMATCH
	ErrEncoding           Status = C.NPYIO_ERR_ENCODING
	ErrAlloc              Status = C.NPYIO_ERR_ALLOC
	ErrZip                Status = C.NPYIO_ERR_ZIP
	ErrCRC                Status = C.NPYIO_ERR_CRC
	ErrUnsupported        Status = C.NPYIO_ERR_UNSUPPORTED
	ErrNotFound           Status = C.NPYIO_ERR_NOT_FOUND
	ErrNotMappable        Status = C.NPYIO_ERR_NOT_MAPPABLE
	ErrParse              Status = C.NPYIO_ERR_PARSE
	ErrState              Status = C.NPYIO_ERR_STATE
	ErrCast               Status = C.NPYIO_ERR_CAST
)

// Error returns the library's static description of the code (npyio_status_str).
func (s Status) Error() string { return C.GoString(C.npyio_status_str(C.int32_t(s))) }

// Error is a failed call: the status code, the Go function that failed, the message
// libnpyio gave for it (npyio_last_error), which names the file and the problem, and the
// operating system's error number behind it (npyio_last_errno; 0 when there was none).
// Use errors.As to get at it (or at its syscall.Errno) and errors.Is to compare its code with
// a sentinel Status or with io/fs's errors: a file or member that does not exist
// (ErrNotFound) is fs.ErrNotExist, a permission error fs.ErrPermission.
type Error struct {
	Code  Status        // NPYIO_ERR_* code
	Op    string        // the Go function, e.g. "Open" or "Read"
	Msg   string        // e.g. "w.npy: header: missing key 'shape'"
	Errno syscall.Errno // e.g. syscall.ENOENT; 0 when the failure was not the OS's
}

func (e *Error) Error() string { return "npyio: " + e.Op + ": " + e.Msg }

// Unwrap returns the Status, so errors.Is(err, npyio.ErrNotFound) works.
func (e *Error) Unwrap() error { return e.Code }

// Is reports whether target is the same Status as e.Code, or the io/fs error that e.Code or
// e.Errno stands for (fs.ErrNotExist for ErrNotFound, fs.ErrPermission for EACCES, ...).
func (e *Error) Is(target error) bool {
	if s, ok := target.(Status); ok {
		return s == e.Code
	}
	if target == fs.ErrNotExist && e.Code == ErrNotFound {
		return true
	}
	return e.Errno != 0 && e.Errno.Is(target)
}

// As sets *target to e.Errno when target is a *syscall.Errno and the failure had one.
func (e *Error) As(target interface{}) bool {
	if p, ok := target.(*syscall.Errno); ok && e.Errno != 0 {
		*p = e.Errno
		return true
	}
	return false
}

func newError(op string, code Status, msg string) error {
	if msg == "" {
		msg = code.Error()
	}
	return &Error{Code: code, Op: op, Msg: msg}
}

// call runs fn (one C call returning npyio_status) with the goroutine locked to its OS thread,
// so that the thread-local message read after a failure belongs to that failure.
func call(op string, fn func() C.npyio_status) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	st := Status(fn())
	if st == OK {
		return nil
	}
	err := newError(op, st, lastError())
	err.(*Error).Errno = syscall.Errno(C.npyio_last_errno())
	return err
}

// lastError copies this thread's npyio_last_error message. Call it on a locked thread.
func lastError() string {
	n := C.npyio_last_error(nil, 0)
	if n == 0 {
		return ""
	}
	buf := make([]byte, int(n)+1)
	C.npyio_last_error((*C.char)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)))
	return string(buf[:n])
}

// Version returns the library version, e.g. "0.1.0".
func Version() string { return C.GoString(C.npyio_version()) }

// Limits for SetLimit / GetLimit.
const (
	LimitHeaderLen     = int32(C.NPYIO_LIMIT_HEADER_LEN)
	LimitNpzMembers    = int32(C.NPYIO_LIMIT_NPZ_MEMBERS)
	LimitNpzMemberSize = int32(C.NPYIO_LIMIT_NPZ_MEMBER_SIZE)
	LimitReadThreads   = int32(C.NPYIO_LIMIT_READ_THREADS)
)

// SetLimit sets a process-wide limit (Limit*); 0 restores the default.
func SetLimit(which int32, value uint64) error {
	return call("SetLimit", func() C.npyio_status {
		return C.npyio_set_limit(C.int32_t(which), C.uint64_t(value))
	})
}

// GetLimit returns the current value of a limit (0 for an unknown one).
func GetLimit(which int32) uint64 { return uint64(C.npyio_get_limit(C.int32_t(which))) }
