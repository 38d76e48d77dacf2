/* The row type of the C tests' `exercised_functions` tables, which check_coverage.py parses
 * to see that every function in npyio.h is exercised. Separate from check.h because
 * test_text.c keeps its own, non-stopping checks. */
#ifndef NPYIO_TEST_COVERAGE_H
#define NPYIO_TEST_COVERAGE_H

/* One row of a test's `exercised_functions` table. */
typedef void (*npyio_any_fn)(void);
typedef struct {
  const char *name;
  npyio_any_fn fn; /* taking the address proves the symbol exists and links */
} exercised_fn;
#define FN(f) { #f, (npyio_any_fn)(f) }

#endif
