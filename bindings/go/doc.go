// Package npyio reads and writes NumPy .npy and .npz files and memory-maps them, through
// libnpyio's C API (found with pkg-config npyio).
//
//	f, err := npyio.Open("weights.npy")             // written by np.save
//	if err != nil { ... }                           // *npyio.Error: code and message
//	defer f.Close()
//	w, err := npyio.Read[float64](f)                // dtype checked; C order, host byte order
//	err = npyio.Save("out.npy", w, f.Shape())       // byte-identical to np.save
//
// Conventions:
//   - Handles (File, Writer, Npz, NpzWriter) own a C object. Close them; a finalizer is only
//     a safety net (for writers it discards, never commits).
//   - Errors are *Error values carrying the status code and libnpyio's message, which names
//     the file and the problem. errors.Is(err, npyio.ErrNotFound) compares codes.
//   - Typed functions (Read, ReadRows, Save, AddArray, MmapSlice) take the dtype from the Go
//     type (see Numeric and DescrOf) in the host's byte order; reads check it at run time.
//     Byte-level functions (ReadInto, SaveBytes, Add) take a dtype string and raw bytes.
//   - Conversions with NumPy's casting rules: ReadAs, ReadAsInto, LoadAs and NpzReadAs read
//     any numeric array as a []T under a Casting rule, with the values of a.astype(T)
//     (CastingSafe refuses float64 to int32 with ErrCast, naming both dtypes). LoadFile,
//     LoadStored and NpzLoad load a whole array into memory the library owns (see Data).
//   - Arrays are in C (row-major) order unless a Fortran flag says otherwise; Read converts
//     Fortran-order files to C order. Data and MmapSlice give the bytes as stored.
//   - Slices from Data and MmapSlice point into C memory and are valid until Close.
//   - Rows from many writers: CreateRows and OpenRows return Files that take WriteRows (and
//     WriteRowsOf) from several goroutines or processes at once on disjoint rows; AppendRows
//     grows a file along axis 0.
//   - Text tables: LoadTxt, LoadTxtMemory, LoadTxtToNpy, GenFromTxt return in-memory Files;
//     SaveTxt and SaveTxtData write np.savetxt's bytes. Zero-valued options mean NumPy's
//     defaults.
package npyio
