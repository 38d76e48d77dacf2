// npyio.hpp -- libnpyio for C++17: a header-only RAII layer over npyio.h.
//
//   npyio::File f = npyio::File::open("weights.npy");     // throws npyio::Error
//   std::vector<double> w = f.read<double>();             // dtype checked: kind 'f', 8 bytes
//   npyio::save("out.npy", w, {f.shape()[0], f.shape()[1]});
//
// Conventions (the C API's, see README "API conventions"):
//  - Every handle class (File, Writer, Npz, NpzWriter, DType) owns one C handle, is move-only,
//    and releases it in its destructor. A moved-from object is empty (operator bool is false);
//    calling a method on it throws Error(NPYIO_ERR_NULL_ARG).
//  - Every failing call throws npyio::Error, which carries the status code (code()) and the
//    message npyio_last_error() gave on the failing thread (what()). Errors found by this
//    header itself (a dtype that does not match T, a size that overflows) use the codes
//    NPYIO_ERR_INVALID_ARG and NPYIO_ERR_OVERFLOW.
//  - Typed reads (read<T>, read_into, read_rows<T>) check the array's dtype against T at run
//    time (kind and itemsize; any byte order) and return native-byte-order, C-order data.
//    Raw reads (read_bytes, read_bytes_into) return bytes as stored unless flags say otherwise.
//  - Typed writes (save, Writer::create<T>, NpzWriter::add) derive the dtype from T in the
//    host's byte order: bool -> |b1, int8..int64 -> i1..i8, uint8..uint64 -> u1..u8,
//    float -> f4, double -> f8, std::complex<float> -> c8, std::complex<double> -> c16.
//  - An unfinished Writer or NpzWriter is discarded by its destructor (the target file is left
//    as it was); call finish() to commit.
//  - Borrowed views (File::dtype(), File::data<T>()) live until their File is closed.
//  - Text tables: loadtxt / genfromtxt return in-memory Files; savetxt writes np.savetxt's
//    bytes. Options are the C structs, filled with NumPy's defaults by *_options().
//  - Threads: as the C API. Reads on one File may run concurrently; writers belong to one
//    thread at a time.
#ifndef NPYIO_HPP
#define NPYIO_HPP

#include "npyio.h"

#include <complex>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace npyio {

// ---- errors -------------------------------------------------------------------------------

// A failed libnpyio call: the status code (NPYIO_ERR_*), the message for it and the operating
// system's error number behind it (npyio_last_errno: ENOENT, EACCES, ...; 0 when none).
class Error : public std::runtime_error {
 public:
  Error(npyio_status code, const std::string &message, int os_error = 0)
      : std::runtime_error(message), code_(code), os_error_(os_error) {}
  // The NPYIO_ERR_* status code.
  npyio_status code() const noexcept { return code_; }
  // The static description of the code (npyio_status_str), e.g. "not found".
  const char *status_str() const noexcept { return npyio_status_str(code_); }
  // The errno of the failure (e.g. ENOENT for a missing file), 0 when it was not the OS's.
  int os_error() const noexcept { return os_error_; }
  // True for a file or archive member that does not exist (NPYIO_ERR_NOT_FOUND).
  bool not_found() const noexcept { return code_ == NPYIO_ERR_NOT_FOUND; }

 private:
  npyio_status code_;
  int os_error_;
};

// Read flags, save flags, limits and modes as typed constants.
inline constexpr uint32_t READ_NATIVE = NPYIO_READ_NATIVE;
inline constexpr uint32_t READ_C_ORDER = NPYIO_READ_C_ORDER;
inline constexpr uint32_t SAVE_FSYNC = NPYIO_SAVE_FSYNC;
inline constexpr uint32_t NPZ_ALIGN = NPYIO_NPZ_ALIGN;
// NpzWriter flag: add_typed members are deflated (np.savez_compressed), not stored (np.savez).
inline constexpr uint32_t NPZ_COMPRESSED = NPYIO_NPZ_COMPRESSED;

// Map modes for File::mmap (np.load mmap_mode 'r', 'r+', 'c') and File::mmap_raw ('w+').
enum class MmapMode : npy_mmap_mode {
  Read = NPYIO_MMAP_READ,
  ReadWrite = NPYIO_MMAP_READ_WRITE,
  CopyOnWrite = NPYIO_MMAP_COPY_ON_WRITE,
  Create = NPYIO_MMAP_CREATE,
};

// Compression of an .npz member: np.savez (Stored), np.savez_compressed (Deflate), or
// Zstandard (zip method 93, read by np.load with Python 3.14's zipfile).
enum class Compression : npyio_compression {
  Stored = NPYIO_STORED,
  Deflate = NPYIO_DEFLATE,
  Zstd = NPYIO_ZSTD,
};

// The library version, e.g. "0.1.0".
inline std::string version() { return npyio_version(); }

namespace detail {

// This thread's last error message (empty if none).
inline std::string last_error() {
  const size_t n = npyio_last_error(nullptr, 0);
  std::string msg(n, '\0');
  if (n > 0) {
    npyio_last_error(&msg[0], n + 1);  // writes n bytes and the NUL in msg's terminator slot
  }
  return msg;
}

[[noreturn]] inline void throw_status(npyio_status st) {
  std::string msg = last_error();
  if (msg.empty()) {
    msg = npyio_status_str(st);
  }
  throw Error(st, msg, npyio_last_errno());
}

inline void check(npyio_status st) {
  if (st != NPYIO_OK) {
    throw_status(st);
  }
}

[[noreturn]] inline void fail(npyio_status st, const std::string &what) {
  throw Error(st, what);
}

inline void require(const void *handle, const char *what) {
  if (handle == nullptr) {
    fail(NPYIO_ERR_NULL_ARG, std::string(what) + ": empty (closed or moved-from) object");
  }
}

inline bool host_little_endian() noexcept {
  const uint16_t one = 1;
  unsigned char first = 0;
  std::memcpy(&first, &one, 1);
  return first == 1;
}

inline char native_order_char() noexcept { return host_little_endian() ? '<' : '>'; }

// a * b, throwing NPYIO_ERR_OVERFLOW when it does not fit in size_t.
inline size_t mul_checked(uint64_t a, uint64_t b, const char *what) {
  if (a != 0 && b > std::numeric_limits<size_t>::max() / a) {
    fail(NPYIO_ERR_OVERFLOW, std::string(what) + ": size overflows size_t");
  }
  return static_cast<size_t>(a * b);
}

inline size_t product(const std::vector<uint64_t> &shape, const char *what) {
  size_t n = 1;
  for (uint64_t d : shape) {
    n = mul_checked(n, d, what);
  }
  return n;
}

inline const uint64_t *shape_ptr(const std::vector<uint64_t> &shape) noexcept {
  return shape.empty() ? nullptr : shape.data();
}

template <class T>
struct is_complex : std::false_type {};
template <class T>
struct is_complex<std::complex<T>> : std::true_type {};

template <class T>
inline constexpr bool is_char_type_v =
    std::is_same_v<T, char> || std::is_same_v<T, wchar_t> || std::is_same_v<T, char16_t> ||
    std::is_same_v<T, char32_t>;

}  // namespace detail

// ---- element types ------------------------------------------------------------------------

// True for the C++ types that map to a NumPy dtype: bool, the fixed-width (and standard)
// integer types except the character types, float, double, std::complex<float/double>.
template <class T>
inline constexpr bool is_element_v =
    std::is_same_v<T, bool> ||
    (std::is_integral_v<T> && !detail::is_char_type_v<T> &&
     (sizeof(T) == 1 || sizeof(T) == 2 || sizeof(T) == 4 || sizeof(T) == 8)) ||
    std::is_same_v<T, float> || std::is_same_v<T, double> ||
    std::is_same_v<T, std::complex<float>> || std::is_same_v<T, std::complex<double>>;

// NumPy's dtype.kind for T: 'b', 'i', 'u', 'f' or 'c'.
template <class T>
constexpr char kind_of() noexcept {
  static_assert(is_element_v<T>, "npyio: T has no NumPy dtype");
  if constexpr (std::is_same_v<T, bool>) {
    return 'b';
  } else if constexpr (std::is_integral_v<T>) {
    return std::is_signed_v<T> ? 'i' : 'u';
  } else if constexpr (std::is_floating_point_v<T>) {
    return 'f';
  } else {
    return 'c';
  }
}

// The dtype string of T in the host's byte order, e.g. "<f8", "|u1", "<c16".
template <class T>
std::string descr_of() {
  static_assert(is_element_v<T>, "npyio: T has no NumPy dtype");
  static_assert(!std::is_same_v<T, bool> || sizeof(bool) == 1, "npyio: bool must be 1 byte");
  std::string s(1, sizeof(T) == 1 ? '|' : detail::native_order_char());
  s += kind_of<T>();
  s += std::to_string(sizeof(T));
  return s;
}

// ---- dtypes -------------------------------------------------------------------------------

class DType;

// A borrowed dtype (from File::dtype() or DType::view()); valid while its owner lives.
// Copyable; a default-constructed view is empty.
class DTypeView {
 public:
  DTypeView() noexcept = default;
  explicit DTypeView(const npyio_dtype *d) noexcept : d_(d) {}

  // The descr as np.save writes it after 'descr': ("'<f8'", "[('x', '<f4')]").
  std::string descr() const {
    detail::require(d_, "npyio::DTypeView::descr");
    return npyio_dtype_descr(d_);
  }
  // The descr without the quotes for a plain dtype ("<f8"); records as descr().
  std::string str() const {
    std::string s = descr();
    if (s.size() >= 2 && s.front() == '\'' && s.back() == '\'') {
      s = s.substr(1, s.size() - 2);
    }
    return s;
  }
  // NumPy's dtype.str: "<f8", "|u1", "<U5", "|V12" for records (npyio_dtype_str).
  std::string typestr() const {
    detail::require(d_, "npyio::DTypeView::typestr");
    return npyio_dtype_str(d_);
  }
  // NumPy's == on dtypes (npyio_dtype_equal): byte order, fields and units included.
  friend bool operator==(DTypeView a, DTypeView b) noexcept {
    return npyio_dtype_equal(a.d_, b.d_);
  }
  friend bool operator!=(DTypeView a, DTypeView b) noexcept { return !(a == b); }
  size_t itemsize() const noexcept { return npyio_dtype_itemsize(d_); }
  // dtype.kind: 'b', 'i', 'u', 'f', 'c', 'S', 'U', 'V', 'M', 'm'.
  char kind() const noexcept { return npyio_dtype_kind(d_); }
  // '<', '>' or '|'.
  char byteorder() const noexcept { return npyio_dtype_byteorder(d_); }
  bool is_record() const noexcept { return npyio_dtype_is_record(d_); }
  // True if T matches this dtype's kind and itemsize (any byte order).
  template <class T>
  bool is() const noexcept {
    return d_ != nullptr && !is_record() && kind() == kind_of<T>() && itemsize() == sizeof(T);
  }
  // True if the data is in the host's byte order (or byte order does not apply).
  bool native() const noexcept {
    const char o = byteorder();
    return o == '|' || o == detail::native_order_char();
  }
  const npyio_dtype *get() const noexcept { return d_; }
  explicit operator bool() const noexcept { return d_ != nullptr; }

 private:
  const npyio_dtype *d_ = nullptr;
};

// An owned dtype (npyio_dtype_parse / npyio_dtype_free). Move-only.
class DType {
 public:
  DType() noexcept = default;
  // Parse "<f8", "'<f8'", "int32", "[('x', '<f4')]", ...; throws Error on a bad descr.
  explicit DType(const std::string &descr) {
    detail::check(npyio_dtype_parse(descr.c_str(), &d_));
  }
  static DType parse(const std::string &descr) { return DType(descr); }
  // The dtype of T in the host's byte order.
  template <class T>
  static DType of() {
    return DType(descr_of<T>());
  }
  // Take ownership of a dtype from npyio_dtype_parse.
  static DType adopt(npyio_dtype *d) noexcept {
    DType t;
    t.d_ = d;
    return t;
  }

  DType(DType &&o) noexcept : d_(std::exchange(o.d_, nullptr)) {}
  DType &operator=(DType &&o) noexcept {
    if (this != &o) {
      reset();
      d_ = std::exchange(o.d_, nullptr);
    }
    return *this;
  }
  DType(const DType &) = delete;
  DType &operator=(const DType &) = delete;
  ~DType() { reset(); }

  void reset() noexcept { npyio_dtype_free(std::exchange(d_, nullptr)); }
  npyio_dtype *release() noexcept { return std::exchange(d_, nullptr); }
  npyio_dtype *get() const noexcept { return d_; }
  explicit operator bool() const noexcept { return d_ != nullptr; }
  DTypeView view() const noexcept { return DTypeView(d_); }
  operator DTypeView() const noexcept { return view(); }

  std::string descr() const { return view().descr(); }
  std::string str() const { return view().str(); }
  std::string typestr() const { return view().typestr(); }
  size_t itemsize() const noexcept { return view().itemsize(); }
  char kind() const noexcept { return view().kind(); }
  char byteorder() const noexcept { return view().byteorder(); }
  bool is_record() const noexcept { return view().is_record(); }
  template <class T>
  bool is() const noexcept {
    return view().is<T>();
  }

 private:
  npyio_dtype *d_ = nullptr;
};

// ---- element type codes (npyio_type) --------------------------------------------------------

// The fourteen numeric element types, in the host's byte order.
enum class Type : npyio_type {
  Bool = NPYIO_BOOL,
  Int8 = NPYIO_INT8,
  Int16 = NPYIO_INT16,
  Int32 = NPYIO_INT32,
  Int64 = NPYIO_INT64,
  UInt8 = NPYIO_UINT8,
  UInt16 = NPYIO_UINT16,
  UInt32 = NPYIO_UINT32,
  UInt64 = NPYIO_UINT64,
  Float16 = NPYIO_FLOAT16,
  Float32 = NPYIO_FLOAT32,
  Float64 = NPYIO_FLOAT64,
  Complex64 = NPYIO_COMPLEX64,
  Complex128 = NPYIO_COMPLEX128,
};

// NumPy's casting rules, for read_as (np.can_cast / astype's casting=).
enum class Casting : npyio_casting {
  No = NPYIO_CASTING_NO,
  Equiv = NPYIO_CASTING_EQUIV,
  Safe = NPYIO_CASTING_SAFE,
  SameKind = NPYIO_CASTING_SAME_KIND,
  Unsafe = NPYIO_CASTING_UNSAFE,
};

// The element type of T (bool, the fixed-width integers, float, double, std::complex).
template <class T>
constexpr Type type_of() noexcept {
  static_assert(is_element_v<T>, "npyio: T has no NumPy dtype");
  if constexpr (std::is_same_v<T, bool>) {
    return Type::Bool;
  } else if constexpr (std::is_integral_v<T>) {
    constexpr int k = sizeof(T) == 1 ? 0 : sizeof(T) == 2 ? 1 : sizeof(T) == 4 ? 2 : 3;
    constexpr Type s[] = {Type::Int8, Type::Int16, Type::Int32, Type::Int64};
    constexpr Type u[] = {Type::UInt8, Type::UInt16, Type::UInt32, Type::UInt64};
    return std::is_signed_v<T> ? s[k] : u[k];
  } else if constexpr (std::is_same_v<T, float>) {
    return Type::Float32;
  } else if constexpr (std::is_same_v<T, double>) {
    return Type::Float64;
  } else if constexpr (std::is_same_v<T, std::complex<float>>) {
    return Type::Complex64;
  } else {
    return Type::Complex128;
  }
}

// npyio_type_dtype: the library's static dtype of a type (never freed; valid for the whole
// process). Throws Error(NPYIO_ERR_INVALID_ARG) for a value outside the enumeration.
inline DTypeView type_dtype(Type t) {
  const npyio_dtype *d = npyio_type_dtype(static_cast<npyio_type>(t));
  if (d == nullptr) {
    detail::fail(NPYIO_ERR_INVALID_ARG, "npyio::type_dtype: unknown type code " +
                                            std::to_string(static_cast<npyio_type>(t)));
  }
  return DTypeView(d);
}

// ---- one array: npy_file ------------------------------------------------------------------

// One .npy array: a file on disk, a memory buffer, an npz member or a memory map. Move-only.
class File {
 public:
  File() noexcept = default;
  // Same as File::open(path).
  explicit File(const std::string &path) { detail::check(npy_open(path.c_str(), &f_)); }

  // npy_open: parse the header; read the data later.
  static File open(const std::string &path) { return File(path); }
  // npy_open_memory: the bytes are borrowed and must outlive the File.
  static File open_memory(const void *data, size_t len) {
    File f;
    detail::check(npy_open_memory(data, len, &f.f_));
    return f;
  }
  // npy_mmap: np.load(path, mmap_mode='r' / 'r+' / 'c').
  static File mmap(const std::string &path, MmapMode mode = MmapMode::Read) {
    File f;
    detail::check(npy_mmap(path.c_str(), static_cast<npy_mmap_mode>(mode), &f.f_));
    return f;
  }
  // npy_mmap_create: np.lib.format.open_memmap(path, 'w+', dtype, shape, fortran_order).
  static File mmap_create(const std::string &path, DTypeView dtype,
                          const std::vector<uint64_t> &shape, bool fortran_order = false) {
    File f;
    detail::check(npy_mmap_create(path.c_str(), dtype.get(), shape.size(),
                                  detail::shape_ptr(shape), fortran_order, &f.f_));
    return f;
  }
  template <class T>
  static File mmap_create(const std::string &path, const std::vector<uint64_t> &shape,
                          bool fortran_order = false) {
    return mmap_create(path, DType::of<T>(), shape, fortran_order);
  }
  // npy_create: the full-size file (np.save's header, the data a hole), made atomically and
  // open for write_rows from this File and others (open_rw, in other threads or processes).
  static File create(const std::string &path, DTypeView dtype, const std::vector<uint64_t> &shape,
                     bool fortran_order = false) {
    File f;
    detail::check(npy_create(path.c_str(), dtype.get(), shape.size(), detail::shape_ptr(shape),
                             fortran_order, &f.f_));
    return f;
  }
  // npy_open_reader: the .npy that the caller's reader reads (the struct is copied; its ctx is
  // released through reader.release when the File is closed, not if this throws).
  static File open_reader(const npyio_reader &reader) {
    File f;
    detail::check(npy_open_reader(&reader, &f.f_));
    return f;
  }
  // npy_open_rw: an existing .npy open for write_rows (and reads).
  static File open_rw(const std::string &path) {
    File f;
    detail::check(npy_open_rw(path.c_str(), &f.f_));
    return f;
  }
  // npy_mmap_raw: np.memmap(path, dtype, mode, offset, shape). An empty `shape` with
  // `whole_file` true means "every item after offset" (np.memmap's shape=None).
  static File mmap_raw(const std::string &path, DTypeView dtype, MmapMode mode, uint64_t offset,
                       const std::vector<uint64_t> &shape, bool fortran_order = false,
                       bool whole_file = false) {
    File f;
    static const uint64_t zero_d = 0;
    const uint64_t *shp = whole_file ? nullptr : (shape.empty() ? &zero_d : shape.data());
    detail::check(npy_mmap_raw(path.c_str(), dtype.get(), static_cast<npy_mmap_mode>(mode),
                               offset, whole_file ? 0 : shape.size(), shp, fortran_order,
                               &f.f_));
    return f;
  }
  // npy_load: the whole array in memory the library owns, converted to `type` with NumPy's
  // safe rule (NPYIO_ERR_CAST if refused), C order, native byte order: data<T>() reaches it.
  static File load(const std::string &path, Type type) {
    File f;
    detail::check(npy_load(path.c_str(), static_cast<npyio_type>(type), &f.f_));
    return f;
  }
  // npy_load into T's type: File::load<double>("x.npy").data<double>(), with shape().
  template <class T>
  static File load(const std::string &path) {
    return load(path, type_of<T>());
  }
  // npy_load with NPYIO_TYPE_STORED: the stored dtype (records too), native byte order, C order.
  static File load_stored(const std::string &path) {
    File f;
    detail::check(npy_load(path.c_str(), NPYIO_TYPE_STORED, &f.f_));
    return f;
  }
  // Take ownership of a handle from the C API.
  static File adopt(npy_file *f) noexcept {
    File r;
    r.f_ = f;
    return r;
  }

  File(File &&o) noexcept : f_(std::exchange(o.f_, nullptr)) {}
  File &operator=(File &&o) noexcept {
    if (this != &o) {
      close();
      f_ = std::exchange(o.f_, nullptr);
    }
    return *this;
  }
  File(const File &) = delete;
  File &operator=(const File &) = delete;
  ~File() { close(); }

  // npy_close. Pointers borrowed from this File become invalid. Safe to call twice.
  void close() noexcept { npy_close(std::exchange(f_, nullptr)); }
  npy_file *release() noexcept { return std::exchange(f_, nullptr); }
  npy_file *get() const noexcept { return f_; }
  explicit operator bool() const noexcept { return f_ != nullptr; }

  // ---- describe
  size_t ndim() const { return npy_ndim(live("ndim")); }
  // The shape (empty for a 0-d array).
  std::vector<uint64_t> shape() const {
    const npy_file *f = live("shape");
    const size_t n = npy_ndim(f);
    if (n == 0) {
      return {};
    }
    const uint64_t *s = npy_shape(f);
    return std::vector<uint64_t>(s, s + n);
  }
  DTypeView dtype() const { return DTypeView(npy_dtype(live("dtype"))); }
  bool fortran_order() const { return npy_fortran_order(live("fortran_order")); }
  uint64_t nbytes() const { return npy_nbytes(live("nbytes")); }
  uint64_t count() const { return npy_count(live("count")); }
  uint64_t row_nbytes() const { return npy_row_nbytes(live("row_nbytes")); }
  uint64_t data_offset() const { return npy_data_offset(live("data_offset")); }
  uint32_t format_version() const { return npy_format_version(live("format_version")); }

  // ---- raw reads (bytes as stored unless flags say otherwise)
  void read_bytes_into(void *dst, size_t len, uint32_t flags = 0) {
    detail::check(npy_read_into(live("read_bytes_into"), dst, len, flags));
  }
  std::vector<unsigned char> read_bytes(uint32_t flags = 0) {
    std::vector<unsigned char> out(detail::mul_checked(nbytes(), 1, "read_bytes"));
    read_bytes_into(out.data(), out.size(), flags);
    return out;
  }
  void read_rows_bytes_into(uint64_t first, uint64_t nrows, void *dst, size_t len,
                            uint32_t flags = 0) {
    detail::check(npy_read_rows(live("read_rows_bytes_into"), first, nrows, dst, len, flags));
  }

  // ---- positional writes (files from create / open_rw): rows first..first+nrows-1 along
  // axis 0, `len` bytes in storage order and the file's byte order. Disjoint rows may be
  // written from several threads and processes at once.
  void write_rows_bytes(uint64_t first, uint64_t nrows, const void *data, size_t len) {
    detail::check(npy_write_rows(live("write_rows_bytes"), first, nrows, data, len));
  }
  // Typed: the dtype is checked against T and must be in the host's byte order.
  template <class T>
  void write_rows(uint64_t first, uint64_t nrows, const std::vector<T> &data) {
    static_assert(!std::is_same_v<T, bool>, "npyio: write_rows<bool>: use write_rows<uint8_t>");
    check_dtype<T>("npyio::File::write_rows");
    if (!dtype().native()) {
      detail::fail(NPYIO_ERR_INVALID_ARG, "npyio::File::write_rows: array dtype " +
                                              dtype().str() + " is not in the host's byte order");
    }
    write_rows_bytes(first, nrows, data.data(),
                     detail::mul_checked(data.size(), sizeof(T), "write_rows"));
  }

  // ---- typed reads: dtype checked against T; native byte order, C order
  // Throws Error(NPYIO_ERR_INVALID_ARG) if the dtype is not T's kind and size.
  template <class T>
  void check_dtype(const char *what) const {
    static_assert(is_element_v<T>, "npyio: T has no NumPy dtype");
    const DTypeView d = dtype();
    if (!d.is<T>()) {
      detail::fail(NPYIO_ERR_INVALID_ARG, std::string(what) + ": array dtype " + d.str() +
                                              " does not match the requested " +
                                              descr_of<T>());
    }
  }

  // The whole array as a vector of count() elements.
  template <class T>
  std::vector<T> read() {
    check_dtype<T>("npyio::File::read");
    const size_t n = detail::mul_checked(count(), 1, "npyio::File::read");
    if constexpr (std::is_same_v<T, bool>) {
      std::vector<unsigned char> raw(n);
      read_bytes_into(raw.data(), raw.size(), READ_NATIVE | READ_C_ORDER);
      return std::vector<bool>(raw.begin(), raw.end());
    } else {
      std::vector<T> out(n);
      read_bytes_into(out.data(), n * sizeof(T), READ_NATIVE | READ_C_ORDER);
      return out;
    }
  }
  // Into a caller's buffer of `n` elements (n >= count(), else NPYIO_ERR_BUFFER_TOO_SMALL).
  template <class T>
  void read_into(T *dst, size_t n) {
    check_dtype<T>("npyio::File::read_into");
    read_bytes_into(dst, detail::mul_checked(n, sizeof(T), "read_into"),
                    READ_NATIVE | READ_C_ORDER);
    const size_t got = static_cast<size_t>(count());
    normalize(dst, got < n ? got : n);
  }
  // Into any contiguous container or span (std::vector, std::array, std::span, ...).
  template <class Container,
            class T = std::remove_pointer_t<decltype(std::data(std::declval<Container &>()))>,
            class = std::enable_if_t<is_element_v<T> && !std::is_const_v<T>>>
  void read_into(Container &c) {
    read_into(std::data(c), std::size(c));
  }
  // Rows [first, first + count) along axis 0 (C order, native byte order).
  template <class T>
  std::vector<T> read_rows(uint64_t first, uint64_t nrows) {
    static_assert(!std::is_same_v<T, bool>, "npyio: read_rows<bool>: use read_rows<uint8_t>");
    check_dtype<T>("npyio::File::read_rows");
    const size_t len = detail::mul_checked(nrows, row_nbytes(), "read_rows");
    std::vector<T> out(len / sizeof(T));
    read_rows_bytes_into(first, nrows, out.data(), len, READ_NATIVE | READ_C_ORDER);
    return out;
  }

  // ---- typed reads with NumPy's casting (npy_read_as_ex)
  // The whole array converted to T as a.astype(T, casting=rule) (C order, native byte order);
  // throws Error(NPYIO_ERR_CAST) when NumPy's rule refuses the cast.
  template <class T>
  std::vector<T> read_as(Casting rule = Casting::Safe) const {
    const size_t n = detail::mul_checked(count(), 1, "npyio::File::read_as");
    std::vector<T> out;
    read_as_into<T>(n, rule, out);
    return out;
  }
  // Into a caller's buffer of `n` elements (n >= count(), else NPYIO_ERR_BUFFER_TOO_SMALL).
  template <class T>
  void read_as_into(T *dst, size_t n, Casting rule = Casting::Safe) const {
    static_assert(is_element_v<T>, "npyio: T has no NumPy dtype");
    detail::check(npy_read_as_ex(live("read_as_into"), static_cast<npyio_type>(type_of<T>()),
                                 dst, detail::mul_checked(n, sizeof(T), "read_as_into"),
                                 static_cast<npyio_casting>(rule)));
  }

  // ---- in-memory and mapped data
  // npy_data / npy_data_mut: raw bytes as stored; nullptr when not in memory / not writable.
  const void *raw_data() const { return npy_data(live("raw_data")); }
  void *raw_data_mut() { return npy_data_mut(live("raw_data_mut")); }
  // Typed pointer to in-memory or mapped data: T must match the dtype, which must be in the
  // host's byte order, and the data must be aligned for T (a .npy file's data is; a member
  // of an archive NumPy wrote may not be, one written with NPZ_ALIGN is). The layout is the
  // stored one (see fortran_order()). Throws NPYIO_ERR_STATE if the array is not in memory,
  // NPYIO_ERR_INVALID_ARG on a dtype, byte-order or alignment mismatch (read<T>() works in
  // every case). Valid until close().
  template <class T>
  const T *data() const {
    check_mapped<T>("npyio::File::data");
    const void *p = npy_data(f_);
    if (p == nullptr) {
      detail::fail(NPYIO_ERR_STATE, "npyio::File::data: array is not in memory or mapped");
    }
    check_aligned<T>(p, "npyio::File::data");
    return static_cast<const T *>(p);
  }
  // Writable typed pointer, for maps opened ReadWrite, CopyOnWrite or with mmap_create.
  template <class T>
  T *data_mut() {
    check_mapped<T>("npyio::File::data_mut");
    void *p = npy_data_mut(f_);
    if (p == nullptr) {
      detail::fail(NPYIO_ERR_STATE, "npyio::File::data_mut: array is not a writable map");
    }
    check_aligned<T>(p, "npyio::File::data_mut");
    return static_cast<T *>(p);
  }
  // npy_flush: msync a ReadWrite map; no-op otherwise.
  void flush() { detail::check(npy_flush(live("flush"))); }

 private:
  npy_file *live(const char *what) const {
    detail::require(f_, (std::string("npyio::File::") + what).c_str());
    return f_;
  }
  template <class T>
  void check_mapped(const char *what) const {
    check_dtype<T>(what);
    if (!dtype().native()) {
      detail::fail(NPYIO_ERR_INVALID_ARG,
                   std::string(what) + ": data is stored in non-native byte order (" +
                       dtype().str() + "); use read<T>() to convert");
    }
  }
  template <class T>
  static void check_aligned(const void *p, const char *what) {
    if (reinterpret_cast<uintptr_t>(p) % alignof(T) != 0) {
      detail::fail(NPYIO_ERR_INVALID_ARG,
                   std::string(what) + ": data is not aligned for " + descr_of<T>() +
                       "; use read<T>() to copy it");
    }
  }
  template <class T>
  void read_as_into(size_t n, Casting rule, std::vector<T> &out) const {
    if constexpr (std::is_same_v<T, bool>) {
      std::vector<unsigned char> raw(n);
      detail::check(npy_read_as_ex(live("read_as"), NPYIO_BOOL, raw.data(), raw.size(),
                                   static_cast<npyio_casting>(rule)));
      out.assign(raw.begin(), raw.end());
    } else {
      out.resize(n);
      read_as_into(out.data(), n, rule);
    }
  }
  // A bool read from a file holds the byte as stored; make every element exactly 0 or 1.
  // Not inlined: GCC's -O3 vectoriser otherwise reports a false
  // -Wstringop-overflow for small fixed-size bool arrays.
  template <class T>
#if defined(__GNUC__)
  __attribute__((noinline))
#endif
  static void normalize(T *dst, size_t n) noexcept {
    if constexpr (std::is_same_v<T, bool>) {
      unsigned char *b = reinterpret_cast<unsigned char *>(dst);
      for (size_t i = 0; i < n; ++i) {
        b[i] = b[i] != 0 ? 1 : 0;
      }
    } else {
      (void)dst;
      (void)n;
    }
  }

  npy_file *f_ = nullptr;
};

// np.load for a numeric array: the values in C order and native byte order.
template <class T>
std::vector<T> load(const std::string &path) {
  return File::open(path).read<T>();
}

// ---- saving -------------------------------------------------------------------------------

// npy_save_ex with an explicit dtype: `data` holds `len` bytes in storage order and the
// dtype's byte order.
inline void save_bytes(const std::string &path, DTypeView dtype,
                       const std::vector<uint64_t> &shape, bool fortran_order, const void *data,
                       size_t len, uint32_t flags = 0) {
  detail::check(npy_save_ex(path.c_str(), dtype.get(), shape.size(), detail::shape_ptr(shape),
                            fortran_order, data, len, flags));
}

// npy_append_rows: whole rows (`len` bytes, the file's byte order) appended along axis 0 of
// the C-order or 1-D file at `path`; the file is the old array or the new one at every instant.
inline void append_rows_bytes(const std::string &path, const void *data, size_t len) {
  detail::check(npy_append_rows(path.c_str(), data, len));
}
// Typed: the file's dtype is checked against T and must be in the host's byte order.
template <class T>
void append_rows(const std::string &path, const std::vector<T> &data) {
  static_assert(!std::is_same_v<T, bool>, "npyio: append_rows<bool>: use append_rows<uint8_t>");
  {
    const File f = File::open(path);
    f.check_dtype<T>("npyio::append_rows");
    if (!f.dtype().native()) {
      detail::fail(NPYIO_ERR_INVALID_ARG, "npyio::append_rows: " + path + ": dtype " +
                                              f.dtype().str() + " is not in the host's byte order");
    }
  }
  append_rows_bytes(path, data.data(), detail::mul_checked(data.size(), sizeof(T), "append_rows"));
}

// npy_save_typed: np.save of a C-order array of type `t` (host byte order), `len` bytes at
// `data`, exactly product(shape) items; no dtype to parse. Atomic, as every save.
inline void save_typed(const std::string &path, Type t, const std::vector<uint64_t> &shape,
                       const void *data, size_t len) {
  detail::check(npy_save_typed(path.c_str(), static_cast<npyio_type>(t), shape.size(),
                               detail::shape_ptr(shape), data, len));
}

// np.save of product(shape) elements at `data` (C order, or Fortran order if fortran_order),
// with the dtype derived from T.
template <class T>
void save(const std::string &path, const T *data, const std::vector<uint64_t> &shape,
          bool fortran_order = false) {
  const size_t n = detail::product(shape, "npyio::save");
  const size_t len = detail::mul_checked(n, sizeof(T), "save");
  if (!fortran_order) {
    save_typed(path, type_of<T>(), shape, data, len);
    return;
  }
  const DType dt = DType::of<T>();
  save_bytes(path, dt, shape, fortran_order, data, len);
}
// np.save of a vector; its size must equal product(shape) (else NPYIO_ERR_SIZE_MISMATCH).
template <class T>
void save(const std::string &path, const std::vector<T> &data,
          const std::vector<uint64_t> &shape, bool fortran_order = false) {
  if constexpr (std::is_same_v<T, bool>) {
    const std::vector<unsigned char> bytes(data.begin(), data.end());
    if (!fortran_order) {
      save_typed(path, Type::Bool, shape, bytes.data(), bytes.size());
      return;
    }
    save_bytes(path, DType::of<T>(), shape, fortran_order, bytes.data(), bytes.size());
  } else {
    const size_t len = detail::mul_checked(data.size(), sizeof(T), "save");
    if (!fortran_order) {
      save_typed(path, type_of<T>(), shape, data.data(), len);
      return;
    }
    save_bytes(path, DType::of<T>(), shape, fortran_order, data.data(), len);
  }
}
// np.save of a vector as a 1-D array.
template <class T>
void save(const std::string &path, const std::vector<T> &data) {
  save(path, data, {static_cast<uint64_t>(data.size())});
}

// ---- streaming writer: npy_writer ---------------------------------------------------------

// A .npy file written in pieces. finish() commits; the destructor of an unfinished writer
// discards it (the target is left untouched). Move-only.
class Writer {
 public:
  Writer() noexcept = default;
  static Writer create(const std::string &path, DTypeView dtype,
                       const std::vector<uint64_t> &shape, bool fortran_order = false,
                       uint32_t flags = 0) {
    Writer w;
    detail::check(npy_writer_create_ex(path.c_str(), dtype.get(), shape.size(),
                                       detail::shape_ptr(shape), fortran_order, flags, &w.w_));
    return w;
  }
  template <class T>
  static Writer create(const std::string &path, const std::vector<uint64_t> &shape,
                       bool fortran_order = false, uint32_t flags = 0) {
    return create(path, DType::of<T>(), shape, fortran_order, flags);
  }
  // npy_writer_create_sink: np.save to the caller's sink (released when the writer ends,
  // not if this throws).
  static Writer create_sink(const npyio_writer_sink &sink, DTypeView dtype,
                            const std::vector<uint64_t> &shape, bool fortran_order = false) {
    Writer w;
    detail::check(npy_writer_create_sink(&sink, dtype.get(), shape.size(),
                                         detail::shape_ptr(shape), fortran_order, &w.w_));
    return w;
  }

  Writer(Writer &&o) noexcept : w_(std::exchange(o.w_, nullptr)) {}
  Writer &operator=(Writer &&o) noexcept {
    if (this != &o) {
      discard();
      w_ = std::exchange(o.w_, nullptr);
    }
    return *this;
  }
  Writer(const Writer &) = delete;
  Writer &operator=(const Writer &) = delete;
  ~Writer() { discard(); }

  void write_bytes(const void *data, size_t len) {
    detail::require(w_, "npyio::Writer::write");
    detail::check(npy_writer_write(w_, data, len));
  }
  // Append elements (storage order, host byte order: the dtype should be DType::of<T>()).
  template <class T>
  void write(const T *data, size_t n) {
    static_assert(is_element_v<T>, "npyio: T has no NumPy dtype");
    write_bytes(data, detail::mul_checked(n, sizeof(T), "npyio::Writer::write"));
  }
  template <class T>
  void write(const std::vector<T> &v) {
    static_assert(!std::is_same_v<T, bool>, "npyio: write a std::vector<uint8_t> of 0/1");
    write(v.data(), v.size());
  }
  // Commit (npy_writer_finish). The writer is empty afterwards, whatever the result.
  void finish() {
    detail::require(w_, "npyio::Writer::finish");
    detail::check(npy_writer_finish(std::exchange(w_, nullptr)));
  }
  // Abandon (npy_writer_discard); no-op on an empty writer.
  void discard() noexcept { npy_writer_discard(std::exchange(w_, nullptr)); }
  npy_writer *get() const noexcept { return w_; }
  explicit operator bool() const noexcept { return w_ != nullptr; }

 private:
  npy_writer *w_ = nullptr;
};

// ---- npz archives -------------------------------------------------------------------------

// An .npz archive opened for reading (np.load of an .npz / NpzFile). Members open as
// independent Files that stay valid after the archive is closed. Move-only.
class Npz {
 public:
  Npz() noexcept = default;
  explicit Npz(const std::string &path) { detail::check(npz_open(path.c_str(), &z_)); }
  static Npz open(const std::string &path) { return Npz(path); }
  // npz_open_reader: the archive that the caller's reader reads (ctx released through
  // reader.release when the archive and its members are closed, not if this throws).
  static Npz open_reader(const npyio_reader &reader) {
    Npz z;
    detail::check(npz_open_reader(&reader, &z.z_));
    return z;
  }
  // The bytes are borrowed and must outlive the archive and every member opened from it.
  static Npz open_memory(const void *data, size_t len) {
    Npz z;
    detail::check(npz_open_memory(data, len, &z.z_));
    return z;
  }

  Npz(Npz &&o) noexcept : z_(std::exchange(o.z_, nullptr)) {}
  Npz &operator=(Npz &&o) noexcept {
    if (this != &o) {
      close();
      z_ = std::exchange(o.z_, nullptr);
    }
    return *this;
  }
  Npz(const Npz &) = delete;
  Npz &operator=(const Npz &) = delete;
  ~Npz() { close(); }

  void close() noexcept { npz_close(std::exchange(z_, nullptr)); }
  npz_file *get() const noexcept { return z_; }
  explicit operator bool() const noexcept { return z_ != nullptr; }

  // Number of members.
  size_t size() const { return npz_count(live("size")); }
  // Key of member i ("x" for "x.npy"), as NpzFile.files; throws INVALID_ARG out of range.
  std::string name(size_t i) const {
    const char *s = npz_name(live("name"), i);
    if (s == nullptr) {
      detail::fail(NPYIO_ERR_INVALID_ARG, "npyio::Npz::name: index out of range");
    }
    return s;
  }
  // Every key, in archive order (NpzFile.files).
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    const size_t n = size();
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      out.push_back(name(i));
    }
    return out;
  }
  bool contains(const std::string &key) const {
    const size_t n = size();
    for (size_t i = 0; i < n; ++i) {
      if (key == npz_name(z_, i) || key == std::string(npz_name(z_, i)) + ".npy") {
        return true;
      }
    }
    return false;
  }
  uint64_t member_size(size_t i) const { return npz_member_size(live("member_size"), i); }
  uint64_t compressed_size(size_t i) const {
    return npz_member_compressed_size(live("compressed_size"), i);
  }
  // The zip method number of member i: NPYIO_STORED (0), NPYIO_DEFLATE (8), 12 (bzip2),
  // 14 (LZMA), NPYIO_ZSTD (93), or another method (9 Deflate64, ...) that cannot be opened.
  int32_t compression(size_t i) const {
    return npz_member_compression(live("compression"), i);
  }

  // Member "x" or "x.npy" as an array (NPYIO_ERR_NOT_FOUND if absent).
  File member(const std::string &key) const {
    npy_file *f = nullptr;
    detail::check(npz_open_member(live("member"), key.c_str(), &f));
    return File::adopt(f);
  }
  File member(size_t i) const {
    npy_file *f = nullptr;
    detail::check(npz_open_member_at(live("member"), i, &f));
    return File::adopt(f);
  }
  File operator[](const std::string &key) const { return member(key); }
  // Member "x" or "x.npy" converted to T with NumPy's casting rule (npz_read_as_ex):
  // NPYIO_ERR_NOT_FOUND if absent, NPYIO_ERR_CAST if the rule refuses.
  template <class T>
  std::vector<T> read_as(const std::string &key, Casting rule = Casting::Safe) const {
    static_assert(is_element_v<T>, "npyio: T has no NumPy dtype");
    const size_t n = detail::mul_checked(member(key).count(), 1, "npyio::Npz::read_as");
    const npyio_type t = static_cast<npyio_type>(type_of<T>());
    const npyio_casting r = static_cast<npyio_casting>(rule);
    if constexpr (std::is_same_v<T, bool>) {
      std::vector<unsigned char> raw(n);
      detail::check(npz_read_as_ex(live("read_as"), key.c_str(), t, raw.data(), n, r));
      return std::vector<bool>(raw.begin(), raw.end());
    } else {
      std::vector<T> out(n);
      detail::check(npz_read_as_ex(live("read_as"), key.c_str(), t, out.data(),
                                   detail::mul_checked(n, sizeof(T), "read_as"), r));
      return out;
    }
  }
  // npz_load: member "x" or "x.npy" loaded into memory the library owns, converted to `type`
  // (safe rule), or kept in its stored dtype by load_stored; independent of the archive.
  File load(const std::string &key, Type type) const {
    npy_file *f = nullptr;
    detail::check(npz_load(live("load"), key.c_str(), static_cast<npyio_type>(type), &f));
    return File::adopt(f);
  }
  template <class T>
  File load(const std::string &key) const {
    return load(key, type_of<T>());
  }
  File load_stored(const std::string &key) const {
    npy_file *f = nullptr;
    detail::check(npz_load(live("load_stored"), key.c_str(), NPYIO_TYPE_STORED, &f));
    return File::adopt(f);
  }
  // Zero-copy read-only map of a stored member (NPYIO_ERR_NOT_MAPPABLE for deflate).
  File mmap_member(const std::string &key) const {
    npy_file *f = nullptr;
    detail::check(npz_mmap_member(live("mmap_member"), key.c_str(), &f));
    return File::adopt(f);
  }
  // The uncompressed bytes of a member that is not a .npy file.
  std::vector<unsigned char> read_raw(const std::string &key) const {
    const npz_file *z = live("read_raw");
    const size_t n = size();
    for (size_t i = 0; i < n; ++i) {
      const std::string k = npz_name(z, i);
      if (k == key || k + ".npy" == key) {
        std::vector<unsigned char> out(
            detail::mul_checked(npz_member_size(z, i), 1, "npyio::Npz::read_raw"));
        detail::check(npz_read_raw(z, key.c_str(), out.data(), out.size()));
        return out;
      }
    }
    // Unknown key: let the library produce its NOT_FOUND error and message.
    unsigned char none = 0;
    detail::check(npz_read_raw(z, key.c_str(), &none, 0));
    return {};
  }
  // Member `key` read as T (dtype checked; C order, native byte order).
  template <class T>
  std::vector<T> read(const std::string &key) const {
    return member(key).read<T>();
  }

 private:
  npz_file *live(const char *what) const {
    detail::require(z_, (std::string("npyio::Npz::") + what).c_str());
    return z_;
  }
  npz_file *z_ = nullptr;
};

// An .npz archive being written (np.savez / np.savez_compressed). finish() commits; the
// destructor of an unfinished writer discards it. Move-only.
class NpzWriter {
 public:
  NpzWriter() noexcept = default;
  // npz_writer_open_ex: flags SAVE_FSYNC | NPZ_ALIGN | NPZ_COMPRESSED; level 0-9 or -1
  // (NumPy's default).
  explicit NpzWriter(const std::string &path, uint32_t flags = 0, int32_t level = -1) {
    detail::check(npz_writer_open_ex(path.c_str(), flags, level, &w_));
  }
  static NpzWriter open(const std::string &path, uint32_t flags = 0, int32_t level = -1) {
    return NpzWriter(path, flags, level);
  }
  // npz_writer_open_sink: np.savez to the caller's sink, written as a stream (released when
  // the writer ends, not if this throws).
  static NpzWriter open_sink(const npyio_writer_sink &sink, uint32_t flags = 0,
                             int32_t level = -1) {
    NpzWriter z;
    detail::check(npz_writer_open_sink(&sink, flags, level, &z.w_));
    return z;
  }

  NpzWriter(NpzWriter &&o) noexcept : w_(std::exchange(o.w_, nullptr)) {}
  NpzWriter &operator=(NpzWriter &&o) noexcept {
    if (this != &o) {
      discard();
      w_ = std::exchange(o.w_, nullptr);
    }
    return *this;
  }
  NpzWriter(const NpzWriter &) = delete;
  NpzWriter &operator=(const NpzWriter &) = delete;
  ~NpzWriter() { discard(); }

  // npz_writer_set_level: the level of later Deflate (0-9, -1) or Zstd (1-22, negative fast
  // levels, 0 for the default 1) members.
  void set_level(Compression c, int32_t level) {
    detail::require(w_, "npyio::NpzWriter::set_level");
    detail::check(npz_writer_set_level(w_, static_cast<npyio_compression>(c), level));
  }

  // Add member name + ".npy" from raw bytes in storage order and the dtype's byte order.
  void add_bytes(const std::string &name, DTypeView dtype, const std::vector<uint64_t> &shape,
                 bool fortran_order, const void *data, size_t len,
                 Compression c = Compression::Stored) {
    detail::require(w_, "npyio::NpzWriter::add");
    detail::check(npz_writer_add(w_, name.c_str(), dtype.get(), shape.size(),
                                 detail::shape_ptr(shape), fortran_order, data, len,
                                 static_cast<npyio_compression>(c)));
  }
  // Add product(shape) elements of T (C order unless fortran_order).
  template <class T>
  void add(const std::string &name, const T *data, const std::vector<uint64_t> &shape,
           Compression c = Compression::Stored, bool fortran_order = false) {
    const size_t n = detail::product(shape, "npyio::NpzWriter::add");
    const DType dt = DType::of<T>();
    add_bytes(name, dt, shape, fortran_order, data,
              detail::mul_checked(n, sizeof(T), "npyio::NpzWriter::add"), c);
  }
  template <class T>
  void add(const std::string &name, const std::vector<T> &data,
           const std::vector<uint64_t> &shape, Compression c = Compression::Stored,
           bool fortran_order = false) {
    const DType dt = DType::of<T>();
    if constexpr (std::is_same_v<T, bool>) {
      const std::vector<unsigned char> bytes(data.begin(), data.end());
      add_bytes(name, dt, shape, fortran_order, bytes.data(), bytes.size(), c);
    } else {
      add_bytes(name, dt, shape, fortran_order, data.data(),
                detail::mul_checked(data.size(), sizeof(T), "npyio::NpzWriter::add"), c);
    }
  }
  // A 1-D member.
  template <class T>
  void add(const std::string &name, const std::vector<T> &data,
           Compression c = Compression::Stored) {
    add(name, data, {static_cast<uint64_t>(data.size())}, c);
  }

  // npz_writer_add_typed: a C-order member of type `t`, `len` bytes at `data`, stored or
  // deflated as the writer was opened (NPZ_COMPRESSED), as np.savez / np.savez_compressed.
  void add_typed(const std::string &name, Type t, const std::vector<uint64_t> &shape,
                 const void *data, size_t len) {
    detail::require(w_, "npyio::NpzWriter::add_typed");
    detail::check(npz_writer_add_typed(w_, name.c_str(), static_cast<npyio_type>(t),
                                       shape.size(), detail::shape_ptr(shape), data, len));
  }
  // A C-order member of product(shape) elements of T, with the writer's compression.
  template <class T>
  void add_typed(const std::string &name, const std::vector<T> &data,
                 const std::vector<uint64_t> &shape) {
    if constexpr (std::is_same_v<T, bool>) {
      const std::vector<unsigned char> bytes(data.begin(), data.end());
      add_typed(name, Type::Bool, shape, bytes.data(), bytes.size());
    } else {
      add_typed(name, type_of<T>(), shape, data.data(),
                detail::mul_checked(data.size(), sizeof(T), "npyio::NpzWriter::add_typed"));
    }
  }
  // A 1-D member with the writer's compression.
  template <class T>
  void add_typed(const std::string &name, const std::vector<T> &data) {
    add_typed(name, data, {static_cast<uint64_t>(data.size())});
  }

  // A member written in pieces: begin, write..., end.
  void begin(const std::string &name, DTypeView dtype, const std::vector<uint64_t> &shape,
             bool fortran_order = false, Compression c = Compression::Stored) {
    detail::require(w_, "npyio::NpzWriter::begin");
    detail::check(npz_writer_begin(w_, name.c_str(), dtype.get(), shape.size(),
                                   detail::shape_ptr(shape), fortran_order,
                                   static_cast<npyio_compression>(c)));
  }
  void write_bytes(const void *data, size_t len) {
    detail::require(w_, "npyio::NpzWriter::write");
    detail::check(npz_writer_write(w_, data, len));
  }
  template <class T>
  void write(const T *data, size_t n) {
    static_assert(is_element_v<T>, "npyio: T has no NumPy dtype");
    write_bytes(data, detail::mul_checked(n, sizeof(T), "npyio::NpzWriter::write"));
  }
  void end() {
    detail::require(w_, "npyio::NpzWriter::end");
    detail::check(npz_writer_end(w_));
  }

  // Write the central directory and commit. The writer is empty afterwards.
  void finish() {
    detail::require(w_, "npyio::NpzWriter::finish");
    detail::check(npz_writer_finish(std::exchange(w_, nullptr)));
  }
  void discard() noexcept { npz_writer_discard(std::exchange(w_, nullptr)); }
  npz_writer *get() const noexcept { return w_; }
  explicit operator bool() const noexcept { return w_ != nullptr; }

 private:
  npz_writer *w_ = nullptr;
};

// ---- text tables: np.loadtxt, np.genfromtxt, np.savetxt --------------------------------------

// Option structs are the C ones (npyio_loadtxt_options, ...), returned filled with NumPy's
// defaults and their struct_size (leave it: the library checks it); change what differs.
// Their strings and arrays are borrowed for the call only.
inline npyio_loadtxt_options loadtxt_options() {
  npyio_loadtxt_options o;
  detail::check(npyio_loadtxt_options_init(&o));
  return o;
}
inline npyio_genfromtxt_options genfromtxt_options() {
  npyio_genfromtxt_options o;
  detail::check(npyio_genfromtxt_options_init(&o));
  return o;
}
inline npyio_savetxt_options savetxt_options() {
  npyio_savetxt_options o;
  detail::check(npyio_savetxt_options_init(&o));
  return o;
}

// np.loadtxt(path, ...): the table as an in-memory File (read<T>(), data<T>(), save it...).
// `opts` nullptr means NumPy's defaults. Parse errors (NPYIO_ERR_PARSE) name line and column.
inline File loadtxt(const std::string &path, const npyio_loadtxt_options *opts = nullptr) {
  npy_file *f = nullptr;
  detail::check(npy_loadtxt(path.c_str(), opts, &f));
  return File::adopt(f);
}
// np.loadtxt of text in memory (copied as needed during the call).
inline File loadtxt_memory(const std::string &text,
                           const npyio_loadtxt_options *opts = nullptr) {
  npy_file *f = nullptr;
  detail::check(npy_loadtxt_memory(text.data(), text.size(), opts, &f));
  return File::adopt(f);
}
// np.save(npy_path, np.loadtxt(txt_path, ...)) without holding either in memory; returns
// the number of rows.
inline uint64_t loadtxt_to_npy(const std::string &txt_path, const std::string &npy_path,
                               const npyio_loadtxt_options *opts = nullptr) {
  uint64_t rows = 0;
  detail::check(npy_loadtxt_to_npy(txt_path.c_str(), npy_path.c_str(), opts, &rows));
  return rows;
}

// The result of genfromtxt: the data and, if asked for (usemask=True), the mask.
struct GenFromTxt {
  File data;
  File mask;  // empty unless with_mask
};
// np.genfromtxt(path, ...), with the mask when `with_mask` (usemask=True).
inline GenFromTxt genfromtxt(const std::string &path,
                             const npyio_genfromtxt_options *opts = nullptr,
                             bool with_mask = false) {
  npy_file *data = nullptr;
  npy_file *mask = nullptr;
  detail::check(npy_genfromtxt(path.c_str(), opts, &data, with_mask ? &mask : nullptr));
  return GenFromTxt{File::adopt(data), File::adopt(mask)};
}
inline GenFromTxt genfromtxt_memory(const std::string &text,
                                    const npyio_genfromtxt_options *opts = nullptr,
                                    bool with_mask = false) {
  npy_file *data = nullptr;
  npy_file *mask = nullptr;
  detail::check(npy_genfromtxt_memory(text.data(), text.size(), opts, &data,
                                      with_mask ? &mask : nullptr));
  return GenFromTxt{File::adopt(data), File::adopt(mask)};
}

// np.savetxt(path, arr, ...) of any open array (1-D, 2-D or 1-D structured), byte for byte.
inline void savetxt(const std::string &path, const File &arr,
                    const npyio_savetxt_options *opts = nullptr) {
  detail::require(arr.get(), "npyio::savetxt");
  detail::check(npy_savetxt(path.c_str(), arr.get(), opts));
}
// np.savetxt of product(shape) elements of T in C order (dtype from T).
template <class T>
void savetxt(const std::string &path, const std::vector<T> &data,
             const std::vector<uint64_t> &shape, const npyio_savetxt_options *opts = nullptr) {
  static_assert(!std::is_same_v<T, bool>, "npyio::savetxt: use std::vector<uint8_t> for bool");
  const DType dt = DType::of<T>();
  detail::check(npy_savetxt_data(path.c_str(), dt.get(), shape.size(), detail::shape_ptr(shape),
                                 data.data(),
                                 detail::mul_checked(data.size(), sizeof(T), "npyio::savetxt"),
                                 opts));
}

// ---- limits -------------------------------------------------------------------------------

// npyio_set_limit / npyio_get_limit (NPYIO_LIMIT_*); value 0 restores the default.
inline void set_limit(int32_t which, uint64_t value) {
  detail::check(npyio_set_limit(which, value));
}
inline uint64_t get_limit(int32_t which) { return npyio_get_limit(which); }

}  // namespace npyio

#endif  // NPYIO_HPP
