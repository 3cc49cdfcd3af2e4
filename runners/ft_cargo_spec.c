/*
 * ft_cargo_spec.c - see ft_cargo_spec.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_cargo_format.h"
#include "ft_cargo_meta.h"
#include "ft_cargo_spec.h"
#include "ft_file.h"

#define FT_CARGO_LOCK_MAX (64u << 20)

/* How many packages of Cargo.lock text `lock` are named `name`: its
 * `name = "NAME"` lines (each package's first key). */
static size_t lock_count(const char *lock, const char *name)
{
	char want[300];
	size_t n = 0;
	int w = snprintf(want, sizeof(want), "\nname = \"%s\"\n", name);

	if (w < 0 || (size_t)w >= sizeof(want))
		return 0;
	for (const char *p = lock; (p = strstr(p, want)); p += w - 1)
		n++;
	return n;
}

int ft_cargo_format_specs(const struct ft_cargo_meta *m, char ***specs, size_t *n)
{
	char path[4096], *lock;
	char **v = NULL;
	size_t len = 0, nv = 0;

	*specs = NULL;
	*n = 0;
	if (!m->workspace_root ||
	    snprintf(path, sizeof(path), "%s/Cargo.lock", m->workspace_root) >= (int)sizeof(path))
		return 0;
	/* a lock that cannot be read (none yet, not a file) leaves names
	 * as they are: cargo then says which is ambiguous */
	if (!(lock = ft_file_read(path, 0, &len, NULL)))
		return errno == ENOMEM ? -ENOMEM : 0;
	if (len > FT_CARGO_LOCK_MAX) {
		free(lock);
		return 0;
	}
	for (size_t i = 0; i < m->n; i++) {
		const struct ft_cargo_pkg *p = &m->pkgs[i];
		char **nv2, *e;

		if (!p->member || !p->version || lock_count(lock, p->name) < 2)
			continue;
		if (asprintf(&e, "%s %s@%s", p->name, p->name, p->version) < 0)
			e = NULL;
		if (!e || !(nv2 = realloc(v, (nv + 1) * sizeof(*v)))) {
			free(e);
			free(lock);
			ft_cargo_format_free(v, nv);
			return -ENOMEM;
		}
		v = nv2;
		v[nv++] = e;
	}
	free(lock);
	*specs = v;
	*n = nv;
	return 0;
}

/* The spec of package `name` (specs' entry), or NULL: its own name. */
static const char *spec_of(char *const *specs, size_t ns, const char *name, size_t len)
{
	for (size_t i = 0; i < ns; i++)
		if (!strncmp(specs[i], name, len) && specs[i][len] == ' ')
			return specs[i] + len + 1;
	return NULL;
}

int ft_cargo_format_respec(char **v, size_t n, char *const *specs, size_t ns, int argv)
{
	for (size_t i = 0; ns && i < n; i++) {
		const char *s, *name, *rest;
		size_t len;
		char *r;

		if (argv ? (i == 0 || strcmp(v[i - 1], "-p")) : strncmp(v[i], "-p ", 3))
			continue;
		name = argv ? v[i] : v[i] + 3;
		rest = name + strcspn(name, " ");
		len = (size_t)(rest - name);
		if (!(s = spec_of(specs, ns, name, len)))
			continue;
		if (asprintf(&r, "%s%s%s", argv ? "" : "-p ", s, rest) < 0)
			return -ENOMEM;
		free(v[i]);
		v[i] = r;
	}
	return 0;
}
