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
 * ERROR` to its .trs file.  The file is looked up relative to the
 * directory the driver ran in (its image's cwd, FT_PROC_CWD; a recursive
 * build's subdirectory); a test is passed only when that file was written
 * by this run (mtime >= t0) and says PASS, SKIP or XFAIL.  Anything else
 * is failed: selected next time.
 */
#ifndef FT_RUNNER_AUTOMAKE_H
#define FT_RUNNER_AUTOMAKE_H

#include <stdint.h>

struct ft_err;
struct ft_ptree_proc;

/* The test name of an Automake test-driver image, else NULL (points into
 * p->argv).  *trs, if not NULL, gets the --trs-file value or NULL. */
const char *ft_automake_test(const struct ft_ptree_proc *p, const char **trs);

/* The test id of an Automake test-driver image: its --test-name, prefixed
 * with the directory the driver ran in relative to where `ftrace run`
 * runs ("one/a.sh" for a SUBDIRS entry `one` whose TESTS has a.sh; the
 * top's entries are bare, an outside directory is absolute).  Entries of
 * two subdirectories never collide.  1 with *id malloc'd, 0 (not a
 * driver, *id NULL), -ENOMEM. */
int ft_automake_test_id(const struct ft_ptree_proc *p, char **id);

/* 1 if the driver image p's .trs file (its --trs-file, relative to the
 * directory the driver ran in) is a regular file written at or after t0_ns
 * that reports a result that is not a failure; else 0. */
int ft_automake_passed(const struct ft_ptree_proc *p, int64_t t0_ns);

/* The same for the .trs file at `trs`: opened without blocking and only if
 * it is a regular file; every `:test-result:` line, read whole, must say
 * PASS, SKIP or XFAIL. */
int ft_automake_trs_passed(const char *trs, int64_t t0_ns);

struct ft_ptree;

/* The driver's --log-file and --trs-file, and test-suite.log, relative to
 * the directory the driver ran in, into t->own_files: the harness's bookkeeping,
 * which it deletes at the start of every `make check` and writes again.
 * As dependencies they would be "modified during the run" each time and
 * select every test; they only report.  0 or -ENOMEM. */
int ft_automake_own_files(struct ft_ptree *t, const struct ft_ptree_proc *p);

/* The entries of TESTS in `dir`'s Makefile, as the driver names them:
 * `make -s -o Makefile -f Makefile -f - __ftrace_print_tests` with a rule
 * on stdin that prints $(TESTS) and $(SUBDIRS).  -o keeps make from
 * regenerating the Makefile (which would change the tree); so a Makefile
 * older than its Makefile.am or Makefile.in, which may lack a new entry,
 * is FT_EFORMAT.  A recursive build's SUBDIRS are listed the same way, their
 * entries prefixed with the subdirectory ("one/a.sh", the ids
 * ft_automake_test_id gives).  `tree` (if not NULL) says how the tests
 * are spread: the SUBDIRS entries, and the directories with Automake's
 * test harness (TEST_SUITE_LOG defined: TESTS in its Makefile.am, so a
 * check-TESTS rule that a TESTS= on make's command line would reach) or
 * with TESTS, and
 * the first one's prefix ("" for `dir` itself; free it).  On error `e`
 * (struct ft_err) says what to do.  *names: malloc'd vector of malloc'd
 * strings. */
struct ft_automake_tree {
	size_t nsub;          /* SUBDIRS entries other than "." */
	size_t nharness;      /* directories with the test harness, or with
			       * TESTS (Automake's serial harness) */
	char *harness_prefix; /* the first one's, or NULL */
};
int ft_automake_list(const char *dir, char ***names, size_t *n, struct ft_automake_tree *tree,
		     struct ft_err *e);

/* Is `cmd` `make [OPTS] [VAR=value] check`, whose options leave it
 * running ./Makefile's check goal and its TESTS (no -C, -f, other goal,
 * TESTS= or TEST_LOGS= of its own, no option not known here)?  Make's
 * option grammar in full: grouped short options, attached values. */
int ft_automake_args_narrowable(char *const *cmd);

/* Is `cmd` narrowable (ft_automake_args_narrowable) and Automake's harness
 * here: ./Makefile runs test-driver, or is Automake's with SUBDIRS where
 * ft_automake_list finds tests (or cannot list them)?  The second runs
 * make to print the variables. */
int ft_automake_cmd(char *const *cmd);

#endif
