/*
 * ft_config.c - parse .ftrace.json (see ft_config.h).
 *
 * cJSON keeps no positions, so lines are computed from the text: for a
 * syntax error from cJSON's error pointer, for a bad key by finding where
 * the top-level object names it.  A setting that is wrong must stop the
 * command: silently dropping "always_run" would shrink the selected set.
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "ft_config.h"
#include "ft_file.h"
#include "ft_trust.h"
#include "ft_error.h"
#include "ft_statedir.h"

#define FT_CONFIG_MAX_BYTES (1 << 20)

static const char *const known_keys[] = { "command", "always_run", "ignore", "granularity",
					   "flaky", "smoke", "watch", "ignore_programs" };

#define FT_CONFIG_FLAKY_DECAY 5 /* store/ft_store_flaky.h: FT_FLAKY_DECAY_DEFAULT */
#define FT_CONFIG_FLAKY_DECAY_MAX 1000000
#define FT_CONFIG_FLAKY_RERUN_MAX 100    /* reruns of a failed flaky test */

static int line_at(const char *text, size_t len, const char *at)
{
	int line = 1;

	if (!at || at < text)
		return 1;
	if (at > text + len)
		at = text + len;
	for (const char *p = text; p < at; p++)
		line += *p == '\n';
	return line;
}

/*
 * The line of `"key":` in the top-level object, or 0 when it cannot be
 * found (a key written with escapes).  A small scanner that skips strings
 * and tracks nesting, so a nested {"command": ...} is not taken for it.
 */
static int key_line(const char *text, size_t len, const char *key)
{
	size_t klen = strlen(key);
	int depth = 0, line = 1;

	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		if (c == '\n') {
			line++;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			depth--;
		} else if (c == '"') {
			size_t start = ++i;
			int sline = line;
			for (; i < len && text[i] != '"'; i++) {
				if (text[i] == '\\')
					i++;
				else if (text[i] == '\n')
					line++;
			}
			if (depth == 1 && i - start == klen && !memcmp(text + start, key, klen)) {
				size_t j = i + 1;
				while (j < len && strchr(" \t\r\n", text[j]))
					j++;
				if (j < len && text[j] == ':')
					return sline;
			}
		}
	}
	return 0;
}

struct parse {
	const char *text, *name;
	size_t len;
	struct ft_err *e;
};

static int fail(const struct parse *ps, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(const struct parse *ps, const char *key, const char *fmt, ...)
{
	int line = key ? key_line(ps->text, ps->len, key) : 1;
	char *why = ps->e->why;
	size_t n;
	va_list ap;

	if (key)
		ft_err_set(ps->e, FT_ECONFIG, "%s:%d: key \"%s\": ", ps->name, line ? line : 1, key);
	else
		ft_err_set(ps->e, FT_ECONFIG, "%s:%d: ", ps->name, line);
	n = strlen(why);
	va_start(ap, fmt);
	vsnprintf(why + n, sizeof(ps->e->why) - n, fmt, ap);
	va_end(ap);
	return FT_ECONFIG;
}

static void free_strv(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

/* A JSON array of non-empty strings -> NULL-terminated vector. */
static int strv_of(const struct parse *ps, const cJSON *arr, const char *key, char ***out,
		   size_t *n_out)
{
	size_t n = 0, i = 0;
	const cJSON *it;
	char **v;

	if (!cJSON_IsArray(arr))
		return fail(ps, key, "must be an array of strings");
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsString(it) || !it->valuestring)
			return fail(ps, key, "element %zu must be a string", n + 1);
		if (!it->valuestring[0])
			return fail(ps, key, "element %zu is an empty string", n + 1);
		n++;
	}
	if (!(v = calloc(n + 1, sizeof(*v))))
		return -ENOMEM;
	cJSON_ArrayForEach(it, arr) {
		if (!(v[i++] = strdup(it->valuestring))) {
			free_strv(v);
			return -ENOMEM;
		}
	}
	*out = v;
	if (n_out)
		*n_out = n;
	return 0;
}

/* "flaky": {"select": bool, "decay": integer 0..FT_CONFIG_FLAKY_DECAY_MAX,
 * "rerun": integer 0..FT_CONFIG_FLAKY_RERUN_MAX} */
static int flaky_of(const struct parse *ps, const cJSON *v, struct ft_config *cfg)
{
	const cJSON *it;

	if (!cJSON_IsObject(v))
		return fail(ps, "flaky", "must be an object: {\"select\": true, \"decay\": 5}");
	cJSON_ArrayForEach(it, v) {
		for (const cJSON *o = v->child; o != it; o = o->next)
			if (!strcmp(o->string, it->string))
				return fail(ps, "flaky", "\"%s\" given twice", it->string);
		if (!strcmp(it->string, "select")) {
			if (!cJSON_IsBool(it))
				return fail(ps, "flaky", "\"select\" must be true or false");
			cfg->flaky_noselect = cJSON_IsFalse(it);
		} else if (!strcmp(it->string, "decay")) {
			double d = it->valuedouble;
			if (!cJSON_IsNumber(it) || d < 0 || d > FT_CONFIG_FLAKY_DECAY_MAX ||
			    d != (double)(unsigned)d)
				return fail(ps, "flaky", "\"decay\" must be a whole number of clean runs "
					    "from 0 (never) to %d", FT_CONFIG_FLAKY_DECAY_MAX);
			cfg->flaky_has_decay = 1;
			cfg->flaky_decay = (unsigned)d;
		} else if (!strcmp(it->string, "rerun")) {
			double d = it->valuedouble;
			if (!cJSON_IsNumber(it) || d < 0 || d > FT_CONFIG_FLAKY_RERUN_MAX ||
			    d != (double)(unsigned)d)
				return fail(ps, "flaky", "\"rerun\" must be a whole number of reruns "
					    "from 0 (none) to %d", FT_CONFIG_FLAKY_RERUN_MAX);
			cfg->flaky_rerun = (unsigned)d;
		} else {
			return fail(ps, "flaky", "unknown key \"%s\" (known keys: select, decay, rerun)",
				    it->string);
		}
	}
	return 0;
}

/* "watch": {"build": "a shell command line"} (docs/watch.md) */
static int watch_of(const struct parse *ps, const cJSON *v, struct ft_config *cfg)
{
	const cJSON *it;

	if (!cJSON_IsObject(v))
		return fail(ps, "watch", "must be an object: {\"build\": \"make -C build\"}");
	cJSON_ArrayForEach(it, v) {
		for (const cJSON *o = v->child; o != it; o = o->next)
			if (!strcmp(o->string, it->string))
				return fail(ps, "watch", "\"%s\" given twice", it->string);
		if (strcmp(it->string, "build"))
			return fail(ps, "watch", "unknown key \"%s\" (known keys: build)", it->string);
		if (!cJSON_IsString(it) || !it->valuestring[strspn(it->valuestring, " \t\n")])
			return fail(ps, "watch", "\"build\" must be a non-empty shell command line (run by /bin/sh -c)");
		if (!(cfg->watch_build = strdup(it->valuestring)))
			return -ENOMEM;
	}
	return 0;
}

int ft_config_flaky_select(const struct ft_config *cfg)
{
	return !cfg || !cfg->flaky_noselect;
}

unsigned ft_config_flaky_decay(const struct ft_config *cfg)
{
	return cfg && cfg->flaky_has_decay ? cfg->flaky_decay : FT_CONFIG_FLAKY_DECAY;
}

static int command_of(const struct parse *ps, const cJSON *v, struct ft_config *cfg)
{
	if (cJSON_IsString(v)) {
		const char *s = v->valuestring;
		if (!s || !s[strspn(s, " \t\n")])
			return fail(ps, "command", "is an empty command line");
		if (!(cfg->command = calloc(4, sizeof(char *))))
			return -ENOMEM;
		cfg->command_is_shell = 1;
		if (!(cfg->command[0] = strdup("/bin/sh")) || !(cfg->command[1] = strdup("-c")) ||
		    !(cfg->command[2] = strdup(s)))
			return -ENOMEM;
		return 0;
	}
	if (cJSON_IsArray(v)) {
		if (cJSON_GetArraySize(v) == 0)
			return fail(ps, "command", "is an empty array; give the program and its arguments");
		return strv_of(ps, v, "command", &cfg->command, NULL);
	}
	return fail(ps, "command", "must be an array of strings (program and arguments) or a string (run by /bin/sh -c)");
}

int ft_config_parse(struct ft_config *cfg, const char *text, size_t len, const char *name,
		    struct ft_err *e)
{
	struct parse ps = { text, name ? name : FT_CONFIG_FILE, len, e };
	const char *end = NULL;
	const cJSON *it;
	cJSON *root;
	int rc = 0;

	memset(cfg, 0, sizeof(*cfg));
	cfg->found = 1;
	ft_err_set(e, 0, NULL);
	root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (!root) {
		int line = line_at(text, len, end ? end : cJSON_GetErrorPtr());
		return ft_err_set(e, FT_ECONFIG, "%s:%d: malformed JSON%s", ps.name, line,
				  len == 0 ? " (the file is empty; write {} for the defaults)" : "");
	}
	/* cJSON stops after the first value: "{} x" must not pass. */
	if (end) {
		while ((size_t)(end - text) < len && strchr(" \t\r\n", *end))
			end++;
		if ((size_t)(end - text) < len) {
			cJSON_Delete(root);
			return ft_err_set(e, FT_ECONFIG,
					  "%s:%d: malformed JSON: text after the top-level object",
					  ps.name, line_at(text, len, end));
		}
	}
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return fail(&ps, NULL, "the top level must be an object: {\"command\": ..., \"always_run\": [...], \"ignore\": [...], \"granularity\": ..., \"flaky\": {...}, \"smoke\": [...], \"watch\": {...}, \"ignore_programs\": [...]}");
	}
	cJSON_ArrayForEach(it, root) {
		size_t k;
		for (k = 0; k < sizeof(known_keys) / sizeof(known_keys[0]); k++)
			if (!strcmp(it->string, known_keys[k]))
				break;
		if (k == sizeof(known_keys) / sizeof(known_keys[0])) {
			rc = fail(&ps, it->string, "unknown key (known keys: command, always_run, ignore, granularity, flaky, smoke, watch, ignore_programs)");
			break;
		}
		for (const cJSON *o = root->child; o != it; o = o->next)
			if (!strcmp(o->string, it->string))
				rc = fail(&ps, it->string, "given twice");
		if (rc < 0)
			break;
		if (k == 0)
			rc = command_of(&ps, it, cfg);
		else if (k == 1)
			rc = strv_of(&ps, it, "always_run", &cfg->always_run, &cfg->nalways_run);
		else if (k == 2)
			rc = strv_of(&ps, it, "ignore", &cfg->ignore, &cfg->nignore);
		else if (k == 4)
			rc = flaky_of(&ps, it, cfg);
		else if (k == 5)
			rc = strv_of(&ps, it, "smoke", &cfg->smoke, &cfg->nsmoke);
		else if (k == 6)
			rc = watch_of(&ps, it, cfg);
		else if (k == 7)
			rc = strv_of(&ps, it, "ignore_programs", &cfg->ignore_programs,
				     &cfg->nignore_programs);
		else if (cJSON_IsString(it) && !strcmp(it->valuestring, "file"))
			cfg->granularity = FT_CONFIG_GRAN_FILE;
		else if (cJSON_IsString(it) && !strcmp(it->valuestring, "function"))
			cfg->granularity = FT_CONFIG_GRAN_FUNCTION;
		else if (cJSON_IsString(it) && !strcmp(it->valuestring, "auto"))
			cfg->granularity = FT_CONFIG_GRAN_AUTO;
		else
			rc = fail(&ps, it->string, "must be \"file\", \"function\" or \"auto\"");
		if (rc < 0)
			break;
	}
	cJSON_Delete(root);
	if (rc < 0) {
		ft_config_release(cfg);
		cfg->found = 1;
		e->code = rc; /* -ENOMEM too (no reason: ft_err_msg words it) */
	}
	return rc;
}

int ft_config_load(struct ft_config *cfg, const char *path, struct ft_err *e)
{
	struct stat sb;
	char *buf;
	size_t got = 0;
	int fd, rc;

	memset(cfg, 0, sizeof(*cfg));
	ft_err_set(e, 0, NULL);
	/* its "command" runs: never one another user could write */
	if ((rc = ft_trust_check(path, "settings file", e)) < 0) {
		if (rc != FT_EUNSAFE)
			ft_err_set(e, rc, "%s: cannot read: %s", path, ft_strerror(rc));
		return rc;
	}
	/* O_NONBLOCK: a FIFO named .ftrace.json must not hang every command;
	 * the S_ISREG check below refuses it */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		return ft_err_set(e, -errno, "%s: cannot read: %s", path, strerror(errno));
	}
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_size > FT_CONFIG_MAX_BYTES) {
		close(fd);
		return ft_err_set(e, FT_ECONFIG, "%s:1: not a regular file of at most %d bytes", path,
				  FT_CONFIG_MAX_BYTES);
	}
	rc = ft_file_read_fd(fd, (size_t)sb.st_size, &buf, &got);
	close(fd);
	if (rc < 0) {
		free(buf);
		return rc == -ENOMEM ? ft_err_set(e, -ENOMEM, NULL) :
		       ft_err_set(e, rc, "%s: cannot read: %s", path, strerror(-rc));
	}
	rc = ft_config_parse(cfg, buf, got, path, e);
	free(buf);
	return rc;
}

int ft_config_path(char *out, size_t cap)
{
	char dir[PATH_MAX], top[PATH_MAX];
	int rc, n;

	if ((rc = ft_statedir_find(dir, sizeof(dir))) < 0 ||
	    (rc = ft_statedir_top(dir, top, sizeof(top))) < 0)
		return rc;
	n = snprintf(out, cap, "%s/%s", strcmp(top, "/") ? top : "", FT_CONFIG_FILE);
	return n < 0 || (size_t)n >= cap ? FT_ETOOLONG : 0;
}

int ft_config_find_load(struct ft_config *cfg, struct ft_err *e)
{
	char path[PATH_MAX];
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	if ((rc = ft_config_path(path, sizeof(path))) < 0)
		return ft_err_set(e, rc, "cannot locate %s: %s", FT_CONFIG_FILE, ft_strerror(rc));
	return ft_config_load(cfg, path, e);
}

int ft_config_always(const struct ft_config *cfg, const char *id)
{
	for (size_t i = 0; i < cfg->nalways_run; i++)
		if (!strcmp(cfg->always_run[i], id))
			return 1;
	return 0;
}

int ft_config_ignores(const struct ft_config *cfg, const char *relpath)
{
	char buf[PATH_MAX];
	size_t n = strlen(relpath);

	if (!cfg->nignore || n >= sizeof(buf))
		return 0;
	memcpy(buf, relpath, n + 1);
	/* The whole path, then each leading run of components, longest first. */
	for (;;) {
		for (size_t i = 0; i < cfg->nignore; i++)
			if (fnmatch(cfg->ignore[i], buf, 0) == 0)
				return 1;
		char *slash = strrchr(buf, '/');
		if (!slash || slash == buf)
			return 0;
		*slash = '\0';
	}
}

int ft_config_ignores_program(const struct ft_config *cfg, const char *exe, size_t len)
{
	char buf[PATH_MAX];
	const char *base;

	if (!cfg || !cfg->nignore_programs || !len || len >= sizeof(buf) || memchr(exe, '\0', len))
		return 0;
	memcpy(buf, exe, len);
	buf[len] = '\0';
	base = strrchr(buf, '/');
	base = base ? base + 1 : buf;
	for (size_t i = 0; i < cfg->nignore_programs; i++) {
		const char *pat = cfg->ignore_programs[i];
		if (fnmatch(pat, strchr(pat, '/') ? buf : base, 0) == 0)
			return 1;
	}
	return 0;
}

void ft_config_release(struct ft_config *cfg)
{
	free_strv(cfg->command);
	free_strv(cfg->always_run);
	free_strv(cfg->ignore);
	free_strv(cfg->ignore_programs);
	free_strv(cfg->smoke);
	free(cfg->watch_build);
	memset(cfg, 0, sizeof(*cfg));
}
