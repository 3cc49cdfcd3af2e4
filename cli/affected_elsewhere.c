/*
 * affected_elsewhere.c - "recorded on another machine": the note that
 * `ftrace affected --explain` and `--format json` give a reason whose path
 * lies outside the repository when its test's recording came from a bundle
 * (`ftrace import`; cli/affected.h).
 *
 * Such a dependency was stored as it was on the exporting machine (an
 * interpreter, a library, a file under that machine's $HOME): if it
 * differs here, the likely cause is the other machine, not an edit, and
 * the user should be told so rather than left to guess.  The test is
 * selected either way; the note only words the reason.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "affected.h"
#include "ft_store.h"
#include "ft_store_tests.h"
#include "ft_vec.h"

struct imported { char *name, *machine; };

static struct {
	struct imported *v;
	size_t n, cap;
	char *top;
	size_t tlen;
} el;

static int add(void *arg, const char *name, const char *machine)
{
	struct imported *v = ft_vec_grow(el.v, &el.cap, el.n, sizeof(*v), 64);

	(void)arg;
	if (!v)
		return -ENOMEM;
	el.v = v;
	if (!(v[el.n].name = strdup(name)))
		return -ENOMEM;
	if (!(v[el.n].machine = strdup(machine))) {
		free(v[el.n].name);
		return -ENOMEM;
	}
	el.n++;
	return 0;
}

int affected_elsewhere_load(struct ft_store *st, const char *top)
{
	int rc;

	affected_elsewhere_release();
	if (!(el.top = strdup(top)))
		return -ENOMEM;
	el.tlen = strlen(top);
	if ((rc = ft_store_tests_imported_each(st, add, NULL)) < 0)
		affected_elsewhere_release();
	return rc;
}

static int by_name(const void *key, const void *item)
{
	return strcmp(key, ((const struct imported *)item)->name);
}

const char *affected_elsewhere_note(const char *test, const char *path, char *buf, size_t cap)
{
	const struct imported *i;

	if (!path || !el.top || !el.n || path[0] != '/')
		return NULL;
	if (!strncmp(path, el.top, el.tlen) && (path[el.tlen] == '/' || !path[el.tlen] ||
						 el.tlen == 1))
		return NULL; /* in the repository: rebased, this checkout's file */
	if (!(i = bsearch(test, el.v, el.n, sizeof(*el.v), by_name)))
		return NULL;
	snprintf(buf, cap, "recorded on another machine%s%s%s: %s differs here",
		 i->machine[0] ? " (" : "", i->machine, i->machine[0] ? ")" : "", path);
	return buf;
}

void affected_elsewhere_release(void)
{
	for (size_t i = 0; i < el.n; i++) {
		free(el.v[i].name);
		free(el.v[i].machine);
	}
	free(el.v);
	free(el.top);
	memset(&el, 0, sizeof(el));
}
