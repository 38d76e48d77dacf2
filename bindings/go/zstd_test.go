package npyio_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"libnpyio.dev/npyio"
)

// TestZstdMembers writes zstd members at a chosen level next to a deflate one, reads them back,
// and has NumPy (with Python 3.14's zipfile, from backports.zstd) load them.
func TestZstdMembers(t *testing.T) {
	needNumPy(t)
	dir, p, ok := writeDir(t)

	big := make([]float64, 200000)
	for i := range big {
		big[i] = float64(i%1000) * 0.25
	}
	small := []int32{1, -2, 3, -4, 5, -6}
	z := must(npyio.NewNpzWriter(p("go_zstd.npz")))(t)
	ok(z.SetLevel(npyio.Zstd, 5))
	ok(z.SetLevel(npyio.Deflate, 1))
	ok(npyio.AddArray(z, "big", big, []uint64{1000, 200}, npyio.Zstd))
	ok(npyio.AddArray(z, "small", small, []uint64{2, 3}, npyio.Zstd))
	ok(npyio.AddArray(z, "d", small, []uint64{6}, npyio.Deflate))
	wantCode(t, "stored has no level", z.SetLevel(npyio.Stored, 1), npyio.ErrInvalidArg)
	wantCode(t, "zstd level 23", z.SetLevel(npyio.Zstd, 23), npyio.ErrInvalidArg)
	wantCode(t, "deflate level 10", z.SetLevel(npyio.Deflate, 10), npyio.ErrInvalidArg)
	ok(z.Close())
	wantCode(t, "level after close", z.SetLevel(npyio.Zstd, 3), npyio.ErrState)

	a := must(npyio.OpenNpz(p("go_zstd.npz")))(t)
	defer a.Close()
	m := must(a.Member("big"))(t)
	defer m.Close()
	eq(t, "big read back", must(npyio.Read[float64](m))(t), big)
	s := must(a.Member("small"))(t)
	defer s.Close()
	eq(t, "small read back", must(npyio.Read[int32](s))(t), small)

	out, err := exec.Command(python, "testdata/numpy_side.py", "check-zstd", dir).CombinedOutput()
	t.Logf("%s", out)
	if strings.Contains(string(out), "no backports.zstd") && os.Getenv("NPYIO_REQUIRE_ZSTD") == "" {
		t.Skip("NumPy's side needs the backports.zstd package (./test.sh's venv has it)")
	}
	if err != nil || !strings.Contains(string(out), "3 passed, 0 failed") {
		t.Fatalf("NumPy rejected the zstd archive: %v", err)
	}
}
