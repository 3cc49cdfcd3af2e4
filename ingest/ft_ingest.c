/*
 * ft_ingest.c - see ft_ingest.h and docs/internals.md.
 */
#include <errno.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xxhash.h>

#include "ft_adapter.h"
#include "ft_carry.h"
#include "ft_collect.h"
#include "ft_ptree.h"
#include "ft_config.h"
#include "ft_envdep.h"
#include "ft_error.h"
#include "ft_optcmp.h"
#include "ft_ingest.h"
#include "ft_kept.h"
#include "ft_store_times.h"
#include "ft_path.h"
#include "ft_pseudo.h"
#include "ft_record.h"
#include "ft_state.h"
#include "ft_times.h"
#include "ft_store_carry.h"
#include "ft_store_flaky.h"

struct depvec {
	struct ft_dep *v;
	size_t n, cap;
};

struct ingest {
	const struct ft_ingest *in;
	struct ft_store *st;
	struct ft_collect col;
	struct ft_adapter ad;
	struct ft_state *state;
	struct depvec *deps;      /* by context index */
	struct ft_map listed;     /* listings already stored (put_listings) */
	struct ft_map pyc_stems;  /* the stems (basename up to its first '.') of
				   * every .pyc path the run used: pyc_touched */
	size_t ndeps;
	const char *tmpdirs[6];   /* temporary directories (see set_tmpdirs) */
	char tmpdir_real[PATH_MAX];
	char **kept;              /* entries of them that hold what is no scratch, */
	uint8_t *kept_root;       /* each of tmpdirs[kept_root[k]] */
	size_t nkept;
	struct ft_map real;       /* paths a dependency was moved to (resolve_acc) */
	struct ft_map out_dirs;   /* (context, index in real) pairs output_dir judged */
	struct ft_map data_reads; /* prelude dependencies whose bytes were read
				   * as data (ft_acc_read_as_data): split_prelude
				   * gives them to every test */
	uint64_t tests_end;       /* ft_collect_tests_end */
	uint64_t settled;         /* ft_collect_settled */
	struct depvec leaked;     /* what a leaky test saw, its subprocesses too: every test's
				   * (note_leaked) */
	uint8_t *leaky;           /* by context: 0, 1 leaky (what it saw is every test's),
				   * 2 scoped (its own set goes to its users: store_tests) */
	int whole;                /* every process traced, nothing lost (ft_times.h) */
	struct ft_envsnap env;    /* the root environment (ft_envdep.h) */
	struct ft_map env_paths;  /* "$NAME" strings the deps point at */
	struct ft_optcmp opts;    /* the flaky rule's options (ft_optcmp.h) */
};

static int dv_push(struct depvec *dv, const char *p, size_t len, int kind, uint64_t value)
{
	if (dv->n == dv->cap) {
		size_t ncap = dv->cap ? dv->cap * 2 : 64;
		struct ft_dep *nv = realloc(dv->v, ncap * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		dv->v = nv;
		dv->cap = ncap;
	}
	dv->v[dv->n].path = p;
	dv->v[dv->n].path_len = (uint32_t)len;
	dv->v[dv->n].kind = (uint8_t)kind;
	dv->v[dv->n].value = value;
	dv->n++;
	return 0;
}

/* Is p (len bytes) `dir` itself or below it? */
static int is_under(const char *p, size_t len, const char *dir)
{
	return ft_path_under(p, len, dir);
}

/*
 * A regular file with more than one name: its inode may also be a file of
 * the repository (`ln data.txt /tmp/x` before the run, by a setup script
 * or an earlier test session), and a read of /tmp/x is then a read of
 * data.txt, which an edit in place changes (editors keep hard links: vim
 * writes in place when the file has several).  A link the run made itself
 * is paired with its source (link-from); one made before the run names no
 * source, so the scratch name itself is kept as the dependency: its
 * content is the repository file's for as long as they share the inode.
 */
static int shared_inode(const char *p, size_t len)
{
	char path[PATH_MAX];
	struct stat sb;

	if (len >= sizeof(path))
		return 0;
	memcpy(path, p, len);
	path[len] = '\0';
	return lstat(path, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_nlink > 1;
}

/* Under a temporary directory, and not in one of its entries that hold
 * something no scratch file can be (set_tmpdirs)? */
static int is_scratch(const struct ingest *g, const char *p, size_t len)
{
	for (size_t i = 0; i < sizeof(g->tmpdirs) / sizeof(g->tmpdirs[0]); i++) {
		size_t k;

		if (!is_under(p, len, g->tmpdirs[i]))
			continue;
		for (k = 0; k < g->nkept; k++)
			if (g->kept_root[k] == i && is_under(p, len, g->kept[k]))
				break;
		if (k == g->nkept)
			return 1;
	}
	return 0;
}

/* The user's "ignore" patterns of .ftrace.json, matched against the path
 * relative to the repository top (docs/hooks.md): the user's own promise
 * that those paths can change no test's outcome. */
static int user_ignored(const struct ingest *g, const char *p, size_t len)
{
	char rel[PATH_MAX];
	size_t top = strlen(g->in->repo_top);

	if (!g->in->config || !g->in->config->nignore)
		return 0;
	while (top > 0 && g->in->repo_top[top - 1] == '/')
		top--;
	if (len <= top + 1 || len - top - 1 >= sizeof(rel))
		return 0;
	memcpy(rel, p + top + 1, len - top - 1);
	rel[len - top - 1] = '\0';
	return ft_config_ignores(g->in->config, rel);
}

/* Not dependencies: ftrace's own state, kernel pseudo file systems, and
 * temporary directories, which DESIGN.md counts as outputs.  A repository
 * that itself lives in /tmp (as the test suite's scratch copies do) is
 * still recorded.  Nor are ftrace's own adapters, or pytest's own bookkeeping (.pytest_cache/v/cache:
 * lastfailed, nodeids, stepwise): pytest reads it at session start and
 * rewrites it at the end, in the same prelude, and it only decides which
 * tests run and in what order, which the recording captures anyway; as a
 * dependency it would make every test "modified during the run" each
 * time.  Values a test keeps with the `cache` fixture live elsewhere under
 * .pytest_cache/v/ and stay dependencies.  Nor are coverage.py's data
 * files (ft_adapter_is_coverage_data): removed at the start, written at the
 * end, read by coverage alone. */
/* ft_collect's ignore_program: .ftrace.json's "ignore_programs". */
static int ignore_program(void *arg, const char *exe, size_t len)
{
	return ft_config_ignores_program(arg, exe, len);
}

enum ignore_why { KEPT, IGNORED, SCRATCH };

static enum ignore_why ignore_why(const struct ingest *g, const char *p, size_t len)
{
	if (is_under(p, len, g->in->state_dir) || ft_path_is_pseudo(p, len))
		return IGNORED;
	if (g->ad.bookkeeping && is_under(p, len, g->ad.bookkeeping))
		return IGNORED;
	if (ft_adapter_is_coverage_data(&g->ad, p, len))
		return IGNORED;
	for (size_t i = 0; g->col.ptree && i < sizeof(g->col.ptree->bookkeeping) / sizeof(g->col.ptree->bookkeeping[0]); i++)
		if (is_under(p, len, g->col.ptree->bookkeeping[i]))
			return IGNORED;
	if (ft_ptree_is_own_file(g->col.ptree, p, len))
		return IGNORED;
	/* ftrace's own plugin: instrumentation, not an input of any test.  Its
	 * __pycache__ is written by whichever traced pytest imports it first,
	 * possibly another run at the same time. */
	if (is_under(p, len, g->in->own_dir))
		return IGNORED;
	/* a base temporary directory the session emptied first (pytest's
	 * --basetemp): scratch, wherever it is */
	if (ft_adapter_is_scratch_dir(&g->ad, p, len, g->in->repo_top))
		return SCRATCH;
	if (is_under(p, len, g->in->repo_top))
		return user_ignored(g, p, len) ? IGNORED : KEPT;
	return is_scratch(g, p, len) ? SCRATCH : KEPT;
}

static int ignored(const struct ingest *g, const char *p, size_t len)
{
	return ignore_why(g, p, len) != KEPT;
}

static int add_str(char ***v, size_t *n, const char *str, size_t len)
{
	char **nv = realloc(*v, (*n + 1) * sizeof(**v));

	if (!nv)
		return -ENOMEM;
	*v = nv;
	if (!(nv[*n] = strndup(str, len)))
		return -ENOMEM;
	(*n)++;
	return 0;
}

/* Add absolute path `str` and, when it differs, where it really leads. */
static int add_anchor(char ***v, size_t *n, const char *str)
{
	char real[PATH_MAX];
	size_t len = str ? strlen(str) : 0;
	long r;
	int rc;

	if (!len || str[0] != '/')
		return 0;
	if ((rc = add_str(v, n, str, len)) < 0)
		return rc;
	r = ft_path_real(str, len, real, sizeof(real));
	if (r > 0 && ((size_t)r != len || memcmp(real, str, len)))
		rc = add_str(v, n, real, (size_t)r);
	return rc;
}

/* Is p[0..len) a Python source file (.py)?  One the run read and did not
 * write is code it ran, an anchor as a program is (set_tmpdirs). */
static int is_py_source(const char *p, size_t len)
{
	return len > 3 && !memcmp(p + len - 3, ".py", 3) && p[len - 4] != '/';
}

static void free_strs(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/*
 * The temporary directories whose paths are scratch: /tmp, /var/tmp,
 * /dev/shm, /run/user, and $TMPDIR, as named and where it leads.
 *
 * A temporary directory must not take with it what tests depend on.
 * TMPDIR=/ made every path outside the repository scratch, the interpreter
 * and its standard library included; TMPDIR=$HOME would do the same to
 * every package installed with `pip --user`.  The anchors are what no
 * scratch can hold: the repository, the state dir, ftrace's own files, the
 * current directory, $HOME, a program or library the run exec'd or mapped
 * and did not make itself, a Python source it read and did not write (a
 * module imported from /tmp/dep through `pythonpath`, a `.pth` or an
 * editable install: its edit selected nothing before, a probe of a real
 * setup), and the system directories.  $TMPDIR does not
 * count if it is `/`, an anchor, or a system directory.  Otherwise, as in
 * the fixed ones, an anchor below it is not scratch: a place (the project
 * when TMPDIR is an ancestor of it) as itself, a program or library as the
 * whole entry of the temporary dir that holds it (a virtualenv in
 * /tmp/venv whose python the tests ran, a CARGO_TARGET_DIR of
 * /tmp/target).  Everything else there (Python's tempfile probes, pytest's
 * basetemp, a jest cache next to the project) is scratch.
 */
static int set_tmpdirs(struct ingest *g)
{
	static const char *const system_dirs[] = {
		"/usr", "/etc", "/opt", "/bin", "/sbin", "/lib", "/lib64", "/var/lib", "/nix",
	};
	const char *env = getenv("TMPDIR");
	char **anchor = NULL, cwd[PATH_MAX];
	size_t nanchor = 0, nplaces;
	uint8_t *seen = NULL;
	int rc;

	g->tmpdirs[2] = "/tmp";
	g->tmpdirs[3] = "/var/tmp";
	g->tmpdirs[4] = "/dev/shm";
	g->tmpdirs[5] = "/run/user";
	if ((rc = add_anchor(&anchor, &nanchor, g->in->repo_top)) < 0 ||
	    (rc = add_anchor(&anchor, &nanchor, g->in->state_dir)) < 0 ||
	    (rc = add_anchor(&anchor, &nanchor, g->in->own_dir)) < 0 ||
	    (rc = add_anchor(&anchor, &nanchor, getcwd(cwd, sizeof(cwd)))) < 0 ||
	    (rc = add_anchor(&anchor, &nanchor, getenv("HOME"))) < 0)
		goto out;
	nplaces = nanchor;
	if (!(seen = calloc(g->col.paths.count ? g->col.paths.count : 1, 1))) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < g->col.nacc; i++) {
		const struct ft_acc *a = &g->col.acc[i];
		size_t len;
		const char *p;

		if (seen[a->path] || g->col.pinfo[a->path].writer != FT_CTX_NONE)
			continue;
		p = ft_map_key(&g->col.paths, a->path, &len);
		if (!a->image && !((a->want & FT_WANT_CONTENT) && is_py_source(p, len)))
			continue;
		seen[a->path] = 1;
		if (len < PATH_MAX && (rc = add_anchor(&anchor, &nanchor, p)) < 0)
			goto out;
	}
	if (env && env[0] == '/') {
		long r = ft_path_real(env, strlen(env), g->tmpdir_real, sizeof(g->tmpdir_real));
		const char *cand[2] = { env, r > 0 ? g->tmpdir_real : NULL };
		int ok = 1;

		for (size_t c = 0; c < 2 && ok; c++) {
			size_t cl = cand[c] ? strlen(cand[c]) : 0;

			while (cl > 1 && cand[c][cl - 1] == '/')
				cl--;
			ok = !cand[c] || cl > 1;  /* never "/" */
			for (size_t k = 0; cand[c] && k < nanchor && ok; k++)
				ok = !(is_under(anchor[k], strlen(anchor[k]), cand[c]) &&
				       is_under(cand[c], cl, anchor[k]));
			for (size_t k = 0; cand[c] && k < sizeof(system_dirs) / sizeof(system_dirs[0]) && ok; k++)
				ok = !is_under(system_dirs[k], strlen(system_dirs[k]), cand[c]);
		}
		if (ok) {
			g->tmpdirs[0] = cand[0];
			g->tmpdirs[1] = cand[1];
		}
	}
	for (size_t i = 0; i < sizeof(g->tmpdirs) / sizeof(g->tmpdirs[0]); i++) {
		const char *root = g->tmpdirs[i];
		size_t rl = root ? strlen(root) : 0;

		while (rl > 1 && root[rl - 1] == '/')
			rl--;
		for (size_t k = 0; root && k < nanchor; k++) {
			const char *a = anchor[k], *e;
			size_t al = strlen(a);

			if (!is_under(a, al, root))
				continue;
			/* a program in the project (node_modules/x.node, a test
			 * binary) is kept with the project, no more */
			for (size_t j = 0; k >= nplaces && j < nplaces && a; j++)
				if (is_under(a, al, anchor[j]))
					a = NULL;
			if (!a)
				continue;
			/* a place: itself; a program or library: the root's entry
			 * that holds it, root/<first name> (a virtualenv's lib/
			 * is a sibling of its bin/) */
			e = k >= nplaces && al > rl + 1 ? strchrnul(a + rl + 1, '/') : a + al;
			uint8_t *nr = realloc(g->kept_root, g->nkept + 1);
			if (!nr) {
				rc = -ENOMEM;
				goto out;
			}
			g->kept_root = nr;
			nr[g->nkept] = (uint8_t)i;
			if ((rc = add_str(&g->kept, &g->nkept, a, (size_t)(e - a))) < 0)
				goto out;
		}
	}
	rc = 0;
out:
	free(seen);
	free_strs(anchor, nanchor);
	return rc;
}

static int64_t ts_ns(struct timespec ts)
{
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int modified_since(const struct stat *sb, int64_t t0)
{
	return ts_ns(sb->st_mtim) >= t0 || ts_ns(sb->st_ctim) >= t0;
}

static int same_stat(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       ts_ns(a->st_mtim) == ts_ns(b->st_mtim) && ts_ns(a->st_ctim) == ts_ns(b->st_ctim) &&
	       a->st_mode == b->st_mode;
}

static int ends_with(const char *p, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && !memcmp(p + len - n, suffix, n);
}

/* CPython's bytecode cache: a .pyc, a __pycache__ directory, or a file in
 * one (x.pyc's temporary name before its rename). */
static int is_bytecode_cache(const char *p, size_t len)
{
	static const char dir[] = "/__pycache__", in_dir[] = "/__pycache__/";

	return ends_with(p, len, ".pyc") || ends_with(p, len, dir) ||
	       memmem(p, len, in_dir, sizeof(in_dir) - 1) != NULL;
}

/* A cache its writer makes as it goes, whose making is no test's input: a
 * bytecode cache, a library's store the adapter names, a report the runner
 * writes (ft_adapter_is_library_store, ft_adapter_is_runner_output). */
static int made_as_it_goes(const struct ingest *g, const char *p, size_t len)
{
	return is_bytecode_cache(p, len) || ft_adapter_is_library_store(&g->ad, p, len) ||
	       ft_adapter_is_runner_output(&g->ad, p, len);
}

/*
 * A path this test used was modified during the run (mtime or ctime >= t0).
 * May the state the run left stand for what the test saw?  Only when it is
 * what the test will see again and what it saw cannot matter:
 *
 *  - File content: never, except a CPython bytecode cache and a cache a
 *    library writes back.  A test that reads state.txt and appends to it
 *    reads another version next time and may behave differently
 *    (DESIGN.md: modified during the recording means unknown).  A stale
 *    `__pycache__/x.pyc` that Python read, discarded and rewrote is
 *    different: it is derived from x.py, whose state is itself a
 *    dependency, so its new content is all a later run can see.  So is a
 *    file the adapter names (ft_adapter_is_rewritten_cache: Hypothesis's
 *    codec tables), which the library wrote again, in the same call, with
 *    exactly what it had read and used: what a later run reads there is
 *    what this one used.  Both only when the context that read it alone
 *    wrote it.
 *  - Directory listings: when the changes are the test's own (it listed a
 *    directory, then wrote files into it), or no net change (runner caches,
 *    entries made and removed), or, for a listing of a reader (`reader`
 *    of the kind code, 0 anyone), when each entry the run made or removed
 *    there is, by itself, none to that reader (dir_unread_by: a test that
 *    leaves `res.txt` or `test.db` in a directory on sys.path, whose
 *    listing the import system made before, changed no name it can
 *    import; the listing it left differs from the one it saw by such
 *    names alone, and selection judges each later change of it by the
 *    same rule).  NEEDSWORK: a test whose outcome depends on a listing it
 *    then extends is recorded with the listing it left.
 */
static int run_change_is_benign(const struct ingest *g, const struct ft_pathinfo *pi, uint32_t ctx,
				int listing, int reader, const char *p, size_t len)
{
	static const char cachedir[] = "/__pycache__/";

	if (listing) {
		if (pi->dir_changer == FT_CTX_NONE)
			return pi->dir_neutral_change; /* no net change by the run; else an outside change */
		if (reader > 0 && reader < 8 && (pi->dir_unread_by & (1u << reader)))
			return 1;
		return pi->dir_changer == ctx && !pi->dir_changers_many;
	}
	if (pi->writer != ctx || pi->writers_many)
		return 0;
	return (ends_with(p, len, ".pyc") && memmem(p, len, cachedir, sizeof(cachedir) - 1) != NULL) ||
	       ft_adapter_is_rewritten_cache(&g->ad, p, len);
}

/* Did context ctx alone make the run's recorded changes of this path (its
 * content, or its entries)? */
static int own_change(const struct ft_pathinfo *pi, uint32_t ctx)
{
	int wrote = pi->writer != FT_CTX_NONE, listed = pi->dir_changer != FT_CTX_NONE;

	return (wrote || listed) && (!wrote || (pi->writer == ctx && !pi->writers_many)) &&
	       (!listed || (pi->dir_changer == ctx && !pi->dir_changers_many));
}

/*
 * The run changed path p only by setting its times, and that is all that
 * changed it since t0 (ft_times.h; docs/racy-stat.md, "A run's own
 * utime"): what its readers saw is what is there now.  No record of any
 * other change (a write, a chmod: those move ctime, and the evidence
 * would not chain anyway), and no process that could have changed it
 * without a record.
 */
static int times_only_change(const struct ingest *g, const char *p, size_t len,
			     const struct ft_pathinfo *pi, const struct stat *sb)
{
	uint32_t idx;

	if (!g->whole || pi->writer != FT_CTX_NONE || pi->moder != FT_CTX_NONE ||
	    pi->dir_changer != FT_CTX_NONE || pi->link_src)
		return 0;
	return ft_map_get(&g->col.paths, p, len, &idx) == 1 &&
	       ft_times_only(&g->col, idx, p, sb, g->in->t0_ns);
}

/*
 * A type or mode (TYPE, LTYPE, CTYPE) the test saw, of an inode changed
 * since t0 (mtime or ctime): the mode may have changed after the access
 * (`chmod a-w f` by another test), and the mode now would stand for the one
 * it saw.  Which changes cannot have touched the mode?
 *
 *  - The test's own (it wrote into a directory it stat'ed, as the test's
 *    own listing changes; its own chmod after the check is a recorded
 *    mode change, below).
 *  - Changes the run's traced processes made to the content or entries,
 *    when they came last: a write or an entry added sets mtime and ctime
 *    alike; chmod, chown or a new hard link moves only ctime.  So with
 *    mtime == ctime, a traced content write (a file) or entry change (a
 *    directory, caches and transient entries included) explains it.
 *    A chmod or chown the run made (FT_AC_ATTR: the preload and the
 *    tracer record them) rules this out: the mode is unknown, unless the
 *    test made the change itself before its first use (its output).
 *  - A directory whose entries a process outside the run changed, when
 *    that came last (mtime == ctime) and the directory is older than the
 *    run (its birth time, statx, is before t0): an entry added or removed
 *    changes neither type nor mode.  The directories every test resolves
 *    on its way ($HOME, the directory holding ftrace's own files, a
 *    shared cache) gain and lose entries all the time; counting that
 *    made every test of the run unknown, so selected again at once.  A
 *    directory made during the run (removed and made again, with another
 *    mode) is unknown; so is any directory where the file system gives
 *    no birth time.  A recorded chmod rules this out as above.
 *
 * Anything else (an outside chmod, a file an outside process wrote) is
 * unknown.
 */
static int born_before(const char *p, int nofollow, const struct stat *sb, int64_t t0_ns)
{
	struct statx stx;

	if (statx(AT_FDCWD, p, nofollow ? AT_SYMLINK_NOFOLLOW : 0, STATX_BTIME | STATX_INO, &stx) < 0 ||
	    !(stx.stx_mask & STATX_BTIME) || stx.stx_ino != sb->st_ino)
		return 0;
	return (int64_t)stx.stx_btime.tv_sec * 1000000000 + stx.stx_btime.tv_nsec < t0_ns;
}

static int type_change_is_benign(const struct ft_pathinfo *pi, const struct ft_acc *a,
				 const struct stat *sb, const char *p, int nofollow, int64_t t0_ns)
{
	uint32_t ctx = a->ctx;

	/* The run changed the mode (chmod, chown): what the test saw may be
	 * another mode, whatever came after.  Only the test's own change made
	 * before its first use is what it saw (its output). */
	if (pi->moder != FT_CTX_NONE)
		return pi->moder == ctx && !pi->moders_many && a->first_attr && a->first_use &&
		       a->first_attr <= a->first_use;
	if (own_change(pi, ctx))
		return 1;
	if (ts_ns(sb->st_mtim) != ts_ns(sb->st_ctim))
		return 0;
	if (S_ISDIR(sb->st_mode))
		return pi->dir_changer != FT_CTX_NONE || pi->dir_neutral_change ||
		       born_before(p, nofollow, sb, t0_ns);
	return pi->writer != FT_CTX_NONE;
}

/*
 * A collected type (CTYPE) whose inode changed since t0, when its name
 * still holds the inode it held before the run.  pytest's collection walk
 * asks of an entry only what it is (a directory to descend, a file whose
 * name may match), never its mode, and an inode's type never changes: so
 * while the entry's parent directory has not changed since before t0 (no
 * entry was made, removed or renamed there during the run, and nothing
 * set its times back: mtime and ctime both before t0), the name led to
 * this inode at the walk, and its type then was its type now.  The entry
 * must not be a symlink (its target's name could have changed).  The case:
 * jinja's test_loader touches a template (os.utime) that the walk of
 * tests/ stat'ed, which made a state of the shared prelude unknown and
 * selected all 911 tests after every run.  The mode stored is the one
 * now; a later mode change is a change of this state (selected), never a
 * miss, as the walk cannot see a mode.
 */
static int ctype_binding_unchanged(const char *p, size_t len, const struct stat *lsb, int64_t t0_ns)
{
	char parent[PATH_MAX];
	const char *slash = memrchr(p, '/', len);
	struct stat psb;

	if (S_ISLNK(lsb->st_mode) || !slash || (size_t)(slash - p) + 2 > sizeof(parent))
		return 0;
	memcpy(parent, p, (size_t)(slash - p));
	parent[slash > p ? slash - p : 1] = '\0';
	if (slash == p)
		parent[0] = '/';
	return stat(parent, &psb) == 0 && S_ISDIR(psb.st_mode) && !modified_since(&psb, t0_ns);
}

/* The run's changes of the place p leads to: pi, unless p names it by
 * another name (`sub/..`, a symlink) and the changes were recorded under
 * the real one (creates are noted against the parent's text).  A
 * recursive make's sub-make lists $(top_srcdir) as `one/..`: without this
 * Automake's test-suite.log at the top would make that listing unknown
 * for ever. */
static const struct ft_pathinfo *real_info(const struct ingest *g, const char *p, size_t len,
					   const struct ft_pathinfo *pi)
{
	char real[PATH_MAX];
	uint32_t idx;
	long n;

	if (pi->writer != FT_CTX_NONE || pi->dir_changer != FT_CTX_NONE || pi->dir_neutral_change ||
	    pi->moder != FT_CTX_NONE)
		return pi;
	n = ft_path_is_proc_relative(p, len) ? -1 : ft_path_real(p, len, real, sizeof(real));
	if (n < 0 || ((size_t)n == len && !memcmp(real, p, len)))
		return pi;
	return ft_map_get(&g->col.paths, real, (size_t)n, &idx) == 1 ? &g->col.pinfo[idx] : pi;
}

/*
 * A chmod or chown noted under another name than the path's real one (a
 * symlink to it, `d/.`): note it under the real name as well, so that a
 * stat of the real name sees it (real_info looks the other way, from a
 * name with no changes to its real one).  Only the paths the run changed
 * the mode of are resolved: a few lookups.
 */
static void spread_mode_changes(struct ingest *g)
{
	for (uint32_t i = 0; i < g->col.paths.count; i++) {
		const struct ft_pathinfo *pi = &g->col.pinfo[i];
		struct ft_pathinfo *ri;
		char real[PATH_MAX];
		const char *p;
		size_t len;
		uint32_t idx;
		long n;

		if (pi->moder == FT_CTX_NONE)
			continue;
		p = ft_map_key(&g->col.paths, i, &len);
		n = ft_path_is_proc_relative(p, len) ? -1 : ft_path_real(p, len, real, sizeof(real));
		if (n < 0 || ((size_t)n == len && !memcmp(real, p, len)) ||
		    ft_map_get(&g->col.paths, real, (size_t)n, &idx) != 1 || idx == i)
			continue;
		ri = &g->col.pinfo[idx];
		if (ri->moder == FT_CTX_NONE)
			ri->moder = pi->moder;
		else if (ri->moder != pi->moder)
			ri->moders_many = 1;
		if (pi->moders_many)
			ri->moders_many = 1;
	}
}

static int is_type_kind(int kind)
{
	return ft_dep_base(kind) == FT_DEP_TYPE || kind == FT_DEP_LTYPE;
}

/* decide()'s slots, in the order it stores them: the plain kinds, then
 * the listings and entry stats of a context's reader (FT_WANT_CLIST,
 * FT_WANT_ILIST, FT_WANT_CTYPE), a runner walk's entry stats
 * (FT_WANT_STYPE) and jest's snapshot directories (FT_WANT_SNLIST):
 * common/ft_record.h, enum ft_reader_id. */
enum {
	SLOT_CLIST = FT_DEP_LAST + 1,
	SLOT_ILIST,
	SLOT_CTYPE,
	SLOT_STYPE,
	SLOT_SNLIST,
	SLOT_LAST = SLOT_SNLIST,
};

/* The kind code slot `slot` stores (store/ft_state.h). */
static int slot_code(int slot)
{
	switch (slot) {
	case SLOT_CLIST: return ft_dep_code(FT_DEP_LIST, FT_READER_COLLECT);
	case SLOT_ILIST: return ft_dep_code(FT_DEP_LIST, FT_READER_IMPORT);
	case SLOT_CTYPE: return ft_dep_code(FT_DEP_TYPE, FT_READER_COLLECT);
	case SLOT_STYPE: return ft_dep_code(FT_DEP_TYPE, FT_READER_SCAN);
	case SLOT_SNLIST: return ft_dep_code(FT_DEP_LIST, FT_READER_JEST_SNAPSHOTS);
	default: return slot;
	}
}

#define KBIT(k) (1u << (k))

/* The stem of the basename of `p`: up to its first '.' (*n bytes). */
static const char *stem_of(const char *p, size_t len, size_t *n)
{
	const char *b = memrchr(p, '/', len), *dot;

	b = b ? b + 1 : p;
	dot = memchr(b, '.', len - (size_t)(b - p));
	*n = dot ? (size_t)(dot - b) : len - (size_t)(b - p);
	return b;
}

/* Note the stems of the .pyc paths of the run (any use, any context). */
static int load_pyc_stems(struct ingest *g)
{
	for (uint32_t i = 0; i < g->col.paths.count; i++) {
		size_t len, n;
		const char *p = ft_map_key(&g->col.paths, i, &len), *s;
		uint32_t v;
		int added, rc;
		if (!ends_with(p, len, ".pyc"))
			continue;
		s = stem_of(p, len, &n);
		if ((rc = ft_map_intern(&g->pyc_stems, s, n, &v, &added)) < 0)
			return rc;
	}
	return 0;
}

/* Did the run use a bytecode file that may be this .py file's (the same
 * stem: `x.cpython-311.pyc`, pytest's `x.cpython-311-pytest-8.3.2.pyc`, in
 * __pycache__ or under PYTHONPYCACHEPREFIX)?  Any other way of making a
 * module from the file reads the file itself. */
static int pyc_touched(const struct ingest *g, const char *p, size_t len)
{
	size_t n;
	const char *s = stem_of(p, len, &n);
	uint32_t v;

	return ft_map_get(&g->pyc_stems, s, n, &v) == 1;
}

/*
 * May a stat of this regular file count as its type only, not its content?
 *
 * By default a stat counts as content (see kinds_for).  pytest's collection
 * walk stats every file under the collected directories, tests/data/table.csv
 * included, only to learn whether it is a file or a directory, and passes it
 * to pytest_collect_file.  As content, every data file in the tree would land
 * in the prelude, and one edited CSV would select every test.  So in a
 * pytest session's prelude, a file the plugin saw collection look at
 * (collect_stat_files: no compiled code, never a project module) that the
 * prelude only stat'ed (never read, executed or listed) keeps only its type.
 *
 * So does a report the runner writes, whose value pytest's argument check
 * only asked "is it a directory?" (ft_adapter_is_runner_output:
 * --junitxml), when the prelude only stat'ed it.
 *
 * A .py file too (a test module that a partial run's walk passed by), if
 * the run used no bytecode file of its stem: CPython decides whether a
 * .pyc is valid from the .py's stat alone and then reads only the .pyc, so
 * a module made from the file would show as that .pyc's use.  Without
 * one, and without a read, no module was made from it in the session.
 *
 * NEEDSWORK: a session fixture or conftest hook that decides something from
 * the size or mtime of one of those same files, without reading it, is
 * missed.
 */
static int stat_is_type_only(const struct ingest *g, const struct ft_acc *a, const char *p,
			     size_t len)
{
	if (a->ctx != 0 || !g->ad.present || !g->ad.split)
		return 0;
	if (a->want & (FT_WANT_CONTENT | FT_WANT_LIST | FT_WANT_CLIST | FT_WANT_ILIST | FT_WANT_SNLIST |
		       FT_WANT_LINK))
		return 0;
	if (ft_adapter_is_runner_output(&g->ad, p, len))
		return 1;
	if (!ft_adapter_is_collect_stat(&g->ad, p, len) || ft_adapter_is_project(&g->ad, p, len))
		return 0;
	return !ends_with(p, len, ".py") || !pyc_touched(g, p, len);
}

/* A prelude dependency on a pyproject.toml that only a runner's start-up
 * read (FT_CONTEXT_STARTUP_END, ft_collect.h) is a dependency on the part
 * of it the start-up reads: a FILE of reader FT_READER_CONFIG instead of
 * anyone's (pytest's row says what a change of it is).  Any
 * other use keeps it FILE, except the ones that would not have made it
 * content on their own: a failed lookup's "exists", and pytest's collection
 * walk stat'ing the files of a collected directory (stat_is_type_only). */
static int is_pyconf(const struct ingest *g, const struct ft_acc *a, const char *p, size_t len)
{
	uint32_t allowed = FT_WANT_TYPE | FT_WANT_STYPE;

	if (a->ctx != 0 || !a->startup || a->wrote || a->first_create)
		return 0;
	if (g->ad.present && g->ad.split && ft_adapter_is_collect_stat(&g->ad, p, len))
		allowed |= FT_WANT_STAT;
	return !(a->want_general & ~allowed);
}

static unsigned kinds_for(const struct ft_acc *a, int have, const struct stat *sb,
			  const struct stat *lsb, int type_only)
{
	unsigned k = 0;
	uint32_t w = a->want;

	if (w & FT_WANT_ABSENT && !a->first_create)
		k |= KBIT(FT_DEP_ABSENT);
	if (w & FT_WANT_CONTENT) {
		if (!have)
			k |= KBIT(FT_DEP_UNKNOWN); /* a link that dangles now */
		else if (S_ISDIR(sb->st_mode))
			k |= KBIT(FT_DEP_LIST);
		else if (S_ISREG(sb->st_mode))
			k |= KBIT(FT_DEP_FILE);
		else
			k |= KBIT(FT_DEP_TYPE);
	}
	/* A stat of a regular file counts as its content: CPython decides
	 * whether a .pyc is valid from the .py's stat alone, so an edited
	 * source is seen only through the stat (DESIGN.md). */
	if (w & FT_WANT_STAT)
		k |= (have && S_ISREG(sb->st_mode) && !type_only) ? KBIT(FT_DEP_FILE) : KBIT(FT_DEP_TYPE);
	if (w & FT_WANT_LSTAT) {
		k |= KBIT(FT_DEP_LTYPE);
		if (S_ISREG(lsb->st_mode) && !type_only)
			k |= KBIT(FT_DEP_FILE);
	}
	if (w & FT_WANT_LIST)
		k |= KBIT(FT_DEP_LIST);
	if (w & FT_WANT_CLIST)
		k |= KBIT(SLOT_CLIST);
	if (w & FT_WANT_ILIST)
		k |= KBIT(SLOT_ILIST);
	if (w & FT_WANT_CTYPE)
		k |= KBIT(SLOT_CTYPE);
	if (w & FT_WANT_STYPE)
		k |= KBIT(SLOT_STYPE);
	if (w & FT_WANT_SNLIST)
		k |= KBIT(SLOT_SNLIST);
	if (w & FT_WANT_LINK)
		k |= KBIT(FT_DEP_LINK);
	if (w & FT_WANT_TYPE)
		k |= KBIT(FT_DEP_TYPE);
	if (w & FT_WANT_LTYPE)
		k |= KBIT(FT_DEP_LTYPE);
	return k;
}

/* The dependencies of access `a` on path p (its own, or where it leads:
 * resolve_acc), whose run-wide changes `pi` describes. */
static int decide(struct ingest *g, const struct ft_acc *a, const char *p, size_t len,
		  const struct ft_pathinfo *pi)
{
	struct depvec *dv = &g->deps[a->ctx];
	struct stat sb, lsb, after;
	unsigned kinds;
	int have, mod, late, pyconf, rc;

	/* sources whose records each test has of its own (go test's package
	 * sources, docs/go.md): the build's reads of them are not every test's */
	if (a->ctx == 0 && ft_ptree_is_test_src(g->col.ptree, p, len))
		return 0;
	if (a->ctx == 0 && ft_acc_read_as_data(a, g->tests_end)) {
		uint32_t v;
		int added;
		if ((rc = ft_map_intern(&g->data_reads, p, len, &v, &added)) < 0)
			return rc;
	}
	/* One stat when it finds the path and no lstat was wanted; the lstat
	 * tells a dangling link from nothing at all.  A path only ever seen
	 * absent is lstat'ed alone. */
	have = (a->want & ~(uint32_t)FT_WANT_ABSENT) && stat(p, &sb) == 0;
	if (have && !(a->want & (FT_WANT_LSTAT | FT_WANT_LTYPE)))
		lsb = sb;
	else if (lstat(p, &lsb) < 0) {
		/* Gone.  If the test only ever saw it absent, that is what it
		 * depends on; if it saw it exist, the run removed it (or the
		 * world did) and we cannot know what the test would do now. */
		if (a->want & ~(uint32_t)FT_WANT_ABSENT)
			return dv_push(dv, p, len, FT_DEP_UNKNOWN, FT_VALUE_UNKNOWN);
		return dv_push(dv, p, len, FT_DEP_ABSENT, 0);
	} else if (!(a->want & ~(uint32_t)FT_WANT_ABSENT)) {
		have = stat(p, &sb) == 0;
	}
	kinds = kinds_for(a, have, &sb, &lsb, stat_is_type_only(g, a, p, len));
	mod = modified_since(&lsb, g->in->t0_ns) || (have && modified_since(&sb, g->in->t0_ns));
	/* Changed after the command ended (a save done later by `ftrace
	 * ingest`, or an edit while saving): not what any test left, so never
	 * the test's own benign change. */
	late = g->in->run.finished_ns > 0 &&
	       (ts_ns(lsb.st_mtim) > g->in->run.finished_ns || ts_ns(lsb.st_ctim) > g->in->run.finished_ns ||
		(have && (ts_ns(sb.st_mtim) > g->in->run.finished_ns ||
			  ts_ns(sb.st_ctim) > g->in->run.finished_ns)));
	pyconf = (kinds & KBIT(FT_DEP_FILE)) && is_pyconf(g, a, p, len);

	/* `dep` is what is stored: the loop's kind, or UNKNOWN in its place.
	 * (The loop variable itself must not become UNKNOWN: UNKNOWN is below
	 * the reader slots, and the loop would come back to them for ever.) */
	for (int slot = FT_DEP_FILE, unknown = 0; slot <= SLOT_LAST; slot++) {
		uint64_t value = FT_VALUE_UNKNOWN;
		int kind = slot_code(slot);
		int listing = ft_dep_is_listing(kind), dep = kind, read;

		if (!(kinds & KBIT(slot)))
			continue;
		/* The stat above serves the observation of a file or listing:
		 * a value the stat cache gives for exactly that stat needs no
		 * look at the path again (read stays 0). */
		read = 1;
		if (kind != FT_DEP_UNKNOWN) {
			/* (a kind other than a file or listing: a plain observation) */
			if (have)
				rc = ft_state_observe_stat(g->state, p, (enum ft_dep_kind)kind, &sb,
							   &value, &read);
			else
				rc = ft_state_observe(g->state, p, (enum ft_dep_kind)kind, &value, NULL);
			if (rc < 0)
				return rc;
		}
		if ((kind == FT_DEP_FILE || kind == FT_DEP_LINK || listing) && mod &&
		    (late || !run_change_is_benign(g, listing ? real_info(g, p, len, pi) : pi, a->ctx, listing,
						   ft_dep_reader(kind), p, len)) &&
		    (late || kind != FT_DEP_FILE || !have || !times_only_change(g, p, len, pi, &sb)))
			dep = FT_DEP_UNKNOWN;
		/* The state seen at the access, for every kind (DESIGN.md):
		 * seen absent and there now means created during the run, by
		 * another test or an outside process (the test's own creation
		 * before the lookup made it its output above) ... */
		if (kind == FT_DEP_ABSENT && value != 0 && (late || !own_change(pi, a->ctx)))
			dep = FT_DEP_UNKNOWN;
		/* ... and a type or mode whose inode changed since t0.  (Not
		 * a runner walk's (SLOT_STYPE): which entries it found is
		 * known by other means, each file it ran by that test's own
		 * records and each new one by the news step, so the type it
		 * keeps is what is there now; a `git status` beside a
		 * recording rewrote .git/index, and every node test was
		 * "unknown at recording".) */
		if (is_type_kind(kind) && slot != SLOT_STYPE) {
			const struct stat *ts = kind == FT_DEP_LTYPE || !have ? &lsb : &sb;
			if (modified_since(ts, g->in->t0_ns) &&
			    (late || !type_change_is_benign(real_info(g, p, len, pi), a, ts, p,
							    ts == &lsb, g->in->t0_ns)) &&
			    (late || !times_only_change(g, p, len, pi, ts)) &&
			    (slot != SLOT_CTYPE || late ||
			     !ctype_binding_unchanged(p, len, &lsb, g->in->t0_ns)))
				dep = FT_DEP_UNKNOWN;
		}
		/* Changed while we looked: the value may not be what it was.
		 * (A value the cache gave for sb is sb's, whatever came after.) */
		if (dep == FT_DEP_FILE || (dep != FT_DEP_UNKNOWN && listing)) {
			if (!have || (read && (stat(p, &after) < 0 || !same_stat(&sb, &after))))
				dep = FT_DEP_UNKNOWN;
		}
		if (dep == FT_DEP_UNKNOWN) {
			if (unknown)
				continue;   /* once per path */
			unknown = 1;
			value = FT_VALUE_UNKNOWN;
		}
		if (dep == FT_DEP_FILE && pyconf)
			dep = ft_dep_code(FT_DEP_FILE, FT_READER_CONFIG);
		rc = dv_push(dv, p, len, dep, value);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int resolve_acc_at(struct ingest *g, const struct ft_acc *a, int depth);

/* Context ctx's access of the directory that holds p (NULL: none, or no
 * record of it at all), and that directory's path index (*dir, when the
 * run recorded the directory; else untouched). */
static const struct ft_acc *parent_acc(const struct ingest *g, uint32_t ctx, const char *p,
				       size_t len, uint32_t *dir)
{
	const char *slash = memrchr(p, '/', len);
	uint32_t key[2], idx;

	if (!slash || slash == p || ft_map_get(&g->col.paths, p, (size_t)(slash - p), &key[1]) != 1)
		return NULL;
	*dir = key[1];
	key[0] = ctx;
	return ft_map_get(&g->col.acc_index, key, sizeof(key), &idx) == 1 ? &g->col.acc[idx] : NULL;
}

/*
 * Made by the test: its directory.  A file or directory the test made
 * before any use of it (its output) is no dependency, but the making saw
 * its directory there: a create fails where the directory is gone
 * (tinyxml2's test writes resources/out/pretty.xml, and crashed once
 * resources/out was moved away, which selected nothing: a probe,
 * 2026-11-29; t4314).  So the directory's type is a dependency, unless
 * the test used the directory itself (that use is judged on its own: a
 * `mkdir -p` made it, or found it there), or the made path is a cache
 * that its writer makes as it goes (CPython's __pycache__, a library's
 * store, a report the runner writes).  A directory gone at ingest was
 * there at the create, so it is unknown, unless the prelude alone
 * changed it in the run (made and removed it: it does so again before the
 * test next time).
 */
static int output_dir(struct ingest *g, const struct ft_acc *a, const char *p, size_t len)
{
	static const struct ft_pathinfo untouched = {
		.writer = FT_CTX_NONE, .dir_changer = FT_CTX_NONE, .moder = FT_CTX_NONE,
	};
	const struct ft_pathinfo *pi = &untouched;
	const char *slash = memrchr(p, '/', len);
	size_t plen = slash ? (size_t)(slash - p) : 0;
	struct ft_acc b = { .ctx = a->ctx, .path = a->path, .want = FT_WANT_TYPE };
	const struct ft_acc *used;
	uint32_t key[2], idx = UINT32_MAX, own;
	char dir[PATH_MAX];
	const char *stored;
	struct stat sb;
	int added, rc;

	if (!plen || plen >= sizeof(dir) || made_as_it_goes(g, p, len) ||
	    ignore_why(g, p, plen) != KEPT)
		return 0;
	/* (an entry for the directory that only notes entries made in it,
	 * ft_collect.c's dir events, is no use of it) */
	if ((used = parent_acc(g, a->ctx, p, len, &idx)) && used->first_seen)
		return 0;
	if (idx != UINT32_MAX) {
		pi = &g->col.pinfo[idx];
		b.path = idx;
	}
	b.first_use = b.first_seen = a->first_create ? a->first_create : a->first_seen;
	memcpy(dir, p, plen);
	dir[plen] = '\0';
	/* what is stored points into a map that outlives the sets; each
	 * context's directory once (a build writes thousands of objects into
	 * one) */
	if ((rc = ft_map_intern(&g->real, dir, plen, &idx, &added)) < 0)
		return rc;
	stored = ft_map_key(&g->real, idx, &plen);
	key[0] = a->ctx;
	key[1] = idx;
	if ((rc = ft_map_intern(&g->out_dirs, key, sizeof(key), &own, &added)) < 0 || !added)
		return rc < 0 ? rc : 0;
	if (stat(dir, &sb) < 0) {
		if (pi->writer == 0 && !pi->writers_many)
			return 0;
		return dv_push(&g->deps[a->ctx], stored, plen, FT_DEP_UNKNOWN, FT_VALUE_UNKNOWN);
	}
	return decide(g, &b, stored, plen, pi);
}

/*
 * Made by the test as a file, asking nothing first: an open with O_TRUNC
 * and O_CREAT (fopen "w", a shell's `>`), creat, a rename over the name.
 * The file is the test's output, no dependency; but the making saw the
 * name free for a file (absent, or a file it emptied or replaced), and
 * fails where a directory is now (EISDIR), or a symlink to one, or a
 * dangling symlink whose target cannot be made.  jansson's test_dump
 * writes build/json_dump_file.json and removes it; a directory put there
 * failed the test, and nothing was selected (a probe, 2026-11-29; t4315).
 * So:
 *  - gone at ingest (the test, or another, removed it): its absence as
 *    lstat sees it (FT_DEP_LTYPE): anything there later is a change,
 *    even a file another run left (selected once);
 *  - a regular file at ingest: its type, of reader "made"
 *    (FT_READER_MADE: runners/readers.c), to which the file's going is
 *    no change (a cleaned output is made again), and anything else
 *    there, or the file with another mode, is;
 *  - anything else at ingest: nothing (the run put it there).
 * An open with O_TRUNC alone needed the file there: its type as
 * anyone's, and unknown when it is gone at ingest.  Only inside the
 * repository and in a test's own context: the prelude's outputs (a
 * build's objects, a runner's reports) are the run's, whose failure
 * shows; and not a cache its writer makes as it goes (a bytecode cache,
 * a library's store, a report the runner writes).
 */
static int made_file(struct ingest *g, const struct ft_acc *a, const char *p, size_t len)
{
	struct stat sb;

	if (!a->first_file || a->ctx == 0 || !is_under(p, len, g->in->repo_top) ||
	    made_as_it_goes(g, p, len))
		return 0;
	if (lstat(p, &sb) < 0) {
		if ((errno != ENOENT && errno != ENOTDIR) || a->first_file == FT_MADE_TRUNC)
			return dv_push(&g->deps[a->ctx], p, len, FT_DEP_UNKNOWN, FT_VALUE_UNKNOWN);
		return dv_push(&g->deps[a->ctx], p, len, FT_DEP_LTYPE, FT_VALUE_ABSENT);
	}
	if (!S_ISREG(sb.st_mode))
		return 0;
	return dv_push(&g->deps[a->ctx], p, len,
		       a->first_file == FT_MADE_TRUNC ? FT_DEP_TYPE
						      : ft_dep_code(FT_DEP_TYPE, FT_READER_MADE),
		       sb.st_mode & (S_IFMT | 07777));
}

/*
 * Removed first: the test's first record of the path is its own
 * successful unlink or rmdir (json-c's tests run `rm -rf testSubDir/NAME`,
 * which lists the directory and removes each entry, then `mkdir -p` and
 * `cp valid.json` there).
 *
 * The removal saw something: the path was there, as no directory (unlink)
 * or as an empty directory (rmdir), and a later run that finds it
 * otherwise fails there (`rm f` of a file gone, `rmdir d` of a directory
 * with entries).  So that is a dependency (removal_seen): the path now, as
 * the removal would see it, when it is there and of that sort (made
 * again: its lstat type, or its listing, judged as any use); unknown when
 * it is there as another sort; and when it is gone, nothing if the test
 * listed its directory (the listing holds the name: `rm -rf` removes what
 * it listed), or else unknown (the test saw it, and its next run finds it
 * gone).  Before, a removal was no use at all, and a file that a test
 * removed and wrote again was no dependency of it (t4313).
 *
 * And when the test alone changed the path in the run, and did nothing
 * with it after the removal but find it absent and make it again before
 * any read (removed_first_own), all it saw of it after the removal was its
 * own doing, decided by what it saw before, which are dependencies of
 * their own: the absence is its output, as a file made before it is read
 * is.  Before, the copy's lookup found the name absent, then made it, and
 * so was unknown (t4312's rule): all but 4 of json-c's 28 tests were
 * selected after every recording, with nothing changed.
 */
static int removed_first(const struct ft_acc *a)
{
	return a->first_delete && a->first_delete <= a->first_seen && !a->first_symlink;
}

static int removed_first_own(const struct ingest *g, const struct ft_acc *a)
{
	const struct ft_pathinfo *pi = &g->col.pinfo[a->path];
	/* made again: any create, O_CREAT without O_TRUNC too (json-c's
	 * test_util_file opens json3.out so), as nothing was there */
	uint64_t made = a->first_create;

	if (a->first_creat && (!made || a->first_creat < made))
		made = a->first_creat;
	if (a->first_use && (!made || made > a->first_use))
		return 0;
	return pi->writer == a->ctx && !pi->writers_many &&
	       (pi->moder == FT_CTX_NONE || (pi->moder == a->ctx && !pi->moders_many)) &&
	       (pi->dir_changer == FT_CTX_NONE || (pi->dir_changer == a->ctx && !pi->dir_changers_many));
}

/* Did context ctx list the directory that holds p? */
static int listed_parent(const struct ingest *g, uint32_t ctx, const char *p, size_t len)
{
	uint32_t dir;
	const struct ft_acc *o = parent_acc(g, ctx, p, len, &dir);

	return o && (o->want & (FT_WANT_LIST | FT_WANT_CLIST | FT_WANT_ILIST));
}

/* An empty directory, as rmdir needs it? */
static int dir_is_empty(const char *p)
{
	DIR *d = opendir(p);
	struct dirent *e;
	int empty = 1;

	if (!d)
		return 0;
	while (empty && (e = readdir(d)))
		empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
	closedir(d);
	return empty;
}

static int removal_seen(struct ingest *g, const struct ft_acc *a, const char *p, size_t len)
{
	struct ft_acc b = *a;
	struct stat lsb;

	if (lstat(p, &lsb) < 0) {
		if ((errno == ENOENT || errno == ENOTDIR) && listed_parent(g, a->ctx, p, len))
			return 0;
		return dv_push(&g->deps[a->ctx], p, len, FT_DEP_UNKNOWN, FT_VALUE_UNKNOWN);
	}
	if (a->delete_dir ? !S_ISDIR(lsb.st_mode) || !dir_is_empty(p) : S_ISDIR(lsb.st_mode))
		return dv_push(&g->deps[a->ctx], p, len, FT_DEP_UNKNOWN, FT_VALUE_UNKNOWN);
	/* An empty directory the test alone made again (`rmdir d; mkdir d`):
	 * made during the run, its listing would be unknown, but empty is
	 * what the removal needs, and an entry added later changes it. */
	if (a->delete_dir && removed_first_own(g, a)) {
		uint64_t value;
		int rc = ft_state_observe(g->state, p, FT_DEP_LIST, &value, NULL);
		return rc < 0 ? rc : dv_push(&g->deps[a->ctx], p, len, FT_DEP_LIST, value);
	}
	b.want = a->delete_dir ? FT_WANT_LIST : FT_WANT_LTYPE;
	b.first_create = b.first_delete = 0;
	b.first_use = a->first_delete;
	return decide(g, &b, p, len, &g->col.pinfo[a->path]);
}

/*
 * A name in a temporary directory that link() made in this run
 * (ft_pathinfo.link_src, paired in ft_collect.c): `ln data/f.txt /tmp/x`,
 * then a read of /tmp/x, in this test or another, reads f.txt's content.
 * By its text the name is scratch, and dropped; its source is what the
 * test depends on, judged as if used by its own name, unless this test
 * made the source itself before (its output).  A source not known, or a
 * chain of links deeper than FT_LINK_DEPTH, is unknown.
 */
#define FT_LINK_DEPTH 8
static int resolve_link_src(struct ingest *g, const struct ft_acc *a, int depth)
{
	uint32_t src = g->col.pinfo[a->path].link_src, key[2], idx;
	struct ft_acc b = *a;
	size_t len;
	const char *p;

	if (src == FT_LINK_SRC_UNKNOWN || depth >= FT_LINK_DEPTH) {
		p = ft_map_key(&g->col.paths, a->path, &len);
		return dv_push(&g->deps[a->ctx], p, len, FT_DEP_UNKNOWN, FT_VALUE_UNKNOWN);
	}
	/* what the test saw absent was the new name, not the source */
	b.want &= ~(uint32_t)FT_WANT_ABSENT;
	if (!b.want)
		return 0;
	b.path = src - 1;
	b.first_create = b.first_symlink = b.first_attr = 0;
	b.first_delete = 0;
	key[0] = a->ctx;
	key[1] = b.path;
	if (ft_map_get(&g->col.acc_index, key, sizeof(key), &idx) == 1) {
		const struct ft_acc *o = &g->col.acc[idx];
		if (o->first_create && (!a->first_use || o->first_create <= a->first_use))
			return 0;
		b.first_symlink = o->first_symlink;
		b.first_attr = o->first_attr;
	}
	return resolve_acc_at(g, &b, depth + 1);
}

/* Is directory path[0..d) one of the temporary directories themselves
 * (/tmp, $TMPDIR: set_tmpdirs)? */
static int is_tmp_root(const struct ingest *g, const char *path, size_t d)
{
	for (size_t i = 0; i < sizeof(g->tmpdirs) / sizeof(g->tmpdirs[0]); i++) {
		size_t n = g->tmpdirs[i] ? strlen(g->tmpdirs[i]) : 0;
		while (n > 1 && g->tmpdirs[i][n - 1] == '/')
			n--;
		if (n && n == d && !memcmp(g->tmpdirs[i], path, n))
			return 1;
	}
	return 0;
}

/*
 * A path under a temporary directory that is an input, not scratch,
 * though no anchor holds it: what a config file's walk up from a scratch
 * directory finds or misses there (python-dotenv's find_dotenv from
 * tmp_path reaches /tmp/.env; pytest's rootdir search in a pytester
 * directory, /tmp/pytest.ini; git's, cargo's and editorconfig's walks), or
 * any probe of a fixed name there.  A file put there later changes what
 * the test finds, as an absent config file in the repository does
 * (DESIGN.md, "Absence matters"), and the run did not make it.  Two cases:
 *
 *  - The access only looked the name up and found nothing, the name is
 *    still absent at ingest, and the deepest directory on its path that
 *    is there is one the run cannot have made: a temporary directory
 *    itself, or one whose mtime and ctime are older than the run.  What
 *    the run made (pytest's numbered directories, tmp_path, mktemp -d)
 *    changed since the run began, and names looked up there stay
 *    scratch: the next run makes new ones.
 *  - A regular file directly in a temporary directory itself, whose mtime
 *    and ctime are older than the run (no test of it made or changed it),
 *    used by the access: /tmp/.env found.  Without it, a test that failed
 *    once such a file came would seem to have failed with nothing it read
 *    changed (learned flaky), and an edit of the file would select
 *    nothing.  Files deeper down (a tool's cache under /tmp/jest_rs, an
 *    earlier session's tmp_path) stay scratch: a cache cleared is no
 *    change to its readers.
 *
 * A name present at ingest that the run made (by this test or another)
 * stays scratch, as before.  NEEDSWORK: in a directory the run changed
 * that existed before it (/tmp/pytest-of-<user>, where pytest makes each
 * session's directory), a looked-up name is still scratch.
 */
static int tmp_input(const struct ingest *g, const struct ft_acc *a, const char *p, size_t len)
{
	char path[PATH_MAX];
	struct stat sb;
	size_t d = len;

	if (len >= sizeof(path) || len < 2)
		return 0;
	memcpy(path, p, len);
	path[len] = '\0';
	if (lstat(path, &sb) == 0) {
		while (d > 1 && path[d - 1] != '/')
			d--;
		return S_ISREG(sb.st_mode) && !modified_since(&sb, g->in->t0_ns) && d > 1 &&
		       is_tmp_root(g, path, d - 1);
	}
	if (a->want != FT_WANT_ABSENT || (errno != ENOENT && errno != ENOTDIR))
		return 0;
	/* the deepest directory on the path that is there */
	for (;;) {
		while (d > 1 && path[d - 1] != '/')
			d--;
		if (d <= 1)
			return 0;
		path[--d] = '\0';
		if (lstat(path, &sb) == 0)
			break;
		if (errno != ENOENT && errno != ENOTDIR)
			return 0;
	}
	return S_ISDIR(sb.st_mode) && (is_tmp_root(g, path, d) || !modified_since(&sb, g->in->t0_ns));
}

/*
 * The dependencies of one (test, path) access.  A path is judged by where
 * it really leads, not by its text (DESIGN.md, "Outputs are not inputs"):
 *
 *  - A path that looks like scratch, state or a pseudo file system by its
 *    text (/tmp/pytest-of-u/pytest-3/test_x0/data, /tmp/x/../../repo/f)
 *    is resolved now (ft_path_real); if it leads somewhere that is none of
 *    those, the test depends on that place.  pytest's tmp_path symlink to a
 *    fixture then records the fixture.
 *  - A symlink the test made itself before using it is its output, but a
 *    read through it reads the target: the link's own state (lstat,
 *    readlink) is dropped, what follows it is resolved the same way.
 *  - A name in such a place that link() made in this run leads to the
 *    link's source (resolve_link_src; `depth` counts the links followed).
 *
 * The resolution happens at ingest, and a link changed during the run may
 * have led elsewhere at the access.  When it cannot lead anywhere now (a
 * dangling link, a component gone), the text stays; a process-relative
 * path (/proc/self/cwd/...) was translated at the access by the recorder,
 * and is never resolved here, where "self" would be ftrace.
 */
static int resolve_acc_at(struct ingest *g, const struct ft_acc *a, int depth)
{
	static const struct ft_pathinfo untouched = {
		.writer = FT_CTX_NONE, .dir_changer = FT_CTX_NONE, .moder = FT_CTX_NONE,
	};
	const struct ft_pathinfo *pi = &untouched;
	struct ft_acc b = *a;
	char real[PATH_MAX];
	size_t len;
	const char *p = ft_map_key(&g->col.paths, a->path, &len);
	struct stat lsb;
	uint32_t idx, key[2];
	enum ignore_why why;
	int ign, own_link, made, added, rc;
	long n;

	made = a->first_create && (!a->first_use || a->first_create <= a->first_use);
	if (!a->want && !made && !removed_first(a))
		return 0;
	why = ignore_why(g, p, len);
	ign = why != KEPT;
	if (!ign && removed_first(a)) {
		if ((rc = removal_seen(g, a, p, len)) < 0 || removed_first_own(g, a))
			return rc < 0 ? rc : 0;
	}
	/* made before any use: its output, but its directory was there */
	if (!ign && made && (rc = output_dir(g, a, p, len)) < 0)
		return rc;
	/* ... and the name was free for a file (made_file) */
	if (!ign && made && !a->first_excl && !a->want)
		return made_file(g, a, p, len);
	/* (an exclusive create wants nothing of what was there, but its
	 * proof that nothing was: below) */
	if (!a->want && !(a->first_create && a->first_excl))
		return 0;
	/* Truncated or created before it was used: the test's own output.
	 * Equal times are one record, such as fopen("w+") or
	 * O_RDWR|O_TRUNC: what it reads afterwards is what it wrote.  An
	 * exclusive create (O_CREAT|O_EXCL: a lock file, git's index.lock)
	 * also proved the name absent, and a name there now would make it
	 * fail: that absence is what the test depends on.  (Read and then
	 * removed, it was unknown before: every run selected the test.) */
	if (made) {
		/* Found absent first (a failed lookup before it, or the
		 * exclusive create's own proof), then made by the test itself:
		 * it took the branch that absence leads to (a snapshot written
		 * when missing, a file copied into place when not there yet, a
		 * cache filled when empty).  A later run that finds the path
		 * takes the other one (its exclusive create fails) and reads
		 * what is there then, which this run never read.  So the
		 * absence is what it saw: a path gone again at ingest (a lock
		 * file, a scratch file removed) is that absence, and one still
		 * there is unknown, selected next time, when the recording
		 * reads it.  Not a bytecode cache: CPython probes x.pyc, makes
		 * __pycache__ and writes x.pyc there, and a later run loads it
		 * only if it matches its source, which is a dependency of its
		 * own (run_change_is_benign).  Nor a library's store that the
		 * adapter names (ft_adapter_is_library_store: Hypothesis's
		 * example database and caches, which it fills as it goes), or
		 * a report the runner writes, whose lookup only asked whether
		 * it is a directory (ft_adapter_is_runner_output: pytest's
		 * --junitxml): the rule before this one holds there. */
		if (!ign && !made_as_it_goes(g, p, len) &&
		    (a->first_excl ||
		     ((a->want & FT_WANT_ABSENT) && a->first_seen && a->first_seen < a->first_create))) {
			if (lstat(p, &lsb) < 0 && (errno == ENOENT || errno == ENOTDIR)) {
				b.want = FT_WANT_ABSENT;
				b.first_create = 0;
				return decide(g, &b, p, len, &g->col.pinfo[a->path]);
			}
			return dv_push(&g->deps[a->ctx], p, len, FT_DEP_UNKNOWN, FT_VALUE_UNKNOWN);
		}
		if (ign)
			return 0;
		if (!a->first_excl)
			return made_file(g, a, p, len);
		b.want = FT_WANT_ABSENT;
		b.first_create = 0;
		return decide(g, &b, p, len, &g->col.pinfo[a->path]);
	}
	if (ign && g->col.pinfo[a->path].link_src)
		return resolve_link_src(g, a, depth);
	if (why == SCRATCH && (shared_inode(p, len) || tmp_input(g, a, p, len)))
		ign = 0;
	own_link = a->first_symlink && (!a->first_use || a->first_symlink <= a->first_use);
	if (!ign && !own_link)
		return decide(g, a, p, len, &g->col.pinfo[a->path]);
	/* the link's own state: the test's output, or scratch */
	if (own_link || (lstat(p, &lsb) == 0 && S_ISLNK(lsb.st_mode)))
		b.want &= ~(uint32_t)(FT_WANT_LSTAT | FT_WANT_LTYPE | FT_WANT_LINK);
	n = ft_path_is_proc_relative(p, len) ? -1 : ft_path_real(p, len, real, sizeof(real));
	if (n < 0 || ((size_t)n == len && !memcmp(real, p, len)))
		return ign || !b.want ? 0 : decide(g, &b, p, len, &g->col.pinfo[a->path]);
	if (!b.want || ignored(g, real, (size_t)n))
		return 0;
	if (ft_map_get(&g->col.paths, real, (size_t)n, &idx) == 1) {
		/* the run used the target by its own name too: its changes, and
		 * whether this test made it before reading it through the link */
		pi = &g->col.pinfo[idx];
		key[0] = a->ctx;
		key[1] = idx;
		if (ft_map_get(&g->col.acc_index, key, sizeof(key), &idx) == 1) {
			const struct ft_acc *o = &g->col.acc[idx];
			if (o->first_create && (!a->first_use || o->first_create <= a->first_use))
				return 0;
		}
		p = ft_map_key(&g->col.paths, key[1], &len);
	} else {
		if ((rc = ft_map_intern(&g->real, real, (size_t)n, &idx, &added)) < 0)
			return rc;
		p = ft_map_key(&g->real, idx, &len);
	}
	return decide(g, &b, p, len, pi);
}

/*
 * After every test.  What the prelude first touched after every test of
 * the run had ended (ft_collect_settled: each one's end marked, or each
 * process of a process-tree rule's test ended) reached
 * no test: a session's reports (pytest-html, coverage's HTML report, which
 * reads its own status.json and writes it again), its summary files.
 * Counted, such a file was read and then rewritten in the run (unknown),
 * and every test was selected after every recording.  It is no dependency;
 * a test that used the path before keeps its own, with the run's writes
 * judged as always.
 */
static int resolve_acc(struct ingest *g, const struct ft_acc *a)
{
	struct ft_acc b;

	if (a->ctx == 0 && g->settled && a->first_seen > g->settled)
		return 0;
	/* The same for a path the prelude only asked about (whether it
	 * exists, and as what) until then, and read after: a coverage
	 * reporter wrapped around the runner (c8) reads every source after
	 * the tests, which a runner image had only stat'ed before them.
	 * The reads go; what the earlier uses wanted stays.  Only a path the
	 * prelude never changed (its writes are judged as always). */
	if (a->ctx == 0 && g->settled && a->first_strong > g->settled && !a->wrote &&
	    !a->deleted && !a->dir_changed && !a->image && !a->first_create && !a->first_attr &&
	    !a->first_symlink && (!a->data_read || a->first_data > g->settled) && a->want_weak) {
		b = *a;
		b.want = a->want_weak;
		/* the time of the earliest use kept, never later than the
		 * first successful one: the checks of "made before its first
		 * use" (a link's source) stay as strict as they were */
		b.first_use = a->first_seen;
		b.data_read = 0;
		b.first_data = 0;
		return resolve_acc_at(g, &b, 0);
	}
	return resolve_acc_at(g, a, 0);
}

/* For `ftrace run`'s note: the paths of the repository that the prelude
 * depends on as unknown (found absent and then made, or changed during
 * the run), but a project file that closures share out (pytest), each
 * making the next selection hold every test. */
static void note_prelude_unknown(const struct ingest *g, struct ft_ingest_stats *stats)
{
	const struct depvec *dv = g->ndeps ? &g->deps[0] : NULL;
	size_t top = strlen(g->in->repo_top);

	for (size_t i = 0; dv && i < dv->n; i++) {
		const struct ft_dep *d = &dv->v[i];
		size_t n;
		if (d->kind != FT_DEP_UNKNOWN || d->path_len <= top + 1 ||
		    !is_under(d->path, d->path_len, g->in->repo_top) ||
		    ft_adapter_is_project(&g->ad, d->path, d->path_len))
			continue;
		if (stats->prelude_unknown++)
			continue;
		n = d->path_len - top - 1;
		if (n >= sizeof(stats->prelude_unknown_name))
			n = sizeof(stats->prelude_unknown_name) - 1;
		memcpy(stats->prelude_unknown_name, d->path + top + 1, n);
		stats->prelude_unknown_name[n] = '\0';
	}
}

/* Store the names behind LIST values of directories in the repository, so
 * selection can tell "a test file was added" from other listing changes. */
static int put_listings(struct ingest *g, const struct depvec *dv)
{
	for (size_t i = 0; i < dv->n; i++) {
		const struct ft_dep *d = &dv->v[i];
		char *buf = NULL;
		size_t len = 0;
		int rc, added;
		/* Dep paths are the interned keys of the collect map: one pointer
		 * per path, so (pointer, value) names a listing once, however many
		 * tests (a thousand ctest processes) listed the same directory. */
		struct { const char *p; uint64_t v; } key = { d->path, d->value };
		uint32_t dummy;

		if (!ft_dep_is_listing(d->kind) || d->value >= FT_VALUE_ABSENT ||
		    !is_under(d->path, d->path_len, g->in->repo_top))
			continue;
		if ((rc = ft_map_intern(&g->listed, &key, sizeof(key), &dummy, &added)) < 0)
			return rc;
		if (!added)
			continue;
		if (ft_state_listing(d->path, &buf, &len, NULL) < 0)
			continue;
		rc = 0;
		if (XXH3_64bits(buf, len) == d->value)
			rc = ft_store_listing_put(g->st, d->path, d->path_len, d->value, buf, len);
		free(buf);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/*
 * A test the state guard found leaving the project's state changed (the
 * side file's "leaky", ft_adapter_is_leaky), or one that no guard watched
 * in a process that ran other tests too (ft_kept_unguarded), may have kept
 * in the runner's memory what it saw: a configuration read once into a
 * module's global or an lru_cache, a directory listed once into a
 * registry.  A later test then gets the kept value without reading
 * anything, and a change of the file changes its outcome.  So each
 * dependency the test took is every test's too: also those of processes
 * it started, whose output reaches the runner through a pipe or an exit
 * status, neither of which is a file (a fixture that keeps what `git
 * describe` or `cat conf.txt` printed).  docs/python-functions.md, "What
 * it saw is shared too".
 */
static int note_leaked(struct ingest *g, const struct depvec *dv, size_t from)
{
	int rc = 0;

	for (size_t k = from; k < dv->n && rc >= 0; k++)
		rc = dv_push(&g->leaked, dv->v[k].path, dv->v[k].path_len, dv->v[k].kind, dv->v[k].value);
	return rc;
}

/* Each test depends on the project files whose code it ran outside its
 * module's closure (ft_adapter_code_files; all of them for a leaky test):
 * their prelude dependencies (the plugin opens every project source in
 * the prelude) become its own, so that the closures' split does not take
 * them away.  A leaky test's go where the rest of what it saw goes, its
 * users' sets for a scoped one, every test for a wide one whose change a
 * test reaches without importing anything (ft_adapter_leaky_process);
 * for one whose change is in the project's modules, the closures of
 * those modules decide, as before (docs/python-functions.md, NEEDSWORK). */
static int add_code_deps(struct ingest *g, const uint8_t *leaky)
{
	const struct ft_adapter *a = &g->ad;
	const struct depvec *pre = &g->deps[0];
	size_t npaths = a->code_paths.count;
	struct ft_adapter_list *at;     /* per code path: its prelude dependencies */
	int rc = 0;

	if (!npaths || !g->ndeps)
		return 0;
	if (!(at = calloc(npaths, sizeof(*at))))
		return -ENOMEM;
	for (size_t k = 0; rc >= 0 && k < pre->n; k++) {
		uint32_t fi;
		if (ft_map_get(&a->code_paths, pre->v[k].path, pre->v[k].path_len, &fi))
			rc = ft_adapter_list_push(&at[fi], (uint32_t)k);
	}
	for (uint32_t c = 1; rc >= 0 && c < g->ndeps; c++) {
		size_t len, n, before = g->deps[c].n;
		const char *id;
		const uint32_t *files;
		if (!g->col.ctx[c].is_test)
			continue;
		id = ft_map_key(&g->col.ctx_ids, c, &len);
		files = ft_adapter_code_files(a, id, len, &n);
		for (size_t i = 0; rc >= 0 && i < n; i++) {
			for (size_t j = 0; rc >= 0 && j < at[files[i]].n; j++) {
				const struct ft_dep *d = &pre->v[at[files[i]].v[j]];
				rc = dv_push(&g->deps[c], d->path, d->path_len, d->kind, d->value);
			}
		}
		if (rc >= 0 && leaky[c] == 1 && ft_adapter_leaky_process(a, id, len))
			rc = note_leaked(g, &g->deps[c], before);
	}
	for (size_t i = 0; i < npaths; i++)
		free(at[i].v);
	free(at);
	return rc;
}

/* Context ctx read environment variable `name`: a dependency on the
 * value the root environment gave it (common/ft_envdep.h). */
static int put_env(struct ingest *g, uint32_t ctx, const char *name, size_t len)
{
	char buf[1 + FT_ENVDEP_NAME_MAX];
	const char *path;
	size_t plen;
	uint32_t idx;
	int rc;

	if (len > FT_ENVDEP_NAME_MAX || ft_envdep_skip(name, len))
		return 0;
	buf[0] = FT_ENVDEP_MARK;
	memcpy(buf + 1, name, len);
	if ((rc = ft_map_intern(&g->env_paths, buf, len + 1, &idx, NULL)) < 0)
		return rc;
	path = ft_map_key(&g->env_paths, idx, &plen);
	return dv_push(&g->deps[ctx], path, plen, FT_DEP_ENV, ft_envsnap_value(&g->env, path, plen));
}

/* A context that read every variable of the root environment listed it,
 * most likely: Node's `Object.keys(process.env)` and `{...process.env}`
 * take the names from memory (no hook sees that) and then read each one
 * with getenv.  The list a run makes later holds a variable set since,
 * which no name read says: such a context depends on the whole
 * environment ("$=").  Over-approximate (a program that reads every
 * variable by name, or a root environment of a few variables, gets it
 * too: a selection when the environment changes); blind to a listing in a
 * process whose environment lacks some of the root's (a runner that
 * removed one).  A runner image's own reads do not count (env_plain): a
 * runner lists its environment to pass it on to the tests it starts
 * (`node --test`), whose own reads, of a variable then unset too, are
 * seen. */
static int put_env_listings(struct ingest *g, const uint8_t *leaky)
{
	uint32_t root = g->env.present ? g->env.names.count : 0, *got;
	int rc = 0;

	if (!root || !g->ndeps)
		return 0;
	if (!(got = calloc(g->ndeps, sizeof(*got))))
		return -ENOMEM;
	for (uint32_t i = 0; i < g->col.env_plain.count; i++) {
		uint32_t ctx, idx;
		size_t len;
		const char *name = ft_collect_env_plain(&g->col, i, &ctx, &len);

		if (ctx < g->ndeps && ft_map_get(&g->env.names, name, len, &idx))
			got[ctx]++;
	}
	for (uint32_t ctx = 0; rc >= 0 && ctx < g->ndeps; ctx++)
		if (got[ctx] == root) {
			size_t before = g->deps[ctx].n;
			rc = put_env(g, ctx, FT_ENVDEP_WHOLE, 1);
			if (rc >= 0 && leaky[ctx] == 1)
				rc = note_leaked(g, &g->deps[ctx], before);
		}
	free(got);
	return rc;
}

/* Every environment variable a context read, then the ones libc reads
 * for every program (the prelude's: every test's).  A leaky test's are
 * every test's too (note_leaked). */
static int put_envs(struct ingest *g, const uint8_t *leaky)
{
	int rc = ft_envsnap_load(&g->env, g->in->run_dir);

	for (uint32_t i = 0; rc >= 0 && i < g->col.env_reads.count; i++) {
		uint32_t ctx;
		size_t len, before;
		const char *name = ft_collect_env_read(&g->col, i, &ctx, &len);

		before = g->deps[ctx].n;
		rc = put_env(g, ctx, name, len);
		if (rc >= 0 && leaky[ctx] == 1)
			rc = note_leaked(g, &g->deps[ctx], before);
	}
	if (rc >= 0)
		rc = put_env_listings(g, leaky);
	/* (a run with no region ran nothing ftrace could see: a run dir
	 * replaced, a command that could not start) */
	for (const char *const *v = ft_envdep_implicit; rc >= 0 && *v && g->col.regions; v++)
		rc = put_env(g, 0, *v, strlen(*v));
	return rc;
}

static int put_set(struct ingest *g, const struct depvec *dv, int64_t *id)
{
	*id = 0;
	if (!dv->n)
		return 0;
	return ft_store_depset_put(g->st, dv->v, dv->n, id);
}

static int outcome_of_status(int wstatus)
{
	return WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0 ? FT_OUTCOME_PASSED : FT_OUTCOME_FAILED;
}

/* Split the prelude (context 0) by the adapter's closures: `common` for
 * every test, `per_module[m]` only for tests of module m.  A project file
 * whose bytes were read as data (outside the import system's windows: a
 * test module copying another module's text at collection, which it need
 * not import) is every test's: the closures say who imports a file, not
 * who read it. */
static int split_prelude(struct ingest *g, struct depvec *common, struct depvec **per_module,
			 size_t *nmod)
{
	const struct depvec *pre = &g->deps[0];
	int rc = 0;

	*nmod = g->ad.modules.count;
	*per_module = calloc(*nmod ? *nmod : 1, sizeof(**per_module));
	if (!*per_module)
		return -ENOMEM;
	for (size_t i = 0; i < pre->n && rc >= 0; i++) {
		const struct ft_dep *d = &pre->v[i];
		uint32_t dummy;
		size_t n = 0;
		const uint32_t *owners = NULL;

		if (ft_adapter_is_project(&g->ad, d->path, d->path_len) &&
		    !ft_map_get(&g->data_reads, d->path, d->path_len, &dummy))
			owners = ft_adapter_owners(&g->ad, d->path, d->path_len, &n);
		if (!n) {
			rc = dv_push(common, d->path, d->path_len, d->kind, d->value);
			continue;
		}
		for (size_t j = 0; j < n && rc >= 0; j++)
			rc = dv_push(&(*per_module)[owners[j]], d->path, d->path_len, d->kind, d->value);
	}
	return rc;
}

/* The test's row, after learning from it against the row it replaces
 * whether it is flaky (ft_store_flaky.h). */
static int put_test(struct ingest *g, int64_t run_id, const struct ft_test_row *t,
		    struct ft_ingest_stats *stats)
{
	struct ft_flaky_rules rules = {
		.decay = ft_config_flaky_decay(g->in->config), .now_ns = g->in->run.finished_ns,
		.run_id = run_id, .guesses = g->in->runners ? g->in->runners->guesses : NULL,
		.same_options = ft_optcmp_same, .options_arg = &g->opts,
	};
	enum ft_flaky_event ev;
	struct timespec ts;
	int rc;

	if (!rules.now_ns && clock_gettime(CLOCK_REALTIME, &ts) == 0)
		rules.now_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	rc = ft_store_flaky_note(g->st, t, &rules, &ev);
	if (rc < 0)
		return rc;
	if (ev == FT_FLAKY_LEARNED && !stats->flaky_learned++)
		snprintf(stats->flaky_name, sizeof(stats->flaky_name), "%s", t->name);
	stats->flaky_decayed += ev == FT_FLAKY_DECAYED;
	return ft_store_test_put(g->st, run_id, t);
}

/* Test `t`'s duration and outcome in this run (ft_store_times.h): the
 * runner's own timing where it reported one (pytest, ctest, nextest's
 * JUnit), else the span of its records as ftrace saw them (ci; NULL: the
 * whole command's wall time, for the test that is the whole command). */
static int put_time(struct ingest *g, int64_t run_id, const struct ft_test_row *t,
		    const struct ft_ctxinfo *ci, int64_t own_ns)
{
	/* a failure that is only the run's status is no outcome of the test's
	 * own (`ftrace verify` cannot judge it: cli/verify_report.c) */
	struct ft_store_time tt = { t->name, run_id, t->guessed ? FT_OUTCOME_UNKNOWN : t->outcome, -1,
				    FT_TIME_FTRACE };

	if (own_ns >= 0) {
		tt.ns = own_ns;
		tt.source = FT_TIME_RUNNER;
	} else if (ci && ci->first_ns && ci->last_ns >= ci->first_ns) {
		tt.ns = (int64_t)(ci->last_ns - ci->first_ns);
	} else if (!ci && g->in->run.started_ns > 0 && g->in->run.finished_ns >= g->in->run.started_ns) {
		tt.ns = g->in->run.finished_ns - g->in->run.started_ns;
	}
	return ft_store_time_put(g->st, &tt);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Sort the n set ids and drop repeats (a set a test gets twice over):
 * how many are left. */
static size_t unique_sets(int64_t *v, size_t n)
{
	size_t k = 0;

	qsort(v, n, sizeof(*v), cmp_i64);
	for (size_t i = 0; i < n; i++) {
		if (!k || v[i] != v[k - 1])
			v[k++] = v[i];
	}
	return k;
}

/* Where the part of the prelude in each leaky test's module closure goes,
 * for a leaky test whose change a later test sees without importing those
 * files (ft_adapter_leaky_process): own_mod[c] for a scoped one (its users
 * get it), wide_sets[] for the others (every test gets each of them, once
 * per module: mod_seen, nmod + 1 bytes).  A leaky test with no closure
 * gives the whole prelude. */
static void leaky_closures(const struct ingest *g, const int64_t *module_ids, size_t nmod,
			   int64_t full_id, int64_t *own_mod, int64_t *wide_sets, size_t *nwide,
			   uint8_t *mod_seen)
{
	for (uint32_t c = 1; c < g->col.ctx_ids.count; c++) {
		size_t len;
		const char *id, *file;
		uint32_t mod = UINT32_MAX;
		int64_t mset;
		if (!g->leaky || !g->leaky[c] || !g->col.ctx[c].is_test)
			continue;
		id = ft_map_key(&g->col.ctx_ids, c, &len);
		if (!ft_adapter_leaky_process(&g->ad, id, len))
			continue;
		if (!ft_adapter_test(&g->ad, id, len, &mod, &file) || mod >= nmod)
			mod = UINT32_MAX;
		mset = mod != UINT32_MAX ? module_ids[mod] : full_id;
		if (g->leaky[c] == 2) {
			own_mod[c] = mset;
			continue;
		}
		if (mod == UINT32_MAX)
			mod = (uint32_t)nmod;
		if (!mod_seen[mod] && mset)
			wide_sets[(*nwide)++] = mset;
		mod_seen[mod] = 1;
	}
}

/* Note the sets leaky test `c` (id `id`) handed on in this run
 * (ft_store_carry.h): the leaked set for a wide one, and its module's part
 * of the prelude (what it ran lies there), which this run gave every test
 * where the change is one a later test sees without importing
 * (leaky_closures), and else the tests whose closures the plugin widened
 * by it (docs/pytest.md); a scoped one's own set and that part.  A later
 * run carries each to all its tests of the runner: more than this run
 * gave, never less. */
static int note_shares(struct ingest *g, int64_t run_id, uint32_t c, const char *id, size_t len,
		       const char *runner, int64_t leaked_id, const int64_t *module_ids,
		       size_t nmod, int64_t full_id, int64_t own_set, int64_t own_mod_set)
{
	int64_t v[3] = { 0 };
	uint32_t mod = UINT32_MAX;
	const char *file;
	int rc = 0;

	if (g->leaky[c] == 2) {
		v[0] = own_set;
		v[1] = own_mod_set;
	} else {
		v[0] = leaked_id;
		if (!ft_adapter_test(&g->ad, id, len, &mod, &file) || mod >= nmod)
			mod = UINT32_MAX;
		v[1] = mod != UINT32_MAX && module_ids ? module_ids[mod] : full_id;
	}
	for (int k = 0; k < 3 && rc >= 0; k++)
		if (v[k])
			rc = ft_store_carry_put(g->st, run_id, id, runner, v[k]);
	return rc;
}

/*
 * The command failed (a non-zero exit, or a signal) while every test it
 * recorded passed or was skipped: a session hook that failed the run, a
 * coverage threshold, jest --ci's obsolete snapshot, a lint step after the
 * tests.  No test's own outcome explains the failure, so it is each test's
 * as the run's status: each is stored failed (guessed: not its own, so
 * flaky learning and `ftrace verify` treat it as the run's) and selected
 * until a run of it passes.  Else a later `ftrace test` would find nothing
 * affected and exit 0 where the command still fails (docs/runners.md,
 * "Outcomes").  A test named after the command (the fallback) takes the
 * run's status anyway.  1 when that is so, else 0.
 */
static int failed_alone(const struct ingest *g)
{
	size_t tests = 0;

	if (WIFEXITED(g->in->wstatus) && WEXITSTATUS(g->in->wstatus) == 0)
		return 0;
	for (uint32_t c = 1; c < g->col.ctx_ids.count; c++) {
		const struct ft_ctxinfo *ci = &g->col.ctx[c];
		int outcome = ci->ended ? ci->outcome : FT_OUTCOME_UNKNOWN;
		size_t len;
		const char *id = ft_map_key(&g->col.ctx_ids, c, &len);

		if (!ci->is_test)
			continue;
		if ((g->in->name && !strcmp(id, g->in->name)) ||
		    (outcome != FT_OUTCOME_PASSED && outcome != FT_OUTCOME_SKIPPED))
			return 0;
		tests++;
	}
	return tests > 0;
}

static int store_tests(struct ingest *g, int64_t run_id, struct ft_ingest_stats *stats)
{
	struct depvec common = { 0 }, *per_module = NULL;
	int64_t full_id = 0, common_id = 0, leaked_id = 0, *module_ids = NULL;
	size_t nmod = 0, ntests = 0;
	int split = g->ad.present && g->ad.split && !g->in->no_prelude_split, rc;

	rc = put_set(g, &g->deps[0], &full_id);
	if (rc >= 0)
		rc = put_set(g, &g->leaked, &leaked_id);
	if (rc >= 0 && split)
		rc = split_prelude(g, &common, &per_module, &nmod);
	if (rc >= 0 && split)
		rc = put_set(g, &common, &common_id);
	if (rc >= 0 && split && !(module_ids = calloc(nmod ? nmod : 1, sizeof(*module_ids))))
		rc = -ENOMEM;
	for (size_t m = 0; rc >= 0 && split && m < nmod; m++)
		rc = put_set(g, &per_module[m], &module_ids[m]);

	/* The scoped leaky tests (g->leaky 2) and their own sets: each goes
	 * to the tests its side file names (ft_adapter_leaky_user).  With
	 * the prelude split, what a leaky test ran is in the files of its
	 * module's closure; where its change is one that a later test sees
	 * without importing them (a variable it set: ft_adapter_leaky_process),
	 * their part of the prelude goes where its code goes, every test
	 * (wide) or its users (scoped).  A leaky test with no closure: the
	 * whole prelude. */
	uint32_t *scoped = NULL, nscoped = 0;
	int64_t *own = NULL, *own_mod = NULL, *sets = NULL, *wide_sets = NULL;
	size_t nwide = 0;
	uint8_t *mod_seen = NULL;
	/* what leaky tests of earlier runs that this run did not record
	 * again handed on: its tests of their runner get it too */
	struct ft_carry carry = { 0 };
	if (rc >= 0)
		rc = ft_carry_load(g->st, run_id, &g->col.ctx_ids, g->col.ctx, &g->ad, &carry);
	if (rc >= 0 && (!(scoped = calloc(g->col.ctx_ids.count + 1, sizeof(*scoped))) ||
			!(own = calloc(g->col.ctx_ids.count + 1, sizeof(*own))) ||
			!(own_mod = calloc(g->col.ctx_ids.count + 1, sizeof(*own_mod))) ||
			!(wide_sets = calloc(nmod + 2, sizeof(*wide_sets))) ||
			!(mod_seen = calloc(nmod + 1, 1)) ||
			!(sets = calloc(2 * (size_t)g->col.ctx_ids.count + nmod + carry.n + 7,
					sizeof(*sets)))))
		rc = -ENOMEM;
	if (rc >= 0 && split)
		leaky_closures(g, module_ids, nmod, full_id, own_mod, wide_sets, &nwide, mod_seen);
	for (uint32_t c = 1; rc >= 0 && c < g->col.ctx_ids.count; c++) {
		if (g->leaky && g->leaky[c] == 2 && g->col.ctx[c].is_test) {
			scoped[nscoped++] = c;
			rc = put_set(g, &g->deps[c], &own[c]);
		}
	}
	/* each scoped test's index among the pairs' (none: a user of none;
	 * UINT32_MAX), so that a test's look-ups hash no id but its own */
	uint32_t *scoped_ix = rc >= 0 ? calloc((size_t)nscoped + 1, sizeof(*scoped_ix)) : NULL;
	if (rc >= 0 && !scoped_ix)
		rc = -ENOMEM;
	for (uint32_t k = 0; rc >= 0 && k < nscoped; k++) {
		size_t llen;
		const char *lid = ft_map_key(&g->col.ctx_ids, scoped[k], &llen);
		if (!ft_adapter_pair_index(&g->ad, lid, llen, &scoped_ix[k]))
			scoped_ix[k] = UINT32_MAX;
	}

	int alone = failed_alone(g);
	for (uint32_t c = 1; rc >= 0 && c < g->col.ctx_ids.count; c++) {
		const struct ft_ctxinfo *ci = &g->col.ctx[c];
		struct ft_test_row t = { 0 };
		size_t len;
		const char *id = ft_map_key(&g->col.ctx_ids, c, &len);
		uint32_t mod = UINT32_MAX;
		const char *file = NULL;
		int known;

		if (!ci->is_test)
			continue;
		known = ft_adapter_test(&g->ad, id, len, &mod, &file);
		rc = put_set(g, &g->deps[c], &sets[t.nsets]);
		if (rc < 0)
			break;
		if (sets[t.nsets])
			t.nsets++;
		if (split && known && mod != UINT32_MAX) {
			if ((sets[t.nsets] = common_id))
				t.nsets++;
			if ((sets[t.nsets] = module_ids[mod]))
				t.nsets++;
		} else if ((sets[t.nsets] = full_id)) {
			t.nsets++;
		}
		if ((sets[t.nsets] = leaked_id))
			t.nsets++;
		for (size_t k = 0; k < nwide; k++)
			sets[t.nsets++] = wide_sets[k];
		uint32_t uix = 0;
		int paired = nscoped && ft_adapter_pair_index(&g->ad, id, len, &uix);
		for (uint32_t k = 0; paired && k < nscoped; k++) {
			if (scoped[k] == c || scoped_ix[k] == UINT32_MAX ||
			    !ft_adapter_leaky_user_ix(&g->ad, scoped_ix[k], uix))
				continue;
			if (own[scoped[k]])
				sets[t.nsets++] = own[scoped[k]];
			if (own_mod[scoped[k]])
				sets[t.nsets++] = own_mod[scoped[k]];
		}
		t.runner = ci->runner ? ci->runner : known ? "pytest" : (g->in->name && !strcmp(id, g->in->name)) ? "command" : "env";
		t.nsets += ft_carry_sets(&carry, t.runner, sets + t.nsets);
		t.nsets = unique_sets(sets, t.nsets);
		t.sets = sets;
		t.name = id;
		t.file = file;
		if (g->in->name && !strcmp(id, g->in->name))
			t.outcome = outcome_of_status(g->in->wstatus);
		else
			t.outcome = ci->ended ? ci->outcome : FT_OUTCOME_UNKNOWN;
		t.untraced = ci->untraced || g->col.prelude_untraced;
		t.guessed = ci->guessed;
		if (alone && t.outcome != FT_OUTCOME_FAILED) {
			t.outcome = FT_OUTCOME_FAILED;
			t.guessed = 1;
			stats->failed_alone++;
		}
		rc = put_test(g, run_id, &t, stats);
		if (rc >= 0)
			rc = put_time(g, run_id, &t, ci, known ? ft_adapter_test_ns(&g->ad, id, len) :
				      ci->own_ns - 1);
		if (rc >= 0 && g->leaky && g->leaky[c])
			rc = note_shares(g, run_id, c, id, len, t.runner, leaked_id, module_ids, nmod,
					 full_id, own[c], own_mod[c]);
		/* A test of a module whose collection changed state that other
		 * modules hold hands on its module's part of the prelude, which
		 * the plugin gave the tests that can read that state: a later
		 * run of some of those tests alone does not collect the module,
		 * while a full run still does (docs/pytest.md, "A run of some
		 * tests").  Carried as a leaky test's shares are. */
		if (rc >= 0 && known && ft_adapter_collect_leaky(&g->ad, file)) {
			int64_t part = split && mod != UINT32_MAX ? module_ids[mod] : full_id;
			if (part)
				rc = ft_store_carry_put(g->st, run_id, id, t.runner, part);
		}
		ntests++;
		stats->untraced += t.untraced != 0;
		stats->partial += t.untraced && ci->partial && !g->col.prelude_untraced;
	}

	/* Nothing marked a test and no adapter ran: the whole command is the
	 * test, named after it, so that its dependencies are not dropped.
	 * With --name (or FTRACE_TEST_ID) it is that name even when no
	 * region carried it (they were deleted: the run is damaged then). */
	if (rc >= 0 && !ntests && !g->ad.present && (g->in->name || g->in->fallback_name)) {
		struct ft_test_row t = { 0 };
		t.name = g->in->name ? g->in->name : g->in->fallback_name;
		t.runner = "command";
		t.outcome = outcome_of_status(g->in->wstatus);
		t.untraced = g->col.prelude_untraced;
		t.sets = &full_id;
		t.nsets = full_id ? 1 : 0;
		rc = put_test(g, run_id, &t, stats);
		if (rc >= 0)
			rc = put_time(g, run_id, &t, NULL, -1);
		ntests++;
		stats->untraced += t.untraced != 0;
		stats->fallback = !g->in->name;
	}
	for (size_t i = 0; g->col.ptree && i < g->col.ptree->n; i++)
		if (g->col.ptree->procs[i].runner > 0 && g->col.ptree->procs[i].runner < 32)
			stats->runner_kinds |= 1u << g->col.ptree->procs[i].runner;
	stats->tests = ntests;
	if (rc >= 0)
		rc = ft_store_carry_gc(g->st);
	if (rc >= 0)
		rc = ft_store_times_prune(g->st);
	ft_carry_release(&carry);
	free(common.v);
	for (size_t m = 0; m < nmod; m++)
		free(per_module[m].v);
	free(per_module);
	free(module_ids);
	free(scoped);
	free(scoped_ix);
	free(own);
	free(own_mod);
	free(wide_sets);
	free(mod_seen);
	free(sets);
	return rc;
}

static int keep_collected(const char *name, void *arg)
{
	const void *const *p = arg;
	return ft_adapter_collected(p[0], p[1], name);
}

/* The pytest tests recorded before from a file this session collected
 * whole, that the file does not hold any more (ft_adapter.h). */
static int forget_gone(struct ingest *g, struct ft_ingest_stats *stats)
{
	size_t n = ft_adapter_collected_count(&g->ad);
	int rc = 0;

	for (size_t i = 0; rc >= 0 && i < n; i++) {
		const char *file = ft_adapter_collected_file(&g->ad, i);
		const void *arg[2] = { &g->ad, file };
		size_t k = 0;
		rc = ft_store_tests_forget(g->st, "pytest", file, keep_collected, (void *)arg, &k);
		stats->forgotten += k;
	}
	return rc;
}

static int keep_unless_named(const char *name, void *arg)
{
	return strcmp(name, (const char *)arg) != 0;
}

/*
 * A run of a command that marked no test stored the whole command as one
 * test named after it (store_tests), failed when its build failed.  A
 * later run of that command that records its tests replaces it: each of
 * them now answers for itself, and the whole-command test would otherwise
 * stay "failed last time", selected by every `affected` for good (a cargo
 * build that failed once).  Only a test of that exact name, never one
 * given a name (--name); *superseded gets the count (0 or 1).
 */
static int forget_superseded(struct ingest *g, struct ft_ingest_stats *stats)
{
	if (g->in->name || !g->in->fallback_name || stats->fallback || !stats->tests)
		return 0;
	return ft_store_tests_forget(g->st, "command", NULL, keep_unless_named,
				     (void *)g->in->fallback_name, &stats->superseded);
}

int ft_ingest_run(struct ft_store *st, const struct ft_ingest *in, struct ft_ingest_stats *stats)
{
	struct ingest g = { .in = in, .st = st };
	struct ft_ptree tree = FT_PTREE_INIT;
	struct ft_run_info run = in->run;
	int64_t run_id;
	char cwd[PATH_MAX], *runners_json = NULL;
	uint8_t *leaky = NULL;    /* by context index: ft_adapter_is_leaky */
	int rc, reading = 0;

	memset(stats, 0, sizeof(*stats));

	/* process-per-test runners: tests by process tree (docs/runners.md) */
	rc = ft_ptree_build(&tree, in->run_dir);
	if (rc >= 0 && in->runners)
		rc = in->runners->apply(&tree, in);
	g.col.ptree = &tree;
	g.col.launched = in->launched;
	g.col.entry_unread = in->runners ? in->runners->entry_unread : NULL;
	if (in->config && in->config->nignore_programs) {
		g.col.ignore_program = ignore_program;
		g.col.ignore_arg = (void *)in->config;
	}
	if (rc >= 0)
		rc = ft_collect_run(&g.col, in->run_dir);
	if (rc >= 0)
		rc = ft_adapter_load(&g.ad, in->run_dir);
	if (rc >= 0)
		rc = ft_adapter_env_scope(&g.ad, &g.col);
	if (rc >= 0) {
		spread_mode_changes(&g);
		g.whole = ft_times_run_whole(&g.col);
		rc = load_pyc_stems(&g);
	}
	if (rc >= 0)
		rc = set_tmpdirs(&g);
	if (rc >= 0)
		rc = ft_state_new(&g.state, st);
	if (rc >= 0) {
		g.ndeps = g.col.ctx_ids.count;
		g.deps = calloc(g.ndeps ? g.ndeps : 1, sizeof(*g.deps));
		if (!g.deps)
			rc = -ENOMEM;
	}
	g.tests_end = ft_collect_tests_end(&g.col);
	g.settled = ft_collect_settled(&g.col);
	if (rc >= 0 && !(leaky = calloc(g.ndeps ? g.ndeps : 1, 1)))
		rc = -ENOMEM;
	for (size_t c = 1; rc >= 0 && c < g.ndeps; c++) {
		size_t len;
		const char *id = ft_map_key(&g.col.ctx_ids, (uint32_t)c, &len);
		leaky[c] = g.col.ctx[c].is_test && ft_adapter_is_leaky(&g.ad, id, len);
		if (leaky[c] && ft_adapter_leaky_scoped(&g.ad, id, len))
			leaky[c] = 2;
	}
	if (rc >= 0)
		rc = ft_kept_unguarded(&g.col, &tree, &g.ad, leaky);
	/* One read transaction for the stat cache's look-ups, path by path
	 * (ft_state.c): not a lock, a check of the -wal and an unlock each.
	 * It ends before the write below begins.  Without it each look-up is
	 * its own: slower, the same answers. */
	if (rc >= 0 && st && ft_store_read_begin_unless(st, &reading) < 0)
		reading = 0;
	for (size_t i = 0; rc >= 0 && i < g.col.nacc; i++) {
		const struct ft_acc *a = &g.col.acc[i];
		size_t before = g.deps[a->ctx].n;
		rc = resolve_acc(&g, a);
		if (rc >= 0 && leaky[a->ctx] == 1)
			rc = note_leaked(&g, &g.deps[a->ctx], before);
	}
	if (reading && ft_store_write_commit(st) < 0)
		ft_store_write_rollback(st); /* never left open for the write's BEGIN */
	if (rc >= 0)
		rc = add_code_deps(&g, leaky);
	if (rc >= 0)
		rc = put_envs(&g, leaky);
	g.leaky = leaky;    /* store_tests hands scoped tests' sets on; freed below */
	for (size_t i = 0; rc >= 0 && i < g.ndeps; i++)
		stats->deps += g.deps[i].n;
	if (rc >= 0)
		note_prelude_unknown(&g, stats);
	stats->regions = g.col.regions;
	stats->records = g.col.records;
	stats->damaged = g.col.damaged;
	stats->refused = g.col.refused;
	memcpy(stats->note, tree.note, sizeof(stats->note));
	stats->git_prelude = g.col.git_prelude;
	stats->lost = g.col.lost;
	memcpy(stats->lost_name, g.col.lost_name, sizeof(stats->lost_name));
	stats->unrecorded = g.col.unrecorded;
	stats->unrecorded_err = g.col.unrecorded_err;
	memcpy(stats->refused_name, g.col.refused_name, sizeof(stats->refused_name));

	if (rc >= 0) {
		if (g.ad.meta_json && !run.meta_json)
			run.meta_json = g.ad.meta_json;
		/* where the runners' own test lists are (new tests, any format) */
		if (!in->name && in->runners && getcwd(cwd, sizeof(cwd)) &&
		    (rc = in->runners->meta(&tree, cwd, in->narrowed, run.meta_json, &runners_json)) >= 0 && runners_json)
			run.meta_json = runners_json;
	}
	if (rc >= 0) {
		rc = ft_store_run_begin(st, &run, &run_id);
		g.opts = (struct ft_optcmp){ .st = st, .runners = in->runners,
					     .meta_json = run.meta_json };
		if (rc >= 0) {
			for (size_t i = 0; rc >= 0 && i < g.ndeps; i++)
				rc = put_listings(&g, &g.deps[i]);
			if (rc >= 0)
				rc = store_tests(&g, run_id, stats);
			if (rc >= 0)
				rc = forget_gone(&g, stats);
			if (rc >= 0)
				rc = forget_superseded(&g, stats);
			if (rc >= 0 && in->runners) {
				size_t k = 0;
				rc = in->runners->forget(st, &tree, run_id, &k);
				stats->forgotten += k;
				for (size_t i = 0; i < tree.ntests; i++)
					stats->untold += tree.tests[i].untold != 0;
			}
			if (rc >= 0)
				rc = ft_store_run_commit(st);
			else
				ft_store_run_abort(st);
		}
		ft_optcmp_release(&g.opts);
	}
	/* The stat cache is only a speed-up: failing to save it loses nothing. */
	if (rc >= 0 && g.state)
		(void)ft_state_flush(g.state);

	if (g.state)
		ft_state_free(g.state);
	for (size_t i = 0; i < g.ndeps; i++)
		free(g.deps[i].v);
	free(g.deps);
	ft_map_release(&g.listed);
	ft_map_release(&g.pyc_stems);
	ft_map_release(&g.real);
	ft_map_release(&g.out_dirs);
	ft_map_release(&g.data_reads);
	free(g.leaked.v);
	free(g.leaky);
	ft_envsnap_release(&g.env);
	ft_map_release(&g.env_paths);
	free_strs(g.kept, g.nkept);
	free(g.kept_root);
	ft_adapter_release(&g.ad);
	ft_collect_release(&g.col);
	ft_ptree_release(&tree);
	free(runners_json);
	return rc;
}
