package npyio_test

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"libnpyio.dev/npyio"
)

// numpyDir holds the files testdata/numpy_side.py wrote; "" when no NumPy is available.
var (
	numpyDir string
	python   string
	skipWhy  string
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	python = os.Getenv("NPYIO_PYTHON")
	if python == "" {
		python = "python3"
	}
	dir, err := os.MkdirTemp("", "npyio-go-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	out, err := exec.Command(python, "testdata/numpy_side.py", "gen", dir).CombinedOutput()
	if err != nil {
		skipWhy = fmt.Sprintf("%s cannot run testdata/numpy_side.py: %v\n%s", python, err, out)
		if os.Getenv("NPYIO_REQUIRE_NUMPY") != "" {
			fmt.Fprintln(os.Stderr, "NPYIO_REQUIRE_NUMPY is set but "+skipWhy)
			return 1
		}
	} else {
		numpyDir = dir
	}
	return m.Run()
}

func needNumPy(t *testing.T) {
	t.Helper()
	if numpyDir == "" {
		t.Skip(skipWhy)
	}
}

func py(name string) string { return filepath.Join(numpyDir, "py_"+name) }

// must(f())(t) returns f's value, or fails the test with f's error.
func must[T any](v T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func eq[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: got %v, want %v", what, got, want)
	}
}

func readAll[T npyio.Numeric](t *testing.T, path string) ([]T, *npyio.File) {
	t.Helper()
	f := must(npyio.Open(path))(t)
	t.Cleanup(func() { f.Close() })
	return must(npyio.Read[T](f))(t), f
}

func wantCode(t *testing.T, what string, err error, code npyio.Status) {
	t.Helper()
	var e *npyio.Error
	if !errors.As(err, &e) {
		t.Errorf("%s: error %v (%T) is not an *npyio.Error", what, err, err)
		return
	}
	if e.Code != code || !errors.Is(err, code) {
		t.Errorf("%s: code %d (%v), want %d (%v)", what, e.Code, err, code, code)
	}
}

type celsius float64

func TestReadNumPyFiles(t *testing.T) {
	needNumPy(t)
	f8, f := readAll[float64](t, py("f8_2d.npy"))
	eq(t, "f8_2d shape", f.Shape(), []uint64{3, 4})
	eq(t, "f8_2d dtype", f.DType(), "<f8")
	eq(t, "f8_2d fortran", f.Fortran(), false)
	eq(t, "f8_2d nbytes", f.NBytes(), uint64(96))
	for i, v := range f8 {
		if v != float64(i)*0.5-1 {
			t.Fatalf("f8_2d[%d] = %v", i, v)
		}
	}
	i4, f := readAll[int32](t, py("i4_be.npy"))
	eq(t, "i4_be dtype", f.DType(), ">i4")
	eq(t, "i4_be", i4, []int32{1, -2, 300000, -400000, math.MaxInt32})

	i2, f := readAll[int16](t, py("i2_fortran.npy"))
	eq(t, "i2_fortran fortran", f.Fortran(), true)
	want := make([]int16, 12)
	for i := range want {
		want[i] = int16(i - 5)
	}
	eq(t, "i2_fortran in C order", i2, want)

	c16, _ := readAll[complex128](t, py("c16_be.npy"))
	eq(t, "c16_be", c16, []complex128{1 + 2i, -3.5 - 0.25i})
	c8, _ := readAll[complex64](t, py("c8.npy"))
	eq(t, "c8", c8, []complex64{0.5 - 1i, 2})
	b, _ := readAll[bool](t, py("bool.npy"))
	eq(t, "bool", b, []bool{true, false, true})
	u8, _ := readAll[uint64](t, py("u8.npy"))
	eq(t, "u8", u8, []uint64{0, math.MaxUint64})
	i1, _ := readAll[int8](t, py("i1.npy"))
	eq(t, "i1", i1, []int8{-128, 127})
	// Go's int is 8 bytes here, so it reads <i8.
	ints, _ := readAll[int](t, py("i8.npy"))
	eq(t, "i8 as int", ints, []int{0, -7, -14, -21, -28})

	f4, f := readAll[float32](t, py("f4_0d.npy"))
	eq(t, "0-d", f4, []float32{2.5})
	eq(t, "0-d shape", f.Shape(), []uint64{})
	eq(t, "0-d ndim", f.NDim(), 0)

	empty, f := readAll[float64](t, py("empty.npy"))
	eq(t, "empty len", len(empty), 0)
	eq(t, "empty shape", f.Shape(), []uint64{0, 3})

	data, shape, err := npyio.Load[float64](py("f8_2d.npy"))
	if err != nil || len(data) != 12 || !reflect.DeepEqual(shape, []uint64{3, 4}) {
		t.Errorf("Load: %v %v %v", data, shape, err)
	}
}

func TestDTypeChecked(t *testing.T) {
	needNumPy(t)
	f := must(npyio.Open(py("f8_2d.npy")))(t)
	defer f.Close()
	_, err := npyio.Read[float32](f)
	wantCode(t, "Read[float32] of <f8", err, npyio.ErrInvalidArg)
	_, err = npyio.Read[int64](f)
	wantCode(t, "Read[int64] of <f8", err, npyio.ErrInvalidArg)
	if err == nil || !strings.Contains(err.Error(), "<f8") {
		t.Errorf("message should name the dtype: %v", err)
	}
	// A named type based on float64 reads <f8.
	temps := must(npyio.Read[celsius](f))(t)
	eq(t, "celsius[1]", temps[1], celsius(-0.5))

	r := must(npyio.Open(py("record.npy")))(t)
	defer r.Close()
	eq(t, "record dtype", r.DType(), "[('a', '<i4'), ('b', '<f8')]")
	_, err = npyio.Read[int32](r)
	wantCode(t, "Read[int32] of a record", err, npyio.ErrInvalidArg)
	raw := make([]byte, r.NBytes())
	if err := r.ReadInto(raw, 0); err != nil {
		t.Fatal(err)
	}
	eq(t, "record raw a", raw[:4], []byte{1, 0, 0, 0})
	wantCode(t, "short buffer", r.ReadInto(raw[:5], 0), npyio.ErrBufferTooSmall)
}

func TestReadRows(t *testing.T) {
	needNumPy(t)
	f := must(npyio.Open(py("rows.npy")))(t)
	defer f.Close()
	rows := must(npyio.ReadRows[uint16](f, 1, 2))(t)
	eq(t, "rows 1..2", rows, []uint16{4, 5, 6, 7, 8, 9, 10, 11})
	_, err := npyio.ReadRows[uint16](f, 4, 2)
	wantCode(t, "rows past the end", err, npyio.ErrInvalidArg)
	raw := make([]byte, 8)
	if err := f.ReadRowsInto(0, 1, raw, 0); err != nil {
		t.Fatal(err)
	}
	eq(t, "raw big-endian row", raw, []byte{0, 0, 0, 1, 0, 2, 0, 3})
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := npyio.Open(filepath.Join(dir, "missing.npy"))
	wantCode(t, "Open missing", err, npyio.ErrNotFound)
	if err == nil || !strings.Contains(err.Error(), "missing.npy") {
		t.Errorf("message should name the file: %v", err)
	}
	var e *npyio.Error
	if errors.As(err, &e) && (e.Op != "Open" || e.Msg == "") {
		t.Errorf("Error fields: %+v", e)
	}
	if errors.Is(err, npyio.ErrIO) {
		t.Errorf("errors.Is matched the wrong code")
	}
	junk := filepath.Join(dir, "junk.npy")
	if err := os.WriteFile(junk, []byte("not a numpy file at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = npyio.Open(junk)
	wantCode(t, "bad magic", err, npyio.ErrBadMagic)
	_, err = npyio.OpenNpz(junk)
	wantCode(t, "not a zip", err, npyio.ErrZip)
	_, err = npyio.Mmap(junk, npyio.MmapMode(42))
	wantCode(t, "bad mode", err, npyio.ErrInvalidArg)
	wantCode(t, "bad descr", npyio.SaveBytes(filepath.Join(dir, "x.npy"), "<q7", []uint64{1}, false, []byte{1}), npyio.ErrBadDType)
	wantCode(t, "size mismatch", npyio.Save(filepath.Join(dir, "x.npy"), []float64{1, 2, 3}, []uint64{2, 2}), npyio.ErrSizeMismatch)
	if _, err := os.Stat(filepath.Join(dir, "x.npy")); !os.IsNotExist(err) {
		t.Errorf("a failed save left a file: %v", err)
	}
	eq(t, "status text", npyio.ErrNotFound.Error() != "", true)

	// Closed handles report ErrState, getters return zero values, Close twice is fine.
	if err := npyio.Save(filepath.Join(dir, "c.npy"), []float64{1}, []uint64{1}); err != nil {
		t.Fatal(err)
	}
	f := must(npyio.Open(filepath.Join(dir, "c.npy")))(t)
	f.Close()
	f.Close()
	_, err = npyio.Read[float64](f)
	wantCode(t, "read after close", err, npyio.ErrState)
	eq(t, "shape after close", f.Shape(), []uint64(nil))
	eq(t, "nbytes after close", f.NBytes(), uint64(0))

	// Limits, and the message of an error from another goroutine's thread is not ours.
	old := npyio.GetLimit(npyio.LimitHeaderLen)
	if err := npyio.SetLimit(npyio.LimitHeaderLen, 16); err != nil {
		t.Fatal(err)
	}
	_, err = npyio.Open(filepath.Join(dir, "c.npy"))
	wantCode(t, "header limit", err, npyio.ErrLimit)
	if err := npyio.SetLimit(npyio.LimitHeaderLen, 0); err != nil {
		t.Fatal(err)
	}
	eq(t, "limit restored", npyio.GetLimit(npyio.LimitHeaderLen), old)
	wantCode(t, "unknown limit", npyio.SetLimit(999, 1), npyio.ErrInvalidArg)
	if v := npyio.Version(); !strings.Contains(v, ".") {
		t.Errorf("Version() = %q", v)
	}
}

func TestErrorMessagesUnderConcurrency(t *testing.T) {
	// Each goroutine's error must carry the message of its own failure, even though the
	// library keeps the last message per OS thread and goroutines move between threads.
	dir := t.TempDir()
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				name := fmt.Sprintf("missing-%d-%d.npy", g, i)
				_, err := npyio.Open(filepath.Join(dir, name))
				if err == nil || !strings.Contains(err.Error(), name) {
					errs <- fmt.Sprintf("goroutine %d: %v", g, err)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestNpzRead(t *testing.T) {
	needNumPy(t)
	z := must(npyio.OpenNpz(py("arch.npz")))(t)
	defer z.Close()
	eq(t, "names", z.Names(), []string{"a", "b", "notes.txt"})
	eq(t, "len", z.Len(), 3)
	a := must(z.Member("a"))(t)
	defer a.Close()
	eq(t, "a shape", a.Shape(), []uint64{2, 3})
	eq(t, "a", must(npyio.Read[int32](a))(t), []int32{0, 1, 2, 3, 4, 5})
	b := must(z.Member("b.npy"))(t)
	defer b.Close()
	eq(t, "b", must(npyio.Read[float64](b))(t), []float64{0.5, 1.5})
	eq(t, "notes", string(must(z.ReadRaw("notes.txt"))(t)), "hello from numpy")
	_, err := z.Member("nope")
	wantCode(t, "missing member", err, npyio.ErrNotFound)
	eq(t, "compression", z.MemberCompression(0), npyio.Stored)

	// A stored member maps zero-copy; NumPy does not align members, so a typed view is
	// only offered when the data happens to be aligned. Members outlive the archive.
	m := must(z.MmapMember("a"))(t)
	defer m.Close()
	z.Close()
	data := m.Data()
	eq(t, "mapped bytes", len(data), 24)
	if s, err := npyio.MmapSlice[int32](m); err == nil {
		eq(t, "mapped a", s, []int32{0, 1, 2, 3, 4, 5})
	} else {
		wantCode(t, "misaligned view", err, npyio.ErrInvalidArg)
	}
	eq(t, "mapped a read", must(npyio.Read[int32](m))(t), []int32{0, 1, 2, 3, 4, 5})

	c := must(npyio.OpenNpz(py("arch_c.npz")))(t)
	defer c.Close()
	eq(t, "deflate", c.MemberCompression(0), npyio.Deflate)
	x := must(c.Member("x"))(t)
	defer x.Close()
	xs := must(npyio.Read[float64](x))(t)
	eq(t, "x[10]", xs[10], 1.0)
	_, err = c.MmapMember("x")
	wantCode(t, "map deflate", err, npyio.ErrNotMappable)
}

func TestMmapRead(t *testing.T) {
	needNumPy(t)
	m := must(npyio.Mmap(py("mm.npy"), npyio.MmapRead))(t)
	defer m.Close()
	eq(t, "writable", m.Writable(), false)
	s := must(npyio.MmapSlice[float64](m))(t)
	eq(t, "len", len(s), 12)
	eq(t, "s[11]", s[11], 11.25)
	_, err := npyio.MmapSlice[int64](m)
	wantCode(t, "wrong type", err, npyio.ErrInvalidArg)

	sw := must(npyio.Mmap(py("mm_swapped.npy"), npyio.MmapRead))(t)
	defer sw.Close()
	_, err = npyio.MmapSlice[int32](sw)
	wantCode(t, "swapped view", err, npyio.ErrInvalidArg)
	eq(t, "swapped read", must(npyio.Read[int32](sw))(t), []int32{0, 1, 2, 3})

	// A file opened from a path has no in-memory data.
	f := must(npyio.Open(py("mm.npy")))(t)
	defer f.Close()
	eq(t, "Data of an opened file", f.Data() == nil, true)
	_, err = npyio.MmapSlice[float64](f)
	wantCode(t, "not mapped", err, npyio.ErrState)

	// OpenMemory copies the bytes: the caller's slice may change afterwards.
	raw := must(os.ReadFile(py("mm.npy")))(t)
	mf := must(npyio.OpenMemory(raw))(t)
	defer mf.Close()
	for i := range raw {
		raw[i] = 0
	}
	eq(t, "memory", must(npyio.MmapSlice[float64](mf))(t)[0], 0.25)

	// A raw file, np.memmap style, with and without a shape.
	r := must(npyio.MmapRaw(py("raw.bin"), npyio.DescrOf[int32](), npyio.MmapRead, 8, []uint64{2, 3}, false))(t)
	defer r.Close()
	eq(t, "raw shape", r.Shape(), []uint64{2, 3})
	eq(t, "raw", must(npyio.MmapSlice[int32](r))(t), []int32{0, 1, 2, 3, 4, 5})
	all := must(npyio.MmapRaw(py("raw.bin"), "<i4", npyio.MmapRead, 8, nil, false))(t)
	defer all.Close()
	eq(t, "raw shape=None", all.Shape(), []uint64{6})
}

// writeDir is a test's scratch directory, a function naming files in it, and one that fails
// the test on a non-nil error.
func writeDir(t *testing.T) (string, func(string) string, func(error)) {
	dir := t.TempDir()
	return dir, func(name string) string { return filepath.Join(dir, name) }, func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestWriteVerifiedByNumPy(t *testing.T) {
	needNumPy(t)
	dir, p, ok := writeDir(t)

	f8 := make([]float64, 12)
	for i := range f8 {
		f8[i] = float64(i)*0.5 - 1
	}
	ok(npyio.Save(p("go_f8_2d.npy"), f8, []uint64{3, 4}))
	fortran := make([]int16, 0, 12) // [[-5..-2],[-1..2],[3..6]] column by column
	for j := 0; j < 4; j++ {
		for i := 0; i < 3; i++ {
			fortran = append(fortran, int16(i*4+j-5))
		}
	}
	ok(npyio.SaveFortran(p("go_i2_fortran.npy"), fortran, []uint64{3, 4}))
	ok(npyio.Save(p("go_bool.npy"), []bool{true, false, false, true}, []uint64{4}))
	ok(npyio.Save(p("go_c8.npy"), []complex64{1 + 2i, 3 - 4i}, []uint64{2}))
	ok(npyio.Save(p("go_c16.npy"), []complex128{0.5 - 0.5i}, []uint64{1}))
	ok(npyio.Save(p("go_i1.npy"), []int8{-128, 0, 127}, []uint64{3}))
	ok(npyio.Save(p("go_u1.npy"), []uint8{0, 255}, []uint64{2}))
	ok(npyio.Save(p("go_i4.npy"), []int32{math.MinInt32, math.MaxInt32}, []uint64{2}))
	ok(npyio.Save(p("go_u4.npy"), []uint32{0, math.MaxUint32}, []uint64{2}))
	ok(npyio.Save(p("go_i8_int.npy"), []int{math.MinInt64, math.MaxInt64}, []uint64{2}))
	ok(npyio.Save(p("go_u8.npy"), []uint64{0, math.MaxUint64}, []uint64{2}))
	ok(npyio.Save(p("go_u2.npy"), []uint16{1, 65535}, []uint64{2}))
	ok(npyio.Save(p("go_f4_0d.npy"), []float32{-1.5}, []uint64{}))
	ok(npyio.Save(p("go_empty.npy"), []float64{}, []uint64{0, 2}))
	ok(npyio.Save(p("go_named.npy"), []celsius{36.6, -40}, []uint64{2}))
	ok(npyio.SaveBytes(p("go_be.npy"), ">i4", []uint64{2}, false, []byte{0, 0, 0, 1, 0, 0, 1, 2}))
	rec := []byte{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xf8, 0x3f, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0xc0}
	ok(npyio.SaveBytes(p("go_record.npy"), "[('a', '<i4'), ('b', '<f8')]", []uint64{2}, false, rec))

	// Streaming writer in uneven pieces; a discarded writer leaves the old file in place.
	w := must(npyio.Create(p("go_streamed.npy"), npyio.DescrOf[int32](), []uint64{100}, false))(t)
	vals := make([]int32, 100)
	for i := range vals {
		vals[i] = int32(i * 3)
	}
	raw := make([]byte, 0, 400)
	for _, v := range vals {
		raw = append(raw, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
	}
	if runtime.GOARCH == "s390x" || runtime.GOARCH == "ppc64" {
		t.Skip("the raw bytes above are little-endian")
	}
	must(w.Write(raw[:123]))(t)
	must(w.Write(raw[123:]))(t)
	ok(w.Close())
	d := must(npyio.Create(p("go_streamed.npy"), "<f8", []uint64{1}, false))(t)
	d.Discard()
	d.Discard()
	short := must(npyio.Create(p("go_streamed.npy"), "<f8", []uint64{2}, false))(t)
	must(short.Write(make([]byte, 8)))(t)
	wantCode(t, "finish short", short.Close(), npyio.ErrSizeMismatch)
	_, err := short.Write([]byte{1})
	wantCode(t, "write after close", err, npyio.ErrState)

	// An archive: stored, deflate, and a member written in pieces.
	z := must(npyio.NewNpzWriter(p("go_arch.npz")))(t)
	wv := []float64{0, 0.5, 1, 1.5, 2, 2.5}
	ok(npyio.AddArray(z, "w", wv, []uint64{2, 3}, npyio.Stored))
	cv := make([]int64, 500)
	for i := range cv {
		cv[i] = int64(i % 5)
	}
	ok(npyio.AddArray(z, "c", cv, []uint64{500}, npyio.Deflate))
	ok(z.Begin("s", "|u1", []uint64{2, 4}, false, npyio.Stored))
	must(z.Write([]byte{0, 1, 2}))(t)
	must(z.Write([]byte{3, 4, 5, 6, 7}))(t)
	ok(z.End())
	wantCode(t, "duplicate member", npyio.AddArray(z, "w", wv, []uint64{6}, npyio.Stored), npyio.ErrInvalidArg)
	ok(z.Close())
	wantCode(t, "close twice", z.Close(), npyio.ErrState)

	// Typed members take the writer's compression: np.savez_compressed with NpzCompressed.
	tz := must(npyio.NewNpzWriterOpts(p("go_typed.npz"), npyio.NpzCompressed, -1))(t)
	ok(npyio.AddTyped(tz, "w", wv, []uint64{2, 3}))
	ok(npyio.AddTyped(tz, "n", []int32{7}, []uint64{}))
	ok(npyio.AddTyped(tz, "b", []bool{true, false}, []uint64{2}))
	wantCode(t, "typed size", npyio.AddTyped(tz, "x", wv, []uint64{7}), npyio.ErrSizeMismatch)
	ok(tz.Close())
	wantCode(t, "typed add after close", npyio.AddTyped(tz, "y", wv, []uint64{6}), npyio.ErrState)
	wantCode(t, "typed save size", npyio.Save(p("go_bad.npy"), wv, []uint64{7}), npyio.ErrSizeMismatch)
	if _, err := os.Stat(p("go_bad.npy")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a failed Save left a file: %v", err)
	}

	// Maps: created (open_memmap w+), r+ and c on copies of a NumPy file, raw w+.
	mc := must(npyio.MmapCreate(p("go_mm_created.npy"), "<u2", []uint64{3, 4}, false))(t)
	ms := must(npyio.MmapSlice[uint16](mc))(t)
	for i := range ms {
		ms[i] = uint16(i)
	}
	ok(mc.Flush())
	ok(mc.Close())
	src := must(os.ReadFile(py("mm.npy")))(t)
	ok(os.WriteFile(p("go_mm_rw.npy"), src, 0o644))
	ok(os.WriteFile(p("go_mm_cow.npy"), src, 0o644))
	rw := must(npyio.Mmap(p("go_mm_rw.npy"), npyio.MmapReadWrite))(t)
	must(npyio.MmapSlice[float64](rw))(t)[1] = 99
	ok(rw.Flush())
	ok(rw.Close())
	cow := must(npyio.Mmap(p("go_mm_cow.npy"), npyio.MmapCopyOnWrite))(t)
	cs := must(npyio.MmapSlice[float64](cow))(t)
	cs[0] = 1e9
	eq(t, "cow in memory", must(npyio.MmapSlice[float64](cow))(t)[0], 1e9)
	ok(cow.Close())
	rc := must(npyio.MmapRaw(p("go_raw_created.bin"), "<f4", npyio.MmapWritePlus, 0, []uint64{4}, false))(t)
	copy(must(npyio.MmapSlice[float32](rc))(t), []float32{0, 0.5, 1, 1.5})
	ok(rc.Flush())
	ok(rc.Close())

	out, err := exec.Command(python, "testdata/numpy_side.py", "check", dir).CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("NumPy rejected files written by the Go binding: %v", err)
	}
}

func TestConcurrentReads(t *testing.T) {
	dir := t.TempDir()
	big := make([]float64, 256*256)
	for i := range big {
		big[i] = float64(i) / 2
	}
	path := filepath.Join(dir, "big.npy")
	if err := npyio.Save(path, big, []uint64{256, 256}); err != nil {
		t.Fatal(err)
	}
	f := must(npyio.Open(path))(t)
	defer f.Close()
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			all, err := npyio.Read[float64](f)
			if err != nil || !reflect.DeepEqual(all, big) {
				t.Errorf("goroutine %d: Read: %v", g, err)
			}
			row, err := npyio.ReadRows[float64](f, uint64(g), 1)
			if err != nil || row[3] != big[g*256+3] {
				t.Errorf("goroutine %d: ReadRows: %v", g, err)
			}
		}(g)
	}
	wg.Wait()
}

func openFDs(t *testing.T) int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd")
	}
	return len(ents)
}

func TestFinalizersCloseForgottenHandles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.npy")
	if err := npyio.Save(path, []float64{1, 2}, []uint64{2}); err != nil {
		t.Fatal(err)
	}
	before := openFDs(t)
	for i := 0; i < 200; i++ {
		if _, err := npyio.Open(path); err != nil { // never closed
			t.Fatal(err)
		}
	}
	if openFDs(t) < before+200 {
		t.Skip("the library does not keep a descriptor per open file")
	}
	for i := 0; i < 100 && openFDs(t) > before+10; i++ {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if n := openFDs(t); n > before+10 {
		t.Errorf("%d descriptors still open after GC (before: %d): finalizers did not close them", n, before)
	}
	// A writer that is never closed is discarded, not committed.
	target := filepath.Join(dir, "never.npy")
	func() {
		w, err := npyio.Create(target, "<f8", []uint64{1}, false)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write(make([]byte, 8))
	}()
	for i := 0; i < 20; i++ {
		runtime.GC()
		time.Sleep(5 * time.Millisecond)
	}
	if _, err := os.Stat(target); !os.IsNotExist(err) {
		t.Errorf("an abandoned writer committed its file: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestTextTables(t *testing.T) {
	needNumPy(t)
	tab := must(npyio.LoadTxt(py("table.csv"), &npyio.LoadTxtOptions{Delimiter: ","}))(t)
	defer tab.Close()
	eq(t, "table shape", tab.Shape(), []uint64{4, 3})
	vals := must(npyio.Read[float64](tab))(t)
	eq(t, "table[11]", vals[11], 1.75)
	eq(t, "in memory", len(tab.Data()), 96)

	_, err := npyio.LoadTxt(py("table.csv"), &npyio.LoadTxtOptions{Delimiter: ",", DType: "<i4"})
	wantCode(t, "floats as int32", err, npyio.ErrParse)
	_, err = npyio.LoadTxtMemory([]byte("1 2\n3 x\n"), nil)
	wantCode(t, "parse error", err, npyio.ErrParse)
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("message should name the line: %v", err)
	}
	ints := must(npyio.LoadTxtMemory([]byte("# c\n1 2 3\n4 5 6\n"), &npyio.LoadTxtOptions{DType: "<i8", UseCols: []int64{0, -1}}))(t)
	defer ints.Close()
	eq(t, "usecols", must(npyio.Read[int64](ints))(t), []int64{1, 3, 4, 6})
	semi := must(npyio.LoadTxtMemory([]byte("; c\n1 2\n"), &npyio.LoadTxtOptions{Comments: []string{";"}}))(t)
	defer semi.Close()
	eq(t, "comments", must(npyio.Read[float64](semi))(t), []float64{1, 2})

	g, mask, err := npyio.GenFromTxt(py("missing.csv"), &npyio.GenFromTxtOptions{Delimiter: ",", SkipHeader: 1}, true)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	defer mask.Close()
	gv := must(npyio.Read[float64](g))(t)
	if len(gv) != 9 || !math.IsNaN(gv[4]) || gv[5] != 6 {
		t.Errorf("genfromtxt values %v", gv)
	}
	eq(t, "mask", must(npyio.Read[bool](mask))(t), []bool{false, false, false, false, true, false, false, false, false})
	nomask, none, err := npyio.GenFromTxt(py("missing.csv"), &npyio.GenFromTxtOptions{Delimiter: ",", Names: true}, false)
	if err != nil || none != nil {
		t.Fatalf("genfromtxt names: %v %v", err, none)
	}
	defer nomask.Close()
	eq(t, "names dtype", nomask.DType(), "[('x', '<f8'), ('y', '<f8'), ('z', '<f8')]")

	dir := t.TempDir()
	six := []float64{0, 1.5, 3, 4.5, 6, 7.5}
	if err := npyio.SaveTxtData(filepath.Join(dir, "go_saved.txt"), six, []uint64{2, 3},
		&npyio.SaveTxtOptions{Fmt: "%.2f", Delimiter: ";", Header: "p;q;r"}); err != nil {
		t.Fatal(err)
	}
	i8 := must(npyio.Open(py("i8.npy")))(t)
	defer i8.Close()
	if err := npyio.SaveTxt(filepath.Join(dir, "go_saved_default.txt"), i8, nil); err != nil {
		t.Fatal(err)
	}
	rows := must(npyio.LoadTxtToNpy(py("table.csv"), filepath.Join(dir, "go_table.npy"), &npyio.LoadTxtOptions{Delimiter: ",", DType: "<f4"}))(t)
	eq(t, "rows", rows, uint64(4))
	wantCode(t, "savetxt of 0-d", npyio.SaveTxtData(filepath.Join(dir, "x.txt"), []float64{1}, []uint64{}, nil), npyio.ErrInvalidArg)

	out, err := exec.Command(python, "testdata/numpy_side.py", "check-text", numpyDir, dir).CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("NumPy rejected the text files: %v", err)
	}
}

// readCalls runs every read-by-path function on path and returns their errors by name.
func readCalls(path string) map[string]error {
	errs := map[string]error{}
	_, errs["Open"] = npyio.Open(path)
	_, errs["LoadFile"] = npyio.LoadFile[float64](path)
	_, errs["Mmap"] = npyio.Mmap(path, npyio.MmapRead)
	_, errs["OpenNpz"] = npyio.OpenNpz(path)
	_, errs["LoadTxt"] = npyio.LoadTxt(path, nil)
	_, _, errs["GenFromTxt"] = npyio.GenFromTxt(path, nil, false)
	return errs
}

// A missing file is ErrNotFound, fs.ErrNotExist, with its errno (ENOENT, or ENOTDIR for a
// path through a regular file); not fs.ErrPermission.
func TestMissingFiles(t *testing.T) {
	dir := t.TempDir()
	regular := filepath.Join(dir, "regular.npy")
	if err := os.WriteFile(regular, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		path  string
		errno syscall.Errno
	}{
		{filepath.Join(dir, "missing.npy"), syscall.ENOENT},
		{filepath.Join(dir, "no-such-dir", "x.npy"), syscall.ENOENT},
		{filepath.Join(regular, "x.npy"), syscall.ENOTDIR},
	}
	for _, c := range cases {
		for name, err := range readCalls(c.path) {
			what := name + " " + c.path
			wantCode(t, what, err, npyio.ErrNotFound)
			if !errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
				t.Errorf("%s: errors.Is(err, fs.ErrNotExist) should hold alone: %v", what, err)
			}
			var errno syscall.Errno
			if !errors.As(err, &errno) || errno != c.errno {
				t.Errorf("%s: errno %v, want %v", what, errno, c.errno)
			}
			if err == nil || !strings.Contains(err.Error(), c.path) {
				t.Errorf("%s: message should name the file: %v", what, err)
			}
		}
	}
	// A missing member is ErrNotFound and fs.ErrNotExist too, without an errno.
	npz := filepath.Join(dir, "a.npz")
	w, err := npyio.NewNpzWriter(npz)
	if err != nil {
		t.Fatal(err)
	}
	if err := npyio.AddArray(w, "a", []float64{1}, []uint64{1}, npyio.Stored); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	z, err := npyio.OpenNpz(npz)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	_, err = z.Member("b")
	var errno syscall.Errno
	if !errors.Is(err, npyio.ErrNotFound) || !errors.Is(err, fs.ErrNotExist) || errors.As(err, &errno) {
		t.Errorf("missing member: %v (errno %v)", err, errno)
	}
}

// Permission denied stays ErrIO with EACCES (fs.ErrPermission). Root reads any file, so as
// root the check runs in a child test process with the user id of nobody.
func TestPermissionDenied(t *testing.T) {
	if p := os.Getenv("NPYIO_EACCES_CHILD"); p != "" {
		for name, err := range readCalls(p) {
			var errno syscall.Errno
			if !errors.Is(err, npyio.ErrIO) || !errors.Is(err, fs.ErrPermission) ||
				errors.Is(err, fs.ErrNotExist) || !errors.As(err, &errno) || errno != syscall.EACCES {
				t.Errorf("%s: %v (errno %v), want ErrIO with EACCES", name, err, errno)
			}
		}
		return
	}
	// A directory others can enter (t.TempDir's parent is private), holding the file and, for
	// the unprivileged child, a copy of this test binary (go's build directory is private too).
	dir, err := os.MkdirTemp("", "npyio-eacces-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(dir, "secret.npy")
	if err := os.WriteFile(secret, []byte("\x93NUMPY"), 0o000); err != nil {
		t.Fatal(err)
	}
	exe := os.Args[0]
	var attr *syscall.SysProcAttr
	if os.Geteuid() == 0 {
		fmt.Println("note: running as root; the permission check runs as uid 65534 (nobody)")
		bin, err := os.ReadFile(exe)
		if err != nil {
			t.Fatal(err)
		}
		exe = filepath.Join(dir, "npyio.test")
		if err := os.WriteFile(exe, bin, 0o755); err != nil {
			t.Fatal(err)
		}
		attr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	cmd := exec.Command(exe, "-test.run=^TestPermissionDenied$", "-test.v")
	// The child needs no NumPy (TestMain's NumPy files are for other tests).
	cmd.Env = []string{"NPYIO_EACCES_CHILD=" + secret, "NPYIO_PYTHON=/nonexistent/python"}
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "LD_LIBRARY_PATH=") || strings.HasPrefix(kv, "PATH=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Dir = dir
	cmd.SysProcAttr = attr
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "--- PASS: TestPermissionDenied") {
		t.Fatalf("child did not run the check:\n%s", out)
	}
}

func TestTypedReads(t *testing.T) {
	needNumPy(t)
	f := must(npyio.Open(py("i4_be.npy")))(t)
	defer f.Close()
	d := must(npyio.ReadAs[float64](f, npyio.CastingSafe))(t)
	eq(t, "i4_be as float64", d, []float64{1, -2, 300000, -400000, math.MaxInt32})
	_, err := npyio.ReadAs[int16](f, npyio.CastingSafe)
	wantCode(t, "int32 to int16, safe", err, npyio.ErrCast)
	if err == nil || !strings.Contains(err.Error(), "int16") || !strings.Contains(err.Error(), ">i4") {
		t.Errorf("cast message: %v", err)
	}
	s := must(npyio.ReadAs[int16](f, npyio.CastingSameKind))(t)
	eq(t, "i4_be as int16, same_kind", s, []int16{1, -2, int16(300000 - 5*65536), int16(-400000 + 6*65536), -1})
	_, err = npyio.ReadAs[uint8](f, npyio.CastingSameKind)
	wantCode(t, "int32 to uint8, same_kind", err, npyio.ErrCast)
	_, err = npyio.ReadAs[float64](f, npyio.Casting(9))
	wantCode(t, "bad rule", err, npyio.ErrInvalidArg)
	small := make([]float64, 4)
	wantCode(t, "short", npyio.ReadAsInto(f, small, npyio.CastingSafe), npyio.ErrBufferTooSmall)

	// Fortran order comes back in C order.
	g := must(npyio.Open(py("i2_fortran.npy")))(t)
	defer g.Close()
	f4 := must(npyio.ReadAs[float32](g, npyio.CastingSafe))(t)
	for i, v := range f4 {
		if v != float32(i-5) {
			t.Fatalf("i2_fortran as float32 [%d] = %v", i, v)
		}
	}
	data, shape, err := npyio.LoadAs[complex128](py("f8_2d.npy"))
	if err != nil || len(data) != 12 || data[3] != 0.5 || !reflect.DeepEqual(shape, []uint64{3, 4}) {
		t.Errorf("LoadAs: %v %v %v", data, shape, err)
	}
	_, _, err = npyio.LoadAs[int64](py("f8_2d.npy"))
	wantCode(t, "LoadAs float64 to int64", err, npyio.ErrCast)

	// Loads into memory the library owns.
	l := must(npyio.LoadFile[float64](py("i4_be.npy")))(t)
	defer l.Close()
	eq(t, "LoadFile dtype", l.DType(), npyio.DescrOf[float64]())
	eq(t, "LoadFile data", must(npyio.MmapSlice[float64](l))(t), []float64{1, -2, 300000, -400000, math.MaxInt32})
	st := must(npyio.LoadStored(py("i2_fortran.npy")))(t)
	defer st.Close()
	eq(t, "LoadStored fortran", st.Fortran(), false)
	eq(t, "LoadStored dtype", st.DType(), npyio.DescrOf[int16]())
	eq(t, "LoadStored first", must(npyio.MmapSlice[int16](st))(t)[:3], []int16{-5, -4, -3})
	_, err = npyio.LoadFile[uint8](py("i4_be.npy"))
	wantCode(t, "LoadFile refused", err, npyio.ErrCast)

	z := must(npyio.OpenNpz(py("arch.npz")))(t)
	defer z.Close()
	a := must(npyio.NpzReadAs[float64](z, "a", npyio.CastingSafe))(t)
	eq(t, "npz a as float64", a, []float64{0, 1, 2, 3, 4, 5})
	a2 := must(npyio.NpzReadAs[int8](z, "a.npy", npyio.CastingUnsafe))(t)
	eq(t, "npz a as int8", a2, []int8{0, 1, 2, 3, 4, 5})
	_, err = npyio.NpzReadAs[float64](z, "nope", npyio.CastingSafe)
	wantCode(t, "npz missing", err, npyio.ErrNotFound)
	_, err = npyio.NpzReadAs[int16](z, "a", npyio.CastingSafe)
	wantCode(t, "npz refused", err, npyio.ErrCast)
	m := must(npyio.NpzLoad[int64](z, "a"))(t)
	defer m.Close()
	eq(t, "NpzLoad", must(npyio.MmapSlice[int64](m))(t), []int64{0, 1, 2, 3, 4, 5})
	_, err = npyio.NpzLoad[int64](z, "nope")
	wantCode(t, "NpzLoad missing", err, npyio.ErrNotFound)
}
