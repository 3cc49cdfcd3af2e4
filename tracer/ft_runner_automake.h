/*
 * ft_runner_automake.h - Automake's parallel test harness (`make check`
 * with `TESTS = ...`): each entry is one test (docs/runners.md).
 *
 * The harness runs every entry through its test driver:
 *
 *   $(SHELL) build-aux/test-driver --test-name NAME --log-file NAME.log
 *            --trs-file NAME.trs ... -- ./NAME
 *
 * usually exec'd by the recipe's shell.  An image whose argv is that (the
 * driver as argv[0] or argv[1], base name `test-driver`, and a
 * `--test-name`) is the test NAME, with every image of its process before
 * it (the recipe shell) and its descendants.  A custom LOG_DRIVER with
 * another name is not recognised: its tests stay in the prelude (coarse,
 * sound).
 *
 * Outcome: the driver writes `:test-result: PASS|SKIP|XFAIL|FAIL|XPASS|
 * ERROR` to its .trs file.  The file is looked up relative to where
 * `ftrace run` ran; a test is passed only when that file was written by
 * this run (mtime >= t0) and says PASS, SKIP or XFAIL.  Anything else,
 * including a .trs in a subdirectory of a recursive build that is not
 * found, is failed: selected next time (NEEDSWORK: the driver's own cwd).
 */
#ifndef FT_RUNNER_AUTOMAKE_H
#define FT_RUNNER_AUTOMAKE_H

#include <stdint.h>

struct ft_ptree_proc;

/* The test name of an Automake test-driver image, else NULL (points into
 * p->argv).  *trs, if not NULL, gets the --trs-file value or NULL. */
const char *ft_automake_test(const struct ft_ptree_proc *p, const char **trs);

/* 1 if the .trs file `trs` was written at or after t0_ns and reports a
 * result that is not a failure; else 0. */
int ft_automake_passed(const char *trs, int64_t t0_ns);

struct ft_ptree;

/* The driver's --log-file and --trs-file, and test-suite.log, relative to
 * where `ftrace run` ran, into t->own_files: the harness's bookkeeping,
 * which it deletes at the start of every `make check` and writes again.
 * As dependencies they would be "modified during the run" each time and
 * select every test; they only report.  0 or -ENOMEM. */
int ft_automake_own_files(struct ft_ptree *t, const struct ft_ptree_proc *p);

/* The entries of TESTS in `dir`'s Makefile, as the driver names them:
 * `make -s -o Makefile -f Makefile -f - __ftrace_print_tests` with a rule
 * on stdin that prints $(TESTS).  -o keeps make from regenerating the
 * Makefile (which would change the tree); so a Makefile older than its
 * Makefile.am or Makefile.in, which may lack a new entry, is FT_EFORMAT.
 * On error `why` says what to do.  *names: malloc'd vector of malloc'd
 * strings. */
int ft_automake_list(const char *dir, char ***names, size_t *n, char *why, size_t whylen);

/* Is `cmd` (`make ... check`, no TESTS= of its own) Automake's harness
 * here: ./Makefile runs test-driver? */
int ft_automake_cmd(char *const *cmd);

#endif
