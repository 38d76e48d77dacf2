// test_cpp_api.cpp -- npyio.hpp on its own (no NumPy needed): errors as exceptions with code
// and message, move-only ownership, dtype mapping, typed round trips, writers that commit or
// discard, npz, memory buffers, limits, concurrent reads. Uses the wrapper only.
#include "npyio.hpp"

#include <complex>
#include <cstdint>
#include <cstdio>
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
    CHECK_EQ(e.code(), npyio_status{NPYIO_ERR_IO});
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
  RUN(archives);
  RUN(limits_and_version);
  RUN(concurrent_reads);
  return cpp_check_summary("test_cpp_api");
}
