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

// cAlloc collects C allocations for one call's options and frees them together.
type cAlloc struct {
	ptrs   []unsafe.Pointer
	dtypes []*C.npyio_dtype
}

func (a *cAlloc) str(s string) *C.char {
	p := C.CString(s)
	a.ptrs = append(a.ptrs, unsafe.Pointer(p))
	return p
}

// optStr is NULL for "", else a C copy of s.
func (a *cAlloc) optStr(s string) *C.char {
	if s == "" {
		return nil
	}
	return a.str(s)
}

// strs returns a C array of C strings (NULL for an empty list).
func (a *cAlloc) strs(list []string) **C.char {
	if len(list) == 0 {
		return nil
	}
	arr := (**C.char)(C.malloc(C.size_t(len(list)) * C.size_t(unsafe.Sizeof(uintptr(0)))))
	a.ptrs = append(a.ptrs, unsafe.Pointer(arr))
	view := unsafe.Slice(arr, len(list))
	for i, s := range list {
		view[i] = a.str(s)
	}
	return arr
}

// int64s returns a C copy of list (NULL when empty).
func (a *cAlloc) int64s(list []int64) *C.int64_t {
	if len(list) == 0 {
		return nil
	}
	arr := (*C.int64_t)(C.malloc(C.size_t(len(list)) * 8))
	a.ptrs = append(a.ptrs, unsafe.Pointer(arr))
	copy(unsafe.Slice((*int64)(unsafe.Pointer(arr)), len(list)), list)
	return arr
}

func (a *cAlloc) free() {
	for _, p := range a.ptrs {
		C.free(p)
	}
	for _, d := range a.dtypes {
		C.npyio_dtype_free(d)
	}
	a.ptrs, a.dtypes = nil, nil
}

// dtype parses descr ("" gives NULL: the library's default, float64); freed by free().
func (a *cAlloc) dtype(op, descr string) (*C.npyio_dtype, error) {
	if descr == "" {
		return nil, nil
	}
	cs := a.str(descr)
	var dt *C.npyio_dtype
	if err := call(op, func() C.npyio_status { return C.npyio_dtype_parse(cs, &dt) }); err != nil {
		return nil, err
	}
	a.dtypes = append(a.dtypes, dt)
	return dt, nil
}

// LoadTxtOptions are np.loadtxt's arguments. The zero value means NumPy's defaults.
type LoadTxtOptions struct {
	DType     string   // result dtype ("<i4", "[('x', '<f8'), ('n', '<i8')]"); "": float64
	Comments  []string // comment markers; nil: "#"; an empty non-nil slice: none
	Delimiter string   // one character; "": runs of whitespace
	QuoteChar string   // one character; "": no quoting
	SkipRows  uint64   // physical lines skipped first
	UseCols   []int64  // column indices (negative from the end); nil: all
	NDmin     int      // 0, 1 or 2
	MaxRows   int64    // rows to read; 0: all
}

func (o *LoadTxtOptions) toC(op string, a *cAlloc) (*C.npyio_loadtxt_options, error) {
	if o == nil {
		return nil, nil
	}
	// The C struct as the header declares it; _init sets NumPy's defaults and its
	// struct_size, which the library checks (never set it here).
	c := (*C.npyio_loadtxt_options)(C.malloc(C.size_t(unsafe.Sizeof(C.npyio_loadtxt_options{}))))
	a.ptrs = append(a.ptrs, unsafe.Pointer(c))
	if err := call(op, func() C.npyio_status { return C.npyio_loadtxt_options_init(c) }); err != nil {
		return nil, err
	}
	dt, err := a.dtype(op, o.DType)
	if err != nil {
		return nil, err
	}
	c.dtype = dt
	if o.Comments != nil {
		c.comments = a.strs(o.Comments)
		c.n_comments = C.size_t(len(o.Comments))
	}
	c.delimiter = a.optStr(o.Delimiter)
	c.quotechar = a.optStr(o.QuoteChar)
	c.skiprows = C.uint64_t(o.SkipRows)
	c.usecols = a.int64s(o.UseCols)
	c.n_usecols = C.size_t(len(o.UseCols))
	c.ndmin = C.int32_t(o.NDmin)
	if o.MaxRows != 0 {
		c.max_rows = C.int64_t(o.MaxRows)
	}
	return c, nil
}

// LoadTxt reads the text table at path as np.loadtxt does (opts nil: NumPy's defaults).
// The result is an in-memory File: Read it, Save it, or view it with MmapSlice.
// Parse errors (ErrParse) name the line and column.
func LoadTxt(path string, opts *LoadTxtOptions) (*File, error) {
	var a cAlloc
	defer a.free()
	copts, err := opts.toC("LoadTxt", &a)
	if err != nil {
		return nil, err
	}
	cp := a.str(path)
	var c *C.npy_file
	if err := call("LoadTxt", func() C.npyio_status { return C.npy_loadtxt(cp, copts, &c) }); err != nil {
		return nil, err
	}
	return newFile(c, nil), nil
}

// LoadTxtMemory is LoadTxt of text held in memory.
func LoadTxtMemory(text []byte, opts *LoadTxtOptions) (*File, error) {
	var a cAlloc
	defer a.free()
	copts, err := opts.toC("LoadTxtMemory", &a)
	if err != nil {
		return nil, err
	}
	var c *C.npy_file
	err = call("LoadTxtMemory", func() C.npyio_status {
		return C.npy_loadtxt_memory(cBytes(text), C.size_t(len(text)), copts, &c)
	})
	if err != nil {
		return nil, err
	}
	return newFile(c, nil), nil
}

// LoadTxtToNpy writes np.save(npyPath, np.loadtxt(txtPath, ...)) without holding the text
// or the array in memory, and returns the number of rows.
func LoadTxtToNpy(txtPath, npyPath string, opts *LoadTxtOptions) (uint64, error) {
	var a cAlloc
	defer a.free()
	copts, err := opts.toC("LoadTxtToNpy", &a)
	if err != nil {
		return 0, err
	}
	ct, cn := a.str(txtPath), a.str(npyPath)
	var rows C.uint64_t
	err = call("LoadTxtToNpy", func() C.npyio_status { return C.npy_loadtxt_to_npy(ct, cn, copts, &rows) })
	return uint64(rows), err
}

// GenFromTxtOptions are (the common) np.genfromtxt arguments. The zero value means NumPy's
// defaults.
type GenFromTxtOptions struct {
	DType         string  // result dtype; "": float64
	Comments      string  // comment marker; "": "#"
	NoComments    bool    // no comment marker at all
	Delimiter     string  // any length; "": whitespace
	SkipHeader    uint64  // lines skipped first
	SkipFooter    uint64  // data rows dropped at the end
	MissingValues string  // comma-separated strings marking a missing value
	FillingValue  string  // text for missing values; "": NumPy's defaults (nan, -1, ...)
	UseCols       []int64 // column indices; nil: all
	Names         bool    // names=True: field names from the first line
	AutoStrip     bool    // strip whitespace from each field
	Strict        bool    // loose=False: unparsable values are errors
	SkipInvalid   bool    // invalid_raise=False: skip rows with the wrong column count
	MaxRows       int64   // 0: all
	NDmin         int     // 0, 1 or 2
}

func (o *GenFromTxtOptions) toC(op string, a *cAlloc) (*C.npyio_genfromtxt_options, error) {
	if o == nil {
		return nil, nil
	}
	c := (*C.npyio_genfromtxt_options)(C.malloc(C.size_t(unsafe.Sizeof(C.npyio_genfromtxt_options{}))))
	a.ptrs = append(a.ptrs, unsafe.Pointer(c))
	if err := call(op, func() C.npyio_status { return C.npyio_genfromtxt_options_init(c) }); err != nil {
		return nil, err
	}
	dt, err := a.dtype(op, o.DType)
	if err != nil {
		return nil, err
	}
	c.dtype = dt
	if o.NoComments {
		c.comments = nil
	} else if o.Comments != "" {
		c.comments = a.str(o.Comments)
	}
	c.delimiter = a.optStr(o.Delimiter)
	c.skip_header = C.uint64_t(o.SkipHeader)
	c.skip_footer = C.uint64_t(o.SkipFooter)
	c.missing_values = a.optStr(o.MissingValues)
	c.filling_value = a.optStr(o.FillingValue)
	c.usecols = a.int64s(o.UseCols)
	c.n_usecols = C.size_t(len(o.UseCols))
	if o.Names {
		c.names = 1
	}
	if o.AutoStrip {
		c.autostrip = 1
	}
	if o.Strict {
		c.loose = 0
	}
	if o.SkipInvalid {
		c.invalid_raise = 0
	}
	if o.MaxRows != 0 {
		c.max_rows = C.int64_t(o.MaxRows)
	}
	c.ndmin = C.int32_t(o.NDmin)
	return c, nil
}

// GenFromTxt reads the text table at path as np.genfromtxt does (opts nil: NumPy's
// defaults). With withMask, mask is the usemask=True mask (true where a value was missing);
// otherwise it is nil. Close both Files.
func GenFromTxt(path string, opts *GenFromTxtOptions, withMask bool) (data, mask *File, err error) {
	var a cAlloc
	defer a.free()
	copts, err := opts.toC("GenFromTxt", &a)
	if err != nil {
		return nil, nil, err
	}
	cp := a.str(path)
	var cd, cm *C.npy_file
	var pm **C.npy_file
	if withMask {
		pm = &cm
	}
	if err := call("GenFromTxt", func() C.npyio_status { return C.npy_genfromtxt(cp, copts, &cd, pm) }); err != nil {
		return nil, nil, err
	}
	data = newFile(cd, nil)
	if cm != nil {
		mask = newFile(cm, nil)
	}
	return data, mask, nil
}

// SaveTxtOptions are np.savetxt's arguments. The zero value means NumPy's defaults.
type SaveTxtOptions struct {
	Fmt       string   // one format for every column, or one per column; "": "%.18e"
	Fmts      []string // one format per column, joined by Delimiter (instead of Fmt)
	Delimiter string   // "": " "
	Newline   string   // "": "\n"
	Header    string   // written first, each line prefixed with Comments
	Footer    string   // written last, likewise
	Comments  string   // "": "# "
}

func (o *SaveTxtOptions) toC(op string, a *cAlloc) (*C.npyio_savetxt_options, error) {
	if o == nil {
		return nil, nil
	}
	c := (*C.npyio_savetxt_options)(C.malloc(C.size_t(unsafe.Sizeof(C.npyio_savetxt_options{}))))
	a.ptrs = append(a.ptrs, unsafe.Pointer(c))
	if err := call(op, func() C.npyio_status { return C.npyio_savetxt_options_init(c) }); err != nil {
		return nil, err
	}
	if o.Fmt != "" {
		c.fmt = a.str(o.Fmt)
	}
	if len(o.Fmts) > 0 {
		c.fmts = a.strs(o.Fmts)
		c.n_fmts = C.size_t(len(o.Fmts))
	}
	if o.Delimiter != "" {
		c.delimiter = a.str(o.Delimiter)
	}
	if o.Newline != "" {
		c.newline = a.str(o.Newline)
	}
	c.header = a.optStr(o.Header)
	c.footer = a.optStr(o.Footer)
	if o.Comments != "" {
		c.comments = a.str(o.Comments)
	}
	return c, nil
}

// SaveTxt writes the array f (1-D, 2-D, or 1-D structured) to path as np.savetxt does,
// byte for byte (opts nil: NumPy's defaults).
func SaveTxt(path string, f *File, opts *SaveTxtOptions) error {
	if err := f.live("SaveTxt"); err != nil {
		return err
	}
	var a cAlloc
	defer a.free()
	copts, err := opts.toC("SaveTxt", &a)
	if err != nil {
		return err
	}
	cp := a.str(path)
	err = call("SaveTxt", func() C.npyio_status { return C.npy_savetxt(cp, f.c, copts) })
	runtime.KeepAlive(f)
	return err
}

// SaveTxtData writes data (C order, dtype DescrOf[T]) with the given shape as np.savetxt.
func SaveTxtData[T Numeric](path string, data []T, shape []uint64, opts *SaveTxtOptions) error {
	var a cAlloc
	defer a.free()
	copts, err := opts.toC("SaveTxtData", &a)
	if err != nil {
		return err
	}
	dt, err := a.dtype("SaveTxtData", DescrOf[T]())
	if err != nil {
		return err
	}
	cp := a.str(path)
	raw := asBytes(data)
	return call("SaveTxtData", func() C.npyio_status {
		return C.npy_savetxt_data(cp, dt, C.size_t(len(shape)), cShape(shape), cBytes(raw),
			C.size_t(len(raw)), copts)
	})
}
