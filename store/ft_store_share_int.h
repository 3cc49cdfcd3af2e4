/*
 * ft_store_share_int.h - between store/ft_store_export.c, ft_store_import.c
 * and ft_store_share_py.c (the Python tables of a bundle, format version 2).
 *
 * JSON text goes out with the top (`jtop`, as JSON writes it) as
 * FT_BUNDLE_TOP_TOKEN and comes back with this checkout's.  Errors as
 * ft_store_share.h says; nothing prints.
 */
#ifndef FT_STORE_SHARE_INT_H
#define FT_STORE_SHARE_INT_H

#include <stddef.h>
#include <stdint.h>

struct ft_store;
struct ft_bundle;
struct ft_bundle_run;
struct ft_bundle_test;

/* Intern absolute path bytes as a bundle path of the exporter: 0 with its
 * index, or a negative code. */
typedef int (*ft__intern_fn)(void *arg, const char *path, size_t len, uint32_t *idx);

/* Fill the bundle's Python data: py_prelude of each run (rid[i] is the
 * database id of b->runs[i]), the py_* fields of each test (b->tests
 * sorted by name, as strcmp orders), and the sections pyfps and pyconf. */
int ft__store_export_py(struct ft_store *st, struct ft_bundle *b, const char *jtop,
			const int64_t *rid, ft__intern_fn intern, void *arg);

/* Inside the import's transaction: a run's pyfunc_runs row (under its new
 * id), a test's pyfunc_tests and pyfunc_lazy rows, then the bundle's
 * pyfunc_fps and pyconf_views rows and the Python tables' collection. */
int ft__store_import_py_run(struct ft_store *st, const struct ft_bundle_run *r, int64_t run_id,
			    const char *jtop);
int ft__store_import_py_test(struct ft_store *st, const struct ft_bundle_test *t, int64_t run_id,
			     const char *jtop);
int ft__store_import_py_rows(struct ft_store *st, const struct ft_bundle *b, const char *top,
			     const char *jtop);

#endif
