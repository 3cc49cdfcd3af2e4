/*
 * ft_collect.c - see ft_collect.h.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ft_collect.h"
#include "ft_envdep.h"
#include "ft_namecache.h"
#include "ft_pseudo.h"
#include "ft_ptree.h"
#include "ft_reclog.h"
#include "ft_record.h"
#include "ft_go_envnames.h"
#include "ft_scriptenv.h"

/* Directory entries that runners create as caches and that no lookup can
 * name as a module or input; ft_state leaves them out of listing hashes. */
static int is_cache_entry(const char *name, size_t len)
{
	return (len == 11 && !memcmp(name, "__pycache__", 11)) ||
	       (len == 13 && !memcmp(name, ".pytest_cache", 13));
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t ncap;
	void *np;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap : 256;
	while (ncap < need)
		ncap *= 2;
	np = realloc(*p, ncap * elem);
	if (!np)
		return -ENOMEM;
	memset((char *)np + *cap * elem, 0, (ncap - *cap) * elem);
	*p = np;
	*cap = ncap;
	return 0;
}

int ft_collect_ctx(struct ft_collect *c, const char *id, size_t len, uint32_t *out)
{
	int added, rc;

	rc = ft_map_intern(&c->ctx_ids, id, len, out, &added);
	if (rc < 0)
		return rc;
	if (added) {
		rc = grow((void **)&c->ctx, &c->ctx_cap, *out + 1, sizeof(*c->ctx));
		if (rc < 0)
			return rc;
		c->ctx[*out].is_test = len > 0;
		c->ctx[*out].outcome = 0;
		/* a test without a process of its own (go's build-only
		 * packages) has only records in its context: the tree says
		 * its outcome */
		for (size_t i = 0; len && c->ptree && i < c->ptree->ntests; i++) {
			const struct ft_ptree_test *t = &c->ptree->tests[i];
			if (t->tree_outcome && strlen(t->id) == len && !memcmp(t->id, id, len)) {
				c->ctx[*out].runner = t->runner;
				c->ctx[*out].outcome = t->outcome;
				c->ctx[*out].guessed = t->guessed;
				c->ctx[*out].own_ns = t->own_ns >= 0 ? t->own_ns + 1 : 0;
				c->ctx[*out].ended = 1;
				c->ctx[*out].untraced |= t->partial;
				c->ctx[*out].partial |= t->partial;
				break;
			}
		}
	}
	return 0;
}

static int intern_path(struct ft_collect *c, const char *p, size_t len, uint32_t *out)
{
	int added, rc;

	rc = ft_map_intern(&c->paths, p, len, out, &added);
	if (rc < 0)
		return rc;
	if (added) {
		rc = grow((void **)&c->pinfo, &c->pinfo_cap, *out + 1, sizeof(*c->pinfo));
		if (rc < 0)
			return rc;
		c->pinfo[*out].writer = FT_CTX_NONE;
		c->pinfo[*out].dir_changer = FT_CTX_NONE;
		c->pinfo[*out].moder = FT_CTX_NONE;
	}
	return 0;
}

static int get_acc(struct ft_collect *c, uint32_t ctx, uint32_t path, struct ft_acc **out)
{
	uint32_t key[2] = { ctx, path }, idx;
	int added, rc;

	rc = ft_map_intern(&c->acc_index, key, sizeof(key), &idx, &added);
	if (rc < 0)
		return rc;
	if (added) {
		rc = grow((void **)&c->acc, &c->acc_cap, idx + 1, sizeof(*c->acc));
		if (rc < 0)
			return rc;
		c->acc[idx].ctx = ctx;
		c->acc[idx].path = path;
		c->nacc = idx + 1;
	}
	*out = &c->acc[idx];
	return 0;
}

static void note_writer(uint32_t *who, uint8_t *many, uint32_t ctx)
{
	if (*who == FT_CTX_NONE)
		*who = ctx;
	else if (*who != ctx)
		*many = 1;
}

/* A successful create or delete of `path` by `ctx`; applied to the parent
 * directory once the whole run is read (see apply_dir_events). */
struct ft_dir_event {
	uint64_t t_ns;
	uint32_t path, ctx;
	uint8_t create;
};

static int note_dir_event(struct ft_collect *c, uint32_t ctx, uint32_t path, int create, uint64_t t)
{
	int rc = grow((void **)&c->events, &c->events_cap, c->nevents + 1, sizeof(*c->events));

	if (rc < 0)
		return rc;
	c->events[c->nevents].path = path;
	c->events[c->nevents].ctx = ctx;
	c->events[c->nevents].create = (uint8_t)create;
	c->events[c->nevents].t_ns = t;
	c->nevents++;
	return 0;
}

static int event_cmp(const void *a, const void *b)
{
	const struct ft_dir_event *x = a, *y = b;
	return x->t_ns < y->t_ns ? -1 : x->t_ns > y->t_ns;
}

/*
 * Turn creates and deletes into "who changed this directory's entries".
 *
 * An entry that the run created first and removed last, such as pytest's
 * `pytest-cache-files-*` (mkdir, fill, rename to .pytest_cache) or an
 * editor-style `x.tmp` renamed over `x`, leaves the listing as it found it,
 * so it changes nothing.  So does one it removed first (so it was there)
 * and made last (so it is there), a test's `rm -rf logs; mkdir logs`:
 * the names are those of before (what became of the entry itself is its
 * own dependency's to say).  Counting it would make every other test that
 * listed the rootdir "modified during the run by another test": unknown,
 * and selected again after every recording.  Runner caches
 * (`__pycache__`, `.pytest_cache`) are left out of listing values, so
 * changing them only marks the directory as touched by the run itself.
 */
/* The readers (bits 1-7) to whose listings entry `name` of the directory
 * p[0..dlen) made (added) or removed by the run is, by itself, none
 * (ft_collect.entry_unread); 0 without the hook. */
static uint8_t entry_unread_by(const struct ft_collect *c, const char *p, size_t dlen,
			       const char *name, int added)
{
	char dir[PATH_MAX];
	uint8_t bits = 0;

	if (!c->entry_unread || dlen >= sizeof(dir))
		return 0;
	memcpy(dir, p, dlen);
	dir[dlen] = '\0';
	for (int r = 1; r < 8; r++)
		if (c->entry_unread(r, dir, name, added) == 1)
			bits |= (uint8_t)(1u << r);
	return bits;
}

static int apply_dir_events(struct ft_collect *c)
{
	uint8_t *first = calloc(c->paths.count ? c->paths.count : 1, 1);
	uint8_t *last = calloc(c->paths.count ? c->paths.count : 1, 1);
	int rc = 0;

	if (!first || !last) {
		free(first);
		free(last);
		return -ENOMEM;
	}
	/* in time order: regions were read process by process */
	if (c->nevents > 1)
		qsort(c->events, c->nevents, sizeof(*c->events), event_cmp);
	for (size_t i = 0; i < c->nevents; i++) {
		const struct ft_dir_event *e = &c->events[i];
		uint8_t k = e->create ? 1 : 2;
		if (!first[e->path])
			first[e->path] = k;
		last[e->path] = k;
	}
	for (size_t i = 0; i < c->nevents && rc >= 0; i++) {
		const struct ft_dir_event *e = &c->events[i];
		size_t len, dlen;
		const char *p, *slash;
		uint32_t dir;
		uint8_t unread;
		struct ft_acc *a;

		p = ft_map_key(&c->paths, e->path, &len);
		slash = len ? memrchr(p, '/', len) : NULL;
		if (!slash)
			continue;
		dlen = slash == p ? 1 : (size_t)(slash - p);
		if ((rc = intern_path(c, p, dlen, &dir)) < 0)
			break;
		/* (keys are separate allocations: p stays valid across interning) */
		if (is_cache_entry(slash + 1, len - (size_t)(slash + 1 - p)) ||
		    ft_ptree_is_own_file(c->ptree, p, len) ||
		    (first[e->path] == 1 && last[e->path] == 2 /* transient */) ||
		    (first[e->path] == 2 && last[e->path] == 1 /* made again */)) {
			c->pinfo[dir].dir_neutral_change = 1;
			continue;
		}
		unread = entry_unread_by(c, p, dlen, slash + 1, first[e->path] == 1);
		c->pinfo[dir].dir_unread_by = c->pinfo[dir].dir_changer == FT_CTX_NONE ? unread :
					      c->pinfo[dir].dir_unread_by & unread;
		note_writer(&c->pinfo[dir].dir_changer, &c->pinfo[dir].dir_changers_many, e->ctx);
		if ((rc = get_acc(c, e->ctx, dir, &a)) < 0)
			break;
		a->dir_changed = 1;
	}
	free(first);
	free(last);
	return rc;
}

static uint32_t want_of(const struct ft_record *r)
{
	uint32_t f = r->flags, w = 0;

	/* A call that failed on a path that is there saw its type: the
	 * link's own where the call does not follow one (readlink's EINVAL
	 * on a directory that may become a link, O_NOFOLLOW's ELOOP) */
	if (r->err)
		return FT_ERR_IS_ABSENT(r->err) ? FT_WANT_ABSENT :
		       (f & FT_AC_NOFOLLOW) ? FT_WANT_LTYPE : FT_WANT_TYPE;
	if (f & (FT_AC_READ | FT_AC_EXEC | FT_AC_LIB))
		w |= FT_WANT_CONTENT;
	if (f & FT_AC_LIST)
		w |= FT_WANT_LIST;
	if (f & FT_AC_LINK)
		w |= FT_WANT_LINK;
	if ((f & FT_AC_STAT) && (f & FT_AC_NOFOLLOW))
		w |= FT_WANT_LSTAT;
	else if (f & (FT_AC_STAT | FT_AC_CHDIR))
		w |= FT_WANT_STAT;
	return w;
}

/* passed < skipped < anything else (failed, error, unknown) */
static int outcome_rank(int outcome)
{
	return outcome == FT_OUTCOME_PASSED ? 0 : outcome == FT_OUTCOME_SKIPPED ? 1 : 2;
}

struct walk {
	struct ft_collect *c;
	char last_file[4096];
	uint32_t cur;     /* current context of the region being read */
	const struct ft_ptree_test *assigned; /* the region's test by the process tree */
	int stat_type_only;/* the region is a runner image's own (see below) */
	unsigned policy;   /* that image's runner's FT_POLICY_* (ft_ptree.h) */
	int scan;          /* after a CONTEXT flagged FT_CONTEXT_SCAN */
	int collect;       /* after a CONTEXT flagged FT_CONTEXT_COLLECT */
	int imports;       /* after a CONTEXT flagged FT_CONTEXT_IMPORT */
	int build_work;   /* build work outside any test (ft_ptree.h) */
	uint32_t prelude;  /* the context index of "" */
	int first;         /* the next record is the region's first */
	uint32_t links;    /* link sources waiting for their new name (pair_link) */
	int link_many;     /* more than one waited since none did */
	uint32_t link_src; /* the one that waits */
	int continued;     /* this region continues the last one's image */
	const struct ft_ptree_proc *image; /* the last region's image (ptree) */
	int switched;      /* the region's context changed since its start */
	int startup;       /* still in a start-up that FT_CONTEXT_STARTUP_END may end */
	struct pending { uint32_t acc, want; } *pend; /* its config file uses */
	size_t npend, cappend;
	/* which processes must have left a region (ft_collect_run) */
	int32_t pid;              /* the region's process */
	int in_launcher;          /* reading the launcher's own region */
	int at_ingest;            /* a region written at ingest (FT_REGION_AT_INGEST) */
	int ignored;              /* the region's program is an ignore_programs one */
	int git;                  /* the region's program is named git (is_git) */
	enum ft_script_kind script; /* a shell, make, awk, perl or a bare
				     * Python: the text it runs names the
				     * variables it reads, or it reads them all
				     * (ft_scriptenv.h) */
	unsigned char *passes;    /* by ptree image: a runner or its ancestor (a
				   * launcher: npm, npx, a shell between ftrace and
				   * the runner), whose environment reads are no
				   * env_plain ones (ft_collect.h) */
	int env_pass;             /* the region's image is one of those */
	int lists;                /* what its image reads of the environment by
				   * listing it, not yet noted (lister_reads) */
	int script_argv;          /* that image's argv and implicit names done */
	struct ft_namecache scripts[FT_SCRIPT__COUNT]; /* by kind: the files
				      * shells, make and awk read, each read and
				      * scanned once (script_reads) */
	int launcher_seen, launcher_untraced;
	int launcher_ledger;      /* its region says the run keeps a ledger */
	int32_t launcher_pid;
	int32_t *ppids;           /* each other region's parent pid */
	size_t nppids, capppids;
	int rc;
};

/* Is `exe` a program named git (its last component)? */
static int is_git(const char *exe)
{
	const char *b = strrchr(exe, '/');

	return !strcmp(b ? b + 1 : exe, "git");
}

/* The launcher's region, r-launcher.rec (tracer/ft_launch.c). */
static int is_launcher_region(const char *file)
{
	size_t n = strlen(file);

	return n >= 15 && !strcmp(file + n - 15, "/r-launcher.rec");
}

/* A record that leaves the path with none of its earlier content: a
 * truncation, or a creation that fails if the path exists.  O_CREAT alone
 * is neither (`>>` appends to what is there).  Nor is symlink(): the link
 * is new, but a read through it reads its target (pytest's tmp_path linking
 * to a fixture), so it is kept apart (ft_acc.first_symlink). */
/* A certain creation, or a truncation: what is read afterwards is what was
 * written.  A successful O_CREAT|O_EXCL open made a new, empty file (it
 * fails on any existing name, a dangling symlink too). */
static int discards_content(const struct ft_record *r)
{
	return (r->flags & (FT_AC_TRUNC | FT_AC_EXCL)) || r->op == FT_OP_MKDIR ||
	       r->op == FT_OP_LINK_DST;
}

/* ft_acc.first_file of a record that discards content: a file made (or
 * emptied) by an open or a rename that asked nothing first. */
static uint8_t made_file_how(const struct ft_record *r)
{
	if (r->flags & FT_AC_EXCL)
		return 0;
	if (r->op == FT_OP_RENAME_DST)
		return FT_MADE_FILE;
	if ((r->op == FT_OP_OPEN || r->op == FT_OP_FOPEN || r->op == FT_OP_CREAT) &&
	    (r->flags & FT_AC_TRUNC))
		return (r->flags & FT_AC_CREATE) ? FT_MADE_FILE : FT_MADE_TRUNC;
	return 0;
}

enum { FT__TYPE_STAT = 1, FT__TYPE_LIST = 2, FT__TYPE_SCAN = 4, FT__COLLECT = 8, FT__IMPORT = 16,
       FT__PRELUDE = 32, FT__SCAN_GONE = 64 };

/* The want of an access that counts as a type only (as_type): the runner
 * walk's own (FT__SCAN_GONE), or anyone's. */
static uint32_t type_want(int type_only)
{
	return (type_only & FT__SCAN_GONE) ? FT_WANT_STYPE : FT_WANT_TYPE;
}

/* Does a successful access with these flags count as the path's type only?
 * FT__TYPE_STAT: a plain stat; FT__TYPE_LIST: a listing (with or without a
 * stat); FT__TYPE_SCAN: a runner's scan of the tree (FT_CONTEXT_SCAN),
 * whose stats, listings and reads all count so. */
static int as_type(int type_only, uint32_t f)
{
	const uint32_t st = FT_AC_STAT | FT_AC_NOFOLLOW;

	if (type_only & FT__TYPE_SCAN)
		return !(f & ~(st | FT_AC_LIST | FT_AC_READ));
	if ((type_only & FT__TYPE_STAT) && !(f & ~st))
		return 1;
	return (type_only & FT__TYPE_LIST) && (f & FT_AC_LIST) && !(f & ~(st | FT_AC_LIST));
}

/* Did context `ctx` list the directory of path `p` in a collect window
 * (FT_WANT_CLIST) before? */
static int parent_collected(const struct ft_collect *c, uint32_t ctx, const char *p, size_t len)
{
	uint32_t key[2] = { ctx, 0 }, idx;

	while (len > 1 && p[len - 1] != '/')
		len--;
	if (len > 1)
		len--; /* the slash, unless it is the root's */
	if (!ft_map_get(&c->paths, p, len, &key[1]) || !ft_map_get(&c->acc_index, key, sizeof(key), &idx))
		return 0;
	return (c->acc[idx].want & FT_WANT_CLIST) != 0;
}

/* type_only (FT__TYPE_*): the record comes from a runner's own image, whose
 * successful stats and listings are only about which tests exist (see
 * on_record): they count as "exists in some form" (FT_WANT_TYPE), not as
 * content.  FT__COLLECT: pytest's collector listing a directory
 * (FT_CONTEXT_COLLECT): a successful listing wants FT_WANT_CLIST, not
 * FT_WANT_LIST, and a successful stat of an entry of a directory it listed
 * so (pytest's own ignore check) wants FT_WANT_CTYPE; FT__IMPORT: Python's
 * import system listing a directory (FT_CONTEXT_IMPORT): FT_WANT_ILIST.
 * Everything else counts as usual. */
/*
 * A program's coverage profile merged by the compiler's runtime as the
 * program exits: gcov's (`--coverage`, `-fprofile-arcs`, `-fprofile-
 * generate`; gcc's and clang's) opens each object's `.gcda` O_RDWR|O_CREAT,
 * adds the counts there to its own and writes the sum back; LLVM's
 * (`-fprofile-instr-generate` with `%m` in LLVM_PROFILE_FILE) does the same
 * with a `.profraw`.  That read happens after the program's outcome is
 * decided (its exit status is set; only the counts written depend on it),
 * so it is no dependency, and counted as one it was read and rewritten in
 * the run: unknown, every instrumented test selected after every run.
 * Such an open is left out entirely; a read-only open (gcov, gcovr, a test
 * that checks the counts) counts as always, and finds the file changed in
 * the run (unknown) when a program rewrote it.  A program of the project
 * that opens a `.gcda` or `.profraw` so itself is taken for that runtime.
 */
static int is_profile_merge(const struct ft_record *r)
{
	static const char *const ends[] = { ".gcda", ".profraw" };
	uint32_t f = r->flags;

	if (r->op != FT_OP_OPEN || r->err ||
	    (f & (FT_AC_READ | FT_AC_WRITE | FT_AC_CREATE | FT_AC_TRUNC | FT_AC_DELETE | FT_AC_EXCL)) !=
		    (FT_AC_READ | FT_AC_WRITE | FT_AC_CREATE))
		return 0;
	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		size_t n = strlen(ends[i]);
		if (r->len > n && !memcmp(r->data + r->len - n, ends[i], n))
			return 1;
	}
	return 0;
}

/* Is `p` a `__mocks__` directory or inside one? */
static int in_mocks(const char *p, size_t len)
{
	static const char name[] = "/__mocks__";
	const size_t n = sizeof(name) - 1;

	for (size_t i = 0; i + n <= len; i++)
		if (!memcmp(p + i, name, n) && (i + n == len || p[i + n] == '/'))
			return 1;
	return 0;
}

/* Context ctx's dependency on entry `name` of the directory a scan
 * listed (r): its listing as `list` (an FT_WANT_*LIST) where it is a
 * directory now (at ingest); where there is none, its absence, or with
 * `in_parent` the scanned directory's own listing as `list`.  (A listing
 * of a name that is not there would be "changed while we looked".) */
static int scan_entry(struct ft_collect *c, uint32_t ctx, const struct ft_record *r, uint64_t t,
		      const char *name, uint32_t list, int in_parent)
{
	char buf[PATH_MAX];
	size_t n = strlen(name);
	struct stat sb;
	uint32_t path;
	struct ft_acc *a;
	int rc, dir;

	if (r->len + 1 + n >= sizeof(buf))
		return 0;
	memcpy(buf, r->data, r->len);
	buf[r->len] = '/';
	memcpy(buf + r->len + 1, name, n + 1);
	dir = lstat(buf, &sb) == 0 && S_ISDIR(sb.st_mode);
	if (!dir && in_parent)
		rc = intern_path(c, r->data, r->len, &path);
	else
		rc = intern_path(c, buf, r->len + 1 + n, &path);
	if (!dir && !in_parent)
		list = FT_WANT_ABSENT;
	if (rc < 0 || (rc = get_acc(c, ctx, path, &a)) < 0)
		return rc;
	if (!a->first_seen || t < a->first_seen)
		a->first_seen = t;
	a->want |= list;
	return 0;
}

/*
 * A listing of jest's haste-map scan (FT__TYPE_SCAN) counts as the
 * directory's type: which files exist is which tests exist, and `ftrace
 * affected --format jest` finds new ones.  But the scan also finds what
 * jest uses with no test file's lookup on disk (docs/jest.md), so the
 * context depends on two entries of each scanned directory:
 * - `__mocks__`: any `__mocks__/NAME.js` under the roots stands in for
 *   the node module NAME in every test file that requires it, with no
 *   `jest.mock()` call.  Its listing in full (a new one anywhere is a
 *   change), and a directory inside a `__mocks__` tree is listed in full
 *   too (on_access, which calls this for the other listings).
 * - `__snapshots__`: a snapshot file there without its test file fails
 *   the whole run, whichever files it runs (obsolete).  Its listing, of
 *   reader FT_READER_JEST_SNAPSHOTS, whose rule counts only such a file
 *   added; where there is none, the scanned directory's listing of that
 *   reader, whose rule counts only a `__snapshots__` added with such a
 *   file in it (runners/runner_jest_snapshots.c).
 */
static int scan_listing(struct ft_collect *c, uint32_t ctx, const struct ft_record *r, uint64_t t)
{
	int rc = scan_entry(c, ctx, r, t, "__mocks__", FT_WANT_LIST, 0);

	return rc < 0 ? rc : scan_entry(c, ctx, r, t, "__snapshots__", FT_WANT_SNLIST, 1);
}

static int on_access(struct ft_collect *c, uint32_t ctx, const struct ft_record *r, int type_only)
{
	uint32_t path;
	struct ft_acc *a;
	uint32_t mut = r->flags & (FT_AC_WRITE | FT_AC_CREATE | FT_AC_TRUNC | FT_AC_DELETE);
	uint64_t t = r->t_ns ? r->t_ns : 1;
	uint32_t want;
	int rc;

	if (is_profile_merge(r))
		return 0;
	rc = intern_path(c, r->data, r->len, &path);
	if (rc < 0)
		return rc;
	rc = get_acc(c, ctx, path, &a);
	if (rc < 0)
		return rc;
	if (!a->first_seen || t < a->first_seen)
		a->first_seen = t;
	if (!r->err && as_type(type_only, r->flags)) {
		if ((type_only & FT__TYPE_SCAN) && (r->flags & FT_AC_LIST)) {
			/* jest's manual mocks (scan_listing) */
			if (in_mocks(r->data, r->len)) {
				a->want |= FT_WANT_LIST;
				return 0;
			}
			a->want |= type_want(type_only);
			a->want_weak |= type_want(type_only);
			return scan_listing(c, ctx, r, t);
		}
		a->want |= type_want(type_only);
		a->want_weak |= type_want(type_only);
		return 0;
	}
	want = want_of(r);
	if (!r->err && (r->flags & FT_AC_EXEC)) {
		c->ctx[ctx].execed = 1;
		if (!r->t_ns)
			c->ctx[ctx].last_exec = UINT64_MAX;  /* it may have come after anything */
		else if (r->t_ns > c->ctx[ctx].last_exec)
			c->ctx[ctx].last_exec = r->t_ns;
	}
	if (!r->err && (r->flags & (FT_AC_EXEC | FT_AC_LIB)))
		a->image = 1;
	if ((type_only & FT__IMPORT) && !r->err && (want & FT_WANT_LIST))
		want = (want & ~(uint32_t)FT_WANT_LIST) | FT_WANT_ILIST;
	else if ((type_only & FT__COLLECT) && !r->err && (want & FT_WANT_LIST))
		want = (want & ~(uint32_t)FT_WANT_LIST) | FT_WANT_CLIST;
	else if ((type_only & FT__COLLECT) && !r->err && want == FT_WANT_STAT &&
		 parent_collected(c, ctx, r->data, r->len))
		want = FT_WANT_CTYPE;
	a->want |= want;
	if (want & ~(uint32_t)FT_WANT_WEAK || mut) {
		if (!a->first_strong || t < a->first_strong)
			a->first_strong = t;
	} else {
		a->want_weak |= want;
	}
	if (r->err)
		return 0;
	/* a read of the bytes in the prelude, not in an import window: not
	 * the import system's (ft_acc.data_read) */
	if ((type_only & FT__PRELUDE) && !(type_only & FT__IMPORT) && !mut && !a->image &&
	    (want & FT_WANT_CONTENT)) {
		a->data_read = 1;
		if (!a->first_data || t < a->first_data)
			a->first_data = t;
	}
	/* Records of one context come from many processes, read region by
	 * region: the earliest time, not the first seen, is what came first. */
	if (want_of(r) && (!a->first_use || t < a->first_use))
		a->first_use = t;
	/* chmod, chown: the run changed the mode, not the content (no
	 * writer: a write would make a mode change look explained).  A
	 * utime changes neither: its evidence is FT_REC_TIMES (times_record) */
	if ((r->flags & FT_AC_ATTR) && r->op != FT_OP_UTIME) {
		note_writer(&c->pinfo[path].moder, &c->pinfo[path].moders_many, ctx);
		if (!a->first_attr || t < a->first_attr)
			a->first_attr = t;
	}
	if (!mut)
		return 0;
	if (discards_content(r) && (!a->first_create || t < a->first_create)) {
		a->first_create = t;
		/* (not mkdir, which fails where the name exists too: it is
		 * mostly made idempotent, os.makedirs(exist_ok=True), `mkdir
		 * -p`, for an output directory a session makes in every fresh
		 * checkout; its absence as every test's dependency would
		 * select every test after each such recording) */
		a->first_excl = (r->flags & FT_AC_EXCL) != 0;
		a->first_file = made_file_how(r);
	}
	if (r->op == FT_OP_SYMLINK_DST && (!a->first_symlink || t < a->first_symlink))
		a->first_symlink = t;
	a->wrote = 1;
	if (r->flags & FT_AC_DELETE)
		a->deleted = 1;
	if ((r->flags & FT_AC_CREATE) && (!a->first_creat || t < a->first_creat))
		a->first_creat = t;
	if ((r->op == FT_OP_UNLINK || r->op == FT_OP_RMDIR) && (!a->first_delete || t < a->first_delete)) {
		a->first_delete = t;
		a->delete_dir = r->op == FT_OP_RMDIR;
	}
	note_writer(&c->pinfo[path].writer, &c->pinfo[path].writers_many, ctx);
	if (r->flags & FT_AC_DELETE)
		return note_dir_event(c, ctx, path, 0, t);
	if (r->flags & FT_AC_CREATE)
		return note_dir_event(c, ctx, path, 1, t);
	return 0;
}

/* A shared config file that pytest's start-up reads its own part of
 * (adapters/pytest/ftrace_pyconf.py has the same names). */
static int is_pytest_config(const char *p, size_t len)
{
	static const char *const names[] = { "/pyproject.toml", "/tox.ini", "/setup.cfg" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t n = strlen(names[i]);
		if (len > n && !memcmp(p + len - n, names[i], n))
			return 1;
	}
	return 0;
}

/* What one record wants of its path, as on_access() decides it, for
 * ft_acc.want_general: a write counts as content. */
static uint32_t use_of(const struct ft_record *r, int type_only)
{
	uint32_t w = (!r->err && as_type(type_only, r->flags)) ? type_want(type_only) : want_of(r);
	if (r->flags & (FT_AC_WRITE | FT_AC_CREATE | FT_AC_TRUNC | FT_AC_DELETE))
		w |= FT_WANT_CONTENT;
	return w;
}

/* A prelude CONTEXT that only opens or closes an import window
 * (FT_CONTEXT_IMPORT, FT_CONTEXT_IMPORT_END): it does not end a start-up. */
#define FT__WINDOWS (FT_CONTEXT_IMPORT | FT_CONTEXT_IMPORT_END)

static int is_import_window(const struct ft_record *r)
{
	return r->type == FT_REC_CONTEXT && !r->len &&
	       (r->flags & (FT_CONTEXT_IMPORT | FT_CONTEXT_IMPORT_END));
}

/* The start-up is over without its marker (or with it: confirm). */
static void startup_end(struct walk *w, int confirmed)
{
	for (size_t i = 0; i < w->npend; i++) {
		struct ft_acc *a = &w->c->acc[w->pend[i].acc];
		if (confirmed)
			a->startup = 1;
		else
			a->want_general |= w->pend[i].want;
	}
	w->npend = 0;
	w->startup = 0;
}

/* A prelude use of a shared config file: the start-up's for now, or
 * general. */
static int note_pytest_config(struct walk *w, const struct ft_record *r, int type_only)
{
	struct ft_collect *c = w->c;
	uint32_t path;
	struct ft_acc *a;
	int rc;

	if ((rc = intern_path(c, r->data, r->len, &path)) < 0 || (rc = get_acc(c, w->prelude, path, &a)) < 0)
		return rc;
	if (!w->startup) {
		a->want_general |= use_of(r, type_only);
		return 0;
	}
	if ((rc = grow((void **)&w->pend, &w->cappend, w->npend + 1, sizeof(*w->pend))) < 0)
		return rc;
	w->pend[w->npend++] = (struct pending){ (uint32_t)(a - c->acc), use_of(r, type_only) };
	return 0;
}

static const char *last_part(const char *p)
{
	const char *s = p ? strrchr(p, '/') : NULL;
	return s ? s + 1 : p ? p : "";
}

/* Is image `img` npm's, npx's, pnpm's or yarn's command (its argv[0], or
 * node's script argv[1])?  They read their configuration from every
 * variable of a prefix, by listing the environment (npm_env). */
static int is_npm(const struct ft_ptree_proc *img)
{
	static const char *const names[] = {
		"npm", "npx", "pnpm", "pnpx", "yarn", "yarnpkg", "npm-cli.js", "npx-cli.js",
		"pnpm.cjs", "pnpm.js", "pnpx.cjs", "yarn.js", "yarn.cjs",
	};

	for (int a = 0; img->argv && !img->argv_cut && a < 2 && a < img->argc; a++)
		for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
			if (!strcmp(last_part(img->argv[a]), names[k]))
				return 1;
	return 0;
}

enum lists { LISTS_NONE, LISTS_ALL, LISTS_NAMED };

/* Is image `img` env or printenv listing the environment (env with no
 * command: it prints its environment, with the assignments its
 * arguments make; printenv with no name) or printing named variables
 * (printenv NAME...)?  Both walk the environment in memory: no getenv. */
static enum lists lister(const struct ft_ptree_proc *img)
{
	const char *exe = last_part(img->exe), *a0;
	int i = 1;

	if (!img->argv || img->argv_cut || img->argc < 1)
		return LISTS_NONE;
	a0 = last_part(img->argv[0]);
	if (!strcmp(exe, "printenv") || !strcmp(a0, "printenv")) {
		while (i < img->argc && img->argv[i][0] == '-')
			i++; /* -0, --null, --: names follow */
		return i < img->argc ? LISTS_NAMED : LISTS_ALL;
	}
	if (strcmp(exe, "env") && strcmp(a0, "env"))
		return LISTS_NONE;
	for (; i < img->argc; i++) {
		const char *a = img->argv[i];
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (!strcmp(a, "-u") || !strcmp(a, "--unset") || !strcmp(a, "-C") ||
		    !strcmp(a, "--chdir")) {
			i++; /* its value */
			continue;
		}
		if (!strncmp(a, "-S", 2) || !strncmp(a, "--split-string", 14))
			return LISTS_NONE; /* a command in a string */
		if (a[0] == '-' || strchr(a, '='))
			continue;
		break;
	}
	return i < img->argc ? LISTS_NONE : LISTS_ALL;
}

/* A new region begins: its image, its context (the prelude until a
 * record says otherwise), and how its runner image's own records count. */
static int region_begin(struct walk *w, const struct ft_reclog_region *reg)
{
	struct ft_collect *c = w->c;
	const struct ft_ptree_proc *img = c->ptree ? ft_ptree_proc_of(c->ptree, reg->file) : NULL;
	int rc;

	/* A region whose first record is not a context would be attributed
	 * to the prelude, which every test depends on. */
	snprintf(w->last_file, sizeof(w->last_file), "%s", reg->file);
	if ((rc = ft_collect_ctx(c, "", 0, &w->cur)) < 0)
		return rc;
	/* Regions start small (preload/region.c): a busy image fills several,
	 * and a region without a PROC record continues the image before it
	 * (ft_ptree_proc_of maps both to the image).  Its start-up goes on
	 * across the boundary: the case that broke was pytest's start-up read
	 * of pyproject.toml landing in a second region, stored as the content
	 * of every test. */
	w->continued = img && img == w->image && img->pid == reg->hdr->pid;
	w->image = img;
	w->ignored = img && img->exe && c->ignore_program &&
		     c->ignore_program(c->ignore_arg, img->exe, strlen(img->exe));
	w->git = img && img->exe && is_git(img->exe);
	w->env_pass = img && w->passes && w->passes[img - c->ptree->procs];
	if (!w->continued)
		w->lists = img && (is_npm(img) || lister(img) != LISTS_NONE);
	if (!w->continued) {
		w->script = img && img->exe ?
			ft_script_kind_of(img->exe, img->argv && img->argc > 0 ? img->argv[0] : NULL) :
			FT_SCRIPT_NONE;
		if (!w->script && img && img->exe && img->argv &&
		    ft_script_python_bare(img->exe, img->argc, img->argv))
			w->script = FT_SCRIPT_PYBARE;
		w->script_argv = 0;
	}
	w->pid = reg->hdr->pid;
	w->in_launcher = is_launcher_region(reg->file);
	w->at_ingest = !!(reg->hdr->flags & FT_REGION_AT_INGEST);
	if (w->in_launcher) {
		w->launcher_seen = 1;
		w->launcher_pid = reg->hdr->pid;
		w->launcher_ledger = !!(reg->hdr->flags & FT_REGION_LEDGER);
	} else {
		if ((rc = grow((void **)&w->ppids, &w->capppids, w->nppids + 1, sizeof(*w->ppids))) < 0)
			return rc;
		w->ppids[w->nppids++] = reg->hdr->ppid;
	}
	w->assigned = NULL;
	w->stat_type_only = 0;
	w->policy = 0;
	w->scan = 0;
	w->collect = 0;
	w->imports = 0;
	w->build_work = 0;
	/* a start-up begins with its image's PROC record (record_startup) */
	if (!w->continued) {
		startup_end(w, 0);
		w->switched = 0;
	}
	w->first = 1;
	w->links = 0;
	w->link_many = 0;
	if (c->ptree) {
		w->assigned = ft_ptree_test_of(c->ptree, reg->file);
		/* A runner's own stats only look for files: `node --test`
		 * stats every file of the tree to match its test-file globs,
		 * ctest access()es each test's program before forking; neither
		 * reads them (the test processes do).  As content, one edited
		 * module or rebuilt test binary would be in the prelude of
		 * every test.  So a runner image's own successful stats keep
		 * only the type.  Its directory listings too: they only decide
		 * which test files exist, and new ones are found by `ftrace
		 * affected --format node` (removed ones cannot run); as a
		 * listing, adding d.test.js would select every test.
		 * NEEDSWORK: node --watch decides from mtimes. */
		w->stat_type_only = img && img->runner ? FT__TYPE_STAT | FT__TYPE_LIST : 0;
		/* A runner whose own stats are its freshness check keeps them
		 * as content (cargo: of the sources every test now depends on
		 * by dep-info, left out below, and of build.rs and
		 * rerun-if-changed files, docs/cargo.md) */
		if (img && img->runner && (img->policy & FT_POLICY_STATS_CONTENT))
			w->stat_type_only = FT__TYPE_LIST;
		/* A walk for test files whose tests run elsewhere: an entry
		 * gone since is no change to it (FT_POLICY_SCAN_GONE) */
		if (img && img->runner && (img->policy & FT_POLICY_SCAN_GONE) && img->tests_below)
			w->stat_type_only |= FT__SCAN_GONE;
		w->build_work = img && img->build_work;
		w->policy = img && img->runner ? img->policy : 0;
	}
	return 0;
}

/* The start-up of a process image: from its PROC record (the image's first
 * region; an exec'd image gets a new region, a fork child and an overflow
 * region none) in the prelude, before any switch, up to the marker. */
static void record_startup(struct walk *w, const struct ft_record *r)
{
	if (w->first) {
		w->first = 0;
		/* a process that starts inside a test has no start-up of ours;
		 * a continued region's first record restates the context */
		if (!w->continued)
			w->switched = r->type != FT_REC_CONTEXT || r->len || (r->flags & ~FT__WINDOWS);
	} else if (is_import_window(r)) {
		/* opens or closes inside the prelude: no switch */
	} else if (r->type == FT_REC_CONTEXT || r->type == FT_REC_TEST_BEGIN ||
		   r->type == FT_REC_TEST_END) {
		startup_end(w, r->type == FT_REC_CONTEXT && !r->len &&
			       (r->flags & FT_CONTEXT_STARTUP_END) && w->startup);
		w->switched = 1;
	} else if (r->type == FT_REC_PROC) {
		startup_end(w, 0);
		w->startup = !w->switched && !w->assigned;
	}
}

/* The context record r counts in, into *eff.  The prelude of a runner's
 * test process is that test's.  The test exists only if some record of it
 * was in the prelude: under `ftrace run --name N -- ctest` everything is
 * N's, and a runner test with no records would look like a test that
 * depends on nothing. */
static int effective_ctx(struct walk *w, const struct ft_record *r, uint32_t *eff)
{
	struct ft_collect *c = w->c;
	const struct ft_ptree_test *t = w->assigned;
	int rc;

	*eff = w->cur;
	/* (EXIT: only for the test's span, on_record) */
	if (!t || c->ctx[w->cur].is_test ||
	    (r->type != FT_REC_ACCESS && r->type != FT_REC_UNTRACED && r->type != FT_REC_EXIT &&
	     r->type != FT_REC_ENV))
		return 0;
	if ((rc = ft_collect_ctx(c, t->id, strlen(t->id), eff)) < 0)
		return rc;
	c->ctx[*eff].began = 1;
	c->ctx[*eff].ended = 1;
	c->ctx[*eff].outcome = t->outcome;
	c->ctx[*eff].guessed = t->guessed;
	c->ctx[*eff].runner = t->runner;
	c->ctx[*eff].own_ns = t->own_ns >= 0 ? t->own_ns + 1 : 0;
	c->ctx[*eff].untraced |= t->partial; /* a name filter ran part of it */
	c->ctx[*eff].partial |= t->partial;
	return 0;
}

/*
 * Pair link()'s two records: FT_OP_LINK_SRC, then FT_OP_LINK_DST of the
 * same call, written one after the other into the caller's region (the
 * preload, by the calling thread; the tracer, at the exit stop), never
 * left out as seen before.  The new name then leads to the source's
 * content (ft_pathinfo.link_src).  Two threads linking at once may
 * interleave their pairs: while more than one source waits, or when a
 * name comes with no source before it (the source was not nameable, an
 * ignored place, a region that ended between the two), the source is
 * unknown, and so is a read of the new name.
 */
static int pair_link(struct walk *w, const struct ft_record *r)
{
	struct ft_collect *c = w->c;
	struct ft_pathinfo *pi;
	uint32_t path, src;
	int rc = intern_path(c, r->data, r->len, &path);

	if (rc < 0)
		return rc;
	if (r->op == FT_OP_LINK_SRC) {
		if (w->links++)
			w->link_many = 1;
		else
			w->link_src = path;
		return 0;
	}
	src = w->links == 1 && !w->link_many ? w->link_src + 1 : FT_LINK_SRC_UNKNOWN;
	if (w->links && !--w->links)
		w->link_many = 0;
	if (r->err)
		return 0; /* nothing made */
	pi = &c->pinfo[path];
	pi->link_src = pi->link_src && pi->link_src != src ? FT_LINK_SRC_UNKNOWN : src;
	return 0;
}

static int env_name(struct ft_collect *c, const char *n, size_t len, uint64_t t_ns, uint32_t eff);

/* Is path p[0..len) a file named go.mod? */
static int is_go_mod(const char *p, size_t len)
{
	return len >= 7 && !memcmp(p + len - 7, "/go.mod", 7);
}

static int fold_access(struct walk *w, const struct ft_record *r, uint32_t eff)
{
	struct ft_collect *c = w->c;
	/* A runner that runs test files in its own image (jest -i): their
	 * stats and listings are the tests' own, as content.  Its scan of the
	 * tree (jest's haste map, docs/jest.md: in its own image and in the
	 * haste map's workers) is flagged instead, and what a scan saw that
	 * is gone since is no change to it (FT_READER_SCAN): what each test
	 * file loads, it reads itself, in its own context. */
	int type_only = w->scan ? FT__TYPE_SCAN | FT__SCAN_GONE :
		((w->policy & FT_POLICY_TESTS_IN_IMAGE) && c->ctx[eff].is_test) ? 0 :
		w->stat_type_only;
	int rc;

	/* Every variable read at once, where no getenv hook sees it
	 * (ft_scriptenv.h, docs/usage.md "Environment variables"): a
	 * process's environment read as a file (/proc/self/environ), which is
	 * no file dependency (ft_pseudo.h); a runtime loaded that takes the
	 * environment in from memory (the JVM, libperl, Tcl). */
	if (ft_path_is_environ(r->data, r->len))
		return env_name(c, FT_ENVDEP_WHOLE, 1, 0, eff);
	if ((r->flags & FT_AC_LIB) && !r->err && ft_script_lib_reads_all(r->data, r->len) &&
	    (rc = env_name(c, FT_ENVDEP_WHOLE, 1, 0, eff)) < 0)
		return rc;

	/* cargo: a listing finds targets only in a directory the runner named
	 * (tests/ and src/bin of a package without a build script: a new
	 * one is a new test); elsewhere it is its freshness check, which a
	 * new entry can change (a build script without rerun-if-changed, or
	 * one naming a directory, runs again; a new example fails the build
	 * of every test), so it is a listing (docs/cargo.md). */
	if ((type_only & FT__TYPE_LIST) && (w->policy & FT_POLICY_STATS_CONTENT) &&
	    r->type == FT_REC_ACCESS && (r->flags & FT_AC_LIST) &&
	    !ft_ptree_is_target_dir(c->ptree, r->data, r->len))
		type_only &= ~FT__TYPE_LIST;
	/* A go.mod a walk saw is a module's boundary: the go command skips a
	 * directory that holds one, for `./...` and for a `//go:embed` pattern
	 * alike.  Gone since, that directory's files are embedded, or its
	 * packages this module's: a change to every test whose walk saw it
	 * (a probe of real modules; t7111). */
	if ((type_only & FT__SCAN_GONE) && is_go_mod(r->data, r->len))
		type_only &= ~FT__SCAN_GONE;
	if (w->collect && eff == w->prelude)
		type_only |= FT__COLLECT;
	if (w->imports && eff == w->prelude)
		type_only |= FT__IMPORT;
	if (eff == w->prelude)
		type_only |= FT__PRELUDE;
	rc = on_access(c, eff, r, type_only);
	if (rc >= 0 && (r->op == FT_OP_LINK_SRC || r->op == FT_OP_LINK_DST))
		rc = pair_link(w, r);
	if (rc >= 0 && eff == w->prelude && is_pytest_config(r->data, r->len))
		rc = note_pytest_config(w, r, type_only);
	return rc;
}

/* Widen context id's span to the record's time (ft_ctxinfo.first_ns):
 * records of every process carry CLOCK_MONOTONIC, one clock for all. */
static void span(struct ft_collect *c, uint32_t id, const struct ft_record *r)
{
	struct ft_ctxinfo *ci = &c->ctx[id];

	if (!r->t_ns || !ci->is_test)
		return;
	if (!ci->first_ns || r->t_ns < ci->first_ns)
		ci->first_ns = r->t_ns;
	if (r->t_ns > ci->last_ns)
		ci->last_ns = r->t_ns;
}

static int fold_test_end(struct walk *w, const struct ft_record *r)
{
	struct ft_collect *c = w->c;
	struct ft_ctxinfo *ci;
	uint32_t id;
	int rc;

	if ((rc = ft_collect_ctx(c, r->data, r->len, &id)) < 0)
		return rc;
	span(c, id, r);
	ci = &c->ctx[id];
	/* Several processes may report one test: the worst outcome wins, so
	 * a test is passed only if every report passed. */
	if (!ci->ended || outcome_rank((int)r->flags) > outcome_rank(ci->outcome))
		ci->outcome = (int)r->flags;
	ci->ended = 1;
	ci->end_marked = 1;
	/* The runner's own duration (the jest adapter's perfStats): the
	 * reports of one test add up, as pytest's phases do; a record file
	 * is anyone's, so the sum saturates. */
	if (r->aux) {
		int64_t add = (int64_t)(r->aux - 1) * 1000000, cur = ci->own_ns ? ci->own_ns : 1;
		ci->own_ns = cur > INT64_MAX - add ? INT64_MAX : cur + add;
	}
	w->scan = 0;
	w->collect = 0;
	w->imports = 0;
	/* After a test ends its process returns to the prelude, or to the
	 * test its environment started (ft_record.h). */
	return ft_collect_ctx(c, "", 0, &w->cur);
}

/* FT_REC_TIMES: keep the evidence by path (ft_times.h judges it). */
static int times_record(struct ft_collect *c, const struct ft_record *r)
{
	struct ft_times_rec *tr;
	uint32_t path;
	int rc;

	/* ft_reclog checked len > sizeof(struct ft_times) */
	rc = intern_path(c, r->data + sizeof(struct ft_times), r->len - sizeof(struct ft_times), &path);
	if (rc < 0)
		return rc;
	rc = grow((void **)&c->times, &c->times_cap, c->ntimes + 1, sizeof(*c->times));
	if (rc < 0)
		return rc;
	tr = &c->times[c->ntimes++];
	tr->path = path;
	tr->t = r->t_ns;
	memcpy(&tr->v, r->data, sizeof(tr->v));
	return 0;
}

/* Context eff read variable `name` at t_ns (0: no time), once per
 * (context, name). */
static int env_name(struct ft_collect *c, const char *n, size_t len, uint64_t t_ns, uint32_t eff)
{
	uint32_t name, idx, key[2];
	int rc;

	if ((rc = ft_map_intern(&c->env_names, n, len, &name, NULL)) < 0)
		return rc;
	key[0] = eff;
	key[1] = name;
	if ((rc = ft_map_intern(&c->env_reads, key, sizeof(key), &idx, NULL)) < 0 ||
	    (rc = grow((void **)&c->env_last, &c->env_last_cap, (size_t)idx + 1, sizeof(*c->env_last))) < 0)
		return rc;
	/* (no time: it may have come after anything) */
	if ((t_ns ? t_ns : UINT64_MAX) > c->env_last[idx])
		c->env_last[idx] = t_ns ? t_ns : UINT64_MAX;
	return 0;
}

/* What npm (and npx, pnpm, yarn: they share npm's configuration) reads
 * of the environment by listing it: every npm_config_ variable, in either
 * case (@npmcli/config), and yarn's YARN_ ones.  Prefixes ("P=",
 * common/ft_envdep.h). */
static const char *const npm_env[] = { "npm_config_=", "NPM_CONFIG_=", "YARN_=", NULL };

/* FT_REC_ENV: context eff read the variable; passes: in the region of an
 * image that passes its environment on, a runner or a launcher (it is no
 * env_plain read). */
static int env_record_at(struct ft_collect *c, const char *n, size_t len, uint64_t t_ns,
			 uint32_t eff, int passes)
{
	uint32_t name, key[2];
	int rc = env_name(c, n, len, t_ns, eff);

	if (rc < 0 || passes)
		return rc;
	if (!ft_map_get(&c->env_names, n, len, &name))
		return 0;
	key[0] = eff;
	key[1] = name;
	return ft_map_intern(&c->env_plain, key, sizeof(key), &name, NULL);
}

static int env_record(struct ft_collect *c, const struct ft_record *r, uint32_t eff, int passes)
{
	return env_record_at(c, r->data, r->len, r->t_ns, eff, passes);
}

/* A read no record made (no time: it may have come after anything). */
static int env_record_name(struct ft_collect *c, const char *n, size_t len, uint32_t eff,
			   int passes)
{
	return env_record_at(c, n, len, 0, eff, passes);
}

struct script_names {
	struct ft_collect *c;
	uint32_t eff;
	int conventional;   /* only names of the conventional shape (a versioned
			     * Go module's: ft_go_env_conventional) */
};

static int script_name(void *arg, const char *name, size_t len)
{
	struct script_names *s = arg;

	if (s->conventional && !ft_go_env_conventional(name, len))
		return 0;

	/* no time: the shell expands it whenever it runs that line */
	return env_name(s->c, name, len, 0, s->eff);
}

/* The largest file of a shell or make scanned for variable references */
#define FT_SCRIPT_SCAN_MAX (1u << 20)

/* ft_namecache's scan: a shell's, make's or awk's text (ft_scriptenv.h),
 * each kind in a cache of its own (a file a shell sources and awk runs
 * holds different names for each) */
static int scan_script(void *sarg, const char *text, size_t len, ft_name_fn keep, void *kept)
{
	enum ft_script_kind k = *(const enum ft_script_kind *)sarg;

	if (k == FT_SCRIPT_GOC)
		return ft_go_env_names(text, len, keep, kept);
	return ft_script_env_names(k, text, len, keep, kept);
}

/* The largest .go file Go's compiler reads that is scanned */
#define FT_GO_SOURCE_SCAN_MAX (8u << 20)

/*
 * Go's compiler or go command reading `p` (len bytes) in a test's
 * context: a program the test builds (`go run`, `go build`), which reads
 * its environment from memory and has no test log.  Its .go files are
 * scanned for names (ft_go_envnames.h) but the standard library's
 * (GOROOT/src, GOROOT the compiler's path up to /pkg/tool/, or the go
 * command's up to /bin/go: its variables are the ptrace back end's,
 * tracer/ptrace_goenv.c), and a versioned module's ('@' in the path, the
 * module cache's MODULE@VERSION) give only conventional names.
 * 0: not scanned; 1: scanned; 2: scanned, conventional names only.
 */
static int go_source_scanned(const struct ft_ptree_proc *img, const char *p, size_t len)
{
	const char *tool = img && img->exe ? strstr(img->exe, "/pkg/tool/") : NULL;
	size_t el = img && img->exe ? strlen(img->exe) : 0;
	size_t gl = tool ? (size_t)(tool - img->exe) :
		el > 7 && !strcmp(img->exe + el - 7, "/bin/go") ? el - 7 : 0;

	if (len < 4 || memcmp(p + len - 3, ".go", 3))
		return 0;
	if (gl && len > gl + 5 && !memcmp(p, img->exe, gl) && !memcmp(p + gl, "/src/", 5))
		return 0;
	return memchr(p, '@', len) ? 2 : 1;
}

/* What the region's image reads of the environment by listing it, noted
 * at its first access (by then the region names its context): npm's
 * configuration prefixes (npm_env); env's and printenv's listing, the
 * whole environment, or the names printenv prints. */
static int lister_reads(struct walk *w, uint32_t eff)
{
	const struct ft_ptree_proc *img = w->image;
	int rc = 0;

	w->lists = 0;
	if (!img)
		return 0;
	if (is_npm(img))
		for (const char *const *v = npm_env; rc >= 0 && *v; v++)
			rc = env_name(w->c, *v, strlen(*v), 0, eff);
	switch (lister(img)) {
	case LISTS_ALL:
		if (rc >= 0)
			rc = env_record_name(w->c, FT_ENVDEP_WHOLE, 1, eff, w->env_pass);
		break;
	case LISTS_NAMED:
		for (int i = 1; rc >= 0 && i < img->argc; i++)
			if (img->argv[i][0] != '-')
				rc = env_record_name(w->c, img->argv[i], strlen(img->argv[i]), eff,
						     w->env_pass);
		break;
	case LISTS_NONE:
		break;
	}
	return rc;
}

/*
 * A shell's, make's, awk's or perl's variable reads, which no hook sees
 * (ft_scriptenv.h, docs/usage.md "Environment variables"): at its image's
 * first access, the names it reads whatever its text says (perl: all) and
 * the references in a shell's or awk's arguments (`sh -c '...'`, awk's
 * program); then the references in each file it reads (its script, what
 * it sources, the makefiles, awk's -f programs).  A shell's or make's
 * file larger than FT_SCRIPT_SCAN_MAX, or gone by now (a script a test
 * wrote, ran and removed), reads every variable ("="): its text is not
 * there to scan (awk's: none, what awk reads beside its -f programs is
 * data).  A file that is not a regular file, or a program (ELF), gives no
 * names: the file is a dependency anyway.
 */
static int script_reads(struct walk *w, const struct ft_record *r, uint32_t eff)
{
	struct script_names sn = { w->c, eff, 0 };
	const struct ft_ptree_proc *img = w->image;
	long idx;
	int rc = 0;

	/* (names and files alike at its accesses: by then the region names
	 * its context, which its first records may not yet do) */
	if (r->type != FT_REC_ACCESS)
		return 0;
	if (!w->script_argv) {
		w->script_argv = 1;
		for (const char *const *v = ft_script_implicit(w->script); rc >= 0 && *v; v++)
			rc = env_name(w->c, *v, strlen(*v), 0, eff);
		if (rc >= 0 && img && img->argv && ft_script_argv_unread(w->script, img->argc, img->argv))
			rc = env_name(w->c, FT_ENVDEP_WHOLE, 1, 0, eff);
		for (int i = 1; rc >= 0 && ft_script_scans_argv(w->script) && img && img->argv &&
				i < img->argc; i++)
			rc = ft_script_env_names(w->script, img->argv[i], strlen(img->argv[i]),
						 script_name, &sn);
		if (rc < 0)
			return rc;
	}
	if (!ft_script_scans(w->script) || r->err || !(r->flags & FT_AC_READ) ||
	    (r->flags & (FT_AC_WRITE | FT_AC_LIB | FT_AC_EXEC)) || !r->len || r->data[0] != '/')
		return 0;
	/* Go's compiler: only a build in a test's own context (the run's own
	 * build is the go runner's, per package: runners/ft_runner_go.c) */
	if (w->script == FT_SCRIPT_GOC) {
		int go = w->c->ctx[eff].is_test ? go_source_scanned(img, r->data, r->len) : 0;

		if (!go)
			return 0;
		sn.conventional = go == 2;
	}
	/* (read and scanned once however many images read it: a library every
	 * test script sources) */
	if ((idx = ft_namecache_file(&w->scripts[w->script], r->data, r->len,
				     w->script == FT_SCRIPT_GOC ? FT_GO_SOURCE_SCAN_MAX :
				     FT_SCRIPT_SCAN_MAX,
				     w->script == FT_SCRIPT_AWK || w->script == FT_SCRIPT_GOC ? NULL :
				     FT_ENVDEP_WHOLE, scan_script, &w->script)) < 0)
		return (int)idx;
	return ft_namecache_each(&w->scripts[w->script], idx, script_name, &sn);
}

/* Fold one record into context eff (or the region's context). */
static int fold_record(struct walk *w, const struct ft_record *r, uint32_t eff)
{
	struct ft_collect *c = w->c;
	uint32_t id;
	int rc = 0;

	switch (r->type) {
	case FT_REC_ACCESS:
		return fold_access(w, r, eff);
	case FT_REC_CONTEXT:
	case FT_REC_TEST_BEGIN:
		w->scan = r->type == FT_REC_CONTEXT && (r->flags & FT_CONTEXT_SCAN) && !r->len;
		w->collect = r->type == FT_REC_CONTEXT && (r->flags & FT_CONTEXT_COLLECT) && !r->len;
		w->imports = r->type == FT_REC_CONTEXT && (r->flags & FT_CONTEXT_IMPORT) && !r->len;
		rc = ft_collect_ctx(c, r->data, r->len, &w->cur);
		if (rc >= 0 && r->type == FT_REC_TEST_BEGIN && w->pid && !c->ctx[w->cur].begin_pid) {
			c->ctx[w->cur].begin_pid = w->pid;
			c->ctx[w->cur].begin_img = w->image ? (size_t)(w->image - c->ptree->procs) :
				FT_PTREE_NONE;
		}
		if (rc >= 0) {
			c->ctx[w->cur].began = 1;
			if (!w->at_ingest)
				span(c, w->cur, r);
		}
		return rc;
	case FT_REC_TEST_END:
		return fold_test_end(w, r);
	case FT_REC_TEST_UNTRACED:
		/* names its test; the region's context stays as it is */
		rc = ft_collect_ctx(c, r->data, r->len, &id);
		if (rc >= 0 && r->len) {
			c->ctx[id].began = 1;
			c->ctx[id].untraced = 1;
		}
		return rc;
	case FT_REC_TIMES:
		return times_record(c, r);
	case FT_REC_ENV:
		return env_record(c, r, eff, w->env_pass);
	case FT_REC_UNTRACED:
		if (w->in_launcher)
			w->launcher_untraced = 1;
		if (c->ctx[eff].is_test) {
			c->ctx[eff].untraced = 1;
			/* its runner ran only some of its cases (jest -t) */
			c->ctx[eff].partial |= r->flags == FT_UNTRACED_PARTIAL;
		}
		else
			c->prelude_untraced = 1;
		return 0;
	default:
		return 0;
	}
}

static int on_record(void *arg, const struct ft_reclog_region *reg, const struct ft_record *r)
{
	struct walk *w = arg;
	struct ft_collect *c = w->c;
	uint32_t id, eff;
	int rc = 0;

	if (strcmp(w->last_file, reg->file) && (rc = region_begin(w, reg)) < 0)
		goto fail;
	c->records++;
	/* What an ignored program read or looked up, and the variables it
	 * read: no dependency of anyone.  What it changed (wrote, made,
	 * removed, chmod'ed: git refreshing its index) counts as ever, as the
	 * run's own change; so do its exits, tests and contexts. */
	if (w->ignored && (r->type == FT_REC_ENV ||
			   (r->type == FT_REC_ACCESS && !(r->flags & (FT_AC_WRITE | FT_AC_CREATE |
								       FT_AC_TRUNC | FT_AC_DELETE |
								       FT_AC_ATTR)))))
		return 0;
	record_startup(w, r);
	if ((rc = effective_ctx(w, r, &eff)) < 0)
		goto fail;
	/* Build work's stats and reads of a source that each cargo test
	 * depends on through dep-info: not the prelude's (every test's). */
	if (w->build_work && r->type == FT_REC_ACCESS && !r->err && !c->ctx[eff].is_test &&
	    ft_map_get(&c->ptree->build_srcs, r->data, r->len, &id))
		return 0;
	/* A test's span: its accesses and how its processes ended (a test
	 * binary that reads its data and then computes ends long after its
	 * last access).  Not what ingest itself wrote: go's and cargo's
	 * sources, stamped when ingest named them. */
	if ((r->type == FT_REC_ACCESS || r->type == FT_REC_EXIT) && !w->at_ingest)
		span(c, eff, r);
	if (w->git && r->type == FT_REC_ACCESS && !r->err && !c->ctx[eff].is_test &&
	    r->len >= 10 && !memcmp(r->data + r->len - 10, "/.git/HEAD", 10))
		c->git_prelude = 1;
	if ((rc = fold_record(w, r, eff)) >= 0 &&
	    (!w->script || (rc = script_reads(w, r, eff)) >= 0) &&
	    (!w->lists || r->type != FT_REC_ACCESS || (rc = lister_reads(w, eff)) >= 0))
		return 0;
fail:
	w->rc = rc;
	return 1;
}

int ft_collect_run(struct ft_collect *c, const char *run_dir)
{
	struct walk w = { .c = c, .last_file = "", .cur = 0, .assigned = NULL, .rc = 0 };
	struct ft_reclog_stats st = { 0 };
	int rc;

	rc = ft_collect_ctx(c, "", 0, &w.cur);
	if (rc < 0)
		return rc;
	w.prelude = w.cur;
	if (c->ptree && c->ptree->n) {
		/* runner images and their ancestors pass their environment on */
		if (!(w.passes = calloc(c->ptree->n, 1)))
			return -ENOMEM;
		for (size_t i = 0; i < c->ptree->n; i++)
			for (size_t k = i; c->ptree->procs[i].runner && k != FT_PTREE_NONE &&
					   k < c->ptree->n && !w.passes[k];
			     k = c->ptree->procs[k].parent)
				w.passes[k] = 1;
	}
	rc = ft_reclog_each(run_dir, on_record, &w, &st);
	if (rc >= 0 && w.rc >= 0)
		startup_end(&w, 0);
	/*
	 * Records that vanished.  A test that deleted the run dir's files
	 * (`find "$FTRACE_RUN_DIR" -type f -delete`) was stored with no dependencies at
	 * all.  Two regions must exist in every launched run: the launcher's
	 * own (written before the command starts), and one of the process it
	 * started: every preloaded image writes a PROC record at start-up,
	 * and the ptrace back end one per image it traces, each in a region
	 * whose header names the launcher as parent.  The launcher says so
	 * itself when its command cannot be traced (an UNTRACED record).
	 * Missing either, records were lost: every test of the run is then
	 * untraced.  A deeper process's region that vanished is found by the
	 * ledger (ft_record.h): the launcher's region says the run keeps one.
	 */
	if (rc >= 0 && w.rc >= 0 && c->launched) {
		int child = 0;

		for (size_t i = 0; i < w.nppids && !child; i++)
			child = w.ppids[i] == w.launcher_pid;
		if (!w.launcher_seen || (!child && !w.launcher_untraced)) {
			c->lost = 1;
			c->prelude_untraced = 1;
		}
		/* Deeper: every region published in a run with a ledger is
		 * listed there, so one listed and gone was removed during the
		 * run, whichever process wrote it.  A ledger that vanished
		 * (or is no regular file, or has a line naming no region) is
		 * the same loss. */
		if (w.launcher_ledger && (!st.ledger || st.ledger_gone || st.unlisted_bad)) {
			c->lost = 1;
			c->prelude_untraced = 1;
			snprintf(c->lost_name, sizeof(c->lost_name), "%s",
				 st.ledger_gone ? st.gone_name : FT_LEDGER_NAME);
		}
	}
	free(w.pend);
	free(w.ppids);
	free(w.passes);
	for (size_t k = 0; k < sizeof(w.scripts) / sizeof(w.scripts[0]); k++)
		ft_namecache_release(&w.scripts[k]);
	c->regions = st.regions;
	c->damaged = st.damaged;
	c->refused = st.refused;
	c->unrecorded = st.unrecorded;
	c->unrecorded_err = st.unrecorded_err;
	if (st.unrecorded)
		c->prelude_untraced = 1;
	memcpy(c->refused_name, st.refused_name, sizeof(c->refused_name));
	if (w.rc < 0)
		return w.rc;
	if (rc < 0)
		return rc;
	/* Records were lost somewhere: we cannot say whose, so no test of
	 * this run may be trusted to have a complete dependency set. */
	if (st.damaged)
		c->prelude_untraced = 1;
	return apply_dir_events(c);
}

uint64_t ft_collect_tests_end(const struct ft_collect *c)
{
	uint64_t end = 0;

	for (uint32_t i = 0; i < c->ctx_ids.count; i++)
		if (c->ctx[i].is_test && c->ctx[i].last_ns > end)
			end = c->ctx[i].last_ns;
	return end;
}

/*
 * The process-tree tests (ft_ptree.h) every process of which ended with a
 * known status (an EXIT record, its own or its parent's reap): a set of
 * test ids in *over.  A test of the tree with no process of its own (go's
 * build-only packages: its records are all it has) is over too.  0 or
 * -ENOMEM.
 */
static int tree_tests_over(const struct ft_ptree *t, struct ft_map *over)
{
	uint8_t *open;
	uint32_t dummy;
	int rc = 0, ws;

	if (!t->ntests)
		return 0;
	if (!(open = calloc(t->ntests, 1)))
		return -ENOMEM;
	for (size_t i = 0; i < t->n; i++) {
		long k = t->procs[i].test;
		if (k >= 0 && (size_t)k < t->ntests && !ft_ptree_exit_of(t, i, &ws))
			open[k] = 1;
	}
	for (size_t k = 0; rc >= 0 && k < t->ntests; k++)
		if (!open[k])
			rc = ft_map_intern(over, t->tests[k].id, strlen(t->tests[k].id), &dummy, NULL);
	free(open);
	return rc < 0 ? rc : 0;
}

uint64_t ft_collect_settled(const struct ft_collect *c)
{
	struct ft_map over = FT_MAP_INIT;
	int tests = 0, have_over = 0;
	uint64_t out = 0;

	for (uint32_t i = 0; i < c->ctx_ids.count; i++) {
		size_t len;
		const char *id;
		uint32_t v;

		if (!c->ctx[i].is_test)
			continue;
		tests = 1;
		if (c->ctx[i].end_marked)
			continue;
		/* a process-tree rule's test: over when all its processes are */
		if (!c->ctx[i].runner || !c->ptree)
			goto out;
		if (!have_over) {
			if (tree_tests_over(c->ptree, &over) < 0)
				goto out;
			have_over = 1;
		}
		id = ft_map_key(&c->ctx_ids, i, &len);
		if (ft_map_get(&over, id, len, &v) != 1)
			goto out;
	}
	out = tests ? ft_collect_tests_end(c) : 0;
out:
	ft_map_release(&over);
	return out;
}

void ft_collect_release(struct ft_collect *c)
{
	ft_map_release(&c->ctx_ids);
	ft_map_release(&c->paths);
	ft_map_release(&c->acc_index);
	ft_map_release(&c->env_names);
	ft_map_release(&c->env_reads);
	ft_map_release(&c->env_plain);
	free(c->env_last);
	free(c->ctx);
	free(c->pinfo);
	free(c->acc);
	free(c->times);
	free(c->events);
	memset(c, 0, sizeof(*c));
}
