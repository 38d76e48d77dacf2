// test_cpp_numpy.cpp -- npyio.hpp and NumPy read each other's files.
//
//     test_cpp_numpy <numpy_dir> <out_dir>
//
// 1. Reads the files cpp_numpy.py wrote into <numpy_dir> (ctest fixture npyio_cpp_numpy)
//    through the wrapper only: typed reads with dtype checks, byte-order and Fortran-order
//    conversion, rows, 0-d and empty arrays, npz members (stored and deflate), maps, text
//    tables (loadtxt, genfromtxt).
// 2. Writes files into <out_dir> (npyio::save, Writer, NpzWriter, maps, savetxt), which
//    cpp_numpy.py then verifies with np.load(allow_pickle=False) (fixture npyio_cpp_out).
// The values on both sides are defined in cpp_numpy.py; keep them in step.
#include "npyio.hpp"

#include <complex>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "cpp_check.hpp"

namespace fs = std::filesystem;
using npyio::File;

static std::string in_dir;
static std::string out_dir;

static std::string in(const std::string &name) { return in_dir + "/py_" + name; }
static std::string out(const std::string &name) { return out_dir + "/" + name; }

template <class T>
static std::vector<T> iota_vec(size_t n, T start, T step) {
  std::vector<T> v;
  v.reserve(n);
  T x = start;
  for (size_t i = 0; i < n; ++i) {
    v.push_back(x);
    x = static_cast<T>(x + step);
  }
  return v;
}

static void read_numpy_files() {
  {
    File f = File::open(in("f8_2d.npy"));
    CHECK_EQ(f.shape(), (std::vector<uint64_t>{3, 4}));
    CHECK_EQ(f.dtype().str(), std::string("<f8"));
    CHECK(!f.fortran_order());
    CHECK_EQ(f.nbytes(), uint64_t{96});
    std::vector<double> want;
    for (int i = 0; i < 12; ++i) want.push_back(i * 0.5 - 1);
    CHECK_EQ(f.read<double>(), want);
    // Wrong T: a checked error, not garbage.
    CHECK_THROWS_CODE(f.read<float>(), NPYIO_ERR_INVALID_ARG);
    CHECK_THROWS_CODE(f.read<int64_t>(), NPYIO_ERR_INVALID_ARG);
    // Into a caller's buffer, and a short one.
    std::vector<double> buf(12);
    f.read_into(buf);
    CHECK_EQ(buf, want);
    std::vector<double> shortbuf(11);
    CHECK_THROWS_CODE(f.read_into(shortbuf), NPYIO_ERR_BUFFER_TOO_SMALL);
  }
  // Big-endian on disk: typed reads convert to native order.
  CHECK_EQ(npyio::load<int32_t>(in("i4_be.npy")),
           (std::vector<int32_t>{1, -2, 300000, -400000, 2147483647}));
  {
    // Fortran order on disk: typed reads return C order.
    File f = File::open(in("i2_fortran.npy"));
    CHECK(f.fortran_order());
    CHECK_EQ(f.read<int16_t>(), iota_vec<int16_t>(12, -5, 1));
  }
  CHECK_EQ(npyio::load<std::complex<double>>(in("c16_be.npy")),
           (std::vector<std::complex<double>>{{1, 2}, {-3.5, -0.25}}));
  CHECK_EQ(npyio::load<std::complex<float>>(in("c8.npy")),
           (std::vector<std::complex<float>>{{0.5f, -1}, {2, 0}, {-1.25f, 4}}));
  CHECK_EQ(npyio::load<bool>(in("bool.npy")), (std::vector<bool>{true, false, true, true}));
  {
    bool flags[4] = {false, true, false, false};
    File::open(in("bool.npy")).read_into(flags, 4);
    CHECK(flags[0] && !flags[1] && flags[2] && flags[3]);
  }
  CHECK_EQ(npyio::load<uint64_t>(in("u8.npy")),
           (std::vector<uint64_t>{0, std::numeric_limits<uint64_t>::max(),
                                  12345678901234567890ull}));
  CHECK_EQ(npyio::load<int8_t>(in("i1.npy")), (std::vector<int8_t>{-128, -1, 0, 127}));
  CHECK_EQ(npyio::load<uint8_t>(in("u1.npy")), (std::vector<uint8_t>{0, 1, 255}));
  CHECK_EQ(npyio::load<uint16_t>(in("u2_be.npy")), (std::vector<uint16_t>{1, 256, 65535}));
  CHECK_EQ(npyio::load<uint32_t>(in("u4.npy")), (std::vector<uint32_t>{7, 4000000000u}));
  {
    File f = File::open(in("i8_f.npy"));
    CHECK_EQ(f.shape(), (std::vector<uint64_t>{2, 3, 4}));
    CHECK(f.fortran_order());
    CHECK_EQ(f.read<int64_t>(), iota_vec<int64_t>(24, 0, -3));
    // Rows of a Fortran-order array come back in C order.
    CHECK_EQ(f.read_rows<int64_t>(1, 1), iota_vec<int64_t>(12, -36, -3));
  }
  CHECK_EQ(npyio::load<float>(in("f4.npy")), (std::vector<float>{1.5f, -0.25f, 3e38f}));
  {
    File f = File::open(in("f8_0d.npy"));
    CHECK_EQ(f.ndim(), size_t{0});
    CHECK(f.shape().empty());
    CHECK_EQ(f.count(), uint64_t{1});
    CHECK_EQ(f.read<double>(), std::vector<double>{2.5});
    CHECK_THROWS_CODE(f.read_rows<double>(0, 1), NPYIO_ERR_INVALID_ARG);
  }
  {
    File f = File::open(in("empty.npy"));
    CHECK_EQ(f.shape(), (std::vector<uint64_t>{0, 3}));
    CHECK_EQ(f.nbytes(), uint64_t{0});
    CHECK(f.read<float>().empty());
  }
  {
    File f = File::open(in("rows_be.npy"));
    CHECK_EQ(f.read_rows<double>(2, 2), iota_vec<double>(8, 8, 1));
    CHECK_EQ(f.row_nbytes(), uint64_t{32});
    CHECK_THROWS_CODE(f.read_rows<double>(4, 2), NPYIO_ERR_INVALID_ARG);
  }
  {
    // Records and strings have no C++ element type: raw bytes still work.
    File f = File::open(in("record.npy"));
    CHECK(f.dtype().is_record());
    CHECK_EQ(f.dtype().descr(), std::string("[('a', '<i4'), ('b', '<f8')]"));
    CHECK_THROWS_CODE(f.read<int32_t>(), NPYIO_ERR_INVALID_ARG);
    CHECK_EQ(f.read_bytes().size(), size_t{24});
    File u = File::open(in("unicode.npy"));
    CHECK_EQ(u.dtype().kind(), 'U');
    CHECK_EQ(u.dtype().itemsize(), size_t{12});
    std::vector<unsigned char> raw = u.read_bytes(npyio::READ_NATIVE);
    CHECK_EQ(raw.size(), size_t{24});
    CHECK_EQ(raw[0] + raw[1] + raw[2] + raw[3], int{'a'});  // 'a' in any byte order
  }
  {
    File f = File::open(in("v2.npy"));
    CHECK_EQ(f.format_version(), uint32_t{2});
    CHECK_EQ(f.read<uint64_t>(), iota_vec<uint64_t>(5, 0, 1));
  }
}

static void read_numpy_archives() {
  {
    npyio::Npz z = npyio::Npz::open(in("arch.npz"));
    CHECK_EQ(z.names(), (std::vector<std::string>{"a", "b", "notes.txt"}));
    CHECK(z.contains("a") && z.contains("b.npy") && !z.contains("c"));
    CHECK_EQ(z.read<int32_t>("a"), iota_vec<int32_t>(6, 0, 1));
    File b = z.member("b.npy");
    CHECK_EQ(b.dtype().str(), std::string(">f8"));
    CHECK_EQ(b.read<double>(), (std::vector<double>{0.5, 1.5}));
    const std::vector<unsigned char> notes = z.read_raw("notes.txt");
    CHECK_EQ(std::string(notes.begin(), notes.end()), std::string("hello from numpy"));
    CHECK_THROWS_CODE(z.member("missing"), NPYIO_ERR_NOT_FOUND);
    CHECK_THROWS_CODE(z.read_raw("missing"), NPYIO_ERR_NOT_FOUND);
    CHECK_EQ(z.compression(0), npyio_compression{NPYIO_STORED});
    // A stored member maps zero-copy; members outlive the archive.
    File a = z.mmap_member("a");
    z.close();
    CHECK(!z);
    // NumPy does not align archive members: a typed view needs aligned data.
    if (reinterpret_cast<uintptr_t>(a.raw_data()) % alignof(int32_t) == 0) {
      CHECK_EQ(a.data<int32_t>()[5], int32_t{5});
    } else {
      CHECK_THROWS_CODE(a.data<int32_t>(), NPYIO_ERR_INVALID_ARG);
    }
    CHECK_EQ(a.read<int32_t>(), iota_vec<int32_t>(6, 0, 1));
  }
  {
    npyio::Npz z(in("arch_c.npz"));
    CHECK_EQ(z.size(), size_t{2});
    CHECK_EQ(z.compression(0), npyio_compression{NPYIO_DEFLATE});
    std::vector<double> x = z.read<double>("x");
    CHECK_EQ(x.size(), size_t{101});
    CHECK_EQ(x[50], 0.5);
    CHECK_EQ(z.read<bool>("flags"), (std::vector<bool>{true, false}));
    CHECK_THROWS_CODE(z.mmap_member("x"), NPYIO_ERR_NOT_MAPPABLE);
  }
}

static void write_for_numpy() {
  std::vector<double> f8;
  for (int i = 0; i < 12; ++i) f8.push_back(i * 0.5 - 1);
  npyio::save(out("cpp_f8_2d.npy"), f8, {3, 4});

  // Fortran storage of [[-5..-2],[-1..2],[3..6]]: column by column.
  std::vector<int16_t> fort;
  for (int16_t j = 0; j < 4; ++j)
    for (int16_t i = 0; i < 3; ++i) fort.push_back(static_cast<int16_t>(i * 4 + j - 5));
  npyio::save(out("cpp_i2_fortran.npy"), fort.data(), {3, 4}, /*fortran_order=*/true);

  npyio::save(out("cpp_bool.npy"), std::vector<bool>{true, false, false, true, true});
  npyio::save(out("cpp_c8.npy"),
              std::vector<std::complex<float>>{{1, 2}, {0, -0.5f}, {3, 0}});
  std::vector<std::complex<double>> c16;
  for (int i = 0; i < 6; ++i) c16.emplace_back(i, -i);
  npyio::save(out("cpp_c16_2d.npy"), c16, {2, 3});
  npyio::save(out("cpp_i1.npy"), std::vector<int8_t>{-128, -1, 0, 127});
  npyio::save(out("cpp_u1.npy"), std::vector<uint8_t>{0, 1, 255});
  npyio::save(out("cpp_i2.npy"), std::vector<int16_t>{-32768, 32767});
  npyio::save(out("cpp_u2.npy"), std::vector<uint16_t>{0, 65535});
  npyio::save(out("cpp_i4.npy"), std::vector<int32_t>{std::numeric_limits<int32_t>::min(),
                                                      std::numeric_limits<int32_t>::max()});
  npyio::save(out("cpp_u4.npy"), std::vector<uint32_t>{0, 4294967295u});
  npyio::save(out("cpp_i8.npy"), std::vector<int64_t>{std::numeric_limits<int64_t>::min(),
                                                      std::numeric_limits<int64_t>::max()});
  npyio::save(out("cpp_u8.npy"),
              std::vector<uint64_t>{0, std::numeric_limits<uint64_t>::max()});
  npyio::save(out("cpp_f4.npy"), std::vector<float>{1.5f, -2.25f, 1e-30f});
  const float scalar = -7.5f;
  npyio::save(out("cpp_f4_0d.npy"), &scalar, {});
  npyio::save(out("cpp_empty.npy"), std::vector<int32_t>{}, {0, 3});
  npyio::save(out("cpp_vec1d.npy"), iota_vec<long long>(5, 0, 10));  // long long -> <i8
  npyio::save(out("cpp_keep.npy"), std::vector<double>{1, 2, 3});

  // A size that does not match the shape is refused and leaves nothing behind.
  CHECK_THROWS_CODE(npyio::save(out("cpp_bad.npy"), std::vector<double>{1, 2, 3}, {2, 2}),
                    NPYIO_ERR_SIZE_MISMATCH);
  CHECK(!fs::exists(out("cpp_bad.npy")));

  {
    // Streaming writer, in uneven pieces.
    npyio::Writer w = npyio::Writer::create<double>(out("streamed.npy"), {1000});
    std::vector<double> all;
    for (int i = 0; i < 1000; ++i) all.push_back(i / 8.0);
    w.write(all.data(), 333);
    w.write(all.data() + 333, 667);
    w.finish();
    CHECK(!w);
  }
  {
    // A writer that is discarded (here: by its destructor) leaves the old file untouched.
    npyio::Writer w = npyio::Writer::create<double>(out("cpp_keep.npy"), {2});
    w.write(std::vector<double>{9, 9});
  }
  {
    // Finishing short is an error; the target is untouched.
    npyio::Writer w = npyio::Writer::create<double>(out("cpp_keep.npy"), {4});
    w.write(std::vector<double>{9});
    CHECK_THROWS_CODE(w.finish(), NPYIO_ERR_SIZE_MISMATCH);
    CHECK(!w);
  }
  CHECK_EQ(npyio::load<double>(out("cpp_keep.npy")), (std::vector<double>{1, 2, 3}));

  {
    npyio::NpzWriter z(out("cpp_arch.npz"));
    std::vector<double> w;
    for (int i = 0; i < 6; ++i) w.push_back(i / 4.0);
    z.add("w", w, {2, 3});
    std::vector<int32_t> b;
    for (int i = 0; i < 1000; ++i) b.push_back(i % 7);
    z.add("b", b, npyio::Compression::Deflate);
    z.begin("streamed", npyio::DType::of<uint16_t>(), {8, 8}, false,
            npyio::Compression::Deflate);
    const std::vector<uint16_t> s = iota_vec<uint16_t>(64, 0, 1);
    z.write(s.data(), 10);
    z.write(s.data() + 10, 54);
    z.end();
    z.add("mask", std::vector<bool>{false, true, true});
    CHECK_THROWS_CODE(z.add("w", w, {6}), NPYIO_ERR_INVALID_ARG);  // duplicate name
    z.finish();
  }
  {
    // Read back what we wrote, through the wrapper.
    npyio::Npz z(out("cpp_arch.npz"));
    CHECK_EQ(z.names(), (std::vector<std::string>{"w", "b", "streamed", "mask"}));
    CHECK_EQ(z.read<uint16_t>("streamed"), iota_vec<uint16_t>(64, 0, 1));
  }
}

static void maps() {
  {
    File m = File::mmap(in("mm_native.npy"));
    CHECK_EQ(m.shape(), (std::vector<uint64_t>{3, 4}));
    const double *p = m.data<double>();
    CHECK_EQ(p[0], 0.25);
    CHECK_EQ(p[11], 11.25);
    CHECK_THROWS_CODE(m.data_mut<double>(), NPYIO_ERR_STATE);  // read-only map
    CHECK_THROWS_CODE(m.data<float>(), NPYIO_ERR_INVALID_ARG);
    // A file opened from a path is not in memory.
    File f = File::open(in("mm_native.npy"));
    CHECK_THROWS_CODE(f.data<double>(), NPYIO_ERR_STATE);
  }
  {
    // Non-native byte order cannot be viewed as T in place; read<T>() converts.
    File m = File::mmap(in("mm_swapped.npy"));
    CHECK_THROWS_CODE(m.data<double>(), NPYIO_ERR_INVALID_ARG);
    CHECK_EQ(m.read<double>(), (std::vector<double>{0, 1, 2, 3}));
  }
  // r+ on a copy: writes reach the file.
  fs::copy_file(in("mm_native.npy"), out("mm_rw.npy"), fs::copy_options::overwrite_existing);
  {
    File m = File::mmap(out("mm_rw.npy"), npyio::MmapMode::ReadWrite);
    double *p = m.data_mut<double>();
    p[1 * 4 + 2] = -100.0;
    p[2 * 4 + 3] = 42.0;
    m.flush();
  }
  // c on a copy: writes stay private.
  fs::copy_file(in("mm_native.npy"), out("mm_cow.npy"), fs::copy_options::overwrite_existing);
  {
    File m = File::mmap(out("mm_cow.npy"), npyio::MmapMode::CopyOnWrite);
    double *p = m.data_mut<double>();
    p[0] = 1e9;
    CHECK_EQ(m.data<double>()[0], 1e9);
  }
  CHECK_EQ(npyio::load<double>(out("mm_cow.npy"))[0], 0.25);
  {
    // open_memmap(mode='w+'), Fortran order, filled in storage order.
    File m = File::mmap_create<float>(out("mm_created.npy"), {5, 4}, /*fortran_order=*/true);
    float *p = m.data_mut<float>();
    for (int i = 0; i < 20; ++i) p[i] = static_cast<float>(i * 2);
    m.flush();
  }
  {
    // np.memmap of a raw file at an offset, shape given and shape=None.
    const npyio::DType i4 = npyio::DType::of<int32_t>();
    File r = File::mmap_raw(in("raw.bin"), i4, npyio::MmapMode::Read, 16, {2, 5});
    CHECK_EQ(r.shape(), (std::vector<uint64_t>{2, 5}));
    CHECK_EQ(r.data<int32_t>()[7], int32_t{7});
    File all = File::mmap_raw(in("raw.bin"), i4, npyio::MmapMode::Read, 16, {}, false, true);
    CHECK_EQ(all.shape(), (std::vector<uint64_t>{10}));
    CHECK_EQ(all.read<int32_t>(), iota_vec<int32_t>(10, 0, 1));
    CHECK_THROWS_CODE(File::mmap_raw(in("raw.bin"), i4, npyio::MmapMode::Read, 20, {20}),
                      NPYIO_ERR_TRUNCATED);
    // mode='w+'
    File c = File::mmap_raw(out("raw_created.bin"), npyio::DType::of<uint16_t>(),
                            npyio::MmapMode::Create, 0, {8});
    uint16_t *p = c.data_mut<uint16_t>();
    for (uint16_t i = 0; i < 8; ++i) p[i] = static_cast<uint16_t>(i * 3);
    c.flush();
  }
}

static void text_tables() {
  // np.savetxt(..., delimiter=",", header="a,b,c") read back with np.loadtxt's options.
  npyio_loadtxt_options lo = npyio::loadtxt_options();
  lo.delimiter = ",";
  File t = npyio::loadtxt(in("table.csv"), &lo);
  CHECK_EQ(t.shape(), (std::vector<uint64_t>{4, 3}));
  std::vector<double> want;
  for (int i = 0; i < 12; ++i) want.push_back(i / 4.0 - 1);
  CHECK_EQ(t.read<double>(), want);
  CHECK_EQ(t.data<double>()[11], 1.75);  // loaded tables live in memory
  // As integers: "0.0" is not an int, as in NumPy.
  const npyio::DType i4 = npyio::DType::of<int32_t>();
  lo.dtype = i4.get();
  CHECK_THROWS_CODE(npyio::loadtxt(in("table.csv"), &lo), NPYIO_ERR_PARSE);
  lo.delimiter = nullptr;  // runs of whitespace
  File ints = npyio::loadtxt_memory("1 2 3\n4 5 6\n", &lo);
  CHECK_EQ(ints.read<int32_t>(), (std::vector<int32_t>{1, 2, 3, 4, 5, 6}));
  try {
    (void)npyio::loadtxt_memory("1 2\n3 x\n");
    CHECK(false);
  } catch (const npyio::Error &e) {
    CHECK_EQ(e.code(), npyio_status{NPYIO_ERR_PARSE});
    CHECK(std::string(e.what()).find("line 2") != std::string::npos);
  }
  // Straight to .npy; NumPy compares with np.save(np.loadtxt(...)).
  lo.dtype = nullptr;
  lo.delimiter = ",";
  CHECK_EQ(npyio::loadtxt_to_npy(in("table.csv"), out("cpp_table.npy"), &lo), uint64_t{4});

  // genfromtxt: a missing value becomes nan and is masked.
  npyio_genfromtxt_options go = npyio::genfromtxt_options();
  go.delimiter = ",";
  npyio::GenFromTxt g = npyio::genfromtxt(in("missing.csv"), &go, /*with_mask=*/true);
  const std::vector<double> vals = g.data.read<double>();
  CHECK_EQ(vals.size(), size_t{9});
  CHECK(vals[4] != vals[4]);  // nan
  CHECK_EQ(vals[5], 6.0);
  CHECK_EQ(g.mask.read<bool>(),
           (std::vector<bool>{false, false, false, false, true, false, false, false, false}));
  CHECK(!npyio::genfromtxt_memory("1 2\n", nullptr).mask);

  // savetxt: NumPy compares the bytes with np.savetxt's.
  npyio_savetxt_options so = npyio::savetxt_options();
  so.fmt = "%.3f";
  so.delimiter = ",";
  std::vector<double> six;
  for (int i = 0; i < 6; ++i) six.push_back(i * 1.5);
  npyio::savetxt(out("cpp_saved.txt"), six, {2, 3}, &so);
  npyio::savetxt(out("cpp_saved_default.txt"), File::open(in("f8_2d.npy")));
}

int main(int argc, char **argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s <numpy_dir> <out_dir>\n", argv[0]);
    return 2;
  }
  in_dir = argv[1];
  out_dir = argv[2];
  fs::create_directories(out_dir);
  RUN(read_numpy_files);
  RUN(read_numpy_archives);
  RUN(write_for_numpy);
  RUN(maps);
  RUN(text_tables);
  return cpp_check_summary("test_cpp_numpy");
}
