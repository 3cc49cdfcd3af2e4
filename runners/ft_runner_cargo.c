/*
 * ft_runner_cargo.c - see ft_runner_cargo.h and docs/cargo.md.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <stdint.h>
#include <sys/stat.h>

#include "ft_depinfo.h"
#include "ft_error.h"
#include "ft_file.h"
#include "ft_path.h"
#include "ft_ptree.h"
#include "ft_record.h"
#include "ft_recwrite.h"
#include "ft_runner.h"
#include "ft_runner_cargo.h"
#include "ft_rust_env.h"

static const char *base(const char *p)
{
	const char *s = p ? strrchr(p, '/') : NULL;
	return s ? s + 1 : p ? p : "";
}

/* cargo's options before the subcommand that take a separate value */
static int takes_value(const char *a)
{
	return !strcmp(a, "-C") || !strcmp(a, "--config") || !strcmp(a, "-Z") ||
	       !strcmp(a, "--color") || !strcmp(a, "--manifest-path");
}

/* index of cargo's subcommand word, or -1 */
static int subcommand(char *const *argv, int argc)
{
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '+')
			continue; /* rustup's +toolchain */
		if (argv[i][0] == '-') {
			if (takes_value(argv[i]))
				i++;
			continue;
		}
		return i;
	}
	return -1;
}

int ft_cargo_is_test(char *const *argv, int argc)
{
	int s;

	if (argc < 2 || strcmp(base(argv[0]), "cargo"))
		return 0;
	s = subcommand(argv, argc);
	return s > 0 && (!strcmp(argv[s], "test") || !strcmp(argv[s], "t"));
}

int ft_cargo_is_nextest(char *const *argv, int argc)
{
	int s;

	/* `cargo nextest run`: cargo starts cargo-nextest, which runs them */
	if (argc > 2 && !strcmp(base(argv[0]), "cargo") && (s = subcommand(argv, argc)) > 0 &&
	    !strcmp(argv[s], "nextest") && s + 1 < argc &&
	    (!strcmp(argv[s + 1], "run") || !strcmp(argv[s + 1], "r")))
		return 1;
	if (argc < 2 || strcmp(base(argv[0]), "cargo-nextest"))
		return 0;
	/* `cargo-nextest nextest run ...`, as cargo starts it */
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "run") || !strcmp(argv[i], "r"))
			return 1;
	return 0;
}

static const char *arg_value(const struct ft_ptree_proc *p, const char *opt)
{
	size_t l = strlen(opt);

	for (int i = 1; i < p->argc; i++) {
		if (!strcmp(p->argv[i], opt) && i + 1 < p->argc)
			return p->argv[i + 1];
		if (!strncmp(p->argv[i], opt, l) && p->argv[i][l] == '=')
			return p->argv[i] + l + 1;
	}
	return NULL;
}

/* cargo metadata, once per run, with the runner's own cargo and manifest */
static int load(struct ft_cargo_run *c, const struct ft_ptree *t, const struct ft_ptree_proc *r)
{
	const char *cargo = NULL;

	if (c->tried)
		return c->loaded;
	c->tried = 1;
	/* the toolchain's cargo: the runner itself, or (nextest) the
	 * `cargo test --no-run` it started, else cargo from PATH */
	if (r->runner == FT_RUNNER_CARGO && r->exe && !strcmp(base(r->exe), "cargo"))
		cargo = r->exe;
	for (size_t i = 0; !cargo && i < t->n; i++)
		if (t->procs[i].runner == FT_RUNNER_CARGO && t->procs[i].exe &&
		    !strcmp(base(t->procs[i].exe), "cargo"))
			cargo = t->procs[i].exe;
	if (cargo) {
		char dir[PATH_MAX];
		snprintf(dir, sizeof(dir), "%.*s/rustc", (int)(base(cargo) - cargo - 1), cargo);
		if (access(dir, X_OK) == 0)
			c->rustc = strdup(dir);
	}
	c->loaded = ft_cargo_meta_load_for(&c->meta, cargo, arg_value(r, "--manifest-path"),
					   arg_value(r, "--target")) == 0;
	return c->loaded;
}

/* `<dir>/deps/NAME-HASH` with NAME-HASH.d beside it: the dep-info path
 * (malloc'd), else NULL */
static char *test_binary_depinfo(const char *prog)
{
	const char *b = base(prog), *dash = strrchr(b, '-');
	char *d;
	struct stat st;

	if (!prog || prog[0] != '/' || b - prog < 6 || strncmp(b - 6, "/deps/", 6) || !dash ||
	    strlen(dash + 1) != 16)
		return NULL;
	if (asprintf(&d, "%s.d", prog) < 0)
		return NULL;
	if (stat(d, &st) < 0 || !S_ISREG(st.st_mode)) {
		free(d);
		return NULL;
	}
	return d;
}

static long add_test(struct ft_cargo_run *c, struct ft_ptree *t, const char *id,
		     const char *runner, size_t pkg, int kind, char *depinfo)
{
	long k = ft_ptree_test(t, id, runner);

	if (k < 0) {
		free(depinfo);
		return k;
	}
	for (size_t i = 0; i < c->n; i++)
		if (c->tests[i].test == k) {
			free(depinfo);
			return k;
		}
	if (c->n == c->cap) {
		size_t nc = c->cap ? c->cap * 2 : 16;
		struct ft_cargo_test *nv = realloc(c->tests, nc * sizeof(*nv));
		if (!nv) {
			free(depinfo);
			return -ENOMEM;
		}
		c->tests = nv;
		c->cap = nc;
	}
	c->tests[c->n].test = k;
	c->tests[c->n].pkg = pkg;
	c->tests[c->n].depinfo = depinfo;
	c->tests[c->n].kind = kind;
	c->tests[c->n].deps_dir = NULL;
	c->n++;
	return k;
}

/* rustdoc --test --crate-name N --test-run-directory DIR: PKG/doc */
static long name_doc(struct ft_cargo_run *c, struct ft_ptree *t, const struct ft_ptree_proc *p)
{
	const char *crate = arg_value(p, "--crate-name"), *dir = arg_value(p, "--test-run-directory");
	char real[PATH_MAX], pdir[PATH_MAX];
	long hit = -1;
	int nhit = 0;

	if (!crate || !dir || !realpath(dir, real))
		return -1;
	for (size_t i = 0; i < c->meta.n; i++) {
		const struct ft_cargo_pkg *pk = &c->meta.pkgs[i];
		if (!realpath(pk->dir, pdir) || strcmp(pdir, real))
			continue;
		for (size_t j = 0; j < pk->ntargets; j++)
			if (pk->targets[j].kind == FT_CARGO_LIB && !strcmp(pk->targets[j].name, crate)) {
				hit = (long)i;
				nhit++;
			}
	}
	if (nhit != 1)
		return -1;
	{
		char *id = ft_cargo_doc_id(&c->meta.pkgs[hit]);
		long k;
		if (!id)
			return -ENOMEM;
		k = add_test(c, t, id, "cargo", (size_t)hit, 0, NULL);
		free(id);
		/* where its libraries were built (--release: target/release/deps) */
		for (int i = 1; k >= 0 && i < p->argc; i++) {
			const char *v = !strcmp(p->argv[i], "-L") && i + 1 < p->argc ? p->argv[i + 1]
				      : !strncmp(p->argv[i], "-L", 2) ? p->argv[i] + 2 : NULL;
			for (size_t j = 0; v && !strncmp(v, "dependency=", 11) && j < c->n; j++)
				if (c->tests[j].test == k && !c->tests[j].deps_dir &&
				    !(c->tests[j].deps_dir = strdup(v + 11)))
					return -ENOMEM;
		}
		return k;
	}
}

long ft_cargo_name(struct ft_cargo_run *c, struct ft_ptree *t, const struct ft_ptree_proc *r,
		   const struct ft_ptree_proc *p)
{
	struct ft_depinfo d = FT_DEPINFO_INIT;
	char *depinfo, *id = NULL;
	const char *name = NULL;
	size_t pi, ti;
	long k;

	if (!p->argv || p->argc < 1 || !load(c, t, r))
		return -1;
	if (r->runner == FT_RUNNER_CARGO && !strcmp(base(p->argv[0]), "rustdoc"))
		return name_doc(c, t, p);
	if (r->runner == FT_RUNNER_NEXTEST) {
		name = arg_value(p, "--exact");
		if (name && name[0] == '-')
			name = NULL;
		/* `BIN --exact NAME`, or `BIN NAME --exact --nocapture` (older
		 * nextest) */
		for (int i = 1; !name && i + 1 < p->argc; i++)
			if (!strcmp(p->argv[i + 1], "--exact") && p->argv[i][0] != '-')
				name = p->argv[i];
		if (!name)
			return -1;
	}
	if (!(depinfo = test_binary_depinfo(p->argv[0])))
		return -1;
	if (ft_depinfo_read(&d, depinfo, c->meta.workspace_root) < 0 || !d.first ||
	    ft_cargo_meta_find_src(&c->meta, d.first, &pi, &ti) < 0) {
		ft_depinfo_release(&d);
		free(depinfo);
		return -1;
	}
	ft_depinfo_release(&d);
	if (r->runner == FT_RUNNER_NEXTEST) {
		char *bin = ft_cargo_binary_id(&c->meta.pkgs[pi], &c->meta.pkgs[pi].targets[ti]);
		if (bin && asprintf(&id, "%s %s", bin, name) < 0)
			id = NULL;
		free(bin);
	} else {
		id = ft_cargo_test_id(&c->meta.pkgs[pi], &c->meta.pkgs[pi].targets[ti]);
	}
	if (!id) {
		free(depinfo);
		return -ENOMEM;
	}
	k = add_test(c, t, id, r->runner == FT_RUNNER_NEXTEST ? "nextest" : "cargo", pi,
		     c->meta.pkgs[pi].targets[ti].kind, depinfo);
	free(id);
	return k;
}

/* Read into `d` every `NAME-HASH.d` of `deps_dir` that builds target t
 * of package q: for a library, one that builds a lib*.rlib/.rmeta/.so;
 * else one whose crate root is t's.  Stale ones (an older build) are read
 * too: a superset, never less. */
static int add_target_sources(struct ft_depinfo *d, const struct ft_cargo_meta *m, size_t q,
			      const struct ft_cargo_target *t, const char *deps_dir)
{
	char stem[512], root[PATH_MAX];
	struct dirent *e;
	DIR *dir;
	int rc = 0;

	(void)q;
	snprintf(stem, sizeof(stem), "%s", t->name);
	for (char *s = stem; *s; s++)
		if (*s == '-')
			*s = '_';
	strncat(stem, "-", sizeof(stem) - strlen(stem) - 1);
	if (!realpath(t->src_path, root))
		snprintf(root, sizeof(root), "%s", t->src_path);
	if (!(dir = opendir(deps_dir)))
		return 0;
	while (rc >= 0 && (e = readdir(dir))) {
		struct ft_depinfo one = FT_DEPINFO_INIT;
		size_t l = strlen(e->d_name), sl = strlen(stem);
		char path[PATH_MAX], first[PATH_MAX];
		int match;

		if (l != sl + 16 + 2 || strncmp(e->d_name, stem, sl) || strcmp(e->d_name + l - 2, ".d"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", deps_dir, e->d_name);
		if (ft_depinfo_read(&one, path, m->workspace_root) < 0 || !one.first) {
			ft_depinfo_release(&one);
			continue;
		}
		if (t->kind == FT_CARGO_LIB)
			match = one.is_lib;
		else
			match = !one.is_lib && (!strcmp(one.first, t->src_path) || !strcmp(one.first, root) ||
						(realpath(one.first, first) && !strcmp(first, root)));
		for (size_t i = 0; match && rc >= 0 && i < one.n; i++)
			rc = ft_depinfo_add(d, one.srcs[i], NULL);
		for (size_t i = 0; match && rc >= 0 && i < one.nenv; i++)
			rc = ft_depinfo_add_env(d, one.envs[i], strlen(one.envs[i]));
		ft_depinfo_release(&one);
	}
	closedir(dir);
	return rc;
}

/* The library of every package the test's package reaches; for an
 * integration test, bench or example also its package's binaries: cargo
 * builds them for it and it may run them (CARGO_BIN_EXE_<name>). */
static int add_linked_sources(struct ft_depinfo *d, const struct ft_cargo_meta *m,
			      const unsigned char *reach, size_t pkg, int kind, const char *deps_dir)
{
	int rc = 0;

	for (size_t q = 0; rc >= 0 && q < m->n; q++)
		for (size_t j = 0; rc >= 0 && reach[q] && j < m->pkgs[q].ntargets; j++) {
			const struct ft_cargo_target *t = &m->pkgs[q].targets[j];
			int bin_exe = q == pkg && t->kind == FT_CARGO_BIN &&
				      (kind == FT_CARGO_TEST || kind == FT_CARGO_BENCH || kind == FT_CARGO_EXAMPLE);
			if (t->kind == FT_CARGO_LIB || bin_exe)
				rc = add_target_sources(d, m, q, t, deps_dir);
		}
	return rc;
}

static int add_dir(char ***v, size_t *n, const char *dir)
{
	char **nv;

	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i], dir))
			return 0;
	if (!(nv = realloc(*v, (*n + 1) * sizeof(*nv))))
		return -ENOMEM;
	*v = nv;
	if (!(nv[*n] = strdup(dir)))
		return -ENOMEM;
	(*n)++;
	return 0;
}

/* Every source named by a dep-info file of `deps_dir`: what cargo's
 * freshness check stats and rustc reads for the crates built there. */
static int collect_build_srcs(struct ft_ptree *t, const char *deps_dir, const char *ws_root)
{
	struct dirent *e;
	DIR *dir = opendir(deps_dir);
	int rc = 0;

	if (!dir)
		return 0;
	while (rc >= 0 && (e = readdir(dir))) {
		struct ft_depinfo d = FT_DEPINFO_INIT;
		size_t l = strlen(e->d_name);
		char path[PATH_MAX];
		uint32_t v;
		int added;

		if (l < 3 || strcmp(e->d_name + l - 2, ".d"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", deps_dir, e->d_name);
		if (ft_depinfo_read(&d, path, ws_root) >= 0)
			for (size_t i = 0; rc >= 0 && i < d.n; i++) {
				char real[PATH_MAX];
				size_t n = strlen(d.srcs[i]);
				long rl;

				rc = ft_map_intern(&t->build_srcs, d.srcs[i], n, &v, &added);
				/* `include_str!("../data/x")` from tests/: dep-info
				 * says tests/../data/x, cargo's check stats data/x.
				 * The same file: its stat is build work's too. */
				if (rc >= 0 && d.srcs[i][0] == '/' &&
				    (rl = ft_path_real(d.srcs[i], n, real, sizeof(real))) > 0 &&
				    ((size_t)rl != n || memcmp(real, d.srcs[i], n) != 0))
					rc = ft_map_intern(&t->build_srcs, real, (size_t)rl, &v, &added);
			}
		ft_depinfo_release(&d);
	}
	closedir(dir);
	return rc;
}

static int is_build_tool(const struct ft_ptree_proc *p)
{
	const char *e = base(p->exe), *a = p->argv && p->argc ? base(p->argv[0]) : "";

	/* any cargo: nextest's `cargo metadata` stats every crate root too */
	return p->runner == FT_RUNNER_CARGO || !strcmp(e, "rustc") || !strcmp(e, "rustdoc") ||
	       !strcmp(e, "cargo") || !strcmp(a, "rustc") || !strcmp(a, "rustdoc") || !strcmp(a, "cargo");
}

/* What cargo reads of the environment for a build, where no hook sees it
 * (it copies the environment once, then looks names up in its copy):
 * every config key as CARGO_<KEY> (CARGO_PROFILE_TEST_OPT_LEVEL,
 * CARGO_BUILD_RUSTFLAGS, CARGO_TARGET_<TRIPLE>_RUNNER, ...: a prefix, "P="
 * in common/ft_envdep.h), its internal __CARGO_ ones, and the variables
 * it documents beside them that choose the compiler and its flags.  Every
 * test of a cargo run depends on them: a new value rebuilds the tests. */
static const char *const cargo_env[] = {
	"CARGO_=", "__CARGO_=", "NEXTEST_=",
	"CARGO", "RUSTC", "RUSTC_WRAPPER", "RUSTC_WORKSPACE_WRAPPER", "RUSTDOC",
	"RUSTFLAGS", "RUSTDOCFLAGS", "RUSTC_BOOTSTRAP", "RUSTUP_TOOLCHAIN",
};

/* The directory `name` beside deps directory `deps_dir`, in its profile
 * directory (target/debug/build for target/debug/deps), into buf; 0, or
 * -1 when deps_dir has no parent or the path does not fit */
static int profile_sibling(const char *deps_dir, const char *name, char *buf, size_t size)
{
	const char *slash = strrchr(deps_dir, '/');

	if (!slash || (size_t)snprintf(buf, size, "%.*s/%s", (int)(slash - deps_dir), deps_dir, name) >=
			      size)
		return -1;
	return 0;
}

/* fn(arg, NAME, text, len) for each build script's `output` of the
 * profile directory that deps directory `deps_dir` is in: every
 * build/NAME/output beside it.  Each is read as hostile input (a regular
 * file, no link, at most 1 MiB, NUL-terminated for fn to cut up); one that
 * cannot be read is none (cargo then runs that script again at the next
 * build, which reads its sources).  fn's negative return stops. */
static int each_build_output(const char *deps_dir, int (*fn)(void *arg, const char *name, char *text),
			     void *arg)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct dirent *e;
	DIR *dp;
	int rc = 0;

	if (profile_sibling(deps_dir, "build", dir, sizeof(dir)) < 0 || !(dp = opendir(dir)))
		return 0;
	while (rc >= 0 && (e = readdir(dp))) {
		size_t len = 0;
		char *text;

		if (e->d_name[0] == '.' ||
		    (size_t)snprintf(path, sizeof(path), "%s/%s/output", dir, e->d_name) >= sizeof(path))
			continue;
		if (!(text = ft_file_read(path, O_NOFOLLOW, &len, NULL)))
			continue;
		if (len <= (1u << 20))
			rc = fn(arg, e->d_name, text);
		free(text);
	}
	closedir(dp);
	return rc;
}

/* The most entries, and the deepest level, that the rerun-if-changed
 * directories are walked for, per test and deps directory
 * (add_build_outputs).  A directory named by a build script's output is
 * hostile input: each level holds a path buffer and a descriptor. */
#define FT_CARGO_RERUN_WALK_MAX 4096
#define FT_CARGO_RERUN_DEPTH_MAX 32

/* The files under directory `dir` into d, and each directory into *dirs
 * (its listing), depth first, links not followed; at most *budget
 * entries, FT_CARGO_RERUN_DEPTH_MAX levels below `depth`.  A directory
 * that cannot be read adds nothing more. */
static int rerun_walk(struct ft_depinfo *d, char ***dirs, size_t *ndirs, const char *dir,
		      size_t *budget, int depth)
{
	struct dirent *e;
	DIR *dp;
	int rc;

	if ((rc = add_dir(dirs, ndirs, dir)) < 0 || depth >= FT_CARGO_RERUN_DEPTH_MAX ||
	    !(dp = opendir(dir)))
		return rc;
	while (rc >= 0 && *budget && (e = readdir(dp))) {
		char path[PATH_MAX];
		struct stat sb;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    (size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= sizeof(path) ||
		    lstat(path, &sb) < 0)
			continue;
		(*budget)--;
		if (S_ISDIR(sb.st_mode))
			rc = rerun_walk(d, dirs, ndirs, path, budget, depth + 1);
		else
			rc = ft_depinfo_add(d, path, NULL);
	}
	closedir(dp);
	return rc;
}

/* The package of build directory name `name` (NAME-<16 hex digits>) that
 * the test reaches: its index, or -1 */
static long build_dir_pkg(const struct ft_cargo_meta *m, const unsigned char *reach, const char *name,
			  size_t from)
{
	size_t l = strlen(name);

	if (l < 18 || name[l - 17] != '-' || strspn(name + l - 16, "0123456789abcdef") != 16)
		return -1;
	for (size_t q = from; q < m->n; q++)
		if (reach[q] && m->pkgs[q].name && m->pkgs[q].dir &&
		    strlen(m->pkgs[q].name) == l - 17 && !strncmp(m->pkgs[q].name, name, l - 17))
			return (long)q;
	return -1;
}

struct build_outputs {
	struct ft_depinfo *d;
	char ***dirs;              /* the watched directories, for their listings */
	size_t *ndirs;
	const struct ft_cargo_meta *m;
	const unsigned char *reach;
	size_t budget;             /* directory entries left to walk */
};

/* A watched path p of the build script of build directory `name`: for
 * each package of that name the test reaches, the file (relative to the
 * package's directory), or a directory's files and listings */
static int rerun_path(struct build_outputs *o, const char *name, const char *p)
{
	int rc = 0;

	for (long q = build_dir_pkg(o->m, o->reach, name, 0); rc >= 0 && q >= 0;
	     q = build_dir_pkg(o->m, o->reach, name, (size_t)q + 1)) {
		const char *dir = p[0] == '/' ? "" : o->m->pkgs[q].dir;
		char full[PATH_MAX];
		struct stat sb;

		if ((size_t)snprintf(full, sizeof(full), "%s%s%s", dir, *dir ? "/" : "", p) >=
		    sizeof(full))
			continue;
		if (stat(full, &sb) == 0 && S_ISDIR(sb.st_mode))
			rc = rerun_walk(o->d, o->dirs, o->ndirs, full, &o->budget, 0);
		else
			rc = ft_depinfo_add(o->d, full, NULL);
	}
	return rc;
}

/* One build script's output (each_build_output), line by line */
static int output_lines(void *arg, const char *name, char *text)
{
	static const char *const envs[] = { "cargo:rerun-if-env-changed=",
					    "cargo::rerun-if-env-changed=" };
	static const char *const files[] = { "cargo:rerun-if-changed=", "cargo::rerun-if-changed=" };
	struct build_outputs *o = arg;
	int rc = 0, reached = build_dir_pkg(o->m, o->reach, name, 0) >= 0;
	char *line, *save = NULL;

	for (line = strtok_r(text, "\n", &save); line && rc >= 0; line = strtok_r(NULL, "\n", &save)) {
		line[strcspn(line, "\r")] = '\0';
		for (size_t k = 0; rc >= 0 && k < sizeof(envs) / sizeof(envs[0]); k++) {
			size_t el = strlen(envs[k]), fl = strlen(files[k]);

			if (!strncmp(line, envs[k], el) && line[el] && !strchr(line + el, '='))
				rc = ft_depinfo_add_env(o->d, line + el, strlen(line + el));
			else if (reached && !strncmp(line, files[k], fl) && line[fl])
				rc = rerun_path(o, name, line + fl);
		}
	}
	return rc;
}

/*
 * What the build scripts of deps_dir's profile say of their inputs, in
 * their `output` files:
 *  - every script's `cargo:rerun-if-env-changed=NAME` (or `cargo::`):
 *    cargo runs the script again, and rebuilds what uses its result, when
 *    the variable changes;
 *  - the `cargo:rerun-if-changed=PATH` of a script of a package the test
 *    reaches: cargo runs it again when the file changes, and rebuilds
 *    what uses its output (a generated source the library includes).
 *    Those files are the test's (into d; a directory's files, and its
 *    listings into *dirs).  A file that a test's own dep-info names too
 *    (`include_str!`) is a build source, whose freshness check is no
 *    prelude's, so without this the script's watch of it reached no test
 *    but the one that included it.  PATH is relative to the package's
 *    directory.
 */
static int add_build_outputs(struct ft_depinfo *d, char ***dirs, size_t *ndirs,
			     const struct ft_cargo_meta *m, const unsigned char *reach,
			     const char *deps_dir)
{
	struct build_outputs o = { d, dirs, ndirs, m, reach, FT_CARGO_RERUN_WALK_MAX };

	return each_build_output(deps_dir, output_lines, &o);
}

/* The sources and variables of the package's examples (their dep-info in
 * the profile's examples/ directory, beside deps/), for an integration
 * test or bench: cargo builds them with it, and it may run them from
 * there (no CARGO_BIN_EXE_ names them, but their path is known) */
static int add_examples(struct ft_depinfo *d, const struct ft_cargo_meta *m, size_t pkg, int kind,
			const char *deps_dir)
{
	char dir[PATH_MAX];
	int rc = 0;

	if ((kind != FT_CARGO_TEST && kind != FT_CARGO_BENCH) ||
	    profile_sibling(deps_dir, "examples", dir, sizeof(dir)) < 0)
		return 0;
	for (size_t j = 0; rc >= 0 && j < m->pkgs[pkg].ntargets; j++)
		if (m->pkgs[pkg].targets[j].kind == FT_CARGO_EXAMPLE)
			rc = add_target_sources(d, m, pkg, &m->pkgs[pkg].targets[j], dir);
	return rc;
}

/* Does source `src`, of a workspace member, iterate the environment
 * (ft_rust_env.h)?  Each file is read once per run (at most 16 MiB; one
 * that cannot be read says no: a test that compiled it read it, and its
 * change selects the test).  0, 1, or -ENOMEM. */
static int member_reads_env(struct ft_cargo_run *c, const char *src)
{
	uint32_t idx;
	int added, rc, member = 0;
	size_t len = 0;
	char *text;

	for (size_t q = 0; !member && q < c->meta.n; q++) {
		const char *dir = c->meta.pkgs[q].dir;
		size_t dl = dir ? strlen(dir) : 0;
		member = c->meta.pkgs[q].member && dl && !strncmp(src, dir, dl) && src[dl] == '/';
	}
	if (!member)
		return 0;
	if ((rc = ft_map_intern(&c->scanned, src, strlen(src), &idx, &added)) < 0)
		return rc;
	if (!added)
		return c->whole[idx];
	if (idx >= c->wcap) {
		size_t nc = c->wcap ? c->wcap * 2 : 64;
		unsigned char *nw;
		while (nc <= idx)
			nc *= 2;
		if (!(nw = realloc(c->whole, nc)))
			return -ENOMEM;
		c->whole = nw;
		c->wcap = nc;
	}
	c->whole[idx] = 0;
	if ((text = ft_file_read(src, 0, &len, NULL))) {
		c->whole[idx] = len <= (16u << 20) && ft_rust_env_whole(text, len);
		free(text);
	} else if (errno == ENOMEM) {
		return -ENOMEM;
	}
	return c->whole[idx];
}

/*
 * A module file's other name.  rustc takes `mod common;` from
 * `tests/common.rs` or `tests/common/mod.rs`, and fails (E0761) when both
 * exist, but dep-info names only the one it found: a new `common.rs` next
 * to `common/mod.rs` changed nothing the recording held, unless rustc ran
 * during it and its probe was seen (a probe of a real crate: five
 * integration tests failed, none selected).  So each source of the
 * workspace has its other name as an absence: `X/mod.rs` for `X.rs`,
 * `X.rs` for `X/mod.rs`.  A crate root gets one too (harmless: nothing
 * looks there).  An other name that exists is left alone (rustc already
 * refused that).
 */
static int add_module_alternatives(struct ft_recwrite *w, const struct ft_depinfo *d,
				   const char *ws_root)
{
	size_t rl = ws_root ? strlen(ws_root) : 0;
	int rc = 0;

	for (size_t k = 0; rc >= 0 && k < d->n; k++) {
		const char *p = d->srcs[k];
		size_t n = strlen(p);
		char alt[PATH_MAX];
		struct stat sb;
		int len;

		if (!rl || n < rl + 4 || strncmp(p, ws_root, rl) || p[rl] != '/' ||
		    strcmp(p + n - 3, ".rs"))
			continue;
		if (n >= 7 && !strcmp(p + n - 7, "/mod.rs"))
			len = snprintf(alt, sizeof(alt), "%.*s.rs", (int)(n - 7), p);
		else
			len = snprintf(alt, sizeof(alt), "%.*s/mod.rs", (int)(n - 3), p);
		if (len <= 0 || (size_t)len >= sizeof(alt) || lstat(alt, &sb) == 0 ||
		    (errno != ENOENT && errno != ENOTDIR))
			continue;
		rc = ft_recwrite_add(w, FT_REC_ACCESS, FT_OP_STAT, (uint8_t)errno, FT_AC_STAT, alt,
				     (size_t)len);
	}
	return rc;
}

/* Write test i's sources as read records in its own context (run_dir not
 * NULL); they are build sources too.  And the environment variables its
 * build read: cargo's own (cargo_env), rustc's (`env!`, `option_env!`:
 * the dep-info's env-dep lines) and its build scripts'; the whole
 * environment where a member's source iterates it (member_reads_env). */
static int write_deps(struct ft_cargo_run *c, struct ft_ptree *t, size_t i,
		      char *const *dirs, size_t ndirs, const char *run_dir)
{
	const struct ft_cargo_test *ct = &c->tests[i];
	struct ft_depinfo d = FT_DEPINFO_INIT;
	struct ft_recwrite w = FT_RECWRITE_INIT;
	unsigned char *reach = malloc(c->meta.n + 1);
	const char *id = t->tests[ct->test].id;
	char name[64], **listed = NULL;
	size_t nlisted = 0;
	int rc = reach ? 0 : -ENOMEM;

	if (rc >= 0 && ct->depinfo)
		rc = ft_depinfo_read(&d, ct->depinfo, c->meta.workspace_root);
	if (rc >= 0)
		ft_cargo_meta_closure(&c->meta, ct->pkg, reach);
	for (size_t k = 0; rc >= 0 && k < ndirs; k++)
		rc = add_linked_sources(&d, &c->meta, reach, ct->pkg, ct->kind, dirs[k]);
	for (size_t k = 0; rc >= 0 && k < ndirs; k++)
		rc = add_build_outputs(&d, &listed, &nlisted, &c->meta, reach, dirs[k]);
	for (size_t k = 0; rc >= 0 && k < sizeof(cargo_env) / sizeof(cargo_env[0]); k++)
		rc = ft_depinfo_add_env(&d, cargo_env[k], strlen(cargo_env[k]));
	for (size_t k = 0; rc >= 0 && k < d.n; k++)
		if ((rc = member_reads_env(c, d.srcs[k])) > 0) {
			rc = ft_depinfo_add_env(&d, "=", 1);
			break;
		}
	if (rc >= 0 && c->rustc)
		rc = ft_depinfo_add(&d, c->rustc, NULL);
	for (size_t k = 0; rc >= 0 && k < d.n; k++) {
		uint32_t v;
		int added;
		rc = ft_map_intern(&t->build_srcs, d.srcs[k], strlen(d.srcs[k]), &v, &added);
	}
	/* (not build sources: an example's freshness check stays the
	 * prelude's, as its failed build fails the whole run) */
	for (size_t k = 0; rc >= 0 && k < ndirs; k++)
		rc = add_examples(&d, &c->meta, ct->pkg, ct->kind, dirs[k]);
	if (rc >= 0)
		rc = ft_recwrite_add(&w, FT_REC_CONTEXT, 0, 0, 0, id, strlen(id));
	for (size_t k = 0; rc >= 0 && k < d.n; k++)
		rc = ft_recwrite_add(&w, FT_REC_ACCESS, FT_OP_OPEN, 0, FT_AC_READ, d.srcs[k],
				     strlen(d.srcs[k]));
	for (size_t k = 0; rc >= 0 && k < nlisted; k++)
		rc = ft_recwrite_add(&w, FT_REC_ACCESS, FT_OP_GETDENTS, 0, FT_AC_LIST, listed[k],
				     strlen(listed[k]));
	if (rc >= 0)
		rc = add_module_alternatives(&w, &d, c->meta.workspace_root);
	for (size_t k = 0; rc >= 0 && k < d.nenv; k++)
		rc = ft_recwrite_add(&w, FT_REC_ENV, FT_OP__NONE, 0, 0, d.envs[k], strlen(d.envs[k]));
	snprintf(name, sizeof(name), "cargo-deps-%zu", i);
	w.flags |= FT_REGION_AT_INGEST; /* its times are not the run's */
	if (rc >= 0 && run_dir)
		rc = ft_recwrite_save(&w, run_dir, name);
	ft_recwrite_release(&w);
	ft_depinfo_release(&d);
	for (size_t k = 0; k < nlisted; k++)
		free(listed[k]);
	free(listed);
	free(reach);
	return rc;
}

/*
 * Cargo's own bookkeeping in its home ($CARGO_HOME, else ~/.cargo): the
 * global cache tracker (.global-cache, an SQLite database of when each
 * downloaded crate and checkout was last used, read and written by every
 * cargo command that uses the registry, for `cargo clean gc` and the
 * automatic one) and its journal files, and the package cache's lock
 * files.  No build reads them to decide what to compile; what a gc
 * deletes lives under registry/ and git/, which the builds that use it
 * record in their own right.  As dependencies, a cargo command in any
 * other project (or in this one, outside ftrace) selected every cargo
 * test here.  Own files: not dependencies (ft_ptree.h).  Both the name
 * as given and its real path, as either may be what was opened.
 */
static const char *const cargo_home_files[] = {
	".global-cache", ".global-cache-journal", ".global-cache-wal", ".global-cache-shm",
	".package-cache", ".package-cache-mutate",
};

static int own_in(struct ft_ptree *t, const char *dir)
{
	char path[PATH_MAX + 64];
	uint32_t id;
	int rc = 0;

	for (size_t i = 0; rc >= 0 && i < sizeof(cargo_home_files) / sizeof(cargo_home_files[0]); i++)
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, cargo_home_files[i]) < sizeof(path))
			rc = ft_map_intern(&t->own_files, path, strlen(path), &id, NULL);
	return rc;
}

int ft_cargo_home_own(struct ft_ptree *t, const char *cargo_home, const char *home)
{
	char dir[PATH_MAX], real[PATH_MAX];
	int rc;

	if (cargo_home && cargo_home[0] == '/')
		snprintf(dir, sizeof(dir), "%s", cargo_home);
	else if (!cargo_home && home && home[0] == '/')
		snprintf(dir, sizeof(dir), "%s/.cargo", home);
	else
		return 0; /* a relative or empty CARGO_HOME: where it is depends on cargo's cwd */
	rc = own_in(t, dir);
	if (rc >= 0 && realpath(dir, real) && strcmp(real, dir) != 0)
		rc = own_in(t, real);
	return rc;
}

/*
 * The directories cargo lists only to find test targets: tests/ and
 * src/bin of a package without a build script.  A new entry there is a
 * new target, which `ftrace affected` finds as a new test.  Not examples/
 * or benches/: a new example (or a bench, under --all-targets) is built by
 * the run but is no test, and failing to compile fails every test.  Not
 * any directory of a package with a build script: cargo's check of it
 * lists the whole package when the script names no rerun-if-changed, and
 * a new file there runs it again.  Both the directory as cargo metadata
 * names it and its real path.
 */
static int add_target_dir(struct ft_ptree *t, const char *dir, const char *sub)
{
	char path[PATH_MAX + 16], real[PATH_MAX];
	uint32_t id;
	int rc;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, sub) >= sizeof(path))
		return 0;
	rc = ft_map_intern(&t->target_dirs, path, strlen(path), &id, NULL);
	if (rc >= 0 && realpath(path, real) && strcmp(real, path) != 0)
		rc = ft_map_intern(&t->target_dirs, real, strlen(real), &id, NULL);
	return rc;
}

int ft_cargo_target_dirs(const struct ft_cargo_meta *m, struct ft_ptree *t)
{
	int rc = 0;

	for (size_t i = 0; rc >= 0 && i < m->n; i++) {
		const struct ft_cargo_pkg *p = &m->pkgs[i];
		int build = 0;

		for (size_t k = 0; k < p->ntargets; k++)
			build |= p->targets[k].kind == FT_CARGO_BUILD;
		if (build || !p->dir)
			continue;
		rc = add_target_dir(t, p->dir, "tests");
		if (rc >= 0)
			rc = add_target_dir(t, p->dir, "src/bin");
	}
	return rc;
}

int ft_cargo_finish(struct ft_cargo_run *c, struct ft_ptree *t, const char *run_dir)
{
	char **dirs = NULL, real[PATH_MAX], buf[PATH_MAX];
	size_t ndirs = 0;
	int rc = 0;

	if (!c->loaded)
		return 0;
	/* the target directory holds build output only: every input of it
	 * is a dependency of its own (sources, manifests, the toolchain) */
	if (!t->bookkeeping[FT_BK_CARGO_TARGET] && realpath(c->meta.target_dir, real) && !(t->bookkeeping[FT_BK_CARGO_TARGET] = strdup(real)))
		return -ENOMEM;
	/* the environment the command had: `ftrace run` passes its own on */
	if ((rc = ft_cargo_home_own(t, getenv("CARGO_HOME"), getenv("HOME"))) < 0)
		return rc;
	if ((rc = ft_cargo_target_dirs(&c->meta, t)) < 0)
		return rc;
	for (size_t i = 0; rc >= 0 && i < c->n; i++)
		if (c->tests[i].depinfo) {
			snprintf(buf, sizeof(buf), "%s", c->tests[i].depinfo);
			*strrchr(buf, '/') = '\0';
			rc = add_dir(&dirs, &ndirs, buf);
		} else if (c->tests[i].deps_dir) {
			rc = add_dir(&dirs, &ndirs, c->tests[i].deps_dir);
		}
	snprintf(buf, sizeof(buf), "%s/debug/deps", c->meta.target_dir);
	if (rc >= 0)
		rc = add_dir(&dirs, &ndirs, buf);
	/* Build sources: what rustc compiles in these deps directories.  A
	 * named test needs only its own by dep-info (written here); a run
	 * where nothing was named is one test, which keeps them all. */
	for (size_t k = 0; rc >= 0 && c->n && k < ndirs; k++)
		rc = collect_build_srcs(t, dirs[k], c->meta.workspace_root);
	for (size_t i = 0; rc >= 0 && i < c->n; i++)
		rc = write_deps(c, t, i, dirs, ndirs, run_dir);
	for (size_t i = 0; rc >= 0 && i < t->n; i++)
		t->procs[i].build_work = t->procs[i].test < 0 && is_build_tool(&t->procs[i]);
	for (size_t k = 0; k < ndirs; k++)
		free(dirs[k]);
	free(dirs);
	return rc;
}

static uint64_t first_start(const struct ft_ptree *t, size_t k)
{
	uint64_t s = UINT64_MAX;

	for (size_t i = 0; i < t->n; i++)
		if (t->procs[i].test == (long)k && t->procs[i].start_ns < s)
			s = t->procs[i].start_ns;
	return s;
}

int ft_cargo_passed_before_failure(const struct ft_ptree *t, const size_t *runner_of, size_t k)
{
	const struct ft_ptree_proc *r = &t->procs[runner_of[k]];
	uint64_t mine;

	if (r->runner != FT_RUNNER_CARGO || !r->argv || r->argv_cut)
		return 0;
	/* (after --: the test binaries' own arguments) */
	for (int i = 1; i < r->argc && strcmp(r->argv[i], "--"); i++)
		if (!strcmp(r->argv[i], "--no-fail-fast"))
			return 0;
	mine = first_start(t, k);
	for (size_t j = 0; j < t->ntests; j++)
		if (j != k && runner_of[j] == runner_of[k] && first_start(t, j) > mine)
			return 1;
	return 0;
}

void ft_cargo_release(struct ft_cargo_run *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->tests[i].depinfo);
		free(c->tests[i].deps_dir);
	}
	free(c->tests);
	free(c->rustc);
	ft_map_release(&c->scanned);
	free(c->whole);
	ft_cargo_meta_release(&c->meta);
	memset(c, 0, sizeof(*c));
}
