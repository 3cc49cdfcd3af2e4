/*
 * ft_store_flaky.c - the table flaky (ft_store_flaky.h): learning at
 * ingest, reading for selection and `ftrace flaky`.
 *
 * Why "the same states" is the test of "nothing it saw changed": a state
 * is a (path, kind, value) the test observed, the same triples its sets'
 * digests are computed over, so a path seen in the same states by both
 * recordings held what it held (content hash, listing, absence, type).
 * Comparing outcomes alone, or mtimes, would call a test flaky whose input
 * changed, and a flaky mark excuses a test in `ftrace verify`.  The whole
 * sets' digests cannot be compared: a failing pytest test reads more than
 * a passing one (the traceback's sources, the report's modules, in its
 * own context and in the session's after it), so they differ on every
 * flip; what only one recording read was read after the two runs parted,
 * and cannot have made them part.  What cannot vouch for itself is
 * excluded: an untraced recording (it saw more than it recorded) and an
 * unknown state (a constant that hides what the test saw).  What ftrace
 * cannot see at all (a server's files, the network, the clock) looks the
 * same as flakiness: docs/internals.md, "Flaky tests", says what verify
 * does with that.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_error.h"
#include "ft_record.h"
#include "ft_store_flaky.h"
#include "ft_store_int.h"

/* 1 passed, 2 failed or error, 0 neither (skipped, no result) */
static int outcome_class(int o)
{
	if (o == FT_OUTCOME_PASSED)
		return 1;
	return o == FT_OUTCOME_FAILED || o == FT_OUTCOME_ERROR ? 2 : 0;
}

/*
 * The states of the old recording (the test's stored sets, ?1) and of the
 * new one (the sets in temp.ft_flaky_sets), each as (path_id, kind,
 * value): first one row (side 2) if either has an unknown state; then,
 * for every path both saw whose states are not the same on both sides,
 * each side's states (side 0 old, 1 new), by path.  Paths only one side
 * saw are no difference: the two runs read the same paths until their
 * behaviour parted, and what was read after that (a traceback's source,
 * the modules of pytest's failure report, in the test and in the session
 * after it) is its consequence, not its cause.  Whether a path both saw
 * differs is ft_store_flaky_path_same's to say (a content only one side
 * read is no difference: a cold build cache against a warm one).
 */
static const char differs_sql[] =
	"WITH o AS (SELECT DISTINCT s.path_id, s.kind, s.value FROM test_sets ts"
	"  JOIN depset_states ds ON ds.set_id = ts.set_id JOIN states s ON s.id = ds.state_id"
	"  WHERE ts.test_id = ?1),"
	" n AS (SELECT DISTINCT s.path_id, s.kind, s.value FROM temp.ft_flaky_sets f"
	"  JOIN depset_states ds ON ds.set_id = f.id JOIN states s ON s.id = ds.state_id),"
	" dp AS (SELECT path_id FROM (SELECT * FROM o EXCEPT SELECT * FROM n)"
	"  UNION SELECT path_id FROM (SELECT * FROM n EXCEPT SELECT * FROM o)"
	"  INTERSECT SELECT path_id FROM o INTERSECT SELECT path_id FROM n)"
	" SELECT 2, NULL, NULL, NULL FROM (SELECT 1 FROM o WHERE kind = ?2"
	"  UNION ALL SELECT 1 FROM n WHERE kind = ?2 LIMIT 1)"
	" UNION ALL SELECT 0, path_id, kind, value FROM o WHERE path_id IN dp"
	" UNION ALL SELECT 1, path_id, kind, value FROM n WHERE path_id IN dp"
	" ORDER BY 2"; /* NULL first: the unknown row */

/* The states of one path, per side, as differs_sql returns them. */
struct path_obs {
	int64_t path_id;
	struct ft_flaky_obs *side[2];
	size_t n[2], cap[2];
};

static int obs_push(struct path_obs *p, int side, int kind, uint64_t value)
{
	if (p->n[side] == p->cap[side]) {
		size_t cap = p->cap[side] ? 2 * p->cap[side] : 8;
		struct ft_flaky_obs *v = realloc(p->side[side], cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		p->side[side] = v;
		p->cap[side] = cap;
	}
	p->side[side][p->n[side]++] = (struct ft_flaky_obs){ kind, value };
	return 0;
}

static int path_same(const struct path_obs *p)
{
	return ft_store_flaky_path_same(p->side[0], p->n[0], p->side[1], p->n[1]);
}

/* Walk differs_sql's rows: 1 when no path differs and no state is
 * unknown, 0 at the first difference, or a negative code. */
static int walk_differs(struct ft_store *st, sqlite3_stmt *q)
{
	struct path_obs p = { 0 };
	int rc, same = 1, any = 0;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int side = sqlite3_column_int(q, 0);
		int64_t id = sqlite3_column_int64(q, 1);

		if (side == 2) {
			same = 0; /* an unknown state */
			break;
		}
		if (any && id != p.path_id) {
			if (!(same = path_same(&p)))
				break;
			p.n[0] = p.n[1] = 0;
		}
		any = 1;
		p.path_id = id;
		if (obs_push(&p, side != 0, sqlite3_column_int(q, 2),
			     (uint64_t)sqlite3_column_int64(q, 3)) < 0) {
			same = -ENOMEM;
			break;
		}
	}
	if (rc == SQLITE_DONE)
		same = any ? path_same(&p) : 1;
	else if (rc != SQLITE_ROW)
		same = ft__store_fail(st, rc);
	free(p.side[0]);
	free(p.side[1]);
	return same;
}

/* Did the test see every path both recordings have in the same states,
 * with no unknown state (above)?  1, 0, or a negative code. */
static int same_deps(struct ft_store *st, int64_t test_id, const struct ft_test_row *t)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = ft__store_exec(st, "CREATE TEMP TABLE IF NOT EXISTS ft_flaky_sets("
				 "id INTEGER PRIMARY KEY)")) < 0 ||
	    (rc = ft__store_exec(st, "DELETE FROM temp.ft_flaky_sets")) < 0 ||
	    (rc = ft__store_prepare(st, &q, "INSERT OR IGNORE INTO temp.ft_flaky_sets VALUES(?)")) < 0)
		return rc;
	for (size_t i = 0; i < t->nsets && rc >= 0; i++) {
		sqlite3_reset(q);
		sqlite3_bind_int64(q, 1, t->sets[i]);
		rc = sqlite3_step(q) == SQLITE_DONE ? 0 : ft__store_fail(st, sqlite3_errcode(st->db));
	}
	sqlite3_finalize(q);
	if (rc < 0 || (rc = ft__store_prepare(st, &q, differs_sql)) < 0)
		return rc;
	sqlite3_bind_int64(q, 1, test_id);
	sqlite3_bind_int(q, 2, FT_DEP_UNKNOWN);
	rc = walk_differs(st, q);
	sqlite3_finalize(q);
	return rc;
}

static int corrupt_row(struct ft_store *st, const char *name)
{
	snprintf(st->errmsg, sizeof(st->errmsg), "database is corrupt: flaky %.300s (checksum "
		 "mismatch: SQLite's own checks cannot see it)", name ? name : "(no name)");
	return FT_ECORRUPT;
}

/* Write the row (insert or replace), its checksum over the bound values. */
static int put_row(struct ft_store *st, const struct ft_store_flaky *f)
{
	sqlite3_stmt *q;
	int rc;

	if ((rc = ft__store_prepare(st, &q, "INSERT OR REPLACE INTO flaky(name, count, last_ns,"
				    " last_from, last_to, clean, ck) VALUES(?1, ?2, ?3, ?4, ?5, ?6,"
				    " ft_ck('flaky', ?1, ?2, ?3, ?4, ?5, ?6))")) < 0)
		return rc;
	sqlite3_bind_text(q, 1, f->name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, f->count);
	sqlite3_bind_int64(q, 3, f->last_ns);
	sqlite3_bind_int64(q, 4, f->last_from);
	sqlite3_bind_int64(q, 5, f->last_to);
	sqlite3_bind_int64(q, 6, f->clean);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : ft__store_fail(st, rc);
}

/* The test's stored row: *found 0 when there is none.  Verified: a corrupt
 * row must not be counted on and written back with a fresh checksum. */
static int get_row(struct ft_store *st, const char *name, struct ft_store_flaky *f, int *found)
{
	sqlite3_stmt *q;
	int rc;

	*found = 0;
	if ((rc = ft__store_prepare_kept(st, FT_KEPT_FLAKY_ROW, &q,
					 "SELECT count, last_ns, last_from, last_to, clean,"
					 " ck IS " FT_CK_FLAKY " FROM flaky WHERE name = ?")) < 0)
		return rc;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*f = (struct ft_store_flaky){ name, sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1),
			sqlite3_column_int(q, 2), sqlite3_column_int(q, 3), sqlite3_column_int64(q, 4) };
		*found = 1;
		rc = sqlite3_column_int(q, 5) ? 0 : corrupt_row(st, name);
	} else {
		rc = rc == SQLITE_DONE ? 0 : ft__store_fail(st, rc);
	}
	ft__store_give_back(q);
	return rc;
}

/* The test's stored row and its run's, as ft_store_flaky_note compares them. */
struct stored {
	int64_t test_id, run_id;
	int outcome, untraced, guessed, same_cmd;
};

/* 0 with *found, or a code.  same_cmd: its run's command and cwd are
 * those of rules->run_id. */
static int get_stored(struct ft_store *st, const struct ft_test_row *t,
		      const struct ft_flaky_rules *r, struct stored *s, int *found)
{
	sqlite3_stmt *q;
	int rc, times;

	*found = 0;
	/* column 4: the test's own outcome in its run (test_times: unknown
	 * where the failure was its run's), where that row is still there and
	 * its checksum holds; else NULL.  Kept prepared where test_times is
	 * there (every schema since 4; no table is ever dropped): once per
	 * test of every ingest, it was compiled again each time. */
	times = st->kept[FT_KEPT_FLAKY_STORED] || ft_store_has_table(st, "test_times");
	if (times)
		rc = ft__store_prepare_kept(st, FT_KEPT_FLAKY_STORED, &q,
					    "SELECT t.id, t.outcome, t.untraced, t.runner,"
					    " (SELECT x.outcome FROM test_times x WHERE x.run_id = t.run_id"
					    " AND x.name = t.name AND x.ck IS ft_ck('test_times', x.run_id,"
					    " x.name, x.outcome, x.ns, x.source)),"
					    " o.command IS n.command AND o.cwd IS n.cwd, t.run_id"
					    " FROM tests t LEFT JOIN runs o ON o.id = t.run_id"
					    " LEFT JOIN runs n ON n.id = ?2 WHERE t.name = ?1");
	else
		rc = ft__store_prepare(st, &q,
				       "SELECT t.id, t.outcome, t.untraced, t.runner,"
				       " NULL, o.command IS n.command AND o.cwd IS n.cwd, t.run_id"
				       " FROM tests t LEFT JOIN runs o ON o.id = t.run_id"
				       " LEFT JOIN runs n ON n.id = ?2 WHERE t.name = ?1");
	if (rc < 0)
		return rc;
	sqlite3_bind_text(q, 1, t->name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, r->run_id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		const char *runner = (const char *)sqlite3_column_text(q, 3);
		*found = 1;
		s->test_id = sqlite3_column_int64(q, 0);
		s->outcome = sqlite3_column_int(q, 1);
		s->untraced = sqlite3_column_int(q, 2);
		/* test_times keeps a failure that was only its run's status
		 * as unknown (ingest's put_time: ft_test_row.guessed then),
		 * whatever the runner: ctest not the top process of its run.
		 * Where that row is gone, a runner that cannot tell which of
		 * its tests failed only ever says "failed" for all of them (a
		 * failed run, or one whose status it does not see), unless the
		 * test's own process said so (its exit status: test_times
		 * kept it as failed, not unknown). */
		int tt = sqlite3_column_type(q, 4) != SQLITE_NULL ? sqlite3_column_int(q, 4) : -1;
		s->guessed = s->outcome == FT_OUTCOME_FAILED &&
			(tt == FT_OUTCOME_UNKNOWN ||
			 (r->guesses && runner && r->guesses(runner) && tt != FT_OUTCOME_FAILED));
		s->same_cmd = sqlite3_column_int(q, 5);
		s->run_id = sqlite3_column_int64(q, 6);
		rc = 0;
	} else {
		rc = rc == SQLITE_DONE ? 0 : ft__store_fail(st, rc);
	}
	if (times)
		ft__store_give_back(q);
	else
		sqlite3_finalize(q);
	return rc;
}

int ft_store_flaky_note(struct ft_store *st, const struct ft_test_row *t,
			const struct ft_flaky_rules *r, enum ft_flaky_event *ev)
{
	struct ft_store_flaky f = { 0 };
	struct stored old = { 0 };
	sqlite3_stmt *q;
	int rc, found, a, b, same;

	if (ev)
		*ev = FT_FLAKY_NONE;
	if (!st->in_run || !t->name)
		return FT_EUSAGE;
	if ((rc = get_stored(st, t, r, &old, &found)) < 0 || !found)
		return rc; /* a new test */
	a = outcome_class(old.outcome);
	b = outcome_class(t->outcome);
	if (!a || !b || old.guessed || t->guessed)
		return 0; /* skipped, no result, or the run's: says nothing either way */
	if ((rc = get_row(st, t->name, &f, &found)) < 0)
		return rc;
	if (a == b) {
		if (!found)
			return 0;
		if (r->decay && (uint64_t)f.clean + 1 >= r->decay) {
			if ((rc = ft__store_prepare(st, &q, "DELETE FROM flaky WHERE name = ?")) < 0)
				return rc;
			sqlite3_bind_text(q, 1, t->name, -1, SQLITE_STATIC);
			rc = sqlite3_step(q);
			sqlite3_finalize(q);
			if (rc != SQLITE_DONE)
				return ft__store_fail(st, rc);
			if (ev)
				*ev = FT_FLAKY_DECAYED;
			return 0;
		}
		f.clean++;
		if (ev)
			*ev = FT_FLAKY_CLEAN;
		return put_row(st, &f);
	}
	/* a command line is the test's definition, not a dependency */
	if (old.untraced || t->untraced || (t->runner && !strcmp(t->runner, "command") && !old.same_cmd))
		same = 0;
	else if (r->same_options && t->runner &&
		 (same = r->same_options(r->options_arg, t->runner, old.run_id)) <= 0)
		; /* other options (0): the flip is theirs; or an error */
	else
		same = same_deps(st, old.test_id, t);
	if (same < 0)
		return same;
	if (!same) {
		if (!found || f.clean == 0)
			return 0;
		f.clean = 0;
		if (ev)
			*ev = FT_FLAKY_RESET;
		return put_row(st, &f);
	}
	f = (struct ft_store_flaky){ t->name, (found ? f.count : 0) + 1, r->now_ns, old.outcome,
				     t->outcome, 0 };
	if (ev)
		*ev = FT_FLAKY_LEARNED;
	return put_row(st, &f);
}

int ft_store_flaky_each(struct ft_store *st, int (*fn)(void *arg, const struct ft_store_flaky *f),
			void *arg)
{
	sqlite3_stmt *q;
	int rc, r = 0;

	if (!ft_store_has_table(st, "flaky"))
		return 0;
	if ((rc = ft__store_read_prepare(st, &q, "SELECT name, count, last_ns, last_from, last_to,"
					 " clean, ck IS " FT_CK_FLAKY " FROM flaky ORDER BY name")) < 0)
		return rc;
	while (r == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct ft_store_flaky f = {
			.name = (const char *)sqlite3_column_text(q, 0),
			.count = sqlite3_column_int64(q, 1),
			.last_ns = sqlite3_column_int64(q, 2),
			.last_from = sqlite3_column_int(q, 3),
			.last_to = sqlite3_column_int(q, 4),
			.clean = sqlite3_column_int64(q, 5),
		};
		if (!sqlite3_column_int(q, 6))
			r = corrupt_row(st, f.name);
		else
			r = f.name ? fn(arg, &f) : -ENOMEM;
	}
	sqlite3_finalize(q);
	if (r)
		return r;
	return rc == SQLITE_DONE ? 0 : ft__store_read_err(rc);
}
