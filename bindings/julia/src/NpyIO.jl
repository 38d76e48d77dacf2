"""
    NpyIO

Read and write NumPy `.npy` and `.npz` files, and memory-map `.npy` files, through libnpyio's
C API (`LibNpyIO`, a raw `ccall` layer).

Array order: NumPy arrays are row-major (C order) by default, Julia arrays column-major.
`NpyIO` never copies to reorder. A C-order array of NumPy shape `(d1, d2, ..., dn)` loads as a
Julia array of size `(dn, ..., d2, d1)` — the dimensions reversed — holding the same bytes,
so a NumPy `(3, 4)` array `a` comes back as a `4×3` Julia array `A` with `A[j, i] == a[i-1, j-1]`
(the transpose; `permutedims(A, ndims(A):-1:1)` gives NumPy's index order). A Fortran-order
array maps directly: shape `(3, 4)` gives a `3×4` array with `A[i, j] == a[i-1, j-1]`.
`save` writes Fortran order by default, so NumPy sees the array with Julia's shape and
indices; `save(path, A; order=:C)` writes C order with reversed dimensions instead, which
round-trips with `load` but shows NumPy the transpose.

Text tables (`loadtxt`, `savetxt`) are row-oriented instead: line i of the file is row i of
the matrix, `A[i, :]`, as in NumPy.

Element types: `Bool`, `Int8`–`Int64`, `UInt8`–`UInt64`, `Float16`, `Float32`, `Float64`,
`ComplexF32`, `ComplexF64` (NumPy's `b1 i1..i8 u1..u8 f2 f4 f8 c8 c16`), any byte order on
read (converted to the host's), the host's byte order on write. Other dtypes (strings,
records, datetimes) raise `NpyIOError`; `readraw` returns their bytes.

Errors are thrown as `NpyIOError(code, msg)`, with libnpyio's status code and message.
"""
module NpyIO

include("LibNpyIO.jl")
using .LibNpyIO
const L = LibNpyIO

export load, save, npzread, npzwrite, loadtxt, savetxt, NpyIOError

# ---- errors ----------------------------------------------------------------------------------

"""
    NpyIOError(code, msg, errno=0)

A failed libnpyio call: `code` is the C status (`LibNpyIO.NPYIO_ERR_*`), `msg` the
library's message, which names the file and the problem, `errno` the operating system's
error number behind it (`Base.Libc.ENOENT` for a missing file, whose `code` is
`NPYIO_ERR_NOT_FOUND`; 0 when the failure was not the OS's).
"""
struct NpyIOError <: Exception
    code::Int32
    msg::String
    errno::Int32
end
NpyIOError(code::Integer, msg::AbstractString) = NpyIOError(Int32(code), String(msg), Int32(0))

Base.showerror(io::IO, e::NpyIOError) =
    print(io, "NpyIOError(", e.code, ", ", status_str(e.code), "): ", e.msg)

"""
    status_str(code) -> String

The library's static description of a status code.
"""
status_str(code::Integer) = unsafe_string(L.npyio_status_str(Int32(code)))

"""
    version() -> String

The libnpyio version, e.g. `"0.1.0"`.
"""
version() = unsafe_string(L.npyio_version())

# This thread's last error message. Called right after the failing ccall, with no yield
# point in between, so the task is still on the thread that failed.
function lasterror()
    n = L.npyio_last_error(Ptr{UInt8}(C_NULL), 0)
    buf = Vector{UInt8}(undef, n + 1)
    L.npyio_last_error(buf, length(buf))
    return String(buf[1:n])
end

function check(status::Integer)
    status == L.NPYIO_OK && return nothing
    msg = lasterror()
    errno = L.npyio_last_errno()
    throw(NpyIOError(Int32(status), isempty(msg) ? status_str(status) : String(msg), errno))
end

# ---- element types and dtypes ------------------------------------------------------------

"The Julia element types with a NumPy dtype."
const Element = Union{Bool,Int8,Int16,Int32,Int64,UInt8,UInt16,UInt32,UInt64,
                      Float16,Float32,Float64,ComplexF32,ComplexF64}

const NATIVE = ENDIAN_BOM == 0x04030201 ? '<' : '>'

kindchar(::Type{Bool}) = 'b'
kindchar(::Type{<:Signed}) = 'i'
kindchar(::Type{<:Unsigned}) = 'u'
kindchar(::Type{<:AbstractFloat}) = 'f'
kindchar(::Type{<:Complex}) = 'c'

"""
    descr(T) -> String

The NumPy dtype string of element type `T` in the host's byte order: `descr(Float64) ==
"<f8"` on little-endian machines, `descr(Bool) == "|b1"`.
"""
descr(::Type{T}) where {T<:Element} =
    string(sizeof(T) == 1 ? '|' : NATIVE, kindchar(T), sizeof(T))

const JULIA_TYPES = Dict{Tuple{Char,Int},DataType}(
    ('b', 1) => Bool,
    ('i', 1) => Int8, ('i', 2) => Int16, ('i', 4) => Int32, ('i', 8) => Int64,
    ('u', 1) => UInt8, ('u', 2) => UInt16, ('u', 4) => UInt32, ('u', 8) => UInt64,
    ('f', 2) => Float16, ('f', 4) => Float32, ('f', 8) => Float64,
    ('c', 8) => ComplexF32, ('c', 16) => ComplexF64,
)

# A dtype parsed from `descr`, freed after f(dtype_ptr).
function withdtype(f, descr::AbstractString)
    out = Ref{Ptr{L.npyio_dtype}}(C_NULL)
    check(L.npyio_dtype_parse(descr, out))
    try
        return f(out[])
    finally
        L.npyio_dtype_free(out[])
    end
end

# ---- one array: a handle with a finalizer ------------------------------------------------

"""
    NpyFile

An open array (a `.npy` file, an `.npz` member or a map). Close it with `close`; a finalizer
closes a forgotten one. Most users never see it: `load`, `npzread` and `mmap` open and close
it themselves.
"""
mutable struct NpyFile
    ptr::Ptr{L.npy_file}
    function NpyFile(ptr::Ptr{L.npy_file})
        f = new(ptr)
        finalizer(close, f)
        return f
    end
end

function Base.close(f::NpyFile)
    if f.ptr != C_NULL
        L.npy_close(f.ptr)
        f.ptr = C_NULL
    end
    return nothing
end

# ccall(..., (Ptr{npy_file},), f) passes f.ptr and keeps f rooted during the call.
Base.unsafe_convert(::Type{Ptr{L.npy_file}}, f::NpyFile) = f.ptr
Base.cconvert(::Type{Ptr{L.npy_file}}, f::NpyFile) = f

function openfile(opener)
    out = Ref{Ptr{L.npy_file}}(C_NULL)
    check(opener(out))
    return NpyFile(out[])
end

"NumPy shape of an open array, as a Vector{Int} (empty for 0-d)."
function npyshape(f::NpyFile)
    n = Int(L.npy_ndim(f))
    n == 0 && return Int[]
    return GC.@preserve f Int[unsafe_load(L.npy_shape(f), i) for i in 1:n]
end

function npydescr(f::NpyFile)
    s = GC.@preserve f unsafe_string(L.npyio_dtype_descr(L.npy_dtype(f)))
    return length(s) >= 2 && s[1] == '\'' && s[end] == '\'' ? s[2:end-1] : s
end

function eltype_of(f::NpyFile)
    # The dtype pointer is borrowed from f: keep f alive while it is used.
    kind, itemsize, record = GC.@preserve f (
        Char(reinterpret(UInt8, L.npyio_dtype_kind(L.npy_dtype(f)))),
        Int(L.npyio_dtype_itemsize(L.npy_dtype(f))),
        L.npyio_dtype_is_record(L.npy_dtype(f)),
    )
    T = record ? nothing : get(JULIA_TYPES, (kind, itemsize), nothing)
    T === nothing && throw(NpyIOError(L.NPYIO_ERR_INVALID_ARG,
        "dtype $(npydescr(f)) has no Julia element type here; use NpyIO.readraw"))
    return T
end

# Julia dimensions for the array's data as stored (see the module documentation).
juliadims(f::NpyFile) =
    Tuple(L.npy_fortran_order(f) ? npyshape(f) : reverse(npyshape(f)))

"Read an open array as a Julia array (dimensions as the module documentation says)."
function readarray(f::NpyFile)
    T = eltype_of(f)
    dims = juliadims(f)
    nbytes = L.npy_nbytes(f)
    if T === Bool
        # Bytes other than 0 and 1 would be invalid Bools: read bytes, then compare.
        raw = Vector{UInt8}(undef, nbytes)
        check(L.npy_read_into(f, raw, nbytes, L.NPYIO_READ_NATIVE))
        return reshape(map(!iszero, raw), dims)
    end
    A = Array{T}(undef, dims)
    check(L.npy_read_into(f, A, nbytes, L.NPYIO_READ_NATIVE))
    return A
end

# ---- .npy --------------------------------------------------------------------------------

"""
    load(path) -> Array

Read the `.npy` file at `path` (as `np.load`). A C-order array comes back with its
dimensions reversed, a Fortran-order one with NumPy's shape (see `?NpyIO`); a 0-d array is a
0-dimensional `Array`. Throws `NpyIOError`.
"""
function load(path::AbstractString)
    f = openfile(out -> L.npy_open(path, out))
    try
        return readarray(f)
    finally
        close(f)
    end
end

"""
    readraw(path) -> (bytes::Vector{UInt8}, descr::String, shape::Vector{Int}, fortran::Bool)

The data of any `.npy` file as stored (any dtype, including strings and records), with its
dtype string, NumPy shape and order.
"""
function readraw(path::AbstractString)
    f = openfile(out -> L.npy_open(path, out))
    try
        n = L.npy_nbytes(f)
        bytes = Vector{UInt8}(undef, n)
        check(L.npy_read_into(f, bytes, n, UInt32(0)))
        return bytes, npydescr(f), npyshape(f), L.npy_fortran_order(f)
    finally
        close(f)
    end
end

# Storage for A as the C side wants it: a dense Array (BitArray and views are copied).
dense(A::Array{<:Element}) = A
dense(A::AbstractArray{<:Element}) = collect(A)

function storage_shape(A::AbstractArray, order::Symbol)
    order in (:F, :C) || throw(ArgumentError("order must be :F or :C, got :$order"))
    return order === :F ? UInt64[size(A)...] : UInt64[reverse(size(A))...]
end

"""
    save(path, A; order=:F)

Write `A` (an array of an `Element` type) to `path` as `np.save` does, byte for byte. With
`order=:F` (the default) the file is Fortran-order with shape `size(A)`: NumPy sees the same
shape and indices. With `order=:C` it is C-order with the dimensions reversed: `load` gives
`A` back, NumPy sees its transpose. The file is replaced atomically. Throws `NpyIOError`.
"""
function save(path::AbstractString, A::AbstractArray{T}; order::Symbol=:F) where {T<:Element}
    data = dense(A)
    shape = storage_shape(A, order)
    withdtype(descr(T)) do dt
        check(L.npy_save(path, dt, length(shape), shape, order === :F, data, sizeof(data)))
    end
    return nothing
end

save(path::AbstractString, x::Element; kw...) = save(path, fill(x); kw...)

# ---- maps ----------------------------------------------------------------------------------

const MMAP_MODES = Dict("r" => L.NPYIO_MMAP_READ, "r+" => L.NPYIO_MMAP_READ_WRITE,
                        "c" => L.NPYIO_MMAP_COPY_ON_WRITE)

"""
    mmap(path; mode="r") -> Array

Map the `.npy` file at `path` (as `np.load(path, mmap_mode=mode)`, mode `"r"`, `"r+"` or
`"c"`) and wrap the mapped data as a Julia array without copying, with the dimensions of
`load`. The map is closed when the array is garbage-collected. With `"r"` the array must not
be written to (the pages are read-only: writing crashes); with `"r+"` writes reach the file,
with `"c"` they stay private. The data must be in the host's byte order (else `NpyIOError`;
`load` converts).
"""
function mmap(path::AbstractString; mode::AbstractString="r")
    haskey(MMAP_MODES, mode) || throw(ArgumentError("mode must be \"r\", \"r+\" or \"c\""))
    f = openfile(out -> L.npy_mmap(path, MMAP_MODES[mode], out))
    try
        T = eltype_of(f)
        order = GC.@preserve f Char(reinterpret(UInt8, L.npyio_dtype_byteorder(L.npy_dtype(f))))
        order in ('|', NATIVE) || throw(NpyIOError(L.NPYIO_ERR_INVALID_ARG,
            "$path: data is stored in non-native byte order ($(npydescr(f))); use load"))
        p = mode == "r" ? L.npy_data(f) : L.npy_data_mut(f)
        UInt(p) % Base.datatype_alignment(T) == 0 || throw(NpyIOError(
            L.NPYIO_ERR_INVALID_ARG, "$path: data is not aligned for $T; use load"))
        A = unsafe_wrap(Array, Ptr{T}(p), juliadims(f); own=false)
        finalizer(_ -> close(f), A)  # the map lives as long as the array
        return A
    catch
        close(f)
        rethrow()
    end
end

# ---- .npz ----------------------------------------------------------------------------------

"""
    npzread(path) -> Dict{String,Any}

Read every member of the `.npz` archive at `path` (as `np.load` of an archive), keyed as
`NpzFile.files` ("x" for "x.npy"). Arrays come back as `load` returns them; members that
are not `.npy` files come back as their bytes (`Vector{UInt8}`). Throws `NpyIOError`.
"""
function npzread(path::AbstractString)
    out = Ref{Ptr{L.npz_file}}(C_NULL)
    check(L.npz_open(path, out))
    z = out[]
    try
        result = Dict{String,Any}()
        for i in 0:Int(L.npz_count(z))-1
            name = unsafe_string(L.npz_name(z, i))
            member = Ref{Ptr{L.npy_file}}(C_NULL)
            status = L.npz_open_member_at(z, i, member)
            if status == L.NPYIO_ERR_BAD_MAGIC  # not a .npy member: its bytes, as NumPy
                bytes = Vector{UInt8}(undef, L.npz_member_size(z, i))
                check(L.npz_read_raw(z, name, bytes, length(bytes)))
                result[name] = bytes
                continue
            end
            check(status)
            f = NpyFile(member[])
            try
                result[name] = readarray(f)
            finally
                close(f)
            end
        end
        return result
    finally
        L.npz_close(z)
    end
end

"""
    npzwrite(path, arrays; compress=false, order=:F)
    npzwrite(path, "a" => A, "b" => B; compress=false, order=:F)

Write arrays to an `.npz` archive as `np.savez` (or `np.savez_compressed` with
`compress=true`) does; each array as `save` writes it. `arrays` is any collection of
`name => array` pairs (a `Dict` is written in sorted key order). The archive is replaced
atomically: on any error the old file is left in place. Throws `NpyIOError`.
"""
function npzwrite(path::AbstractString, arrays; compress::Bool=false, order::Symbol=:F)
    pairs_ = arrays isa AbstractDict ? sort!(collect(arrays); by=first) : collect(arrays)
    out = Ref{Ptr{L.npz_writer}}(C_NULL)
    check(L.npz_writer_open(path, out))
    w = out[]
    method = compress ? L.NPYIO_DEFLATE : L.NPYIO_STORED
    try
        for (name, value) in pairs_
            A = value isa Element ? fill(value) : value
            A isa AbstractArray{<:Element} || throw(ArgumentError(
                "npzwrite: member $name is not an array of a NumPy element type"))
            data = dense(A)
            shape = storage_shape(A, order)
            withdtype(descr(eltype(A))) do dt
                check(L.npz_writer_add(w, string(name), dt, length(shape), shape, order === :F,
                                       data, sizeof(data), method))
            end
        end
    catch
        L.npz_writer_discard(w)
        rethrow()
    end
    check(L.npz_writer_finish(w))
    return nothing
end

npzwrite(path::AbstractString, first::Pair, rest::Pair...; kw...) =
    npzwrite(path, [first, rest...]; kw...)

# ---- text tables ---------------------------------------------------------------------------
#
# Text is row-oriented, so these do not follow the dimension reversal of `load`: line i of
# the file is row i of the matrix, A[i, :], as in NumPy.

# A NUL-terminated pointer into s (kept alive by the caller's GC.@preserve).
function cstr(s::AbstractString)
    str = String(s)
    occursin('\0', str) && throw(ArgumentError("string contains NUL: $(repr(str))"))
    return str, pointer(str)
end

"""
    loadtxt(path; dtype=Float64, delimiter=nothing, comments="#", skiprows=0,
            usecols=nothing, ndmin=0, max_rows=-1) -> Array

Read a text table as `np.loadtxt` does (same tokenizing, conversions and result shape). A
2-D result is a Julia matrix with one row per line (`A[i, :]` is line i); a 1-D one a
vector. `delimiter=nothing` splits on whitespace; `comments=nothing` disables comments;
`usecols` takes 0-based column indices, as NumPy. Throws `NpyIOError` (`NPYIO_ERR_PARSE`
names the line and column).
"""
function loadtxt(path::AbstractString; dtype::Type{T}=Float64, delimiter=nothing,
                 comments="#", skiprows::Integer=0, usecols=nothing, ndmin::Integer=0,
                 max_rows::Integer=-1) where {T<:Element}
    o = L.npyio_loadtxt_options()
    GC.@preserve o check(L.npyio_loadtxt_options_init(pointer_from_objref(o)))
    keep = Any[o]
    delim = delimiter === nothing ? nothing : cstr(delimiter)
    comm = comments === nothing ? nothing : cstr(comments)
    commptrs = comm === nothing ? Ptr{UInt8}[] : [comm[2]]
    cols = usecols === nothing ? Int64[] : Int64.(collect(usecols))
    push!(keep, delim, comm, commptrs, cols)
    f = withdtype(descr(T)) do dt
        o.dtype = dt
        o.delimiter = delim === nothing ? Ptr{UInt8}(C_NULL) : delim[2]
        o.comments = isempty(commptrs) ? Ptr{Ptr{UInt8}}(C_NULL) : pointer(commptrs)
        o.n_comments = length(commptrs)
        o.skiprows = skiprows
        o.usecols = isempty(cols) ? Ptr{Int64}(C_NULL) : pointer(cols)
        o.n_usecols = length(cols)
        o.ndmin = ndmin
        o.max_rows = max_rows
        GC.@preserve keep openfile(out -> L.npy_loadtxt(path, pointer_from_objref(o), out))
    end
    try
        A = readarray(f)                 # C order, dims reversed: columns × rows
        return ndims(A) == 2 ? permutedims(A, (2, 1)) : A
    finally
        close(f)
    end
end

"""
    savetxt(path, A; fmt="%.18e", delimiter=" ", newline="\\n", header="", footer="",
            comments="# ")

Write a vector or matrix as `np.savetxt` does, byte for byte: one line per row of `A`
(`A[i, :]`), one value per line for a vector. Throws `NpyIOError`.
"""
function savetxt(path::AbstractString, A::AbstractVecOrMat{T}; fmt="%.18e", delimiter=" ",
                 newline="\n", header="", footer="", comments="# ") where {T<:Element}
    data = ndims(A) == 2 ? permutedims(A, (2, 1)) : dense(A)   # rows in C order
    shape = UInt64[size(A)...]
    o = L.npyio_savetxt_options()
    GC.@preserve o check(L.npyio_savetxt_options_init(pointer_from_objref(o)))
    strs = [cstr(x) for x in (fmt, delimiter, newline, header, footer, comments)]  # kept alive below
    o.fmt, o.delimiter, o.newline, o.header, o.footer, o.comments = map(last, strs)
    withdtype(descr(T)) do dt
        GC.@preserve o strs data shape check(L.npy_savetxt_data(path, dt, length(shape), shape,
                                                              data, sizeof(data),
                                                              pointer_from_objref(o)))
    end
    return nothing
end

end # module NpyIO
