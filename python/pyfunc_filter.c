/*
 * pyfunc_filter.c - function granularity at selection (ft_pyfunc.h):
 * ft_pyfunc_filter() as its steps, in order.  The parts are listed in
 * ft_pyfunc_int.h.
 *
 * The filter starts from the file-granularity selection, which is sound,
 * and only removes a test with proof.  The proof, per changed .py file P
 * the test was selected for (docs/python-functions.md, "Selection"):
 *   - P's fingerprints as the test saw it: pyfunc_fps(P, the test's own
 *     recorded content value of P); keyed by value, never by path alone;
 *   - P's fingerprints now (one Python process over all such files), with
 *     the same skeleton;
 *   - no changed body ran in a prelude of that version or of the test's
 *     run, and the test ran
 *     none (its pyfunc_tests row is of its latest recording and complete);
 *   - if the test's own processes touched P (a subprocess running project
 *     code is invisible to the in-process recorder), no body changed.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ft_error.h"
#include "ft_json.h"
#include "ft_pyfunc_int.h"
#include "ft_pyfunc_names.h"
#include "ft_spawn.h"
#include "ft_store.h"
#include "ft_store_py.h"

/* A changed file the import-time rule may need: a .py file outside an
 * installation's directories (no session's prelude lists those as
 * project files; a virtualenv rebuilt would otherwise start the tool over
 * thousands of files for nothing). */
static int widen_file(const struct ft_reason *r)
{
	static const char *const skip[] = { "/site-packages/", "/dist-packages/" };
	size_t n;

	if (!r->path || r->kind != FT_DEP_FILE || r->change != FT_CHANGE_CONTENT)
		return 0;
	n = strlen(r->path);
	if (n < 4 || strcmp(r->path + n - 3, ".py"))
		return 0;
	for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (strstr(r->path, skip[i]))
			return 0;
	return 1;
}

/* A new test module (a new test file that is a .py file): pytest imports
 * it at collection, before any test, so the import-time rule judges it
 * (pyfunc_widen.c). */
static int new_module(const struct ft_reason *r)
{
	size_t n;

	if (!r->path || r->change != FT_CHANGE_NEW || r->path[0] != '/')
		return 0;
	n = strlen(r->path);
	return n >= 4 && !strcmp(r->path + n - 3, ".py");
}

/* The changed .py files come from the selection alone: the tool starts on
 * them at once and parses while the recordings are read (a file no
 * candidate needs in the end is fingerprinted for nothing).  Those of
 * the candidates, and every other changed .py file, which the import-time
 * rule (pyfunc_widen.c) may judge. */
static int changed_files(struct ctx *x)
{
	struct ft_selection *sel = x->sel;
	cJSON *e;

	x->n0 = sel->n;
	x->cands = calloc(sel->n, sizeof(*x->cands));
	x->drop = calloc(sel->n, 1);
	x->rfiles = calloc(sel->n, sizeof(*x->rfiles));
	x->files = cJSON_CreateArray();
	x->newfiles = cJSON_CreateArray();
	if (!x->cands || !x->drop || !x->rfiles || !x->files || !x->newfiles)
		return -ENOMEM;
	for (size_t i = 0; i < sel->n; i++) {
		const struct ft_selected *t = &sel->tests[i];
		for (size_t k = 0; k < t->nreasons; k++) {
			const struct ft_reason *r = &t->reasons[k];
			if (new_module(r) && !ft_json_has_string(x->newfiles, r->path))
				cJSON_AddItemToArray(x->newfiles, cJSON_CreateString(r->path));
			if ((widen_file(r) || new_module(r)) && !ft_json_has_string(x->files, r->path))
				cJSON_AddItemToArray(x->files, cJSON_CreateString(r->path));
		}
		if (!(x->rfiles[i] = ft__pyfunc_reason_files(t)))
			continue;
		cJSON_ArrayForEach(e, x->rfiles[i]) {
			if (!ft_json_has_string(x->files, e->valuestring))
				cJSON_AddItemToArray(x->files, cJSON_CreateString(e->valuestring));
		}
	}
	return 0;
}

/* The tests whose recording can be judged (x->cands), in one read
 * transaction: one shared lock for the thousands of lookups instead of a
 * lock (and a hot-journal check) per statement.  Why each other test with
 * a changed .py file is not a candidate goes to the notes. */
static int find_candidates(struct ctx *x)
{
	struct ft_selection *sel = x->sel;
	int rc;

	if ((rc = ft_store_read_begin_unless(x->st, &x->in_txn)) < 0 ||
	    (rc = ft_store_pyfunc_open(x->st, &x->r)) < 0)
		return rc;
	for (size_t i = 0; i < sel->n; i++) {
		const char *why = NULL;
		cJSON *rf = x->rfiles[i];
		x->rfiles[i] = NULL;
		if (rf && ft__pyfunc_candidate(x, &sel->tests[i], rf, &x->cands[x->nc], &why))
			x->cands[x->nc++].index = i;
		else if (why && x->notes &&
			 (rc = ft__pyfunc_note_add(x->notes, sel->tests[i].id, NULL, strdup(why))) < 0)
			return rc;
	}
	x->stats->candidates = x->nc;
	return 0;
}

/* x->drop for each candidate: every file, not only up to the first that
 * keeps the test: --explain names what changed in each. */
static int judge(struct ctx *x)
{
	struct ft_pyfunc_notes *notes = x->notes;
	int rc;

	for (size_t k = 0; k < x->nc; k++) {
		const struct cand *c = &x->cands[k];
		const char *id = x->sel->tests[c->index].id;
		int ok = 1;
		for (size_t f = 0; f < c->files.n; f++) {
			char *why = NULL;
			if (!ok && !notes)
				break;
			ok &= ft__pyfunc_file_unaffected(x, id, c->files.v[f], c, notes ? &why : NULL);
			if (why && (rc = ft__pyfunc_note_add(notes, id, c->files.v[f], why)) < 0)
				return rc;
		}
		x->drop[x->cands[k].index] = (unsigned char)ok;
	}
	return 0;
}

static int sel_id_cmp(const void *key, const void *elem)
{
	return strcmp((const char *)key, ((const struct ft_selected *)elem)->id);
}

/* Remove the dropped tests from the selection.  A test module some of
 * whose tests go: its changed test functions are asked for whole (new
 * ones, new parameters); when none goes, the module is printed whole
 * anyway (ft_pytest_args.h). */
static int apply(struct ctx *x)
{
	struct ft_selection *sel = x->sel;
	size_t o = 0;
	int rc;

	for (size_t i = 0; i < x->nadd; i++) {
		int any = 0;
		for (size_t k = 0; k < x->nc && !any; k++)
			any = x->drop[x->cands[k].index] && x->cands[k].file &&
			      !strcmp(x->cands[k].file, x->add[i].path);
		x->add[i].path[0] = any ? x->add[i].path[0] : '\0';
	}
	for (size_t i = 0; i < sel->n; i++) {
		if (x->drop[i])
			x->stats->dropped++;
		else
			sel->tests[o++] = sel->tests[i];
	}
	sel->n = o;
	for (size_t i = 0; i < x->nadd; i++) {
		if (!x->add[i].path[0])
			continue;
		/* A test of that name recorded already, which the file-level
		 * selection left out: its recording saw the file as it is now
		 * (a test added, then run alone by `ftrace test`), so nothing
		 * it ran changed.  A parametrized one never matches by name. */
		if (!bsearch(x->add[i].id, sel->tests, sel->n, sizeof(*sel->tests), sel_id_cmp) &&
		    (rc = ft_store_pyfunc_test_known(x->r, x->add[i].id)) != 0) {
			if (rc < 0)
				return rc;
			continue;
		}
		if ((rc = ft__select_add(sel, x->add[i].id, x->add[i].path)) < 0)
			return rc;
	}
	/* after the drops: a session's test the rules took out comes back */
	for (size_t i = 0; i < x->nwide; i++)
		if ((rc = ft__select_add_change(sel, x->wide[i].id, x->wide[i].path,
						FT_CHANGE_SESSION)) < 0)
			return rc;
	return 0;
}

static void finish(struct ctx *x, int rc)
{
	/* not finished: nothing needs its output (no candidate, or an error
	 * is already set), so it is not waited for */
	(void)ft_spawn_abandon(&x->py);
	for (size_t i = 0; x->rfiles && i < x->n0; i++)
		cJSON_Delete(x->rfiles[i]);
	free(x->rfiles);
	for (size_t k = 0; x->cands && k < x->nc; k++)
		ft__pyfunc_cand_release(&x->cands[k]);
	free(x->cands);
	free(x->drop);
	ft__pyfunc_ctx_release(x);
	if (x->in_txn)
		ft_store_write_commit(x->st);
	/* for the next call (after the read transaction: it may write) */
	if (rc >= 0 && x->stored)
		ft_fpcache_store(x->st, x->fckey, &x->fc, x->now);
	ft_fpcache_release(&x->fc);
	free(x->fckey);
	cJSON_Delete(x->missing);
	cJSON_Delete(x->files);
	cJSON_Delete(x->newfiles);
	cJSON_Delete(x->now);
}

/* Start the fingerprint tool on the changed files (once).  Its failure
 * (no such Python, a cache that cannot be read) is no error of the
 * filter: nothing is dropped then, and the import-time rule widens every
 * suite whose session loaded a changed file, which it cannot judge. */
static void tool_start(struct ctx *x, const char *python, const char *tool)
{
	int rc;

	if (x->tool_state)
		return;
	x->tool_state = 1;
	if ((rc = ft__pyfunc_fresh_start(x, python, tool)) < 0)
		x->tool_rc = rc;
}

static void tool_finish(struct ctx *x)
{
	int rc;

	if (x->tool_rc >= 0 && (rc = ft__pyfunc_fresh_finish(x)) < 0)
		x->tool_rc = rc;
}

int ft_pyfunc_filter(struct ft_store *st, struct ft_selection *sel, const char *python,
		     const char *tool, int narrow, struct ft_pyfunc_stats *stats,
		     struct ft_pyfunc_notes *notes)
{
	struct ctx x = { .st = st, .sel = sel, .notes = notes, .stats = stats, .py = { .pid = -1 } };
	int rc;

	memset(stats, 0, sizeof(*stats));
	if (!sel->complete || !sel->n || !ft_store_has_table(st, "pyfunc_fps") ||
	    !ft_store_has_table(st, "pyfunc_tests"))
		return 0;
	/* a recording by file only (--granularity=file, or auto where the
	 * interpreter gets no function hook): no test can be judged */
	narrow = narrow && ft_store_pyfunc_any(st);
	/* no changed .py file: nothing to judge, nothing to widen, and no
	 * Python is started */
	if ((rc = changed_files(&x)) < 0 || !cJSON_GetArraySize(x.files))
		goto out;
	if (narrow) {
		/* at once: it parses while the recordings are read */
		tool_start(&x, python, tool);
		if ((rc = find_candidates(&x)) < 0)
			goto out;
	}
	/* Nothing to judge (by file, no candidate, or no tool): on only if
	 * the import-time rule may add; else the tool is abandoned. */
	if (!x.nc || x.tool_rc < 0) {
		if ((rc = ft__pyfunc_widen_wanted(&x)) <= 0)
			goto out;
	}
	if ((x.nc && x.tool_rc >= 0) || ft__pyfunc_widen_judges(&x)) {
		tool_start(&x, python, tool);
		tool_finish(&x);
	}
	if (x.nc && x.tool_rc >= 0 && (rc = judge(&x)) < 0)
		goto out;
	if ((rc = ft__pyfunc_widen(&x)) >= 0)
		rc = apply(&x);
out:
	/* a row read corrupt answered "none": no answer stands on it */
	if (rc >= 0 && ft_store_pyfunc_error(x.r) < 0)
		rc = ft_store_pyfunc_error(x.r);
	finish(&x, rc);
	stats->tool_rc = x.tool_rc;
	return rc;
}
