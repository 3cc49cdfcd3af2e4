/*
 * select.c - the affected-test computation (contract in ft_select.h).
 *
 * Cost model: one sequential scan of states joined to paths (path-id order,
 * so the states of one path are adjacent and each (path, kind) is observed
 * once), one stat per distinct (path, kind) with cached hashes, then index
 * lookups only for what changed: state -> sets (depset_states_by_state),
 * set -> tests (test_sets_by_set).  Nothing is per test x file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ft_error.h"
#include "ft_record.h"
#include "ft_select.h"
#include "ft_select_int.h"
#include "ft_state.h"
#include "ft_store.h"
#include "ft_store_select.h"
#include "ft_store_flaky.h"
#include "ft_store_tests.h"

struct ft__changed {
	int64_t state_id, path_id;
	char *path;
	uint8_t kind;
	uint64_t recorded, current;
	enum ft_change change;
};

struct ft__test {
	int64_t id;
	int64_t run_id;             /* the run that recorded it last; 0: none */
	char *name, *file, *runner; /* one block: file and runner after name */
	int outcome, untraced;
	int selected;
	struct ft_reason *reasons;
	size_t nr, omitted;
};

struct ft__set_reason {
	int64_t set_id;
	size_t changed;   /* index into changed[] */
};

struct ft__priv {
	struct ft__test *tests;
	size_t ntests, captests;
	struct ft__changed *changed;
	size_t nchanged, capchanged;
	struct ft__newtests nt;
	char **list_dirs;
	size_t nlist, caplist;
	char **known_files;
	size_t nknown;
	struct ft_reason *extra;  /* reasons of new tests */
	struct ft__added **added; /* tests ft__select_add() added */
	size_t nadded;
	struct ft__test **flaky;  /* known tests the flaky table lists, by name */
	size_t nflaky, capflaky;
	int whole;                /* a whole answer: only its paths were loaded */
};

struct ft__added {
	char *id;
	char *path;
	struct ft_reason reason;
};

static const char *const ft_change_names[] = {
	[FT_CHANGE_CONTENT] = "content changed",
	[FT_CHANGE_NOW_ABSENT] = "now absent",
	[FT_CHANGE_NOW_EXISTS] = "now exists",
	[FT_CHANGE_LISTING] = "listing changed",
	[FT_CHANGE_TYPE] = "type changed",
	[FT_CHANGE_LINK] = "link target changed",
	[FT_CHANGE_UNREADABLE] = "cannot be read now",
	[FT_CHANGE_UNKNOWN] = "unknown at recording",
	[FT_CHANGE_FAILED] = "failed last time",
	[FT_CHANGE_NO_RESULT] = "no result last time",
	[FT_CHANGE_NEW] = "new test",
	[FT_CHANGE_UNTRACED] = "untraced",
	[FT_CHANGE_ALWAYS_RUN] = "always run (.ftrace.json)",
	[FT_CHANGE_FLAKY] = "flaky",
	[FT_CHANGE_SMOKE] = "smoke set (.ftrace.json): nothing was affected",
	[FT_CHANGE_ENV] = "environment variable changed",
	[FT_CHANGE_ENV_SET] = "environment variable now set",
	[FT_CHANGE_ENV_UNSET] = "environment variable now unset",
	[FT_CHANGE_SESSION] = "import-time code changed (every test of the suite that loads it)",
	[FT_CHANGE_OPTIONS] = "recorded with other options than this command's",
};

const char *ft_change_name(enum ft_change c)
{
	if ((unsigned)c < sizeof(ft_change_names) / sizeof(ft_change_names[0]) && ft_change_names[c])
		return ft_change_names[c];
	return "changed";
}

size_t ft_select_nchanged(const struct ft_selection *sel)
{
	const struct ft__priv *p = sel ? sel->priv : NULL;

	return p ? p->nchanged : 0;
}

struct ft_reason ft_select_changed(const struct ft_selection *sel, size_t i)
{
	const struct ft__changed *c = &((const struct ft__priv *)sel->priv)->changed[i];

	return (struct ft_reason){ .path = c->path, .kind = c->kind, .change = c->change,
				   .recorded = c->recorded };
}

static enum ft_change classify(uint8_t kind, uint64_t rec, uint64_t cur)
{
	if (kind == FT_DEP_UNKNOWN)
		return FT_CHANGE_UNKNOWN;
	if (kind == FT_DEP_ENV)
		return rec == FT_VALUE_UNKNOWN ? FT_CHANGE_UNKNOWN : rec == FT_VALUE_ABSENT ? FT_CHANGE_ENV_SET : cur == FT_VALUE_ABSENT ?
		       FT_CHANGE_ENV_UNSET : FT_CHANGE_ENV;
	if (cur == FT_VALUE_UNKNOWN)
		return FT_CHANGE_UNREADABLE; /* could not be observed now */
	if (cur == FT_VALUE_ABSENT)
		return FT_CHANGE_NOW_ABSENT;
	if (kind == FT_DEP_ABSENT)
		return cur == FT_VALUE_UNREAD ? FT_CHANGE_UNREADABLE : FT_CHANGE_NOW_EXISTS;
	if (rec == FT_VALUE_ABSENT)
		return FT_CHANGE_NOW_EXISTS;
	if (cur == FT_VALUE_UNREAD)
		return FT_CHANGE_UNREADABLE;
	if (cur == FT_VALUE_WRONG || rec == FT_VALUE_WRONG)
		return FT_CHANGE_TYPE;
	switch (ft_dep_base(kind)) { /* a reader's code: its kind's class */
	case FT_DEP_FILE: return FT_CHANGE_CONTENT;
	case FT_DEP_LIST: return FT_CHANGE_LISTING;
	case FT_DEP_LINK: return FT_CHANGE_LINK;
	default: return FT_CHANGE_TYPE;
	}
}

/* Is an entry stat of kind code `kind` whose entry is gone (at `path`)
 * none to its reader?  Never for anyone's, or a reader no runner
 * declares.  Nor for a file the test made (FT_READER_MADE) where a
 * dangling symlink is now: `stat` finds nothing there, yet the making
 * follows the link, and fails where its target's directory is missing. */
static int gone_type_neutral(int kind, const char *path)
{
	const struct ft_reader *r;
	struct stat sb;

	if (ft_dep_base(kind) != FT_DEP_TYPE || !ft_dep_reader(kind))
		return 0;
	r = ft_readers_find(ft_dep_reader(kind));
	if (!r || !(r->flags & FT_READER_GONE_TYPE))
		return 0;
	return r->id != FT_READER_MADE || lstat(path, &sb) < 0;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One recorded test into p->tests. */
static int load_one(void *arg, const struct ft_store_test *row)
{
	struct ft__priv *p = arg;
	struct ft__test *t;
	size_t ln, lf, lr;
	char *b;

	if (p->ntests == p->captests) {
		size_t cap = p->captests ? p->captests * 2 : 256;
		if (!(t = realloc(p->tests, cap * sizeof(*t))))
			return -ENOMEM;
		p->tests = t;
		p->captests = cap;
	}
	ln = strlen(row->name) + 1;
	lf = row->file ? strlen(row->file) + 1 : 0;
	lr = row->runner ? strlen(row->runner) + 1 : 0;
	/* one block: the name, then the file and the runner (freed with it) */
	if (!(b = malloc(ln + lf + lr)))
		return -ENOMEM;
	t = &p->tests[p->ntests++];
	memset(t, 0, sizeof(*t));
	t->id = row->id;
	t->run_id = row->run_id;
	t->name = memcpy(b, row->name, ln);
	t->file = lf ? memcpy(b + ln, row->file, lf) : NULL;
	t->runner = lr ? memcpy(b + ln + lf, row->runner, lr) : NULL;
	t->outcome = row->outcome;
	t->untraced = row->untraced;
	return 0;
}

static int load_tests(struct ft__priv *p, struct ft_store *st)
{
	int rc;

	if ((rc = ft_store_tests_each(st, load_one, p)) < 0)
		return rc;
	p->known_files = calloc(p->ntests ? p->ntests : 1, sizeof(char *));
	if (!p->known_files)
		return -ENOMEM;
	for (size_t i = 0; i < p->ntests; i++)
		if (p->tests[i].file)
			p->known_files[p->nknown++] = p->tests[i].file;
	return 0; /* sorted where a changed listing needs them (apply_listings) */
}

static struct ft__test *find_test(struct ft__priv *p, int64_t id)
{
	size_t lo = 0, hi = p->ntests;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->tests[mid].id == id)
			return &p->tests[mid];
		if (p->tests[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* One reason per changed state: `path` is the changed state's own copy
 * (push_changed), so the same pointer is the same state reached through
 * another of the test's sets.  Two versions of a path the test saw are two
 * states, so two reasons, each with its `recorded` value: a runner's filter
 * of the selection judges each (python/ft_pyconf.c). */
static int add_reason(struct ft__test *t, const char *path, int kind, enum ft_change change,
		      uint64_t recorded)
{
	t->selected = 1;
	for (size_t i = 0; i < t->nr; i++)
		if (t->reasons[i].path == path && t->reasons[i].kind == kind &&
		    t->reasons[i].change == change)
			return 0;
	if (t->nr == FT_SELECT_MAX_REASONS) {
		t->omitted++;
		return 0;
	}
	if (!t->reasons && !(t->reasons = malloc(FT_SELECT_MAX_REASONS * sizeof(*t->reasons))))
		return -ENOMEM;
	t->reasons[t->nr++] = (struct ft_reason){ .path = path, .kind = kind, .change = change,
						  .recorded = recorded };
	return 0;
}

static int push_changed(struct ft__priv *p, const struct ft__changed *c)
{
	if (p->nchanged == p->capchanged) {
		size_t cap = p->capchanged ? p->capchanged * 2 : 64;
		struct ft__changed *n = realloc(p->changed, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		p->changed = n;
		p->capchanged = cap;
	}
	p->changed[p->nchanged] = *c;
	if (!(p->changed[p->nchanged].path = strdup(c->path)))
		return -ENOMEM;
	p->nchanged++;
	return 0;
}

static int push_list_dir(struct ft__priv *p, const char *path)
{
	if (p->nlist && !strcmp(p->list_dirs[p->nlist - 1], path))
		return 0;
	if (p->nlist == p->caplist) {
		size_t cap = p->caplist ? p->caplist * 2 : 256;
		char **n = realloc(p->list_dirs, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		p->list_dirs = n;
		p->caplist = cap;
	}
	return (p->list_dirs[p->nlist++] = strdup(path)) ? 0 : -ENOMEM;
}

/* What selection reads must match the stored checksums, or a flipped bit
 * could drop a test silently (store/ft_store_verify.c).  It runs while the
 * scan's threads stat: nothing the scan loaded is used before it passed. */
static int verify(void *st)
{
	return ft_store_verify(st);
}

/* Step 1: verify the database, and observe every distinct (path, kind)
 * once (scan.c, ft__scan_run); collect the changed states. */
static int scan_states(struct ft__priv *p, struct ft_store *st, struct ft_state *state,
		       struct ft_select_narrow *nw, size_t *distinct)
{
	struct ft__scan sc = { 0 };
	struct ft_select_dirty dirty = { 0 };
	char gen[FT_STORE_GEN_MAX];
	int rc;

	if (nw)
		nw->used = 0;
	if (nw && (!nw->ready || nw->ready(nw->arg))) {
		/* the generation and the scan in one read transaction: the
		 * answer is for exactly the states scanned */
		if (ft_store_generation(st, gen, sizeof(gen)) == 0 && nw->ask(nw->arg, gen, &dirty) == 0) {
			sc.dirty = &dirty;
			nw->used = 1;
			nw->whole = dirty.whole;
			nw->dirty = dirty.n;
		}
	}
	p->whole = dirty.whole;

	if ((rc = ft__scan_run(&sc, st, ft_store_statcache_trusted(st), verify, st)) < 0)
		goto out;
	for (size_t i = 0; i < sc.nitems; i++) {
		struct ft__item *it = &sc.items[i];
		if (!it->done && ft_state_observe_hinted(state, it->path, (enum ft_dep_kind)it->kind,
							 &it->hint, &it->value, NULL) < 0)
			it->value = FT_VALUE_UNKNOWN;
		if (ft_dep_is_listing(it->kind) && (rc = push_list_dir(p, it->path)) < 0)
			goto out;
	}
	*distinct = sc.nitems;
	if (nw)
		nw->settled = sc.settled;
	for (size_t i = 0; i < sc.nrows; i++) {
		const struct ft__row *r = &sc.rows[i];
		const struct ft__item *it = &sc.items[r->item];
		/* an entry stat of a reader whose rule says an entry gone is
		 * its directory's listing's business (pytest's collector:
		 * runners/ft_reader.h, FT_READER_GONE_TYPE) */
		if (it->value == FT_VALUE_ABSENT && gone_type_neutral(it->kind, it->path))
			continue;
		if (it->value != r->recorded || it->kind == FT_DEP_UNKNOWN || it->value == FT_VALUE_UNKNOWN) {
			struct ft__changed c = {
				.state_id = r->state_id, .path_id = r->path_id,
				.path = (char *)it->path, .kind = it->kind,
				.recorded = r->recorded, .current = it->value,
				.change = classify(it->kind, r->recorded, it->value),
			};
			if ((rc = push_changed(p, &c)) < 0)
				goto out;
		}
	}
out:
	ft__scan_release(&sc);
	ft_select_dirty_release(&dirty);
	return rc;
}

/* The full scan's item callback for whole_list_dirs: each path with a
 * listing state into p->list_dirs. */
static int list_item(void *arg, const void *path, int len, int kind, const struct ft_state_hint *hint)
{
	struct ft__priv *p = arg;
	char *s;
	int rc;

	(void)hint;
	if (!ft_dep_is_listing(kind) || !path || len <= 0 || memchr(path, '\0', (size_t)len))
		return 0;
	if (!(s = strndup(path, (size_t)len)))
		return -ENOMEM;
	rc = push_list_dir(p, s);
	free(s);
	return rc;
}

/* After a whole answer's load, the paths with a LIST state are those it
 * named: where a listing changed (so that new directories are walked),
 * every one of them, as the full load has them. */
static int whole_list_dirs(struct ft__priv *p, struct ft_store *st)
{
	static const struct ft_store_scan_ops ops = { list_item, NULL };

	if (!p->whole)
		return 0;
	for (size_t i = 0; i < p->nlist; i++)
		free(p->list_dirs[i]);
	p->nlist = 0;
	return ft_store_states_scan(st, 0, &ops, p);
}

/* Step 2: changed listings under a pytest rootdir, or of a reader whose
 * rule holds everywhere; drop the neutral ones.  A listing of a reader no
 * runner declares (runners/ft_reader.h) is never neutral: every change of
 * it counts, though its new test files are still found. */
static int apply_listings(struct ft__priv *p, struct ft_store *st)
{
	size_t keep = 0;
	int rc = 0, any = 0;

	for (size_t i = 0; i < p->nchanged && !any; i++)
		any = ft_dep_is_listing(p->changed[i].kind);
	if (!any)
		return 0; /* nothing below reads a listing's names, or looks for new tests */
	qsort(p->known_files, p->nknown, sizeof(char *), str_cmp);
	if ((rc = whole_list_dirs(p, st)) < 0)
		return rc;
	if (p->nlist > 1)
		qsort(p->list_dirs, p->nlist, sizeof(char *), str_cmp);
	p->nt.list_dirs = p->list_dirs;
	p->nt.nlist = p->nlist;
	p->nt.known_files = p->known_files;
	p->nt.nknown = p->nknown;
	for (size_t i = 0; i < p->nchanged; i++) {
		struct ft__changed *c = &p->changed[i];
		const struct ft_pytest_root *r;
		int neutral = 0;
		int listing = ft_dep_is_listing(c->kind) && c->change == FT_CHANGE_LISTING;
		const struct ft_reader *reader = ft_readers_find(ft_dep_reader(c->kind));
		int unknown = ft_dep_reader(c->kind) && !reader;

		if (listing && (r = ft__newtests_root(&p->nt, c->path)))
			neutral = ft__newtests_listing(&p->nt, r, st, c->path_id, c->path, c->recorded,
						       reader);
		else if (listing && reader && (reader->flags & FT_READER_EVERYWHERE))
			neutral = ft__newtests_reader_only(st, reader, c->path_id, c->path, c->recorded);
		if (neutral < 0) {
			rc = neutral;
			neutral = 0;
		}
		if (unknown)
			neutral = 0;
		if (!neutral && !unknown && listing && p->nt.nown) {
			neutral = ft__newtests_own_only(&p->nt, st, c->path_id, c->path, c->recorded);
			if (neutral < 0) {
				rc = neutral;
				neutral = 0;
			}
		}
		if (neutral) {
			free(c->path);
			continue;
		}
		p->changed[keep++] = *c;
	}
	p->nchanged = keep;
	return rc;
}

static int sr_cmp(const void *a, const void *b)
{
	const struct ft__set_reason *x = a, *y = b;

	if (x->set_id != y->set_id)
		return x->set_id < y->set_id ? -1 : 1;
	return x->changed < y->changed ? -1 : x->changed > y->changed;
}

/* mark_tests' walks: the sets of changed state i, then the tests of a
 * run of set reasons [i, end). */
struct mark {
	struct ft__priv *p;
	struct ft__set_reason *sr;
	size_t nsr, capsr;
	size_t changed;          /* the changed state whose sets are walked */
	size_t i, end;           /* the set reasons whose tests are walked */
};

static int mark_set(void *arg, int64_t set_id)
{
	struct mark *m = arg;

	if (m->nsr == m->capsr) {
		struct ft__set_reason *n;
		m->capsr = m->capsr ? m->capsr * 2 : 256;
		if (!(n = realloc(m->sr, m->capsr * sizeof(*m->sr))))
			return -ENOMEM;
		m->sr = n;
	}
	m->sr[m->nsr++] = (struct ft__set_reason){ set_id, m->changed };
	return 0;
}

static int mark_test(void *arg, int64_t test_id)
{
	struct mark *m = arg;
	struct ft__test *t = find_test(m->p, test_id);
	int rc;

	if (!t)
		return 0;
	for (size_t k = m->i; k < m->end; k++) {
		const struct ft__changed *c = &m->p->changed[m->sr[k].changed];
		if ((rc = add_reason(t, c->path, c->kind, c->change, c->recorded)) < 0)
			return rc;
	}
	return 0;
}

/* Step 3: changed state -> sets -> tests, by index lookups. */
static int mark_tests(struct ft__priv *p, struct ft_store *st)
{
	struct ft_store_lookup *lk = NULL;
	struct mark m = { .p = p };
	int rc = 0;

	if (!p->nchanged)
		return 0;
	if ((rc = ft_store_lookup_open(st, &lk)) < 0)
		goto out;
	for (m.changed = 0; m.changed < p->nchanged; m.changed++)
		if ((rc = ft_store_lookup_sets(lk, p->changed[m.changed].state_id, mark_set, &m)) < 0)
			goto out;
	if (m.nsr > 1)
		qsort(m.sr, m.nsr, sizeof(*m.sr), sr_cmp);
	for (m.i = 0; m.i < m.nsr; m.i = m.end) {
		m.end = m.i;
		while (m.end < m.nsr && m.sr[m.end].set_id == m.sr[m.i].set_id)
			m.end++;
		if ((rc = ft_store_lookup_tests(lk, m.sr[m.i].set_id, mark_test, &m)) < 0)
			goto out;
	}
out:
	free(m.sr);
	ft_store_lookup_close(lk);
	return rc;
}

static int sel_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ft_selected *)a)->id, ((const struct ft_selected *)b)->id);
}

static void priv_free(struct ft__priv *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->ntests; i++) {
		free(p->tests[i].name); /* and its file and runner */
		free(p->tests[i].reasons);
	}
	free(p->tests);
	for (size_t i = 0; i < p->nchanged; i++)
		free(p->changed[i].path);
	free(p->changed);
	for (size_t i = 0; i < p->nlist; i++)
		free(p->list_dirs[i]);
	free(p->list_dirs);
	free(p->known_files);
	ft__newtests_release(&p->nt);
	free(p->extra);
	for (size_t i = 0; i < p->nadded; i++) {
		free(p->added[i]->id);
		free(p->added[i]->path);
		free(p->added[i]);
	}
	free(p->added);
	free(p->flaky);
	free(p);
}

const struct ft_pytest_root *ft__select_pyroot(const struct ft_selection *sel, const char *path)
{
	const struct ft__priv *p = sel ? sel->priv : NULL;

	return p ? ft__newtests_root(&p->nt, path) : NULL;
}

int ft__select_add(struct ft_selection *sel, const char *id, const char *path)
{
	return ft__select_add_change(sel, id, path, FT_CHANGE_CONTENT);
}

int ft__select_add_change(struct ft_selection *sel, const char *id, const char *path,
			  enum ft_change change)
{
	struct ft__priv *p = sel->priv;
	struct ft__added *a, **av;
	struct ft_selected *tv;
	size_t lo = 0, hi = sel->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(sel->tests[mid].id, id);
		if (!c)
			return 0;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!p || !(a = calloc(1, sizeof(*a))))
		return -ENOMEM;
	a->id = strdup(id);
	a->path = strdup(path);
	av = realloc(p->added, (p->nadded + 1) * sizeof(*av));
	tv = av ? realloc(sel->tests, (sel->n + 2) * sizeof(*tv)) : NULL;
	if (av)
		p->added = av;
	if (!a->id || !a->path || !av || !tv) {
		free(a->id);
		free(a->path);
		free(a);
		return -ENOMEM;
	}
	sel->tests = tv;
	p->added[p->nadded++] = a;
	a->reason = (struct ft_reason){ a->path, FT_DEP_FILE, change, 0 };
	memmove(&tv[lo + 1], &tv[lo], (sel->n - lo) * sizeof(*tv));
	tv[lo] = (struct ft_selected){ a->id, &a->reason, 1, 0 };
	sel->n++;
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp((*(struct ft__test *const *)a)->name, (*(struct ft__test *const *)b)->name);
}

struct flaky_walk { struct ft__priv *p; struct ft__test **by_name; };

static int keep_flaky(void *arg, const struct ft_store_flaky *f)
{
	struct flaky_walk *w = arg;
	struct ft__priv *p = w->p;
	struct ft__test key = { .name = (char *)f->name }, *kp = &key, **t;

	if (!w->by_name) { /* at the first row: most tables have none */
		if (!(w->by_name = calloc(p->ntests + 1, sizeof(*w->by_name))))
			return -ENOMEM;
		for (size_t i = 0; i < p->ntests; i++)
			w->by_name[i] = &p->tests[i];
		qsort(w->by_name, p->ntests, sizeof(*w->by_name), name_cmp);
	}
	/* a row of a test not recorded (any more) names nothing to run */
	if (!(t = bsearch(&kp, w->by_name, p->ntests, sizeof(*t), name_cmp)))
		return 0;
	if (p->nflaky == p->capflaky) {
		struct ft__test **n = realloc(p->flaky, (p->capflaky = p->capflaky ? 2 * p->capflaky : 16) *
					      sizeof(*n));
		if (!n)
			return -ENOMEM;
		p->flaky = n;
	}
	p->flaky[p->nflaky++] = *t;
	return 0;
}

/* The known tests the flaky table lists, in the selection's transaction
 * (each row verified: ft_store_flaky.h). */
static int load_flaky(struct ft__priv *p, struct ft_store *st)
{
	struct flaky_walk w = { p, NULL };
	int rc;

	rc = ft_store_flaky_each(st, keep_flaky, &w);
	free(w.by_name);
	return rc;
}

static int runnable(const struct ft__test *t);

static const struct ft_reason flaky_reason = { NULL, 0, FT_CHANGE_FLAKY, 0 };

int ft_select_add_flaky(struct ft_selection *sel)
{
	struct ft__priv *p = sel->priv;
	struct ft_selected *tv;
	size_t n = sel->n;
	int rc;

	if (!p || !p->nflaky)
		return 0;
	if (!(tv = realloc(sel->tests, (sel->n + p->nflaky + 1) * sizeof(*tv))))
		return -ENOMEM;
	sel->tests = tv;
	for (size_t i = 0; i < p->nflaky; i++) {
		struct ft__test *t = p->flaky[i];
		struct ft_selected key = { .id = t->name }, *had;

		had = bsearch(&key, tv, sel->n, sizeof(*tv), sel_cmp);
		if (had && had->reasons == t->reasons && t->reasons) {
			/* selected for its own reasons: say this one too */
			if ((rc = add_reason(t, NULL, 0, FT_CHANGE_FLAKY, 0)) < 0)
				return rc;
			had->nreasons = t->nr;
			had->omitted = t->omitted;
		} else if (!had && runnable(t)) {
			/* (not its file-level reasons: a filter may have ruled
			 * them out) */
			tv[n++] = (struct ft_selected){ t->name, &flaky_reason, 1, 0 };
		}
	}
	sel->n = n;
	qsort(sel->tests, sel->n, sizeof(*tv), sel_cmp);
	return 0;
}

static const struct ft_reason options_reason = { NULL, 0, FT_CHANGE_OPTIONS, 0 };

int ft_select_add_options(struct ft_selection *sel,
			  int (*want)(void *arg, const char *runner, int64_t run_id), void *arg,
			  size_t *added)
{
	struct ft__priv *p = sel->priv;
	struct ft_selected *tv;
	size_t n = sel->n;

	*added = 0;
	if (!p || !p->ntests)
		return 0;
	if (!(tv = realloc(sel->tests, (sel->n + p->ntests + 1) * sizeof(*tv))))
		return -ENOMEM;
	sel->tests = tv;
	for (size_t i = 0; i < p->ntests; i++) {
		struct ft__test *t = &p->tests[i];
		struct ft_selected key = { .id = t->name };
		int w;

		if (!t->runner || bsearch(&key, tv, sel->n, sizeof(*tv), sel_cmp) || !runnable(t))
			continue;
		if ((w = want(arg, t->runner, t->run_id)) < 0)
			return w;
		if (w)
			tv[n++] = (struct ft_selected){ t->name, &options_reason, 1, 0 };
	}
	*added = n - sel->n;
	sel->n = n;
	qsort(sel->tests, sel->n, sizeof(*tv), sel_cmp);
	return 0;
}

int ft_select_drop_unlisted(struct ft_selection *sel, const char *runner, char *const *names,
			    size_t n, size_t *dropped, const char **first)
{
	struct ft__priv *p = sel->priv;
	struct ft__test **of;    /* the known tests of `runner`, by name */
	char **listed;
	size_t nof = 0, k = 0;

	*dropped = 0;
	*first = NULL;
	if (!p || !p->ntests)
		return 0;
	if (!(of = calloc(p->ntests, sizeof(*of))) || !(listed = calloc(n ? n : 1, sizeof(*listed)))) {
		free(of);
		return -ENOMEM;
	}
	for (size_t i = 0; i < p->ntests; i++)
		if (p->tests[i].runner && !strcmp(p->tests[i].runner, runner))
			of[nof++] = &p->tests[i];
	qsort(of, nof, sizeof(*of), name_cmp);
	memcpy(listed, names, n * sizeof(*listed));
	qsort(listed, n, sizeof(*listed), str_cmp);
	for (size_t i = 0; i < sel->n; i++) {
		struct ft__test key = { .name = (char *)sel->tests[i].id }, *kp = &key;
		const char *id = sel->tests[i].id;

		if (bsearch(&kp, of, nof, sizeof(*of), name_cmp) &&
		    !bsearch(&id, listed, n, sizeof(*listed), str_cmp)) {
			if (!*first)
				*first = sel->tests[i].id;
			continue;
		}
		sel->tests[k++] = sel->tests[i];
	}
	*dropped = sel->n - k;
	sel->n = k;
	free(of);
	free(listed);
	return 0;
}

void ft_selection_free(struct ft_selection *sel)
{
	if (!sel)
		return;
	priv_free(sel->priv);
	free(sel->tests);
	free(sel);
}

int ft__select_runnable(const char *file, const char *runner)
{
	struct stat sb;

	if (!file || !runner || strcmp(runner, "pytest"))
		return 1;
	return !(stat(file, &sb) < 0 && FT_ERR_IS_ABSENT(errno));
}

static int runnable(const struct ft__test *t)
{
	return ft__select_runnable(t->file, t->runner);
}

static int build(struct ft_selection *sel, struct ft__priv *p)
{
	size_t n = 0;

	for (size_t i = 0; i < p->ntests; i++)
		n += p->tests[i].selected;
	sel->tests = calloc(n + p->nt.nfound + 1, sizeof(*sel->tests));
	p->extra = calloc(p->nt.nfound + 1, sizeof(*p->extra));
	if (!sel->tests || !p->extra)
		return -ENOMEM;
	for (size_t i = 0; i < p->ntests; i++) {
		struct ft__test *t = &p->tests[i];
		if (!t->selected || !runnable(t))
			continue;
		sel->tests[sel->n++] = (struct ft_selected){ t->name, t->reasons, t->nr, t->omitted };
	}
	for (size_t i = 0; i < p->nt.nfound; i++) {
		p->extra[i] = (struct ft_reason){ p->nt.found[i].abs, 0, FT_CHANGE_NEW, 0 };
		sel->tests[sel->n++] = (struct ft_selected){ p->nt.found[i].id, &p->extra[i], 1, 0 };
	}
	qsort(sel->tests, sel->n, sizeof(*sel->tests), sel_cmp);
	/* unique by id: a new file named like a known test id stays once */
	n = 0;
	for (size_t i = 0; i < sel->n; i++)
		if (!n || strcmp(sel->tests[n - 1].id, sel->tests[i].id))
			sel->tests[n++] = sel->tests[i];
	sel->n = n;
	return 0;
}

static int select_in_txn(struct ft_selection *sel, struct ft__priv *p, struct ft_store *st,
			 struct ft_state *state, struct ft_select_narrow *nw)
{
	int rc;

	/* first: it verifies the database, and no row is used before that passed */
	if ((rc = scan_states(p, st, state, nw, &sel->states)) < 0)
		return rc;
	if ((rc = load_tests(p, st)) < 0)
		return rc;
	sel->known = p->ntests;
	if ((rc = ft__newtests_init(&p->nt, st)) < 0)
		return rc;
	if ((rc = apply_listings(p, st)) < 0)
		return rc;
	if ((rc = mark_tests(p, st)) < 0)
		return rc;
	for (size_t i = 0; i < p->ntests; i++) {
		struct ft__test *t = &p->tests[i];
		if (t->outcome == FT_OUTCOME_FAILED || t->outcome == FT_OUTCOME_ERROR)
			rc = add_reason(t, NULL, 0, FT_CHANGE_FAILED, 0);
		else if (t->outcome != FT_OUTCOME_PASSED && t->outcome != FT_OUTCOME_SKIPPED)
			rc = add_reason(t, NULL, 0, FT_CHANGE_NO_RESULT, 0);
		if (rc == 0 && t->untraced)
			rc = add_reason(t, NULL, 0, FT_CHANGE_UNTRACED, 0);
		if (rc < 0)
			return rc;
	}
	if (p->nt.why) {
		sel->complete = 0;
		sel->incomplete_why = p->nt.why;
	}
	if ((rc = load_flaky(p, st)) < 0)
		return rc;
	return build(sel, p);
}

/* An empty, complete selection with its private part, or NULL. */
static struct ft_selection *selection_new(struct ft__priv **priv)
{
	struct ft_selection *sel = calloc(1, sizeof(*sel));
	struct ft__priv *p = calloc(1, sizeof(*p));

	if (!sel || !p) {
		free(sel);
		free(p);
		return NULL;
	}
	sel->priv = p;
	sel->complete = 1;
	*priv = p;
	return sel;
}

int ft_select_run(struct ft_store *st, struct ft_state *state, struct ft_selection **out)
{
	return ft_select_run_narrowed(st, state, NULL, out);
}

int ft_select_run_narrowed(struct ft_store *st, struct ft_state *state, struct ft_select_narrow *nw,
			   struct ft_selection **out)
{
	struct ft_selection *sel;
	struct ft__priv *p;
	int rc;

	*out = NULL;
	if (!(sel = selection_new(&p)))
		return -ENOMEM;
	/* One read transaction: a concurrent `ftrace run` commits atomically,
	 * we see the database before or after it, never half of it. */
	if ((rc = ft_store_read_begin(st)) < 0) {
		ft_selection_free(sel);
		return rc;
	}
	rc = select_in_txn(sel, p, st, state, nw); /* verifies the database first */
	ft_store_read_end(st);
	if (rc < 0) {
		ft_selection_free(sel);
		return rc;
	}
	*out = sel;
	return 0;
}

int ft_select_all(struct ft_store *st, struct ft_selection **out)
{
	struct ft_selection *sel;
	struct ft__priv *p;
	int rc;

	*out = NULL;
	if (!(sel = selection_new(&p)))
		return -ENOMEM;
	if ((rc = load_tests(p, st)) < 0 ||
	    !(sel->tests = calloc(p->ntests + 1, sizeof(*sel->tests)))) {
		ft_selection_free(sel);
		return rc < 0 ? rc : -ENOMEM;
	}
	for (size_t i = 0; i < p->ntests; i++)
		sel->tests[sel->n++] = (struct ft_selected){ p->tests[i].name, NULL, 0, 0 };
	sel->known = p->ntests;
	qsort(sel->tests, sel->n, sizeof(*sel->tests), sel_cmp);
	*out = sel;
	return 0;
}
