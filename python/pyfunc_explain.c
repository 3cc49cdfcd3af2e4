/*
 * pyfunc_explain.c - the English of `--explain` for function granularity
 * (ft_pyfunc_int.h), and the notes that carry it to cli/ (ft_pyfunc.h).
 * The rules decide; this file only words their reasons.  Texts are part
 * of the command's output: tests compare them byte for byte.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_pyfunc_int.h"
#include "ft_pymodel.h"

void ft_pyfunc_notes_release(struct ft_pyfunc_notes *notes)
{
	for (size_t i = 0; i < notes->n; i++) {
		free(notes->v[i].test);
		free(notes->v[i].path);
		free(notes->v[i].text);
	}
	free(notes->v);
	memset(notes, 0, sizeof(*notes));
}

const char *ft_pyfunc_note_find(const struct ft_pyfunc_notes *notes, const char *test,
				const char *path)
{
	for (size_t i = 0; notes && i < notes->n; i++) {
		const struct ft_pyfunc_note *e = &notes->v[i];
		if (!strcmp(e->test, test) && (path ? e->path && !strcmp(e->path, path) : !e->path))
			return e->text;
	}
	return NULL;
}

/* Takes `text` (malloc'd; NULL is out of memory). */
int ft__pyfunc_note_add(struct ft_pyfunc_notes *notes, const char *test, const char *path, char *text)
{
	struct ft_pyfunc_note *e;

	if (!text)
		return -ENOMEM;
	if (notes->n == notes->cap) {
		size_t cap = notes->cap ? notes->cap * 2 : 64;
		struct ft_pyfunc_note *v = realloc(notes->v, cap * sizeof(*v));
		if (!v) {
			free(text);
			return -ENOMEM;
		}
		notes->v = v;
		notes->cap = cap;
	}
	e = &notes->v[notes->n];
	e->test = strdup(test);
	e->path = path ? strdup(path) : NULL;
	e->text = text;
	if (!e->test || (path && !e->path)) {
		free(e->test);
		free(e->path);
		free(text);
		return -ENOMEM;
	}
	notes->n++;
	return 0;
}

/* Append "LEAD WHAT of `q`, `r`" over the read keys of `keys` of one
 * kind (ann: annotations, else docstrings) to `p`; returns the new end. */
static char *list_reads(char *p, const struct ft_pystrs *keys, int ann, const char *lead,
			const char *what)
{
	int first = 1;

	for (size_t i = 0; i < keys->n; i++) {
		const char *k = keys->v[i];
		size_t n = ft_pykey_read_len(k);
		if (!n || ft_pykey_is_ann(k) != ann)
			continue;
		if (first)
			p += sprintf(p, "%s%s of ", lead, what);
		p += sprintf(p, "%s`%.*s`", first ? "" : ", ", (int)n, k);
		first = 0;
	}
	return p;
}

/* "`f`, `C.m`", or "the docstring(s) of `f`, `C.m`", or "`f` and the
 * docstring of `g` and the annotations of `h`" (malloc'd; NULL: out of
 * memory).  *kinds: bit 1 a body, bit 2 a docstring or annotations. */
static char *key_list(const struct ft_pystrs *keys, int *kinds)
{
	size_t len = 64;
	int nb = 0, nd = 0, na = 0;
	char *s, *p;

	for (size_t i = 0; i < keys->n; i++) {
		len += strlen(keys->v[i]) + 4;
		if (!ft_pykey_read_len(keys->v[i]))
			nb++;
		else if (ft_pykey_is_ann(keys->v[i]))
			na++;
		else
			nd++;
	}
	*kinds = (nb ? 1 : 0) | (nd || na ? 2 : 0);
	if (!(s = p = malloc(len)))
		return NULL;
	*p = '\0';
	if (nb)
		p += sprintf(p, "%s ", nb > 1 ? "functions" : "function");
	nb = 0;
	for (size_t i = 0; i < keys->n; i++)
		if (!ft_pykey_read_len(keys->v[i]))
			p += sprintf(p, "%s`%s`", nb++ ? ", " : "", keys->v[i]);
	if (nd)
		p = list_reads(p, keys, 0, nb ? " and the " : "the ", nd > 1 ? "docstrings" : "docstring");
	if (na)
		list_reads(p, keys, 1, nb || nd ? " and the " : "the ", "annotations");
	return s;
}

/* `why` (may be NULL) = "function(s) `k`, ...PRE VERB POST" over the keys
 * of `keys` (unless it holds a text already), VERB being verbs[0] when
 * only bodies are named, verbs[1] when only docstrings, verbs[2] when both
 * ("ran", "read", "ran or read"); returns 1 if `keys` holds any (the test
 * may be affected), 0 if not. */
int ft__pyfunc_blame(const struct ft_pystrs *keys, char **why, const char *pre,
		     const char *const verbs[3], const char *post)
{
	char *list;
	int kinds;

	if (!keys || keys->n == 0)
		return !keys;
	if (why && !*why && (list = key_list(keys, &kinds))) {
		if (asprintf(why, "%s%s%s%s", list, pre, verbs[kinds == 1 ? 0 : kinds == 2 ? 1 : 2],
			     post) < 0)
			*why = NULL;
		free(list);
	}
	return 1;
}

const char *const FT__PYFUNC_RAN[3] = { "ran", "was read", "ran or was read" };
const char *const FT__PYFUNC_TEST_RAN[3] = { "ran it", "read it", "ran or read them" };
const char *const FT__PYFUNC_RUN[3] = { "run", "read", "run or read" };
const char *const FT__PYFUNC_NONE[3] = { "", "", "" };

void ft__pyfunc_say(char **why, const char *text)
{
	if (why && !*why)
		*why = strdup(text);
}

/* "`a`, `b`" (malloc'd; NULL: out of memory). */
static char *name_list(cJSON *names)
{
	size_t len = 8;
	char *s, *p;
	cJSON *n;

	cJSON_ArrayForEach(n, names)
		len += strlen(n->valuestring) + 4;
	if (!(s = p = malloc(len)))
		return NULL;
	*p = '\0';
	cJSON_ArrayForEach(n, names)
		p += sprintf(p, "%s`%s`", p == s ? "" : ", ", n->valuestring);
	return s;
}

/* "names `a`, `b` of the module changed, and <tail>" */
void ft__pyfunc_say_names(char **why, cJSON *names, const char *tail)
{
	char *list;

	if (why && !*why && (list = name_list(names))) {
		if (asprintf(why, "%s %s of the module changed, and %s",
			     cJSON_GetArraySize(names) > 1 ? "names" : "name", list, tail) < 0)
			*why = NULL;
		free(list);
	}
}
