// test_cpp_api.cpp -- npyio.hpp on its own (no NumPy needed): errors as exceptions with code
// and message, move-only ownership, dtype mapping, typed round trips, writers that commit or
// discard, npz, memory buffers, limits, concurrent reads. Uses the wrapper only.
#include "npyio.hpp"

#include <algorithm>
#include <cerrno>
#include <complex>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "cpp_check.hpp"

namespace fs = std::filesystem;
using npyio::File;

// Compile-time properties of the wrapper.
static_assert(!std::is_copy_constructible_v<File> && !std::is_copy_assignable_v<File>);
static_assert(std::is_nothrow_move_constructible_v<File> &&
              std::is_nothrow_move_assignable_v<File>);
static_assert(!std::is_copy_constructible_v<npyio::Writer> &&
              std::is_nothrow_move_constructible_v<npyio::Writer>);
static_assert(!std::is_copy_constructible_v<npyio::Npz> &&
              std::is_nothrow_move_constructible_v<npyio::Npz>);
static_assert(!std::is_copy_constructible_v<npyio::NpzWriter> &&
              std::is_nothrow_move_constructible_v<npyio::NpzWriter>);
static_assert(!std::is_copy_constructible_v<npyio::DType> &&
              std::is_nothrow_move_constructible_v<npyio::DType>);
static_assert(std::is_base_of_v<std::runtime_error, npyio::Error>);
static_assert(npyio::is_element_v<bool> && npyio::is_element_v<long long> &&
              npyio::is_element_v<unsigned char> && npyio::is_element_v<std::complex<float>>);
static_assert(!npyio::is_element_v<char> && !npyio::is_element_v<long double> &&
              !npyio::is_element_v<std::string> && !npyio::is_element_v<int *>);
static_assert(npyio::kind_of<bool>() == 'b' && npyio::kind_of<int16_t>() == 'i' &&
              npyio::kind_of<uint64_t>() == 'u' && npyio::kind_of<float>() == 'f' &&
              npyio::kind_of<std::complex<double>>() == 'c');

static std::string native(const std::string &code) {
  const uint16_t one = 1;
  const bool little = *reinterpret_cast<const unsigned char *>(&one) == 1;
  return (little ? "<" : ">") + code;
}

static void errors() {
  try {
    File f = File::open("no/such/file.npy");
    CHECK(false);
  } catch (const npyio::Error &e) {
    CHECK_EQ(e.code(), npyio_status{NPYIO_ERR_NOT_FOUND});
    CHECK(e.not_found());
    CHECK_EQ(e.os_error(), ENOENT);
    const std::string msg = e.what();
    CHECK(msg.find("no/such/file.npy") != std::string::npos);
    CHECK(std::string(e.status_str()).size() > 0);
  }
  {
    std::ofstream("junk.npy", std::ios::binary) << "this is not a .npy file at all";
  }
  CHECK_THROWS_CODE(File::open("junk.npy"), NPYIO_ERR_BAD_MAGIC);
  CHECK_THROWS_CODE(npyio::Npz::open("junk.npy"), NPYIO_ERR_ZIP);
  CHECK_THROWS_CODE(npyio::DType("<q99"), NPYIO_ERR_BAD_DTYPE);
  CHECK_THROWS_CODE(npyio::DType("[('a', '|O')]"), NPYIO_ERR_OBJECT_DTYPE);
  CHECK_THROWS_CODE(File::mmap("junk.npy", static_cast<npyio::MmapMode>(99)),
                    NPYIO_ERR_INVALID_ARG);
  CHECK_THROWS_CODE(npyio::set_limit(12345, 1), NPYIO_ERR_INVALID_ARG);
  // An error caught as std::exception still says what went wrong.
  try {
    (void)npyio::load<double>("junk.npy");
    CHECK(false);
  } catch (const std::exception &e) {
    CHECK(std::string(e.what()).find("junk.npy") != std::string::npos);
  }
}

static void ownership() {
  npyio::save("own.npy", std::vector<double>{1, 2, 3});
  File a = File::open("own.npy");
  CHECK(static_cast<bool>(a));
  File b = std::move(a);
  CHECK(!a);  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
  CHECK(static_cast<bool>(b));
  CHECK_THROWS_CODE(a.nbytes(), NPYIO_ERR_NULL_ARG);
  CHECK_THROWS_CODE(a.read<double>(), NPYIO_ERR_NULL_ARG);
  CHECK_EQ(b.read<double>(), (std::vector<double>{1, 2, 3}));
  File c = File::open("own.npy");
  c = std::move(b);  // closes c's old handle, takes b's
  CHECK(!b);
  CHECK_EQ(c.count(), uint64_t{3});
  c.close();
  c.close();  // twice is fine
  CHECK(!c);
  // The borrowed dtype lives as long as the File.
  File d("own.npy");
  const npyio::DTypeView dt = d.dtype();
  CHECK_EQ(dt.str(), native("f8"));
  CHECK_EQ(dt.descr(), "'" + native("f8") + "'");
  CHECK(dt.is<double>() && !dt.is<int64_t>() && dt.native());
}

template <class T>
static void roundtrip_one(const std::vector<T> &values, const std::string &code) {
  const std::string path = "rt_" + code.substr(1) + ".npy";
  npyio::save(path, values);
  File f = File::open(path);
  CHECK_EQ(f.dtype().str(), code);
  CHECK_EQ(npyio::descr_of<T>(), code);
  CHECK(npyio::DType::of<T>().template is<T>());
  CHECK_EQ(f.read<T>(), values);
}

static void dtypes_and_roundtrips() {
  roundtrip_one<bool>({true, false, true}, "|b1");
  roundtrip_one<int8_t>({-128, 0, 127}, "|i1");
  roundtrip_one<uint8_t>({0, 200, 255}, "|u1");
  roundtrip_one<int16_t>({-32768, 1, 32767}, native("i2"));
  roundtrip_one<uint16_t>({0, 65535}, native("u2"));
  roundtrip_one<int32_t>({std::numeric_limits<int32_t>::min(), 7}, native("i4"));
  roundtrip_one<uint32_t>({0, 4294967295u}, native("u4"));
  roundtrip_one<int64_t>({std::numeric_limits<int64_t>::min(), -1}, native("i8"));
  roundtrip_one<uint64_t>({std::numeric_limits<uint64_t>::max()}, native("u8"));
  roundtrip_one<float>({1.5f, -0.0f, 3e38f}, native("f4"));
  roundtrip_one<double>({1e-300, -2.5}, native("f8"));
  roundtrip_one<std::complex<float>>({{1, -1}, {0.5f, 2}}, native("c8"));
  roundtrip_one<std::complex<double>>({{1e100, -1e-100}}, native("c16"));

  // Fortran order on disk; typed reads give C order, raw reads give what is stored.
  const std::vector<int32_t> fortran = {1, 4, 2, 5, 3, 6};  // [[1,2,3],[4,5,6]] column-major
  npyio::save("fortran.npy", fortran.data(), {2, 3}, true);
  File f("fortran.npy");
  CHECK(f.fortran_order());
  CHECK_EQ(f.read<int32_t>(), (std::vector<int32_t>{1, 2, 3, 4, 5, 6}));
  std::vector<unsigned char> raw = f.read_bytes();
  CHECK_EQ(raw.size(), size_t{24});
  std::vector<int32_t> stored(6);
  f.read_bytes_into(stored.data(), 24);
  CHECK_EQ(stored, fortran);
  // read_into with a C array and with a pointer + length.
  int32_t arr[6] = {};
  f.read_into(arr);
  CHECK_EQ(arr[1], int32_t{2});
  int32_t *p = arr;
  f.read_into(p, 6);
  CHECK_EQ(arr[5], int32_t{6});

  // An explicit non-native dtype through save_bytes.
  const npyio::DType be("'>u2'");
  const unsigned char bytes[4] = {0x01, 0x02, 0xff, 0x00};
  npyio::save_bytes("be.npy", be, {2}, false, bytes, sizeof bytes);
  CHECK_EQ(npyio::load<uint16_t>("be.npy"), (std::vector<uint16_t>{0x0102, 0xff00}));
  CHECK_EQ(be.byteorder(), '>');
  CHECK_EQ(be.itemsize(), size_t{2});

  // Overflowing shapes are refused before anything is read from `data`.
  const double one = 1;
  CHECK_THROWS_CODE(npyio::save("huge.npy", &one, {1ull << 40, 1ull << 40}),
                    NPYIO_ERR_OVERFLOW);
  CHECK(!fs::exists("huge.npy"));
}

static void memory_buffers() {
  npyio::save("mem.npy", std::vector<float>{1, 2, 3, 4}, {2, 2});
  std::ifstream in("mem.npy", std::ios::binary);
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
  File m = File::open_memory(bytes.data(), bytes.size());
  CHECK_EQ(m.shape(), (std::vector<uint64_t>{2, 2}));
  const float *p = m.data<float>();
  CHECK_EQ(p[3], 4.0f);
  CHECK(m.raw_data() != nullptr && m.raw_data_mut() == nullptr);
  CHECK_THROWS_CODE(File::open_memory(bytes.data(), 20), NPYIO_ERR_TRUNCATED);
}

static void writers() {
  npyio::save("w.npy", std::vector<int16_t>{5, 6});
  {
    npyio::Writer w = npyio::Writer::create<int16_t>("w.npy", {2, 2});
    w.write(std::vector<int16_t>{1, 2});
    CHECK_THROWS_CODE(w.write(std::vector<int16_t>{3, 4, 5}), NPYIO_ERR_SIZE_MISMATCH);
    npyio::Writer moved = std::move(w);
    CHECK(!w);
    CHECK_THROWS_CODE(w.finish(), NPYIO_ERR_NULL_ARG);
    moved.write(std::vector<int16_t>{3, 4});
    moved.finish();
  }
  CHECK_EQ(npyio::load<int16_t>("w.npy"), (std::vector<int16_t>{1, 2, 3, 4}));
  {
    npyio::Writer w = npyio::Writer::create("w.npy", npyio::DType("<f8"), {1});
    w.discard();
    w.discard();  // twice is fine
  }
  CHECK_EQ(npyio::load<int16_t>("w.npy"), (std::vector<int16_t>{1, 2, 3, 4}));
}

static void rows() {
  {
    File f = File::create("rows.npy", npyio::DType::of<int32_t>(), {4, 2});
    f.write_rows<int32_t>(2, 2, {5, 6, 7, 8});
    CHECK_THROWS_CODE(f.write_rows<int32_t>(3, 2, {1, 2, 3, 4}), NPYIO_ERR_INVALID_ARG);
    CHECK_THROWS_CODE(f.write_rows<int32_t>(0, 1, {1, 2, 3}), NPYIO_ERR_SIZE_MISMATCH);
    CHECK_THROWS_CODE(f.write_rows<float>(0, 1, {1, 2}), NPYIO_ERR_INVALID_ARG);
    File g = File::open_rw("rows.npy");
    g.write_rows_bytes(0, 1, std::vector<int32_t>{1, 2}.data(), 8);
    const std::vector<int32_t> two{3, 4};
    CHECK_THROWS_CODE(File::open("rows.npy").write_rows_bytes(1, 1, two.data(), 8),
                      NPYIO_ERR_STATE);  // not opened for writes
  }
  CHECK_EQ(npyio::load<int32_t>("rows.npy"), (std::vector<int32_t>{1, 2, 0, 0, 5, 6, 7, 8}));
  npyio::append_rows<int32_t>("rows.npy", {9, 10});
  CHECK_THROWS_CODE(npyio::append_rows<int32_t>("rows.npy", {11}), NPYIO_ERR_SIZE_MISMATCH);
  CHECK_THROWS_CODE(npyio::append_rows<double>("rows.npy", {1.0}), NPYIO_ERR_INVALID_ARG);
  npyio::append_rows_bytes("rows.npy", nullptr, 0);
  CHECK_EQ(File::open("rows.npy").shape(), (std::vector<uint64_t>{5, 2}));
  CHECK_EQ(npyio::load<int32_t>("rows.npy").back(), 10);
}

// A reader over bytes in memory for File::open_reader / Npz::open_reader.
struct MemReader {
  std::vector<char> bytes;
  int released = 0;
  static int64_t read_at(void *ctx, uint64_t offset, void *buf, size_t len) {
    auto *m = static_cast<MemReader *>(ctx);
    if (offset >= m->bytes.size()) return 0;
    const size_t n = std::min<size_t>(len, m->bytes.size() - offset);
    std::memcpy(buf, m->bytes.data() + offset, n);
    return static_cast<int64_t>(n);
  }
  static void release(void *ctx) { static_cast<MemReader *>(ctx)->released++; }
  npyio_reader reader() {
    npyio_reader r{};
    r.struct_size = sizeof r;
    r.ctx = this;
    r.read_at = &MemReader::read_at;
    r.size = bytes.size();
    r.release = &MemReader::release;
    return r;
  }
  static MemReader of(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    MemReader m;
    m.bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return m;
  }
};

static void readers() {
  npyio::save("reader.npy", std::vector<double>{1, 2, 3, 4, 5, 6}, {3, 2});
  MemReader m = MemReader::of("reader.npy");
  {
    File f = File::open_reader(m.reader());
    CHECK_EQ(f.shape(), (std::vector<uint64_t>{3, 2}));
    CHECK_EQ(f.read_rows<double>(1, 2), (std::vector<double>{3, 4, 5, 6}));
    CHECK_EQ(m.released, 0);
  }
  CHECK_EQ(m.released, 1);
  npyio_reader bad = m.reader();
  bad.size = 20;
  CHECK_THROWS_CODE(File::open_reader(bad), NPYIO_ERR_TRUNCATED);
  CHECK_EQ(m.released, 1);  // not released when the open fails
  {
    npyio::NpzWriter w = npyio::NpzWriter::open("reader.npz");
    w.add("x", std::vector<int32_t>{7, 8, 9}, {3});
    w.finish();
  }
  MemReader z = MemReader::of("reader.npz");
  {
    npyio::Npz a = npyio::Npz::open_reader(z.reader());
    CHECK_EQ(a.read<int32_t>("x"), (std::vector<int32_t>{7, 8, 9}));
  }
  CHECK_EQ(z.released, 1);
}

// A sink into memory for Writer::create_sink / NpzWriter::open_sink.
struct MemSink {
  std::vector<char> bytes;
  int released = 0;
  static int64_t write(void *ctx, const void *buf, size_t len) {
    auto *m = static_cast<MemSink *>(ctx);
    const char *p = static_cast<const char *>(buf);
    m->bytes.insert(m->bytes.end(), p, p + len);
    return static_cast<int64_t>(len);
  }
  static void release(void *ctx) { static_cast<MemSink *>(ctx)->released++; }
  npyio_writer_sink sink() {
    npyio_writer_sink s{};
    s.struct_size = sizeof s;
    s.ctx = this;
    s.write = &MemSink::write;
    s.release = &MemSink::release;
    return s;
  }
};

static void sinks() {
  MemSink m;
  {
    npyio::Writer w = npyio::Writer::create_sink(m.sink(), npyio::DType::of<int16_t>(), {2});
    w.write(std::vector<int16_t>{5, 6});
    w.finish();
  }
  CHECK_EQ(m.released, 1);
  File f = File::open_memory(m.bytes.data(), m.bytes.size());
  CHECK_EQ(f.read<int16_t>(), (std::vector<int16_t>{5, 6}));
  MemSink z;
  {
    npyio::NpzWriter w = npyio::NpzWriter::open_sink(z.sink());
    w.add("x", std::vector<int32_t>{7, 8, 9}, npyio::Compression::Deflate);
    w.finish();
  }
  CHECK_EQ(z.released, 1);
  npyio::Npz a = npyio::Npz::open_memory(z.bytes.data(), z.bytes.size());
  CHECK_EQ(a.read<int32_t>("x"), (std::vector<int32_t>{7, 8, 9}));
  npyio_writer_sink bad = m.sink();
  bad.struct_size = 0;
  CHECK_THROWS_CODE(npyio::NpzWriter::open_sink(bad), NPYIO_ERR_INVALID_ARG);
  CHECK_EQ(m.released, 1);
}

static void archives() {
  {
    npyio::NpzWriter z = npyio::NpzWriter::open("a.npz", npyio::NPZ_ALIGN, 1);
    z.add("x", std::vector<double>{1, 2, 3, 4, 5, 6}, {2, 3});
    z.add("y", std::vector<uint8_t>(1000, 7), npyio::Compression::Deflate);
    CHECK_THROWS_CODE(z.add("", std::vector<double>{1}), NPYIO_ERR_INVALID_ARG);
    CHECK_THROWS_CODE(z.set_level(npyio::Compression::Zstd, 23), NPYIO_ERR_INVALID_ARG);
    z.set_level(npyio::Compression::Zstd, 19);
    z.add("zs", std::vector<int32_t>(5000, -3), npyio::Compression::Zstd);
    z.finish();
    CHECK(!z);
  }
  {
    npyio::NpzWriter z("a.npz");
    z.add("only", std::vector<double>{1});
    // destroyed unfinished: discarded, a.npz untouched
  }
  std::ifstream in("a.npz", std::ios::binary);
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
  for (int pass = 0; pass < 2; ++pass) {
    npyio::Npz z = pass == 0 ? npyio::Npz::open("a.npz")
                             : npyio::Npz::open_memory(bytes.data(), bytes.size());
    CHECK_EQ(z.names(), (std::vector<std::string>{"x", "y", "zs"}));
    CHECK_EQ(z.compression(2), int32_t{NPYIO_ZSTD});
    CHECK_EQ(z["zs"].read<int32_t>(), std::vector<int32_t>(5000, -3));
    CHECK_EQ(z.member(0).shape(), (std::vector<uint64_t>{2, 3}));
    CHECK_EQ(z["y"].read<uint8_t>(), std::vector<uint8_t>(1000, 7));
    CHECK(z.compressed_size(1) < z.member_size(1));
    CHECK_THROWS_CODE(z.name(3), NPYIO_ERR_INVALID_ARG);
    File x = z.mmap_member("x");
    // NPZ_ALIGN: the data starts at a multiple of 64 bytes in the archive.
    const char *base = pass == 0 ? nullptr : bytes.data();
    const char *data = reinterpret_cast<const char *>(x.data<double>());
    CHECK_EQ(pass == 0 ? reinterpret_cast<uintptr_t>(data) % 64
                       : static_cast<uintptr_t>(data - base) % 64,
             uintptr_t{0});
    CHECK_EQ(x.data<double>()[5], 6.0);
  }
}

static std::string slurp_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// save() of C-order data goes through npy_save_typed: the same bytes as npy_save with the
// dtype; add_typed members take the writer's compression.
static void typed_saves() {
  const std::vector<double> v{1, 2, 3, 4, 5, 6};
  npyio::save("typed.npy", v, {2, 3});
  npyio::save_bytes("bytes.npy", npyio::DType::of<double>(), {2, 3}, false, v.data(),
                    v.size() * sizeof(double));
  CHECK_EQ(slurp_file("typed.npy"), slurp_file("bytes.npy"));
  const int32_t scalar = 7;
  npyio::save_typed("scalar.npy", npyio::Type::Int32, {}, &scalar, sizeof scalar);
  CHECK_EQ(File::open("scalar.npy").ndim(), size_t{0});
  CHECK_EQ(File::open("scalar.npy").read<int32_t>(), std::vector<int32_t>{7});
  CHECK_THROWS_CODE(npyio::save("typed.npy", v, {7}), NPYIO_ERR_SIZE_MISMATCH);
  CHECK_THROWS_CODE(npyio::save_typed("typed.npy", npyio::Type::Float64, {2, 3}, v.data(), 47),
                    NPYIO_ERR_SIZE_MISMATCH);
  CHECK_EQ(slurp_file("typed.npy"), slurp_file("bytes.npy"));  // the failed saves left it
  {
    npyio::NpzWriter z("typed.npz", npyio::NPZ_COMPRESSED);
    z.add_typed("v", v, {2, 3});
    z.add_typed("b", std::vector<bool>{true, false, true});
    z.add_typed("s", npyio::Type::Int32, {}, &scalar, sizeof scalar);
    CHECK_THROWS_CODE(z.add_typed("w", v, {5}), NPYIO_ERR_SIZE_MISMATCH);
    z.finish();
  }
  npyio::Npz z = npyio::Npz::open("typed.npz");
  CHECK_EQ(z.names(), (std::vector<std::string>{"v", "b", "s"}));
  for (size_t i = 0; i < 3; i++) CHECK_EQ(z.compression(i), int32_t{NPYIO_DEFLATE});
  CHECK_EQ(z["v"].read<double>(), v);
  CHECK_EQ(z["b"].read<bool>(), (std::vector<bool>{true, false, true}));
  CHECK_EQ(z["s"].read<int32_t>(), std::vector<int32_t>{7});
}

static void typed_reads() {
  // Type codes and their static dtypes.
  static_assert(npyio::type_of<int32_t>() == npyio::Type::Int32 &&
                npyio::type_of<uint8_t>() == npyio::Type::UInt8 &&
                npyio::type_of<double>() == npyio::Type::Float64 &&
                npyio::type_of<std::complex<float>>() == npyio::Type::Complex64 &&
                npyio::type_of<bool>() == npyio::Type::Bool);
  CHECK_EQ(npyio::type_dtype(npyio::Type::Float64).str(), native("f8"));
  CHECK_EQ(npyio::type_dtype(npyio::Type::Int8).str(), std::string("|i1"));
  CHECK_THROWS_CODE(npyio::type_dtype(static_cast<npyio::Type>(77)), NPYIO_ERR_INVALID_ARG);

  npyio::save("ints.npy", std::vector<int32_t>{1, -2, 3, 300, 5, 6}, {2, 3});
  File f = File::open("ints.npy");
  CHECK_EQ(f.read_as<double>(), (std::vector<double>{1, -2, 3, 300, 5, 6}));
  CHECK_EQ(f.read_as<int64_t>(), (std::vector<int64_t>{1, -2, 3, 300, 5, 6}));
  CHECK_THROWS_CODE(f.read_as<int16_t>(), NPYIO_ERR_CAST);
  CHECK_EQ(f.read_as<int8_t>(npyio::Casting::SameKind),
           (std::vector<int8_t>{1, -2, 3, 44, 5, 6}));
  CHECK_EQ(f.read_as<bool>(npyio::Casting::Unsafe),
           (std::vector<bool>{true, true, true, true, true, true}));
  float small[5];
  CHECK_THROWS_CODE(f.read_as_into(small, 5, npyio::Casting::SameKind),
                    NPYIO_ERR_BUFFER_TOO_SMALL);

  {
    npyio::NpzWriter z("typed.npz");
    z.add("x", std::vector<uint16_t>{1, 2, 65535});
    z.finish();
  }
  npyio::Npz z("typed.npz");
  CHECK_EQ(z.read_as<float>("x"), (std::vector<float>{1, 2, 65535}));
  CHECK_EQ(z.read_as<int32_t>("x.npy"), (std::vector<int32_t>{1, 2, 65535}));
  CHECK_THROWS_CODE(z.read_as<int16_t>("x"), NPYIO_ERR_CAST);
  CHECK_THROWS_CODE(z.read_as<double>("nope"), NPYIO_ERR_NOT_FOUND);

  // Loads: data in memory the library owns, with shape.
  File a = File::load<double>("ints.npy");
  CHECK_EQ(a.shape(), (std::vector<uint64_t>{2, 3}));
  CHECK_EQ(a.data<double>()[3], 300.0);
  CHECK_EQ(File::load_stored("ints.npy").data<int32_t>()[1], -2);
  CHECK_THROWS_CODE(File::load<uint8_t>("ints.npy"), NPYIO_ERR_CAST);
  CHECK_THROWS_CODE(File::load("ints.npy", static_cast<npyio::Type>(0)), NPYIO_ERR_INVALID_ARG);
  File m = z.load<int64_t>("x");
  CHECK_EQ(m.data<int64_t>()[2], int64_t{65535});
  CHECK_EQ(z.load_stored("x.npy").data<uint16_t>()[0], uint16_t{1});
  CHECK_THROWS_CODE(z.load("nope", npyio::Type::Float64), NPYIO_ERR_NOT_FOUND);

  // dtype equality and type strings.
  CHECK(a.dtype() == npyio::type_dtype(npyio::Type::Float64));
  CHECK(a.dtype() != npyio::type_dtype(npyio::Type::Float32));
  const npyio::DType rec("[('a', '<i4'), ('b', '>f8')]");
  CHECK_EQ(rec.typestr(), std::string("|V12"));
  CHECK(rec.view() == npyio::DType("[('a', '<i4'), ('b', '>f8')]").view());
  CHECK(npyio::DType(">f8").view() != npyio::DType("<f8").view());
  CHECK_EQ(npyio::DType(">U3").typestr(), std::string(">U3"));
}

static void limits_and_version() {
  CHECK_EQ(npyio::version(), std::to_string(NPYIO_VERSION_MAJOR) + "." +
                                 std::to_string(NPYIO_VERSION_MINOR) + "." +
                                 std::to_string(NPYIO_VERSION_PATCH));
  const uint64_t old = npyio::get_limit(NPYIO_LIMIT_HEADER_LEN);
  npyio::save("lim.npy", std::vector<double>{1});
  npyio::set_limit(NPYIO_LIMIT_HEADER_LEN, 16);
  CHECK_THROWS_CODE(File::open("lim.npy"), NPYIO_ERR_LIMIT);
  npyio::set_limit(NPYIO_LIMIT_HEADER_LEN, 0);
  CHECK_EQ(npyio::get_limit(NPYIO_LIMIT_HEADER_LEN), old);
  CHECK_EQ(File::open("lim.npy").count(), uint64_t{1});
}

static void concurrent_reads() {
  std::vector<double> big(1 << 16);
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<double>(i) * 0.5;
  npyio::save("big.npy", big, {256, 256});
  File f("big.npy");
  std::vector<int> ok(8, 0);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < ok.size(); ++t) {
    threads.emplace_back([&f, &big, &ok, t] {
      try {
        ok[t] = f.read<double>() == big && f.read_rows<double>(t, 1)[3] == big[t * 256 + 3];
      } catch (...) {
        ok[t] = 0;
      }
    });
  }
  for (auto &th : threads) th.join();
  CHECK_EQ(ok, std::vector<int>(8, 1));
}

int main() {
  RUN(errors);
  RUN(ownership);
  RUN(dtypes_and_roundtrips);
  RUN(memory_buffers);
  RUN(writers);
  RUN(rows);
  RUN(readers);
  RUN(sinks);
  RUN(archives);
  RUN(typed_saves);
  RUN(typed_reads);
  RUN(limits_and_version);
  RUN(concurrent_reads);
  return cpp_check_summary("test_cpp_api");
}
