// cpp_check.hpp -- a few check macros for the C++ wrapper tests. A failed check prints where
// and what, and the test goes on; RUN() catches an exception escaping a test function;
// cpp_check_summary() prints the totals and gives main's exit status.
#ifndef NPYIO_CPP_CHECK_HPP
#define NPYIO_CPP_CHECK_HPP

#include <cstdio>
#include <complex>
#include <exception>
#include <iostream>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "npyio.hpp"

inline int cpp_checks = 0;
inline int cpp_failures = 0;

inline void cpp_check_fail(const char *file, int line, const std::string &what) {
  ++cpp_failures;
  std::fprintf(stderr, "%s:%d: FAILED: %s\n", file, line, what.c_str());
}

template <class T>
std::string cpp_show(const std::complex<T> &v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

template <class T>
std::string cpp_show(const T &v) {
  std::ostringstream os;
  if constexpr (std::is_same_v<T, std::string>) {
    os << '"' << v << '"';
  } else if constexpr (std::is_same_v<T, char>) {
    os << "'" << v << "'";
  } else if constexpr (std::is_integral_v<T> && sizeof(T) == 1) {
    os << static_cast<int>(v);
  } else if constexpr (std::is_arithmetic_v<T>) {
    os << v;
  } else {
    os << "{";
    bool first = true;
    for (const auto &x : v) {
      os << (first ? "" : ", ") << cpp_show(static_cast<typename T::value_type>(x));
      first = false;
    }
    os << "}";
  }
  return os.str();
}

#define CHECK(cond)                                          \
  do {                                                       \
    ++cpp_checks;                                            \
    if (!(cond)) cpp_check_fail(__FILE__, __LINE__, #cond);  \
  } while (0)

#define CHECK_EQ(a, b)                                                                   \
  do {                                                                                   \
    ++cpp_checks;                                                                        \
    const auto cpp_a_ = (a);                                                             \
    const auto cpp_b_ = (b);                                                             \
    if (!(cpp_a_ == cpp_b_))                                                             \
      cpp_check_fail(__FILE__, __LINE__,                                                 \
                     std::string(#a " == " #b ": ") + cpp_show(cpp_a_) + " vs " +         \
                         cpp_show(cpp_b_));                                              \
  } while (0)

// `expr` must throw npyio::Error with status `want_code`.
#define CHECK_THROWS_CODE(expr, want_code)                                                     \
  do {                                                                                    \
    ++cpp_checks;                                                                         \
    try {                                                                                 \
      (void)(expr);                                                                       \
      cpp_check_fail(__FILE__, __LINE__, std::string(#expr " did not throw"));            \
    } catch (const npyio::Error &cpp_e_) {                                                \
      if (cpp_e_.code() != (want_code))                                                        \
        cpp_check_fail(__FILE__, __LINE__,                                                \
                       std::string(#expr ": code ") + std::to_string(cpp_e_.code()) +     \
                           " (" + cpp_e_.what() + "), want " #want_code);                      \
    }                                                                                     \
  } while (0)

#define RUN(fn)                                                                        \
  do {                                                                                 \
    try {                                                                              \
      fn();                                                                            \
    } catch (const npyio::Error &cpp_e_) {                                             \
      cpp_check_fail(__FILE__, __LINE__, std::string(#fn ": npyio::Error ") +          \
                                             std::to_string(cpp_e_.code()) + ": " +    \
                                             cpp_e_.what());                           \
    } catch (const std::exception &cpp_e_) {                                           \
      cpp_check_fail(__FILE__, __LINE__, std::string(#fn ": exception: ") +            \
                                             cpp_e_.what());                           \
    }                                                                                  \
  } while (0)

inline int cpp_check_summary(const char *name) {
  std::printf("%s: %d checks, %d failed\n", name, cpp_checks, cpp_failures);
  return cpp_failures == 0 ? 0 : 1;
}

#endif  // NPYIO_CPP_CHECK_HPP
