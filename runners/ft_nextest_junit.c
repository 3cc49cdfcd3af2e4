/*
 * ft_nextest_junit.c - nextest's JUnit report of the run: where it is,
 * whether this run wrote it, and what it says (ft_nextest_junit.h).
 *
 * nextest.toml is read by a line reader that knows just enough TOML for
 * `[profile.P.junit] path = "..."`, `[profile.P] junit.path = "..."`,
 * `junit = { path = "..." }`, `inherits` and `[store] dir`.  Where it
 * could be fooled (a multi-line string could hold a line that looks like
 * a table header) it says it cannot tell, and the run keeps ftrace's own
 * durations: a missed report costs precision of a duration, never a test.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "ft_error.h"
#include "ft_file.h"
#include "ft_junit.h"
#include "ft_nextest_junit.h"
#include "ft_ptree.h"
#include "ft_record.h"
#include "ft_runner.h"

#define MAX_KEYS 4096
#define MAX_REPORTS 8

/* The config's string values: key (dotted, unquoted) -> value; a value
 * NULL is one the reader cannot read (an escape sequence). */
struct kv {
	char *key, *val;
};

struct conf {
	struct kv *v;
	size_t n;
	int unsure;          /* something that makes the reader say "cannot tell" */
};

static void conf_release(struct conf *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].key);
		free(c->v[i].val);
	}
	free(c->v);
}

static const struct kv *conf_get(const struct conf *c, const char *key)
{
	for (size_t i = c->n; i-- > 0;) /* the last one (TOML forbids two) */
		if (!strcmp(c->v[i].key, key))
			return &c->v[i];
	return NULL;
}

static int conf_put(struct conf *c, const char *table, const char *key, char *val)
{
	struct kv *nv;
	char *k;

	if (c->n == MAX_KEYS || asprintf(&k, "%s%s%s", table, table[0] ? "." : "", key) < 0) {
		free(val);
		if (c->n == MAX_KEYS) {
			c->unsure = 1;
			return 0;
		}
		return -ENOMEM;
	}
	if (!(nv = realloc(c->v, (c->n + 1) * sizeof(*nv)))) {
		free(k);
		free(val);
		return -ENOMEM;
	}
	c->v = nv;
	c->v[c->n].key = k;
	c->v[c->n++].val = val;
	return 0;
}

static void blanks(const char **s)
{
	while (**s == ' ' || **s == '\t')
		(*s)++;
}

/* A dotted key at *s into out: bare parts or quoted ones without a dot,
 * quote or backslash.  0, or -1 when it is none. */
static int parse_key(const char **s, char *out, size_t cap)
{
	size_t o = 0;

	for (;;) {
		const char *p = *s;
		blanks(&p);
		if (*p == '"' || *p == '\'') {
			char q = *p++;
			while (*p && *p != q) {
				if (*p == '\\' || *p == '.' || o + 1 >= cap)
					return -1;
				out[o++] = *p++;
			}
			if (*p++ != q)
				return -1;
		} else {
			const char *b = p;
			while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			       (*p >= '0' && *p <= '9') || *p == '_' || *p == '-') {
				if (o + 1 >= cap)
					return -1;
				out[o++] = *p++;
			}
			if (p == b)
				return -1;
		}
		blanks(&p);
		*s = p;
		if (*p != '.')
			break;
		if (o + 1 >= cap)
			return -1;
		out[o++] = '.';
		(*s)++;
	}
	out[o] = '\0';
	return 0;
}

/* A one-line string at *s: 1 with *val (malloc'd; NULL when it holds an
 * escape), 0 when *s is no string, -1 unterminated, -ENOMEM. */
static int parse_string(const char **s, char **val)
{
	const char *p = *s, *b;
	char q = *p;
	int esc = 0;

	if (q != '"' && q != '\'')
		return 0;
	b = ++p;
	while (*p && *p != q) {
		if (q == '"' && *p == '\\') {
			esc = 1;
			if (!*++p)
				return -1;
		}
		p++;
	}
	if (*p != q)
		return -1;
	*val = esc ? NULL : strndup(b, (size_t)(p - b));
	if (!esc && !*val)
		return -ENOMEM;
	*s = p + 1;
	return 1;
}

/* Skip a value that is no string (number, bool, array on this line). */
static void skip_value(const char **s)
{
	int depth = 0;
	const char *p = *s;

	while (*p && (depth || (*p != ',' && *p != '}'))) {
		char *v = NULL;
		if (*p == '"' || *p == '\'') {
			if (parse_string(&p, &v) <= 0)
				break;
			free(v);
			continue;
		}
		depth += *p == '[';
		depth -= *p == ']' && depth;
		p++;
	}
	*s = p;
}

/* key = value on one line, under `table` */
static int conf_line(struct conf *c, const char *table, const char *line)
{
	char key[512], sub[512], full[1100];
	const char *p = line;
	char *val = NULL;
	int rc;

	if (parse_key(&p, key, sizeof(key)) < 0 || *p++ != '=')
		return 0;
	blanks(&p);
	if ((rc = parse_string(&p, &val)) != 0)
		return rc < 0 && rc != -1 ? rc : rc == -1 ? 0 : conf_put(c, table, key, val);
	if (*p != '{')
		return 0;
	/* an inline table: key = { a = "x", b = 1 } */
	snprintf(full, sizeof(full), "%s%s%s", table, table[0] ? "." : "", key);
	for (p++;;) {
		blanks(&p);
		if (*p == '}' || !*p)
			return 0;
		if (parse_key(&p, sub, sizeof(sub)) < 0 || *p++ != '=')
			return 0;
		blanks(&p);
		if (*p == '{') {
			c->unsure = 1; /* nested inline tables: not followed */
			return 0;
		}
		val = NULL;
		if ((rc = parse_string(&p, &val)) == 1) {
			if ((rc = conf_put(c, full, sub, val)) < 0)
				return rc;
		} else if (rc < -1) {
			return rc;
		} else if (rc == -1) {
			return 0;
		} else {
			skip_value(&p);
		}
		blanks(&p);
		if (*p == ',')
			p++;
	}
}

static int conf_read(struct conf *c, const char *text)
{
	char table[512] = "", line[4096];
	const char *p = text;
	int rc = 0;

	while (rc >= 0 && *p) {
		const char *nl = strchr(p, '\n'), *s = line;
		size_t l = nl ? (size_t)(nl - p) : strlen(p);

		if (l >= sizeof(line)) {
			c->unsure = 1;
			break;
		}
		memcpy(line, p, l);
		line[l] = '\0';
		p += nl ? l + 1 : l;
		if (strstr(line, "\"\"\"") || strstr(line, "'''")) {
			c->unsure = 1; /* a multi-line string: its lines are no keys */
			break;
		}
		blanks(&s);
		if (*s == '[') {
			int array = s[1] == '[';
			s += array ? 2 : 1;
			if (parse_key(&s, table + 1, sizeof(table) - 1) < 0 || *s != ']' ||
			    (array && s[1] != ']')) {
				c->unsure = 1; /* a header it cannot read: which table follows? */
				break;
			}
			/* [[array.of.tables]]: its keys are no profile's */
			table[0] = array ? '@' : ' ';
			if (!array)
				memmove(table, table + 1, strlen(table + 1) + 1);
			continue;
		}
		rc = conf_line(c, table, s);
	}
	return rc;
}

int ft_nextest_junit_config(const char *toml, const char *profile, char **path)
{
	struct conf c = { 0 };
	char key[600], name[256];
	const struct kv *v = NULL;
	int rc;

	*path = NULL;
	if ((rc = conf_read(&c, toml)) < 0) {
		conf_release(&c);
		return rc;
	}
	if (c.unsure || conf_get(&c, "store.dir")) {
		conf_release(&c);
		return FT_EFORMAT;
	}
	snprintf(name, sizeof(name), "%s", profile);
	for (int hops = 0; !v && hops < 8; hops++) {
		const struct kv *inh;
		snprintf(key, sizeof(key), "profile.%s.junit.path", name);
		if ((v = conf_get(&c, key)))
			break;
		snprintf(key, sizeof(key), "profile.%s.inherits", name);
		if (!(inh = conf_get(&c, key)) || !inh->val || !strcmp(inh->val, name))
			break;
		snprintf(name, sizeof(name), "%s", inh->val);
	}
	/* every profile falls back on default's settings */
	if (!v && strcmp(name, "default"))
		v = conf_get(&c, "profile.default.junit.path");
	rc = !v || (v->val && !v->val[0]) ? 0 : !v->val ? FT_EFORMAT : 1;
	if (rc == 1 && !(*path = strdup(v->val)))
		rc = -ENOMEM;
	conf_release(&c);
	return rc;
}

/* The runner image's profile, or NULL when its run moves the report
 * where this reader does not look. */
static const char *image_profile(const struct ft_ptree_proc *p)
{
	static const char *const moves[] = {
		"--config-file", "--tool-config-file", "--target-dir", "--archive-file",
		"--archive-format", "--workspace-remap", "--target-dir-remap", "--binaries-metadata",
		"--cargo-metadata",
	};
	const char *profile = NULL, *env = getenv("NEXTEST_PROFILE");

	for (int i = 1; i < p->argc && strcmp(p->argv[i], "--"); i++) {
		const char *a = p->argv[i];
		for (size_t k = 0; k < sizeof(moves) / sizeof(moves[0]); k++) {
			size_t l = strlen(moves[k]);
			if (!strncmp(a, moves[k], l) && (!a[l] || a[l] == '='))
				return NULL;
		}
		if ((!strcmp(a, "--profile") || !strcmp(a, "-P")) && i + 1 < p->argc)
			profile = p->argv[++i];
		else if (!strncmp(a, "--profile=", 10))
			profile = a + 10;
		else if (!strncmp(a, "-P", 2) && a[2])
			profile = a + 2;
	}
	if (!profile)
		profile = env && *env ? env : "default";
	/* a profile names a directory of its own */
	if (!profile[0] || profile[0] == '.' || strchr(profile, '/'))
		return NULL;
	return profile;
}

/* ".." as a component of a relative junit.path would lead out of the
 * profile's directory */
static int leads_out(const char *path)
{
	for (const char *s = path; (s = strstr(s, "..")); s += 2)
		if ((s == path || s[-1] == '/') && (!s[2] || s[2] == '/'))
			return 1;
	return 0;
}

static void note(struct ft_ptree *t, const char *path, const char *why)
{
	if (!t->note[0])
		snprintf(t->note, sizeof(t->note), "%.240s: nextest's JUnit report not used (%.150s): "
			 "this run keeps ftrace's own durations", path, why);
}

static int apply(struct ft_ptree *t, const struct ft_junit *j)
{
	int n = 0;

	for (size_t k = 0; k < t->ntests; k++) {
		struct ft_ptree_test *tt = &t->tests[k];
		const struct ft_junit_case *c;

		if (!tt->runner || strcmp(tt->runner, "nextest") || !(c = ft_junit_find(j, tt->id)))
			continue;
		if (c->ns >= 0) {
			tt->own_ns = c->ns;
			n++;
		}
		/* nextest's failure is the test's own; its pass only where the
		 * processes gave no verdict; a test that ran a process yet is
		 * "skipped" keeps its guess (ft_nextest_junit.h) */
		if (c->outcome == FT_OUTCOME_FAILED || c->outcome == FT_OUTCOME_ERROR ||
		    (c->outcome == FT_OUTCOME_PASSED && tt->guessed && !tt->tree_outcome)) {
			tt->outcome = c->outcome;
			tt->guessed = 0;
		}
	}
	return n;
}

/* Read and apply the report at `path`, if this run wrote it. */
static int read_report(struct ft_ptree *t, const char *path, int64_t t0_ns)
{
	struct ft_junit j = FT_JUNIT_INIT;
	struct stat st;
	char why[256], *buf;
	size_t got = 0;
	int fd = ft_file_open(AT_FDCWD, path, 0, &st), rc;

	if (fd == -ENOENT || fd == -ENOTDIR)
		return 0;
	if (fd < 0) {
		note(t, path, fd == FT_ENOTREG ? "not a regular file: a symlink, FIFO or device"
		     : ft_strerror(fd));
		return 0;
	}
	if ((int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec < t0_ns) {
		close(fd); /* an earlier run's */
		return 0;
	}
	if ((uint64_t)st.st_size > FT_NEXTEST_JUNIT_MAX) {
		close(fd);
		note(t, path, "larger than 256 MiB");
		return 0;
	}
	rc = ft_file_read_fd(fd, (size_t)st.st_size, &buf, &got);
	close(fd);
	if (rc == -ENOMEM)
		return -ENOMEM;
	if (rc < 0 || got < (size_t)st.st_size) {
		free(buf);
		note(t, path, "it could not be read whole");
		return 0;
	}
	rc = ft_junit_parse(&j, buf, got, why, sizeof(why));
	free(buf);
	if (rc == -ENOMEM)
		return rc;
	if (rc < 0) {
		note(t, path, why);
		return 0;
	}
	rc = apply(t, &j);
	ft_junit_release(&j);
	return rc;
}

int ft_nextest_junit_apply(struct ft_ptree *t, const char *ws_root, const char *target_dir,
			   int64_t t0_ns)
{
	char *done[MAX_REPORTS] = { 0 }, *toml = NULL, cfg[4200];
	size_t ndone = 0, len;
	int n = 0, rc = 0, read_cfg = 0;

	if (!ws_root || !target_dir)
		return 0;
	for (size_t i = 0; rc >= 0 && i < t->n && ndone < MAX_REPORTS; i++) {
		const struct ft_ptree_proc *p = &t->procs[i];
		const char *profile;
		char *jp = NULL, *path = NULL;
		int seen = 0;

		if (p->runner != FT_RUNNER_NEXTEST || !p->argv || p->argv_cut ||
		    !(profile = image_profile(p)))
			continue;
		if (!read_cfg) {
			read_cfg = 1;
			snprintf(cfg, sizeof(cfg), "%s/.config/nextest.toml", ws_root);
			toml = ft_file_read(cfg, O_NOFOLLOW, &len, NULL);
			if (toml && memchr(toml, '\0', len))
				note(t, cfg, "a NUL byte");
		}
		if (!toml || memchr(toml, '\0', len) || ft_nextest_junit_config(toml, profile, &jp) <= 0)
			continue;
		if (!jp[0] || leads_out(jp) ||
		    (jp[0] == '/' ? asprintf(&path, "%s", jp)
				  : asprintf(&path, "%s/nextest/%s/%s", target_dir, profile, jp)) < 0) {
			free(jp);
			continue;
		}
		free(jp);
		for (size_t d = 0; d < ndone; d++)
			seen |= !strcmp(done[d], path);
		if (seen) {
			free(path);
			continue;
		}
		done[ndone++] = path;
		if ((rc = read_report(t, path, t0_ns)) > 0)
			n += rc;
	}
	for (size_t d = 0; d < ndone; d++)
		free(done[d]);
	free(toml);
	return rc < 0 ? rc : n;
}
