package npyio_test

import (
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"unsafe"

	"libnpyio.dev/npyio"
)

// TestRowsVerifiedByNumPy fills a file made by CreateRows from several goroutines, writes a
// row into a NumPy file through OpenRows, appends rows with AppendRows, and has NumPy check
// all three; then every refusal has its status.
func TestRowsVerifiedByNumPy(t *testing.T) {
	needNumPy(t)
	dir, p, ok := writeDir(t)

	// 6 × 3 float64, rows 2k and 2k+1 written by goroutine k.
	f := must(npyio.CreateRows(p("go_rows_created.npy"), npyio.DescrOf[float64](), []uint64{6, 3}, false))(t)
	eq(t, "created shape", f.Shape(), []uint64{6, 3})
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for k := 0; k < 3; k++ {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			rows := make([]float64, 6)
			for i := range rows {
				rows[i] = float64(6*k + i)
			}
			errs[k] = npyio.WriteRowsOf(f, uint64(2*k), rows)
		}(k)
	}
	wg.Wait()
	for _, err := range errs {
		ok(err)
	}
	ok(f.Flush())
	got := must(npyio.ReadRows[float64](f, 4, 2))(t)
	eq(t, "rows read back", got, []float64{12, 13, 14, 15, 16, 17})

	// Refusals on a rows handle.
	wantCode(t, "past the end", f.WriteRows(5, 2, make([]byte, 48)), npyio.ErrInvalidArg)
	wantCode(t, "wrong length", f.WriteRows(0, 1, make([]byte, 16)), npyio.ErrSizeMismatch)
	wantCode(t, "typed partial row", npyio.WriteRowsOf(f, 0, []float64{1, 2}), npyio.ErrSizeMismatch)
	wantCode(t, "typed wrong type", npyio.WriteRowsOf(f, 0, []int32{1, 2, 3, 4, 5, 6}), npyio.ErrInvalidArg)
	ok(f.Close())
	wantCode(t, "closed", f.WriteRows(0, 1, make([]byte, 24)), npyio.ErrState)

	// A 0-d array has no rows, typed or not.
	z := must(npyio.CreateRows(p("go_rows_0d.npy"), "<f8", []uint64{}, false))(t)
	wantCode(t, "0-d typed", npyio.WriteRowsOf(z, 0, []float64{1}), npyio.ErrInvalidArg)
	wantCode(t, "0-d bytes", z.WriteRows(0, 1, make([]byte, 8)), npyio.ErrInvalidArg)
	ok(z.Close())

	// A read-only File takes no writes.
	ro := must(npyio.Open(p("go_rows_created.npy")))(t)
	wantCode(t, "read-only handle", ro.WriteRows(0, 1, make([]byte, 24)), npyio.ErrState)
	ok(ro.Close())

	// Row 1 of a NumPy file, through OpenRows.
	ok(os.WriteFile(p("go_rows_rw.npy"), must(os.ReadFile(py("mm.npy")))(t), 0o644))
	rw := must(npyio.OpenRows(p("go_rows_rw.npy")))(t)
	ok(npyio.WriteRowsOf(rw, 1, []float64{-1, -2, -3, -4}))
	ok(rw.Close())
	wantCode(t, "open rows, missing file", func() error {
		_, err := npyio.OpenRows(p("missing.npy"))
		return err
	}(), npyio.ErrNotFound)

	// Two rows appended to a 2 × 3 file, one row at a time.
	ok(npyio.Save(p("go_rows_appended.npy"), []float64{0, 1, 2, 3, 4, 5}, []uint64{2, 3}))
	// Rows as bytes in the host's order (the file's: Save wrote it so).
	row := func(vals ...float64) []byte {
		return unsafe.Slice((*byte)(unsafe.Pointer(&vals[0])), 8*len(vals))
	}
	ok(npyio.AppendRows(p("go_rows_appended.npy"), row(6, 7, 8)))
	ok(npyio.AppendRows(p("go_rows_appended.npy"), row(9, 10, 11)))
	wantCode(t, "append a partial row", npyio.AppendRows(p("go_rows_appended.npy"), row(1)), npyio.ErrSizeMismatch)
	wantCode(t, "append to a missing file", npyio.AppendRows(p("missing.npy"), row(1, 2, 3)), npyio.ErrNotFound)

	out, err := exec.Command(python, "testdata/numpy_side.py", "check-rows", dir).CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("NumPy rejected files written through the rows calls: %v", err)
	}
	if !strings.Contains(string(out), "3 passed, 0 failed") {
		t.Fatalf("NumPy checked fewer files than written: %s", out)
	}
}
