/*
 * ft_depinfo.c - see ft_depinfo.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_depinfo.h"
#include "ft_envdep.h"
#include "ft_file.h"

int ft_depinfo_add(struct ft_depinfo *d, const char *s, const char *base)
{
	char *p;

	if (s[0] == '/' || !base)
		p = strdup(s);
	else if (asprintf(&p, "%s/%s", base, s) < 0)
		p = NULL;
	if (!p)
		return -ENOMEM;
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->srcs[i], p)) {
			free(p);
			return 0;
		}
	if (d->n == d->cap) {
		size_t nc = d->cap ? d->cap * 2 : 16;
		char **nv = realloc(d->srcs, nc * sizeof(*nv));
		if (!nv) {
			free(p);
			return -ENOMEM;
		}
		d->srcs = nv;
		d->cap = nc;
	}
	if (!d->first && !(d->first = strdup(p))) {
		free(p);
		return -ENOMEM;
	}
	d->srcs[d->n++] = p;
	return 0;
}

int ft_depinfo_add_env(struct ft_depinfo *d, const char *name, size_t len)
{
	char *p;

	if (len > FT_ENVDEP_NAME_MAX) {
		/* no dependency holds a name that long: the whole environment
		 * does, which holds it too */
		name = FT_ENVDEP_WHOLE;
		len = 1;
	}

	for (size_t i = 0; i < d->nenv; i++)
		if (strlen(d->envs[i]) == len && !memcmp(d->envs[i], name, len))
			return 0;
	if (d->nenv == d->capenv) {
		size_t nc = d->capenv ? d->capenv * 2 : 8;
		char **nv = realloc(d->envs, nc * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		d->envs = nv;
		d->capenv = nc;
	}
	if (!(p = strndup(name, len)))
		return -ENOMEM;
	d->envs[d->nenv++] = p;
	return 0;
}

/* A `# env-dep:NAME=VALUE` (or `# env-dep:NAME`, a variable that was
 * unset) line: NAME, up to the first '=' (no name holds one). */
static int env_line(struct ft_depinfo *d, const char *line)
{
	static const char tag[] = "# env-dep:";
	const char *name = line + sizeof(tag) - 1;
	size_t len;

	if (strncmp(line, tag, sizeof(tag) - 1))
		return 0;
	len = strcspn(name, "=");
	return len ? ft_depinfo_add_env(d, name, len) : 0;
}

/* Next word of a rule line, `\ ` unescaped in place; NULL at the end.
 * rustc joins names with single spaces and escapes only the space in a
 * name: every other byte, a backslash or a tab included, is the name's own
 * (`include_str!("a\\b.txt")` is written `a\b.txt`; reading the backslash
 * as an escape recorded `ab.txt`, found by tests/fuzz/fuzz_depinfo.c). */
static char *next_word(char **cur)
{
	char *s = *cur, *w, *o;

	while (*s == ' ')
		s++;
	if (!*s)
		return NULL;
	w = o = s;
	while (*s && *s != ' ') {
		if (*s == '\\' && s[1] == ' ')
			s++;
		*o++ = *s++;
	}
	if (*s)
		s++;
	*o = '\0';
	*cur = s;
	return w;
}

/* Is `out` (an output of a rule) a library: lib<name>-<hash>.{rlib,rmeta,so}? */
static int lib_output(const char *out)
{
	const char *b = strrchr(out, '/'), *dot = strrchr(out, '.');

	b = b ? b + 1 : out;
	if (strncmp(b, "lib", 3) || !dot)
		return 0;
	return !strcmp(dot, ".rlib") || !strcmp(dot, ".rmeta") || !strcmp(dot, ".so");
}

int ft_depinfo_read(struct ft_depinfo *d, const char *path, const char *base)
{
	char *buf, *line, *save = NULL;
	size_t len = 0;
	int rc = 0;

	if (!(buf = ft_file_read(path, 0, &len, NULL)))
		return errno ? -errno : -EIO;
	for (line = strtok_r(buf, "\n", &save); line && rc >= 0; line = strtok_r(NULL, "\n", &save)) {
		char *colon, *cur, *w;

		if (line[0] == '#') {
			rc = env_line(d, line);
			continue;
		}
		/* the rule's colon: the first ": " or a colon at the end */
		colon = strstr(line, ": ");
		if (!colon)
			continue; /* `src:` without prerequisites */
		*colon = '\0';
		if (lib_output(line))
			d->is_lib = 1;
		cur = colon + 2;
		while (rc >= 0 && (w = next_word(&cur)))
			rc = ft_depinfo_add(d, w, base);
	}
	free(buf);
	return rc;
}

void ft_depinfo_release(struct ft_depinfo *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->srcs[i]);
	free(d->srcs);
	for (size_t i = 0; i < d->nenv; i++)
		free(d->envs[i]);
	free(d->envs);
	free(d->first);
	memset(d, 0, sizeof(*d));
}
