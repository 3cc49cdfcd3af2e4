/*
 * ftt_plantset.c - give a recorded test one more dependency set, the way
 * ftrace itself stores sets, for integration tests of selection rules that
 * no recording produces on its own (t9011: a test that saw two versions of
 * one file).
 *
 *   ftt_plantset DB TEST PATH KIND VALUE
 *   ftt_plantset --redigest DB   (rows a script added or edited: the
 *                                 tests' digest and every row checksum
 *                                 written again)
 *
 * The set is stored through ft_store_depset_put (so its checksum is right)
 * and the tests' digest is written again (ft_store_tests_digest), as a
 * run's commit does; --redigest also computes every row checksum again
 * (store/ft_store_ck.c), as the 2 -> 3 migration does: the database stays
 * one that `ftrace affected` verifies as sound (store/ft_store_verify.c).  Editing rows with the sqlite3 CLI
 * instead is corruption, which selection reports (t3204).  Exits 0, or 1
 * with a message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "ft_error.h"
#include "ft_store.h"
#include "ft_store_int.h" /* a test tool: it plants rows behind the store's back */

static int fail(struct ft_store *st, const char *what, int rc)
{
	struct ft_err e;

	ft_store_err(st, rc, &e);
	fprintf(stderr, "ftt_plantset: %s: %s (%s)\n", what, ft_strerror(rc), e.why);
	return 1;
}

int main(int argc, char **argv)
{
	struct ft_store *st = NULL;
	struct ft_dep dep;
	unsigned char d[16];
	sqlite3_stmt *q = NULL;
	int64_t set_id;
	int rc;

	if (argc == 3 && !strcmp(argv[1], "--redigest")) {
		if ((rc = ft_store_open(&st, argv[2], 0)) < 0)
			return fail(st, "open", rc);
		sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		if ((rc = ft__store_ck_fill(st)) < 0)
			return fail(st, "row checksums", rc);
		goto digest;
	}
	if (argc != 6) {
		fputs("usage: ftt_plantset DB TEST PATH KIND VALUE | --redigest DB\n", stderr);
		return 1;
	}
	dep.path = argv[3];
	dep.path_len = (uint32_t)strlen(argv[3]);
	dep.kind = (uint8_t)atoi(argv[4]);
	dep.value = strtoull(argv[5], NULL, 0);
	if ((rc = ft_store_open(&st, argv[1], 0)) < 0)
		return fail(st, "open", rc);
	sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if ((rc = ft_store_depset_put(st, &dep, 1, &set_id)) < 0)
		return fail(st, "set", rc);
	if (sqlite3_prepare_v2(st->db, "INSERT INTO test_sets(test_id, set_id) "
			       "SELECT id, ? FROM tests WHERE name = ?", -1, &q, NULL) != SQLITE_OK)
		return fail(st, "prepare", FT_EDB);
	sqlite3_bind_int64(q, 1, set_id);
	sqlite3_bind_text(q, 2, argv[2], -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE || sqlite3_changes(st->db) != 1) {
		fprintf(stderr, "ftt_plantset: no test named %s\n", argv[2]);
		return 1;
	}
	sqlite3_finalize(q);
digest:
	if ((rc = ft_store_tests_digest(st, d)) < 0)
		return fail(st, "digest", rc);
	if (sqlite3_prepare_v2(st->db, "UPDATE meta SET value = ? WHERE key = 'tests_digest'",
			       -1, &q, NULL) != SQLITE_OK)
		return fail(st, "prepare", FT_EDB);
	sqlite3_bind_blob(q, 1, d, 16, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE)
		return fail(st, "meta", FT_EDB);
	sqlite3_finalize(q);
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		return fail(st, "commit", FT_EDB);
	ft_store_close(st);
	return 0;
}
