/*
 * test_store_repo.c - the database's repository identity (ft_store_repo.h)
 * read while another process adopts it: a first run's adopt must never
 * make a concurrent check refuse the very tree it belongs to.
 *
 * Two real processes on one real database file.  The writer clears the
 * identity and adopts it again, as concurrent first runs on a fresh state
 * directory do; the reader checks the same tree at the same time.  With
 * the top and the identity read by two statements, a reader could find
 * the top missing and then the identity present ("belongs to the
 * repository at (unknown)"), which t3100 met under load.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "ft_error.h"
#include "ft_store.h"
#include "ft_store_repo.h"

#define ROUNDS 4000

static char tmp[64];
static char dbp[128];

static int setup(void **s)
{
	struct ft_store *st = NULL;

	(void)s;
	strcpy(tmp, "/tmp/ft-test-repo.XXXXXX");
	assert_non_null(mkdtemp(tmp));
	snprintf(dbp, sizeof(dbp), "%s/ftrace.db", tmp);
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), 0);
	ft_store_close(st);
	return 0;
}

static int teardown(void **s)
{
	char cmd[128];

	(void)s;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

/* The writer: clear the identity, adopt it again, ROUNDS times. */
static void writer(void)
{
	struct ft_store *st = NULL;
	sqlite3 *db = NULL;
	struct ft_err e;

	if (ft_store_open(&st, dbp, 0) < 0 || sqlite3_open(dbp, &db) != SQLITE_OK)
		_exit(3);
	sqlite3_busy_timeout(db, 5000);
	for (int i = 0; i < ROUNDS; i++) {
		if (sqlite3_exec(db, "DELETE FROM meta WHERE key IN ('" FT_STORE_META_REPO_TOP "', '"
				 FT_STORE_META_REPO_IDENT "')", NULL, NULL, NULL) != SQLITE_OK)
			_exit(4);
		if (ft_store_repo_check(st, tmp, 1, &e) < 0)
			_exit(5);
	}
	sqlite3_close(db);
	ft_store_close(st);
	_exit(0);
}

static void test_repo__adopt_while_checked(void **s)
{
	struct ft_store *st = NULL;
	int refused = 0, checks = 0, status = 0, rc;
	char first[512] = "";
	struct ft_err e;
	pid_t pid;

	(void)s;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		writer();
	assert_int_equal(ft_store_open(&st, dbp, 0), 0);
	/* check until the writer is done: every answer is "this tree's" (0)
	 * or a lock held too long, never FT_EREPO */
	while (waitpid(pid, &status, WNOHANG) == 0) {
		rc = ft_store_repo_check(st, tmp, 0, &e);
		checks++;
		if (rc == FT_EREPO && refused++ == 0)
			snprintf(first, sizeof(first), "%s", ft_err_msg(&e));
	}
	ft_store_close(st);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	if (refused)
		fail_msg("%d of %d checks refused the database's own tree; the first: %s", refused,
			 checks, first);
	assert_true(checks > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_repo__adopt_while_checked, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
