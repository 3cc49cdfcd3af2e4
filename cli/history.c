/*
 * history.c - `ftrace test` and `ftrace verify` keep what their selection
 * did in the database's history (store/ft_store_history.h), for `ftrace
 * stats`.
 *
 * Best effort, after the run: the history selects nothing, so a failure
 * to write it (a lock held too long, a full disk) is said on stderr and
 * changes neither the run's recording nor the exit status.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "ft_cmd.h"
#include "ft_error.h"
#include "ft_selection.h"
#include "ft_statedir.h"
#include "ft_store.h"
#include "ft_store_history.h"
#include "ft_store_repo.h"

/* The reasons' keys as the history keeps them: short and stable (a
 * database outlives its ftrace; ft_change_name's words are for people). */
static const char *const reason_keys[] = {
	[FT_CHANGE_CONTENT] = "content",
	[FT_CHANGE_NOW_ABSENT] = "now_absent",
	[FT_CHANGE_NOW_EXISTS] = "now_exists",
	[FT_CHANGE_LISTING] = "listing",
	[FT_CHANGE_TYPE] = "type",
	[FT_CHANGE_LINK] = "link",
	[FT_CHANGE_UNREADABLE] = "unreadable",
	[FT_CHANGE_UNKNOWN] = "unknown",
	[FT_CHANGE_FAILED] = "failed",
	[FT_CHANGE_NO_RESULT] = "no_result",
	[FT_CHANGE_NEW] = "new",
	[FT_CHANGE_UNTRACED] = "untraced",
	[FT_CHANGE_ALWAYS_RUN] = "always_run",
	[FT_CHANGE_FLAKY] = "flaky",
	[FT_CHANGE_SMOKE] = "smoke",
	[FT_CHANGE_ENV] = "env",
	[FT_CHANGE_ENV_SET] = "env_set",
	[FT_CHANGE_ENV_UNSET] = "env_unset",
	[FT_CHANGE_SESSION] = "session",
	[FT_CHANGE_OPTIONS] = "options",
};
#define NKEYS (sizeof(reason_keys) / sizeof(reason_keys[0]))
_Static_assert(NKEYS <= 32, "a test's kinds are a 32-bit mask");

char *ft_cmd_history_reasons(const struct ft_selection *sel)
{
	cJSON *o = cJSON_CreateObject();
	char *text = NULL;
	int ok = o != NULL;

	for (size_t i = 0; ok && sel && i < sel->n; i++) {
		const struct ft_selected *t = &sel->tests[i];
		unsigned seen = 0; /* the kinds counted for this test (enum ft_change < 32) */

		for (size_t k = 0; ok && k < t->nreasons; k++) {
			unsigned c = (unsigned)t->reasons[k].change;
			const char *name = c < NKEYS && reason_keys[c] ? reason_keys[c] : "other";
			cJSON *n;

			if (c >= NKEYS)
				c = 0; /* "other" */
			if (seen & 1u << c)
				continue;
			seen |= 1u << c;
			if ((n = cJSON_GetObjectItemCaseSensitive(o, name)))
				cJSON_SetNumberValue(n, n->valuedouble + 1);
			else
				ok = cJSON_AddNumberToObject(o, name, 1) != NULL;
		}
	}
	if (ok)
		text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return text;
}

void ft_cmd_history_note(const char *cmd, const char *db, const struct ft_cmd_history *h)
{
	struct ft_store_history row = {
		.command = cmd, .known = (int64_t)h->known, .selected = h->selected,
		.reasons = h->reasons ? h->reasons : "{}", .escapes = h->escapes,
		.timed = h->selected >= 0 ? h->timed : -1,
		.timed_ns = h->selected >= 0 ? h->timed_ns : -1,
	};
	char dir[PATH_MAX], path[PATH_MAX + 32], top[PATH_MAX];
	struct ft_err err; /* not said: the selection is only not kept */
	struct ft_store *st = NULL;
	struct timespec ts;
	int rc;

	if (!db || !db[0]) {
		/* nothing was open before the run (no recording yet): the
		 * run's own database, if it saved one */
		if (ft_statedir_find(dir, sizeof(dir)) < 0)
			return;
		snprintf(path, sizeof(path), "%s/%s", dir, FT_STORE_FILE);
		db = path;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	row.at_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	ft_cmd_lock_wait(1);
	if ((rc = ft_store_open(&st, db, 0)) < 0) {
		if (rc != FT_ENORECORD) /* nothing recorded: nothing to keep it with */
			ft_cmd_error("%s: the selection was not kept for `ftrace stats` (%s: %s)", cmd,
				     db, ft_strerror(rc));
		return;
	}
	/* never into another tree's database */
	if (ft_statedir_find(dir, sizeof(dir)) >= 0 && ft_statedir_top(dir, top, sizeof(top)) >= 0 &&
	    (rc = ft_store_repo_check(st, top, 0, &err)) < 0) {
		ft_store_close(st);
		return;
	}
	if ((rc = ft_store_history_add(st, &row)) < 0) {
		ft_store_err_db(st, rc, &err);
		ft_cmd_error("%s: the selection was not kept for `ftrace stats` (%s: %s)", cmd, db,
			     ft_err_msg(&err));
	}
	ft_store_close(st);
}
