/*
 * ft_store_history.c - the table history (what each `ftrace test` and
 * `ftrace verify` selected) and the counts `ftrace stats` shows
 * (ft_store_history.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ft_error.h"
#include "ft_record.h"
#include "ft_store_history.h"
#include "ft_store_int.h"

static int corrupt_row(struct ft_store *st, const char *table, int64_t id)
{
	snprintf(st->errmsg, sizeof(st->errmsg), "database is corrupt: %s %lld (checksum "
		 "mismatch: SQLite's own checks cannot see it)", table, (long long)id);
	return FT_ECORRUPT;
}

int ft_store_history_add(struct ft_store *st, const struct ft_store_history *h)
{
	char sql[256];
	sqlite3_stmt *q;
	int64_t id;
	int rc, times;

	if (st->in_run || st->readonly || !h->command || !h->reasons)
		return FT_EUSAGE;
	if (!ft_store_has_table(st, "history"))
		return 0; /* an older file this open did not migrate: nothing to keep it in */
	if ((rc = ft__store_exec(st, "BEGIN IMMEDIATE")) < 0)
		return rc;
	if ((rc = ft__store_prepare(st, &q, "INSERT INTO history(at_ns, command, known, selected,"
				    " reasons, escapes) VALUES(?, ?, ?, ?, ?, ?)")) < 0)
		goto fail;
	sqlite3_bind_int64(q, 1, h->at_ns);
	sqlite3_bind_text(q, 2, h->command, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, h->known);
	sqlite3_bind_int64(q, 4, h->selected);
	sqlite3_bind_text(q, 5, h->reasons, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 6, h->escapes);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		rc = ft__store_fail(st, rc);
		goto fail;
	}
	id = sqlite3_last_insert_rowid(st->db);
	/* the checksum covers the id, known once the row is in (as runs) */
	snprintf(sql, sizeof(sql), "UPDATE history SET ck = " FT_CK_HISTORY " WHERE id = %lld",
		 (long long)id);
	if ((rc = ft__store_exec(st, sql)) < 0)
		goto fail;
	times = ft_store_has_table(st, "history_times");
	if (times && h->timed >= 0 && h->timed_ns >= 0) {
		snprintf(sql, sizeof(sql), "INSERT INTO history_times(id, timed, ns, ck) VALUES(%lld,"
			 " %lld, %lld, ft_ck('history_times', %lld, %lld, %lld))", (long long)id,
			 (long long)h->timed, (long long)h->timed_ns, (long long)id,
			 (long long)h->timed, (long long)h->timed_ns);
		if ((rc = ft__store_exec(st, sql)) < 0)
			goto fail;
	}
	snprintf(sql, sizeof(sql), "DELETE FROM history WHERE id <= %lld",
		 (long long)(id - FT_HISTORY_KEEP));
	if ((rc = ft__store_exec(st, sql)) < 0)
		goto fail;
	snprintf(sql, sizeof(sql), "DELETE FROM history_times WHERE id <= %lld",
		 (long long)(id - FT_HISTORY_KEEP));
	if (times && (rc = ft__store_exec(st, sql)) < 0)
		goto fail;
	return ft__store_exec(st, "COMMIT");
fail:
	ft__store_undo(st, "ROLLBACK");
	return rc;
}

int ft_store_history_each(struct ft_store *st, unsigned last, int64_t *total,
			  int (*fn)(void *arg, const struct ft_store_history *h), void *arg)
{
	sqlite3_stmt *q;
	int rc, r = 0;

	if (total)
		*total = 0;
	if (!ft_store_has_table(st, "history"))
		return 0;
	if ((rc = ft__store_read_prepare(st, &q, "SELECT count(*) FROM history")) < 0)
		return rc;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW && total)
		*total = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW)
		return ft__store_read_err(rc);
	/* the newest `last`, then oldest first; with version 7, each row's
	 * timed skipped tests (NULL: none kept; its ck NULL: no row) */
	if ((rc = ft__store_read_prepare(st, &q, ft_store_has_table(st, "history_times") ?
					 "SELECT * FROM (SELECT id, at_ns, command, known,"
					 " selected, reasons, escapes, ck IS " FT_CK_HISTORY ","
					 " (SELECT x.timed FROM history_times x WHERE x.id = history.id),"
					 " (SELECT x.ns FROM history_times x WHERE x.id = history.id),"
					 " (SELECT x.ck IS ft_ck('history_times', x.id, x.timed, x.ns)"
					 "  FROM history_times x WHERE x.id = history.id)"
					 " FROM history ORDER BY id DESC LIMIT ?) ORDER BY id" :
					 "SELECT * FROM (SELECT id, at_ns, command, known,"
					 " selected, reasons, escapes, ck IS " FT_CK_HISTORY ","
					 " NULL, NULL, NULL"
					 " FROM history ORDER BY id DESC LIMIT ?) ORDER BY id")) < 0)
		return rc;
	sqlite3_bind_int64(q, 1, last ? (int64_t)last : -1);
	while (r == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct ft_store_history h = {
			.id = sqlite3_column_int64(q, 0),
			.at_ns = sqlite3_column_int64(q, 1),
			.command = (const char *)sqlite3_column_text(q, 2),
			.known = sqlite3_column_int64(q, 3),
			.selected = sqlite3_column_int64(q, 4),
			.reasons = (const char *)sqlite3_column_text(q, 5),
			.escapes = sqlite3_column_int64(q, 6),
			.timed = sqlite3_column_type(q, 8) == SQLITE_NULL ? -1 : sqlite3_column_int64(q, 8),
			.timed_ns = sqlite3_column_type(q, 9) == SQLITE_NULL ? -1 :
				    sqlite3_column_int64(q, 9),
		};
		if (!sqlite3_column_int(q, 7))
			r = corrupt_row(st, "history", h.id);
		else if (sqlite3_column_type(q, 10) != SQLITE_NULL && !sqlite3_column_int(q, 10))
			r = corrupt_row(st, "history_times", h.id);
		else
			r = h.command && h.reasons ? fn(arg, &h) : -ENOMEM;
	}
	sqlite3_finalize(q);
	if (r)
		return r;
	return rc == SQLITE_DONE ? 0 : ft__store_read_err(rc);
}

/* One integer from `sql` (with ?1 bound to `bind` when >= 0) into *out. */
static int one_int(struct ft_store *st, const char *sql, int bind, int64_t *out)
{
	sqlite3_stmt *q;
	int rc;

	if ((rc = ft__store_read_prepare(st, &q, sql)) < 0)
		return rc;
	if (bind >= 0)
		sqlite3_bind_int(q, 1, bind);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 0 : ft__store_read_err(rc);
}

int ft_store_counts_read(struct ft_store *st, struct ft_store_counts *c)
{
	static const char *const sql[] = {
		"SELECT count(*) FROM tests",
		"SELECT count(*) FROM tests WHERE untraced != 0",
		"SELECT count(*) FROM paths",
		"SELECT count(*) FROM states",
		"SELECT count(*) FROM depsets",
		"SELECT count(DISTINCT run_id) FROM tests WHERE run_id IS NOT NULL",
		"SELECT coalesce(max(r.finished_ns), 0) FROM runs r WHERE r.id IN"
		" (SELECT run_id FROM tests)",
		"SELECT coalesce(min(r.finished_ns), 0) FROM runs r WHERE r.id IN"
		" (SELECT run_id FROM tests)",
	};
	int64_t *const out[] = { &c->tests, &c->untraced, &c->paths, &c->states, &c->sets,
				 &c->runs, &c->newest_ns, &c->oldest_ns };
	sqlite3_stmt *q;
	int rc;

	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++)
		if ((rc = one_int(st, sql[i], -1, out[i])) < 0)
			return rc;
	if ((rc = one_int(st, "SELECT count(DISTINCT ts.test_id) FROM test_sets ts"
			  " JOIN depset_states ds ON ds.set_id = ts.set_id"
			  " JOIN states s ON s.id = ds.state_id WHERE s.kind = ?1",
			  FT_DEP_UNKNOWN, &c->unknown)) < 0)
		return rc;
	if ((rc = ft__store_read_prepare(st, &q, "SELECT outcome, count(*) FROM tests"
					 " GROUP BY outcome")) < 0)
		return rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int o = sqlite3_column_int(q, 0);
		/* an outcome no version writes counts as "no result", as
		 * selection treats it (failed) */
		c->outcomes[o >= 0 && o < 5 ? o : FT_OUTCOME_UNKNOWN] += sqlite3_column_int64(q, 1);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : ft__store_read_err(rc);
}
