/*
 * ft_bundle_py.c - version 3's shared Python texts: see ft_bundle_py.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ft_bundle_py.h"
#include "ft_error.h"

/* An array of strings as a list's string indices, interned. */
int ft__bundle_py_code_list(struct ft_bundle_pytab *tab, const cJSON *arr, uint32_t *list)
{
	int n = cJSON_GetArraySize(arr), i = 0, rc = 0;
	uint32_t *ids = malloc((size_t)(n ? n : 1) * sizeof(*ids));
	const cJSON *s;

	if (!ids)
		return -ENOMEM;
	cJSON_ArrayForEach(s, arr) {
		const char *v = cJSON_GetStringValue(s);
		if ((rc = ft_map_intern(&tab->strs, v, strlen(v), &ids[i++], NULL)) < 0)
			break;
	}
	if (rc == 0)
		rc = ft_map_intern(&tab->lists, ids, (size_t)n * sizeof(*ids), list, NULL);
	free(ids);
	return rc;
}

int ft__bundle_py_is_string_array(const cJSON *a)
{
	const cJSON *s;

	if (!cJSON_IsArray(a))
		return 0;
	cJSON_ArrayForEach(s, a)
		if (!cJSON_IsString(s))
			return 0;
	return 1;
}

/* The tag that codes `j`: LIST (an array of strings), OBJ (an object of
 * such arrays; `{}` too), STRS (an object of strings), or RAW.  Keys and
 * strings are as cJSON holds them: NUL-terminated, so a "\u0000" inside
 * one is caught by the print-back comparison. */
static int shape(const cJSON *j)
{
	const cJSON *m;
	int lists = 1, strs = 1;

	if (ft__bundle_py_is_string_array(j))
		return FT_BUNDLE_PY_LIST;
	if (!cJSON_IsObject(j))
		return FT_BUNDLE_PY_RAW;
	cJSON_ArrayForEach(m, j) {
		if (!m->string)
			return FT_BUNDLE_PY_RAW;
		lists &= ft__bundle_py_is_string_array(m);
		strs &= cJSON_IsString(m);
	}
	return lists ? FT_BUNDLE_PY_OBJ : strs ? FT_BUNDLE_PY_STRS : FT_BUNDLE_PY_RAW;
}

struct cJSON *ft__bundle_py_parse_exact(const char *text, int (*accept)(const struct cJSON *, void *),
					void *arg)
{
	cJSON *j = cJSON_Parse(text);
	char *back;

	if (!j)
		return NULL;
	back = accept(j, arg) ? cJSON_PrintUnformatted(j) : NULL;
	if (!back || strcmp(back, text)) {
		free(back);
		cJSON_Delete(j);
		return NULL;
	}
	free(back);
	return j;
}

static int shape_coded(const cJSON *j, void *tag)
{
	*(int *)tag = shape(j);
	return *(int *)tag != FT_BUNDLE_PY_RAW;
}

/* `text` parsed, when version 3 codes it (*tag): the reader's print of it
 * is the text itself. */
static cJSON *codable(const char *text, int *tag)
{
	return ft__bundle_py_parse_exact(text, shape_coded, tag);
}

int ft__bundle_py_codable(const char *text)
{
	int tag;
	cJSON *j = codable(text, &tag);

	cJSON_Delete(j);
	return j != NULL;
}

int ft__bundle_py_code(struct ft_bundle_pytab *tab, const char *text, struct ft_bundle_pyval *v)
{
	cJSON *j, *m;
	int tag, rc = 0;
	uint32_t i = 0;

	memset(v, 0, sizeof(*v));
	if (!text)
		return 0;
	v->tag = FT_BUNDLE_PY_RAW;
	v->raw = text;
	if (!(j = codable(text, &tag)))
		return 0;
	if (tag == FT_BUNDLE_PY_LIST) {
		if (!(v->ids = malloc(sizeof(*v->ids))) || (rc = ft__bundle_py_code_list(tab, j, v->ids)) < 0)
			goto fail;
		v->tag = FT_BUNDLE_PY_LIST;
		v->n = 1;
		cJSON_Delete(j);
		return 0;
	}
	v->n = (uint32_t)cJSON_GetArraySize(j);
	if (!(v->ids = malloc((size_t)(v->n ? v->n : 1) * 2 * sizeof(*v->ids))))
		goto fail;
	/* in the order the reader walks: a pair's key, then its value */
	cJSON_ArrayForEach(m, j) {
		if ((rc = ft_map_intern(&tab->strs, m->string, strlen(m->string), &v->ids[2 * i],
					NULL)) < 0)
			goto fail;
		if (tag == FT_BUNDLE_PY_OBJ)
			rc = ft__bundle_py_code_list(tab, m, &v->ids[2 * i + 1]);
		else
			rc = ft_map_intern(&tab->strs, m->valuestring, strlen(m->valuestring),
					   &v->ids[2 * i + 1], NULL);
		if (rc < 0)
			goto fail;
		i++;
	}
	v->tag = (uint8_t)tag;
	cJSON_Delete(j);
	return 0;
fail:
	cJSON_Delete(j);
	ft__bundle_pyval_release(v);
	return -ENOMEM;
}

void ft__bundle_pyval_release(struct ft_bundle_pyval *v)
{
	free(v->ids);
	free(v->code);
	memset(v, 0, sizeof(*v));
}

void ft__bundle_pytab_release(struct ft_bundle_pytab *tab)
{
	ft_map_release(&tab->strs);
	ft_map_release(&tab->lists);
}

/* --- reading ---------------------------------------------------------------- */

void ft__bundle_py_bound(struct ft_bundle_pyread *rd, struct ft_bundle_pylist *l)
{
	l->bound = 2;
	for (uint32_t i = 0; i < l->n; i++)
		l->bound += 6 * (uint64_t)strlen(rd->strs[l->ids[i]]) + 3;
}

cJSON *ft__bundle_py_make_list(const struct ft_bundle_pyread *rd, const struct ft_bundle_pylist *l)
{
	cJSON *a = cJSON_CreateArray();

	for (uint32_t i = 0; a && i < l->n; i++) {
		cJSON *s = cJSON_CreateString(rd->strs[l->ids[i]]);
		if (!s || !cJSON_AddItemToArray(a, s)) {
			cJSON_Delete(s);
			cJSON_Delete(a);
			return NULL;
		}
	}
	return a;
}

/* String `s` named: a new one must be the next. */
int ft__bundle_py_use_str(struct ft_bundle_pyread *rd, uint32_t s)
{
	if (s > rd->next_str)
		return FT_ECORRUPT;
	rd->next_str += s == rd->next_str;
	return 0;
}

/* List `l` named: new ones must come in order, their strings first. */
int ft__bundle_py_use_list(struct ft_bundle_pyread *rd, uint32_t l)
{
	if (l < rd->next_list)
		return 0;
	if (l > rd->next_list)
		return FT_ECORRUPT;
	for (uint32_t i = 0; i < rd->lists[l].n; i++)
		if (ft__bundle_py_use_str(rd, rd->lists[l].ids[i]) < 0)
			return FT_ECORRUPT;
	rd->next_list++;
	return 0;
}

int ft__bundle_py_first_use(struct ft_bundle_pyread *rd, const struct ft_bundle_pyval *v)
{
	if (v->tag == FT_BUNDLE_PY_LIST)
		return ft__bundle_py_use_list(rd, v->ids[0]);
	for (uint32_t i = 0; i < v->n; i++) {
		uint32_t val = v->ids[2 * i + 1];
		if (ft__bundle_py_use_str(rd, v->ids[2 * i]) < 0 ||
		    (v->tag == FT_BUNDLE_PY_OBJ ? ft__bundle_py_use_list(rd, val) : ft__bundle_py_use_str(rd, val)) < 0)
			return FT_ECORRUPT;
	}
	return 0;
}

/* The bytes string `i` prints as, at most, quotes included. */
uint64_t ft__bundle_py_str_bound(const struct ft_bundle_pyread *rd, uint32_t i)
{
	return 6 * (uint64_t)strlen(rd->strs[i]) + 2;
}

int ft__bundle_py_text(struct ft_bundle_pyread *rd, const struct ft_bundle_pyval *v, char **out)
{
	uint64_t bound = 2;
	cJSON *j;

	*out = NULL;
	/* the bound before anything is made: a small bundle whose lists are
	 * named many times must not make gigabytes */
	if (v->tag == FT_BUNDLE_PY_LIST) {
		bound = rd->lists[v->ids[0]].bound;
	} else {
		for (uint32_t i = 0; i < v->n && bound <= FT_BUNDLE_PY_MAX; i++)
			bound += ft__bundle_py_str_bound(rd, v->ids[2 * i]) + 2 +
				 (v->tag == FT_BUNDLE_PY_OBJ ? rd->lists[v->ids[2 * i + 1]].bound :
				  ft__bundle_py_str_bound(rd, v->ids[2 * i + 1]));
	}
	if (bound > FT_BUNDLE_PY_MAX || rd->made + bound > FT_BUNDLE_PY_MAX)
		return FT_ECORRUPT;
	if (v->tag == FT_BUNDLE_PY_LIST) {
		j = ft__bundle_py_make_list(rd, &rd->lists[v->ids[0]]);
	} else {
		j = cJSON_CreateObject();
		for (uint32_t i = 0; j && i < v->n; i++) {
			uint32_t val = v->ids[2 * i + 1];
			cJSON *a = v->tag == FT_BUNDLE_PY_OBJ ? ft__bundle_py_make_list(rd, &rd->lists[val]) :
				   cJSON_CreateString(rd->strs[val]);
			if (!a || !cJSON_AddItemToObject(j, rd->strs[v->ids[2 * i]], a)) {
				cJSON_Delete(a);
				cJSON_Delete(j);
				j = NULL;
			}
		}
	}
	if (!j)
		return -ENOMEM;
	*out = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	if (!*out)
		return -ENOMEM;
	rd->made += strlen(*out);
	return 0;
}

void ft__bundle_pyread_release(struct ft_bundle_pyread *rd)
{
	/* every entry up to the capacity: the arrays are calloc'd to their
	 * whole count, and an entry cut short by damage is freed too */
	for (size_t i = 0; i < rd->cstrs; i++)
		free(rd->strs[i]);
	for (size_t i = 0; i < rd->clists; i++)
		free(rd->lists[i].ids);
	free(rd->strs);
	free(rd->lists);
	memset(rd, 0, sizeof(*rd));
}
