# LibNpyIO: the raw layer, one Julia function per C function of include/npyio.h, each a
# single `ccall` with the C signature spelled in Julia types. No conversions, no checks:
# status codes come back as Cint, handles as Ptr{...}. NpyIO.jl builds the friendly API on
# top. check_signatures.py (run in CI, no Julia needed) compares every ccall here with the
# header: name, argument count and types, return type.
module LibNpyIO

"""
The shared library `ccall` loads: `ENV["NPYIO_LIBRARY"]` (a name or a full path) when the
module is first loaded or precompiled, else `"libnpyio"` (found through the loader's search
path, e.g. `LD_LIBRARY_PATH`).
"""
const libnpyio = get(ENV, "NPYIO_LIBRARY", "libnpyio")

# Opaque handle types: only ever used behind a Ptr.
mutable struct npy_file end
mutable struct npy_writer end
mutable struct npyio_dtype end
mutable struct npz_file end
mutable struct npz_writer end

# Status codes (npyio_status, an int32_t): 0 or a negative NPYIO_ERR_* code.
const NPYIO_OK = Cint(0)
const NPYIO_ERR_NULL_ARG = Cint(-1)
const NPYIO_ERR_PANIC = Cint(-2)
const NPYIO_ERR_IO = Cint(-3)
const NPYIO_ERR_BAD_MAGIC = Cint(-4)
const NPYIO_ERR_UNSUPPORTED_VERSION = Cint(-5)
const NPYIO_ERR_BAD_HEADER = Cint(-6)
const NPYIO_ERR_BAD_DTYPE = Cint(-7)
const NPYIO_ERR_OBJECT_DTYPE = Cint(-8)
const NPYIO_ERR_OVERFLOW = Cint(-9)
const NPYIO_ERR_TRUNCATED = Cint(-10)
const NPYIO_ERR_LIMIT = Cint(-11)
const NPYIO_ERR_BUFFER_TOO_SMALL = Cint(-12)
const NPYIO_ERR_INVALID_ARG = Cint(-13)
const NPYIO_ERR_SIZE_MISMATCH = Cint(-14)
const NPYIO_ERR_ENCODING = Cint(-15)
const NPYIO_ERR_ALLOC = Cint(-16)
const NPYIO_ERR_ZIP = Cint(-17)
const NPYIO_ERR_CRC = Cint(-18)
const NPYIO_ERR_UNSUPPORTED = Cint(-19)
const NPYIO_ERR_NOT_FOUND = Cint(-20)
const NPYIO_ERR_NOT_MAPPABLE = Cint(-21)
const NPYIO_ERR_PARSE = Cint(-22)
const NPYIO_ERR_STATE = Cint(-23)
const NPYIO_ERR_CAST = Cint(-24)

# Flags, modes, limits, compression methods.
const NPYIO_READ_NATIVE = UInt32(1)
const NPYIO_READ_C_ORDER = UInt32(2)
const NPYIO_READ_NO_HUGEPAGE = UInt32(4)
const NPYIO_SAVE_FSYNC = UInt32(1)
const NPYIO_NPZ_ALIGN = UInt32(2)
const NPYIO_LIMIT_HEADER_LEN = Cint(0)
const NPYIO_LIMIT_NPZ_MEMBERS = Cint(1)
const NPYIO_LIMIT_NPZ_MEMBER_SIZE = Cint(2)
const NPYIO_LIMIT_READ_THREADS = Cint(3)
const NPYIO_MMAP_READ = Cint(0)
const NPYIO_MMAP_READ_WRITE = Cint(1)
const NPYIO_MMAP_COPY_ON_WRITE = Cint(2)
const NPYIO_MMAP_CREATE = Cint(3)
const NPYIO_STORED = Cint(0)
const NPYIO_DEFLATE = Cint(8)
const NPYIO_ZSTD = Cint(93)

# ---- library-wide: status, errors, version, limits
npyio_status_str(code) =
    ccall((:npyio_status_str, libnpyio), Cstring, (Int32,), code)
npyio_last_error(buf, cap) =
    ccall((:npyio_last_error, libnpyio), Csize_t, (Ptr{UInt8}, Csize_t), buf, cap)
npyio_last_errno() =
    ccall((:npyio_last_errno, libnpyio), Int32, ())
npyio_version() =
    ccall((:npyio_version, libnpyio), Cstring, ())
npyio_set_limit(which, value) =
    ccall((:npyio_set_limit, libnpyio), Cint, (Int32, UInt64), which, value)
npyio_get_limit(which) =
    ccall((:npyio_get_limit, libnpyio), UInt64, (Int32,), which)

# ---- dtypes
npyio_dtype_parse(descr, out) =
    ccall((:npyio_dtype_parse, libnpyio), Cint, (Cstring, Ref{Ptr{npyio_dtype}}), descr, out)
npyio_dtype_descr(d) =
    ccall((:npyio_dtype_descr, libnpyio), Cstring, (Ptr{npyio_dtype},), d)
npyio_dtype_itemsize(d) =
    ccall((:npyio_dtype_itemsize, libnpyio), Csize_t, (Ptr{npyio_dtype},), d)
npyio_dtype_kind(d) =
    ccall((:npyio_dtype_kind, libnpyio), Cchar, (Ptr{npyio_dtype},), d)
npyio_dtype_byteorder(d) =
    ccall((:npyio_dtype_byteorder, libnpyio), Cchar, (Ptr{npyio_dtype},), d)
npyio_dtype_is_record(d) =
    ccall((:npyio_dtype_is_record, libnpyio), Bool, (Ptr{npyio_dtype},), d)
npyio_dtype_free(d) =
    ccall((:npyio_dtype_free, libnpyio), Cvoid, (Ptr{npyio_dtype},), d)

# ---- opening one array
npy_open(path, out) =
    ccall((:npy_open, libnpyio), Cint, (Cstring, Ref{Ptr{npy_file}}), path, out)
npy_open_memory(data, len, out) =
    ccall((:npy_open_memory, libnpyio), Cint, (Ptr{Cvoid}, Csize_t, Ref{Ptr{npy_file}}),
          data, len, out)
npy_mmap(path, mode, out) =
    ccall((:npy_mmap, libnpyio), Cint, (Cstring, Cint, Ref{Ptr{npy_file}}), path, mode, out)
npy_mmap_create(path, dtype, ndim, shape, fortran_order, out) =
    ccall((:npy_mmap_create, libnpyio), Cint,
          (Cstring, Ptr{npyio_dtype}, Csize_t, Ptr{UInt64}, Bool, Ref{Ptr{npy_file}}),
          path, dtype, ndim, shape, fortran_order, out)
npy_mmap_raw(path, dtype, mode, offset, ndim, shape, fortran_order, out) =
    ccall((:npy_mmap_raw, libnpyio), Cint,
          (Cstring, Ptr{npyio_dtype}, Cint, UInt64, Csize_t, Ptr{UInt64}, Bool, Ref{Ptr{npy_file}}),
          path, dtype, mode, offset, ndim, shape, fortran_order, out)
npy_close(f) =
    ccall((:npy_close, libnpyio), Cvoid, (Ptr{npy_file},), f)

# ---- describing one array
npy_ndim(f) =
    ccall((:npy_ndim, libnpyio), Csize_t, (Ptr{npy_file},), f)
npy_shape(f) =
    ccall((:npy_shape, libnpyio), Ptr{UInt64}, (Ptr{npy_file},), f)
npy_dtype(f) =
    ccall((:npy_dtype, libnpyio), Ptr{npyio_dtype}, (Ptr{npy_file},), f)
npy_fortran_order(f) =
    ccall((:npy_fortran_order, libnpyio), Bool, (Ptr{npy_file},), f)
npy_nbytes(f) =
    ccall((:npy_nbytes, libnpyio), UInt64, (Ptr{npy_file},), f)
npy_count(f) =
    ccall((:npy_count, libnpyio), UInt64, (Ptr{npy_file},), f)
npy_row_nbytes(f) =
    ccall((:npy_row_nbytes, libnpyio), UInt64, (Ptr{npy_file},), f)
npy_data_offset(f) =
    ccall((:npy_data_offset, libnpyio), UInt64, (Ptr{npy_file},), f)
npy_format_version(f) =
    ccall((:npy_format_version, libnpyio), UInt32, (Ptr{npy_file},), f)
npy_data(f) =
    ccall((:npy_data, libnpyio), Ptr{Cvoid}, (Ptr{npy_file},), f)
npy_data_mut(f) =
    ccall((:npy_data_mut, libnpyio), Ptr{Cvoid}, (Ptr{npy_file},), f)
npy_flush(f) =
    ccall((:npy_flush, libnpyio), Cint, (Ptr{npy_file},), f)

# ---- reading
npy_read_into(f, dst, dst_len, flags) =
    ccall((:npy_read_into, libnpyio), Cint, (Ptr{npy_file}, Ptr{Cvoid}, Csize_t, UInt32),
          f, dst, dst_len, flags)
npy_read_rows(f, first, count, dst, dst_len, flags) =
    ccall((:npy_read_rows, libnpyio), Cint,
          (Ptr{npy_file}, UInt64, UInt64, Ptr{Cvoid}, Csize_t, UInt32),
          f, first, count, dst, dst_len, flags)

# ---- rows written by position, from many writers (README, "Scaling out")
npy_create(path, dtype, ndim, shape, fortran_order, out) =
    ccall((:npy_create, libnpyio), Cint,
          (Cstring, Ptr{npyio_dtype}, Csize_t, Ptr{UInt64}, Bool, Ref{Ptr{npy_file}}),
          path, dtype, ndim, shape, fortran_order, out)
npy_open_rw(path, out) =
    ccall((:npy_open_rw, libnpyio), Cint, (Cstring, Ref{Ptr{npy_file}}), path, out)
npy_write_rows(f, first, count, data, len) =
    ccall((:npy_write_rows, libnpyio), Cint,
          (Ptr{npy_file}, UInt64, UInt64, Ptr{Cvoid}, Csize_t), f, first, count, data, len)
npy_append_rows(path, data, len) =
    ccall((:npy_append_rows, libnpyio), Cint, (Cstring, Ptr{Cvoid}, Csize_t), path, data, len)

# ---- writing one array
npy_save(path, dtype, ndim, shape, fortran_order, data, len) =
    ccall((:npy_save, libnpyio), Cint,
          (Cstring, Ptr{npyio_dtype}, Csize_t, Ptr{UInt64}, Bool, Ptr{Cvoid}, Csize_t),
          path, dtype, ndim, shape, fortran_order, data, len)
npy_save_ex(path, dtype, ndim, shape, fortran_order, data, len, flags) =
    ccall((:npy_save_ex, libnpyio), Cint,
          (Cstring, Ptr{npyio_dtype}, Csize_t, Ptr{UInt64}, Bool, Ptr{Cvoid}, Csize_t, UInt32),
          path, dtype, ndim, shape, fortran_order, data, len, flags)
npy_writer_create(path, dtype, ndim, shape, fortran_order, out) =
    ccall((:npy_writer_create, libnpyio), Cint,
          (Cstring, Ptr{npyio_dtype}, Csize_t, Ptr{UInt64}, Bool, Ref{Ptr{npy_writer}}),
          path, dtype, ndim, shape, fortran_order, out)
npy_writer_create_ex(path, dtype, ndim, shape, fortran_order, flags, out) =
    ccall((:npy_writer_create_ex, libnpyio), Cint,
          (Cstring, Ptr{npyio_dtype}, Csize_t, Ptr{UInt64}, Bool, UInt32, Ref{Ptr{npy_writer}}),
          path, dtype, ndim, shape, fortran_order, flags, out)
npy_writer_write(w, data, len) =
    ccall((:npy_writer_write, libnpyio), Cint, (Ptr{npy_writer}, Ptr{Cvoid}, Csize_t),
          w, data, len)
npy_writer_finish(w) =
    ccall((:npy_writer_finish, libnpyio), Cint, (Ptr{npy_writer},), w)
npy_writer_discard(w) =
    ccall((:npy_writer_discard, libnpyio), Cvoid, (Ptr{npy_writer},), w)

# ---- npz archives: reading
npz_open(path, out) =
    ccall((:npz_open, libnpyio), Cint, (Cstring, Ref{Ptr{npz_file}}), path, out)
npz_open_memory(data, len, out) =
    ccall((:npz_open_memory, libnpyio), Cint, (Ptr{Cvoid}, Csize_t, Ref{Ptr{npz_file}}),
          data, len, out)
npz_count(z) =
    ccall((:npz_count, libnpyio), Csize_t, (Ptr{npz_file},), z)
npz_name(z, i) =
    ccall((:npz_name, libnpyio), Cstring, (Ptr{npz_file}, Csize_t), z, i)
npz_member_size(z, i) =
    ccall((:npz_member_size, libnpyio), UInt64, (Ptr{npz_file}, Csize_t), z, i)
npz_member_compressed_size(z, i) =
    ccall((:npz_member_compressed_size, libnpyio), UInt64, (Ptr{npz_file}, Csize_t), z, i)
npz_member_compression(z, i) =
    ccall((:npz_member_compression, libnpyio), Cint, (Ptr{npz_file}, Csize_t), z, i)
npz_open_member(z, name, out) =
    ccall((:npz_open_member, libnpyio), Cint, (Ptr{npz_file}, Cstring, Ref{Ptr{npy_file}}),
          z, name, out)
npz_open_member_at(z, i, out) =
    ccall((:npz_open_member_at, libnpyio), Cint, (Ptr{npz_file}, Csize_t, Ref{Ptr{npy_file}}),
          z, i, out)
npz_mmap_member(z, name, out) =
    ccall((:npz_mmap_member, libnpyio), Cint, (Ptr{npz_file}, Cstring, Ref{Ptr{npy_file}}),
          z, name, out)
npz_read_raw(z, name, dst, dst_len) =
    ccall((:npz_read_raw, libnpyio), Cint, (Ptr{npz_file}, Cstring, Ptr{Cvoid}, Csize_t),
          z, name, dst, dst_len)
npz_close(z) =
    ccall((:npz_close, libnpyio), Cvoid, (Ptr{npz_file},), z)

# ---- npz archives: writing
npz_writer_open(path, out) =
    ccall((:npz_writer_open, libnpyio), Cint, (Cstring, Ref{Ptr{npz_writer}}), path, out)
npz_writer_open_ex(path, flags, level, out) =
    ccall((:npz_writer_open_ex, libnpyio), Cint, (Cstring, UInt32, Int32, Ref{Ptr{npz_writer}}),
          path, flags, level, out)
npz_writer_set_level(w, compression, level) =
    ccall((:npz_writer_set_level, libnpyio), Cint, (Ptr{npz_writer}, Cint, Int32),
          w, compression, level)
npz_writer_add(w, name, dtype, ndim, shape, fortran_order, data, len, compression) =
    ccall((:npz_writer_add, libnpyio), Cint,
          (Ptr{npz_writer}, Cstring, Ptr{npyio_dtype}, Csize_t, Ptr{UInt64}, Bool, Ptr{Cvoid},
           Csize_t, Cint),
          w, name, dtype, ndim, shape, fortran_order, data, len, compression)
npz_writer_begin(w, name, dtype, ndim, shape, fortran_order, compression) =
    ccall((:npz_writer_begin, libnpyio), Cint,
          (Ptr{npz_writer}, Cstring, Ptr{npyio_dtype}, Csize_t, Ptr{UInt64}, Bool, Cint),
          w, name, dtype, ndim, shape, fortran_order, compression)
npz_writer_write(w, data, len) =
    ccall((:npz_writer_write, libnpyio), Cint, (Ptr{npz_writer}, Ptr{Cvoid}, Csize_t),
          w, data, len)
npz_writer_end(w) =
    ccall((:npz_writer_end, libnpyio), Cint, (Ptr{npz_writer},), w)
npz_writer_finish(w) =
    ccall((:npz_writer_finish, libnpyio), Cint, (Ptr{npz_writer},), w)
npz_writer_discard(w) =
    ccall((:npz_writer_discard, libnpyio), Cvoid, (Ptr{npz_writer},), w)

# ---- text tables (np.loadtxt, np.savetxt)
# The option structs, field for field as in npyio.h (check_signatures.py compares them).
# Each begins with struct_size, which the *_init function sets to the struct's size and the
# library checks. Fill one with the *_options_init function, change fields, pass
# pointer_from_objref(o) under GC.@preserve (with the strings it points to), or C_NULL for NumPy's defaults.
mutable struct npyio_savetxt_options
    struct_size::Csize_t      # set by the _init function; leave it
    fmt::Ptr{UInt8}
    fmts::Ptr{Ptr{UInt8}}
    n_fmts::Csize_t
    delimiter::Ptr{UInt8}
    newline::Ptr{UInt8}
    header::Ptr{UInt8}
    footer::Ptr{UInt8}
    comments::Ptr{UInt8}
    flags::UInt32
    threads::UInt32
    encoding::Ptr{UInt8}      # C_NULL: UTF-8
    npyio_savetxt_options() = new()
end

# A column converter of the text loaders (`convert` is a C function pointer, e.g. from
# @cfunction).
struct npyio_text_converter
    column::Int64
    convert::Ptr{Cvoid}
    ctx::Ptr{Cvoid}
end

mutable struct npyio_loadtxt_options
    struct_size::Csize_t      # set by the _init function; leave it
    dtype::Ptr{npyio_dtype}
    comments::Ptr{Ptr{UInt8}}
    n_comments::Csize_t
    delimiter::Ptr{UInt8}
    quotechar::Ptr{UInt8}
    skiprows::UInt64
    usecols::Ptr{Int64}
    n_usecols::Csize_t
    ndmin::Int32
    max_rows::Int64
    threads::UInt32
    encoding::Ptr{UInt8}      # C_NULL: UTF-8
    unpack::UInt64
    converters::Ptr{npyio_text_converter}
    n_converters::Csize_t
    npyio_loadtxt_options() = new()
end

npyio_savetxt_options_init(o) =
    ccall((:npyio_savetxt_options_init, libnpyio), Cint, (Ptr{npyio_savetxt_options},), o)
npyio_loadtxt_options_init(o) =
    ccall((:npyio_loadtxt_options_init, libnpyio), Cint, (Ptr{npyio_loadtxt_options},), o)
npy_savetxt(path, arr, opts) =
    ccall((:npy_savetxt, libnpyio), Cint,
          (Cstring, Ptr{npy_file}, Ptr{npyio_savetxt_options}), path, arr, opts)
npy_savetxt_data(path, dtype, ndim, shape, data, len, opts) =
    ccall((:npy_savetxt_data, libnpyio), Cint,
          (Cstring, Ptr{npyio_dtype}, Csize_t, Ptr{UInt64}, Ptr{Cvoid}, Csize_t,
           Ptr{npyio_savetxt_options}),
          path, dtype, ndim, shape, data, len, opts)
npy_loadtxt(path, opts, out) =
    ccall((:npy_loadtxt, libnpyio), Cint,
          (Cstring, Ptr{npyio_loadtxt_options}, Ref{Ptr{npy_file}}), path, opts, out)
npy_loadtxt_memory(data, len, opts, out) =
    ccall((:npy_loadtxt_memory, libnpyio), Cint,
          (Ptr{Cvoid}, Csize_t, Ptr{npyio_loadtxt_options}, Ref{Ptr{npy_file}}),
          data, len, opts, out)
npy_loadtxt_to_npy(txt_path, npy_path, opts, rows_out) =
    ccall((:npy_loadtxt_to_npy, libnpyio), Cint,
          (Cstring, Cstring, Ptr{npyio_loadtxt_options}, Ref{UInt64}),
          txt_path, npy_path, opts, rows_out)

end # module LibNpyIO
