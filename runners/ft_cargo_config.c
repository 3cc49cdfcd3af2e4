/*
 * ft_cargo_config.c - the options of `cargo test` and `cargo nextest run`
 * that can change what a test does (ft_cargo_config.h; the row's config,
 * runners/ft_runners.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_cargo_config.h"

enum role {
	NEUTRAL,   /* output, pace, where: left out */
	CHOOSES,   /* which targets or tests run: left out */
	CONFIG,    /* kept, normalized */
	FEATURES,  /* kept as one sorted set */
};

struct copt {
	const char *name;  /* "--long" or "-s" */
	int value;         /* takes a value */
	enum role role;
	const char *as;    /* the spelling kept (a short flag's long name) */
};

/* cargo's options before `--`, and nextest's run options */
static const struct copt cargo_opts[] = {
	{ "-q", 0, NEUTRAL, 0 }, { "--quiet", 0, NEUTRAL, 0 }, { "-v", 0, NEUTRAL, 0 },
	{ "--verbose", 0, NEUTRAL, 0 }, { "--offline", 0, NEUTRAL, 0 },
	{ "--locked", 0, NEUTRAL, 0 }, { "--frozen", 0, NEUTRAL, 0 },
	{ "--no-fail-fast", 0, NEUTRAL, 0 }, { "--fail-fast", 0, NEUTRAL, 0 },
	{ "--color", 1, NEUTRAL, 0 }, { "-j", 1, NEUTRAL, 0 }, { "--jobs", 1, NEUTRAL, 0 },
	{ "--target-dir", 1, NEUTRAL, 0 }, { "--timings", 0, NEUTRAL, 0 },
	{ "--message-format", 1, NEUTRAL, 0 }, { "--keep-going", 0, NEUTRAL, 0 },
	{ "--cargo-quiet", 0, NEUTRAL, 0 }, { "--cargo-verbose", 0, NEUTRAL, 0 },
	{ "--test-threads", 1, NEUTRAL, 0 }, { "--retries", 1, NEUTRAL, 0 },
	{ "--no-capture", 0, NEUTRAL, 0 }, { "--nocapture", 0, NEUTRAL, 0 },
	{ "--failure-output", 1, NEUTRAL, 0 }, { "--success-output", 1, NEUTRAL, 0 },
	{ "--status-level", 1, NEUTRAL, 0 }, { "--final-status-level", 1, NEUTRAL, 0 },
	{ "--hide-progress-bar", 0, NEUTRAL, 0 },
	{ "-p", 1, CHOOSES, 0 }, { "--package", 1, CHOOSES, 0 }, { "--workspace", 0, CHOOSES, 0 },
	{ "--all", 0, CHOOSES, 0 }, { "--exclude", 1, CHOOSES, 0 }, { "--lib", 0, CHOOSES, 0 },
	{ "--bin", 1, CHOOSES, 0 }, { "--bins", 0, CHOOSES, 0 }, { "--example", 1, CHOOSES, 0 },
	{ "--examples", 0, CHOOSES, 0 }, { "--test", 1, CHOOSES, 0 }, { "--tests", 0, CHOOSES, 0 },
	{ "--bench", 1, CHOOSES, 0 }, { "--benches", 0, CHOOSES, 0 },
	{ "--all-targets", 0, CHOOSES, 0 }, { "--doc", 0, CHOOSES, 0 },
	{ "--manifest-path", 1, CHOOSES, 0 }, { "-E", 1, CHOOSES, 0 },
	{ "--filterset", 1, CHOOSES, 0 }, { "--filter-expr", 1, CHOOSES, 0 },
	{ "-r", 0, CONFIG, "--release" }, { "--release", 0, CONFIG, 0 },
	{ "--profile", 1, CONFIG, 0 }, { "--cargo-profile", 1, CONFIG, 0 },
	{ "-P", 1, CONFIG, "--profile" }, { "--all-features", 0, CONFIG, 0 },
	{ "--no-default-features", 0, CONFIG, 0 }, { "--target", 1, CONFIG, 0 },
	{ "-Z", 1, CONFIG, 0 }, { "--config", 1, CONFIG, 0 }, { "--run-ignored", 1, CONFIG, 0 },
	{ "-F", 1, FEATURES, 0 }, { "--features", 1, FEATURES, 0 },
};

/* libtest's options, after `--` */
static const struct copt libtest_opts[] = {
	{ "-q", 0, NEUTRAL, 0 }, { "--quiet", 0, NEUTRAL, 0 }, { "--nocapture", 0, NEUTRAL, 0 },
	{ "--no-capture", 0, NEUTRAL, 0 }, { "--show-output", 0, NEUTRAL, 0 },
	{ "--color", 1, NEUTRAL, 0 }, { "--format", 1, NEUTRAL, 0 },
	{ "--test-threads", 1, NEUTRAL, 0 }, { "--logfile", 1, NEUTRAL, 0 },
	{ "--report-time", 0, NEUTRAL, 0 }, { "-Z", 1, NEUTRAL, 0 },
	/* a run in part (the row's `partial`): which tests, not how */
	{ "--skip", 1, CHOOSES, 0 }, { "--exact", 0, CHOOSES, 0 }, { "--ignored", 0, CHOOSES, 0 },
	{ "--list", 0, CHOOSES, 0 }, { "--bench", 0, CHOOSES, 0 }, { "--test", 0, CHOOSES, 0 },
	{ "--exclude-should-panic", 0, CHOOSES, 0 },
};

static const struct copt *find(const struct copt *t, size_t n, const char *a, size_t len)
{
	for (size_t k = 0; k < n; k++)
		if (strlen(t[k].name) == len && !strncmp(t[k].name, a, len))
			return &t[k];
	return NULL;
}

struct feats {
	char **v;
	size_t n;
};

/* each feature of "a,b c" (cargo splits at commas and blanks) */
static int feats_add(struct feats *fs, const char *list)
{
	const char *p = list;

	while (*p) {
		size_t len = strcspn(p, ", \t");
		char **nv;

		if (len) {
			if (!(nv = realloc(fs->v, (fs->n + 1) * sizeof(*nv))))
				return -ENOMEM;
			fs->v = nv;
			if (!(fs->v[fs->n] = strndup(p, len)))
				return -ENOMEM;
			fs->n++;
		}
		p += len;
		p += strspn(p, ", \t");
	}
	return 0;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Where the options start: after `test`, or `nextest run`; a leading
 * `+toolchain` is rustup's (the toolchain's files are dependencies of
 * their own).  0: not such a command. */
static size_t options_at(char *const *argv, size_t i)
{
	if (argv[i] && argv[i][0] == '+')
		i++;
	if (argv[i] && !strcmp(argv[i], "test"))
		return i + 1;
	if (argv[i] && !strcmp(argv[i], "nextest") && argv[i + 1] && !strcmp(argv[i + 1], "run"))
		return i + 2;
	return 0;
}

/* One option word at argv[*i] from table t: written to f as its role
 * says; *i moves past its value.  Returns 0, or 1 when the value is
 * missing (the end). */
static int one(FILE *f, const struct copt *t, size_t nt, char *const *argv, size_t *i,
	       struct feats *fs, int *rc)
{
	const char *a = argv[*i], *eq = NULL, *v = NULL;
	const struct copt *o;
	size_t len = strlen(a);

	if (a[1] == '-' && (eq = strchr(a, '=')))
		len = (size_t)(eq - a);
	else if (a[1] != '-' && a[2])
		len = 2; /* -j2, -Fx: a short flag with its value attached */
	if (!(o = find(t, nt, a, len)) || (!o->value && (eq || len != strlen(a)))) {
		fprintf(f, "%s\n", a); /* not known: kept as written */
		return 0;
	}
	if (o->value) {
		if (eq)
			v = eq + 1;
		else if (len != strlen(a))
			v = a + len + (a[len] == '=');
		else if (!(v = argv[++*i]))
			return 1;
	}
	if (o->role == FEATURES)
		*rc = feats_add(fs, v);
	else if (o->role == CONFIG)
		fprintf(f, "%s%s%s\n", o->as ? o->as : o->name, v ? "=" : "", v ? v : "");
	return 0;
}

/* text's lines sorted, in place (the order options come in says nothing) */
static int sort_lines(char *text)
{
	size_t n = 0, len = strlen(text), o = 0;
	char **v, *copy;

	for (size_t k = 0; k < len; k++)
		n += text[k] == '\n';
	if (n < 2)
		return 0;
	if (!(v = calloc(n, sizeof(*v))) || !(copy = strdup(text))) {
		free(v);
		return -ENOMEM;
	}
	n = 0;
	for (char *save = NULL, *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		v[n++] = l;
	qsort(v, n, sizeof(*v), str_cmp);
	for (size_t k = 0; k < n; k++)
		o += (size_t)sprintf(text + o, "%s\n", v[k]);
	free(copy);
	free(v);
	return 0;
}

int ft_cargo_config(char *const *argv, int cmd, char **out)
{
	struct feats fs = { 0 };
	size_t len = 0, i = options_at(argv, cmd ? 1 : 0);
	int rc = 0, after = 0;
	FILE *f;

	*out = NULL;
	if (!i || (cmd && !argv[0]))
		return (*out = strdup("?")) ? 0 : -ENOMEM;
	if (!(f = open_memstream(out, &len)))
		return -ENOMEM;
	for (; argv[i] && rc >= 0; i++) {
		const char *a = argv[i];

		if (!after && !strcmp(a, "--")) {
			after = 1;
			continue;
		}
		if (a[0] != '-' || !a[1])
			continue; /* a test-name filter: which tests (a run in part) */
		if (after ? one(f, libtest_opts, sizeof(libtest_opts) / sizeof(*libtest_opts), argv,
				&i, &fs, &rc)
			  : one(f, cargo_opts, sizeof(cargo_opts) / sizeof(*cargo_opts), argv, &i,
				&fs, &rc))
			break;
	}
	if (rc >= 0 && fs.n) {
		qsort(fs.v, fs.n, sizeof(*fs.v), str_cmp);
		fputs("--features=", f);
		for (size_t k = 0; k < fs.n; k++)
			if (!k || strcmp(fs.v[k], fs.v[k - 1]))
				fprintf(f, "%s%s", k ? "," : "", fs.v[k]);
		fputc('\n', f);
	}
	for (size_t k = 0; k < fs.n; k++)
		free(fs.v[k]);
	free(fs.v);
	if (fclose(f) != 0 || !*out || rc < 0 || sort_lines(*out) < 0) {
		free(*out);
		*out = NULL;
		return -ENOMEM;
	}
	return 0;
}
