/*
 * ft_store_times.c - the table test_times: each test's duration and
 * outcome per run (ft_store_times.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ft_error.h"
#include "ft_store_int.h"
#include "ft_store_times.h"

int ft_store_time_put(struct ft_store *st, const struct ft_store_time *t)
{
	sqlite3_stmt *q;
	int rc;

	if (!st->in_run || !t->name || !t->source)
		return FT_EUSAGE;
	if (!ft_store_has_table(st, "test_times"))
		return 0; /* an older file this open did not migrate */
	if ((rc = ft__store_prepare(st, &q, "INSERT OR REPLACE INTO test_times(run_id, name,"
				    " outcome, ns, source, ck) VALUES(?1, ?2, ?3, ?4, ?5,"
				    " ft_ck('test_times', ?1, ?2, ?3, ?4, ?5))")) < 0)
		return rc;
	sqlite3_bind_int64(q, 1, t->run_id);
	sqlite3_bind_text(q, 2, t->name, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 3, t->outcome);
	sqlite3_bind_int64(q, 4, t->ns);
	sqlite3_bind_text(q, 5, t->source, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : ft__store_fail(st, rc);
}

int ft_store_times_prune(struct ft_store *st)
{
	char sql[256];

	if (!st->in_run)
		return FT_EUSAGE;
	if (!ft_store_has_table(st, "test_times"))
		return 0;
	snprintf(sql, sizeof(sql), "DELETE FROM test_times WHERE run_id < (SELECT min(run_id) FROM"
		 " (SELECT DISTINCT run_id FROM test_times ORDER BY run_id DESC LIMIT %d))",
		 FT_TIMES_KEEP);
	return ft__store_exec(st, sql);
}

static int corrupt_row(struct ft_store *st, const char *name, int64_t run_id)
{
	snprintf(st->errmsg, sizeof(st->errmsg), "database is corrupt: test_times %.300s %lld "
		 "(checksum mismatch: SQLite's own checks cannot see it)", name ? name : "(no name)",
		 (long long)run_id);
	return FT_ECORRUPT;
}

static int walk(struct ft_store *st, const char *sql, int64_t bind,
		int (*fn)(void *arg, const struct ft_store_time *t), void *arg)
{
	sqlite3_stmt *q;
	int rc, r = 0;

	if (!ft_store_has_table(st, "test_times"))
		return 0;
	if ((rc = ft__store_read_prepare(st, &q, sql)) < 0)
		return rc;
	if (bind >= 0)
		sqlite3_bind_int64(q, 1, bind);
	while (r == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct ft_store_time t = {
			.run_id = sqlite3_column_int64(q, 0),
			.name = (const char *)sqlite3_column_text(q, 1),
			.outcome = sqlite3_column_int(q, 2),
			.ns = sqlite3_column_int64(q, 3),
			.source = (const char *)sqlite3_column_text(q, 4),
		};
		if (!sqlite3_column_int(q, 5))
			r = corrupt_row(st, t.name, t.run_id);
		else
			r = t.name && t.source ? fn(arg, &t) : -ENOMEM;
	}
	sqlite3_finalize(q);
	if (r)
		return r;
	return rc == SQLITE_DONE ? 0 : ft__store_read_err(rc);
}

int ft_store_times_last_each(struct ft_store *st,
			     int (*fn)(void *arg, const struct ft_store_time *t), void *arg)
{
	/* per name, the row of the newest run that measured it */
	return walk(st, "SELECT t.run_id, t.name, t.outcome, t.ns, t.source, t.ck IS "
		    FT_CK_TEST_TIMES " FROM test_times t WHERE t.ns >= 0 AND t.run_id ="
		    " (SELECT max(u.run_id) FROM test_times u WHERE u.name = t.name AND u.ns >= 0)"
		    " ORDER BY t.name", -1, fn, arg);
}

int ft_store_times_run_each(struct ft_store *st, int64_t run_id,
			    int (*fn)(void *arg, const struct ft_store_time *t), void *arg)
{
	return walk(st, "SELECT run_id, name, outcome, ns, source, ck IS " FT_CK_TEST_TIMES
		    " FROM test_times WHERE run_id = ?1 ORDER BY name", run_id, fn, arg);
}
