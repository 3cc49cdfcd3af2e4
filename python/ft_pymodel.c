/*
 * ft_pymodel.c - the decoding of the keys the pytest plugin records
 * (ft_pymodel.h; docs/python-sidefiles.md, "Keys").
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_pyfunc.h"
#include "ft_pymodel.h"

enum ft_pykey_kind ft_pykey_kind(const char *key)
{
	if (key[0] == '@') {
		if (!strcmp(key, FT_PYKEY_S_ALL))
			return FT_PYKEY_ALL;
		if (!strcmp(key, FT_PYKEY_S_SEEN))
			return FT_PYKEY_SEEN;
		if (!strcmp(key, FT_PYKEY_S_UNSEEN))
			return FT_PYKEY_UNSEEN;
		if (!strcmp(key, FT_PYKEY_S_TMOD))
			return FT_PYKEY_TMOD;
		if (!strcmp(key, FT_PYKEY_S_DUNDERS) || !strcmp(key, FT_PYKEY_S_DUNDERS2))
			return FT_PYKEY_DUNDERS;
		if (!strcmp(key, FT_PYKEY_S_DATA))
			return FT_PYKEY_DATA;
		if (!strcmp(key, FT_PYKEY_S_FILE))
			return FT_PYKEY_FILE;
		if (!strncmp(key, FT_PYKEY_S_FORWARD, 2))
			return FT_PYKEY_FORWARD;
		if (!strncmp(key, FT_PYKEY_S_TMOD, 2))
			return FT_PYKEY_COLLECT;
		return FT_PYKEY_NAME;
	}
	if (!strcmp(key, FT_PYKEY_S_MODULE))
		return FT_PYKEY_MODULE;
	if (ft_pykey_read_len(key))
		return ft_pykey_is_ann(key) ? FT_PYKEY_ANN : FT_PYKEY_DOC;
	return FT_PYKEY_CODE;
}

int ft_pyname_is_dunder(const char *name)
{
	size_t n = strlen(name);

	/* as the recorder's test (ftrace_fingerprint.is_dunder): "__" and
	 * "___" too, which an older recorder did not note either */
	return n >= 2 && !strncmp(name, "__", 2) && !strcmp(name + n - 2, "__");
}

int ft_pyname_is_dunder2(const char *name)
{
	return !strcmp(name, "__all__");
}

size_t ft_pykey_read_len(const char *k)
{
	size_t n = strlen(k), d = strlen(FT_PYFUNC_DOC);

	_Static_assert(sizeof(FT_PYFUNC_DOC) == sizeof(FT_PYFUNC_ANN), "one suffix length");
	return n > d && (!strcmp(k + n - d, FT_PYFUNC_DOC) || !strcmp(k + n - d, FT_PYFUNC_ANN))
	       ? n - d : 0;
}

int ft_pykey_is_ann(const char *k)
{
	size_t n = strlen(k), d = strlen(FT_PYFUNC_ANN);

	return n > d && !strcmp(k + n - d, FT_PYFUNC_ANN);
}

int ft_pykey_body_next(const char *qual, size_t *pos, char *out, size_t cap)
{
	static const char cut[] = ".<locals>";
	size_t len = strlen(qual), n;
	const char *l;

	if (*pos > len)
		return 0;
	l = strstr(qual + *pos, cut);
	n = l ? (size_t)(l - qual) : len;
	*pos = l ? n + sizeof(cut) - 1 : len + 1;
	if (n + 1 > cap)
		return -1;
	memcpy(out, qual, n);
	out[n] = '\0';
	return 1;
}

int ft_pykey_name_read(const char *name, char *out, size_t cap)
{
	int n = snprintf(out, cap, "@%s", name);

	return n >= 0 && (size_t)n < cap;
}

int ft_pykey_forward(const char *key, struct ft_pyforward *f)
{
	const size_t cap = FT_PYKEY_MAX;
	const char *t1, *t2;

	if (strncmp(key, FT_PYKEY_S_FORWARD, 2) || !(t1 = strchr(key + 2, '\t')) ||
	    !(t2 = strchr(t1 + 1, '\t')))
		return 0;
	if ((size_t)(t1 - key - 2) >= cap || (size_t)(t2 - t1 - 1) >= cap || strlen(t2 + 1) >= cap)
		return 0;
	memcpy(f->name, key + 2, (size_t)(t1 - key - 2));
	f->name[t1 - key - 2] = '\0';
	memcpy(f->alias, t1 + 1, (size_t)(t2 - t1 - 1));
	f->alias[t2 - t1 - 1] = '\0';
	strcpy(f->importer, t2 + 1);
	return *f->name && *f->alias && *f->importer == '/';
}

int ft_pystrs_has(const struct ft_pystrs *s, const char *x)
{
	for (size_t i = 0; s && i < s->n; i++)
		if (!strcmp(s->v[i], x))
			return 1;
	return 0;
}

int ft_pystrs_add(struct ft_pystrs *s, const char *x)
{
	char **v, *d;

	if (ft_pystrs_has(s, x))
		return 0;
	if (!(d = strdup(x)))
		return -ENOMEM;
	/* grows by one: the lists are short, and built once per selection */
	if (!(v = realloc(s->v, (s->n + 1) * sizeof(*v)))) {
		free(d);
		return -ENOMEM;
	}
	s->v = v;
	s->v[s->n++] = d;
	return 0;
}

void ft_pystrs_release(struct ft_pystrs *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

const struct ft_pystrs *ft_pyfiles_get(const struct ft_pyfiles *m, const char *path)
{
	for (size_t i = 0; m && i < m->n; i++)
		if (!strcmp(m->v[i].path, path))
			return &m->v[i].keys;
	return NULL;
}

void ft_pyfiles_release(struct ft_pyfiles *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].path);
		ft_pystrs_release(&m->v[i].keys);
	}
	free(m->v);
	m->v = NULL;
	m->n = 0;
}

/* Duplicates are kept: the list is what was recorded. */
int ft_pystrs_from_json(const cJSON *arr, struct ft_pystrs *out)
{
	const cJSON *e;
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	if (!cJSON_IsArray(arr))
		return -EINVAL;
	cJSON_ArrayForEach(e, arr) {
		if (!cJSON_IsString(e))
			return -EINVAL;
		n++;
	}
	if (n && !(out->v = calloc(n, sizeof(*out->v))))
		return -ENOMEM;
	cJSON_ArrayForEach(e, arr) {
		if (!(out->v[out->n] = strdup(e->valuestring))) {
			ft_pystrs_release(out);
			return -ENOMEM;
		}
		out->n++;
	}
	return 0;
}

int ft_pystrs_parse(const char *json, struct ft_pystrs *out)
{
	cJSON *doc = json ? cJSON_ParseWithOpts(json, NULL, 1) : NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = doc ? ft_pystrs_from_json(doc, out) : -EINVAL;
	cJSON_Delete(doc);
	return rc;
}

int ft_pyfiles_parse(const char *json, struct ft_pyfiles *out)
{
	cJSON *doc = json ? cJSON_ParseWithOpts(json, NULL, 1) : NULL, *f;
	size_t n = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		return -EINVAL;
	}
	cJSON_ArrayForEach(f, doc)
		n++;
	if (n && !(out->v = calloc(n, sizeof(*out->v))))
		rc = -ENOMEM;
	cJSON_ArrayForEach(f, doc) {
		if (rc < 0)
			break;
		if ((rc = ft_pystrs_from_json(f, &out->v[out->n].keys)) < 0)
			break;
		if (!(out->v[out->n].path = strdup(f->string))) {
			ft_pystrs_release(&out->v[out->n].keys);
			rc = -ENOMEM;
			break;
		}
		out->n++;
	}
	cJSON_Delete(doc);
	if (rc < 0)
		ft_pyfiles_release(out);
	return rc;
}

const char *ft_pyfp_body(const struct ft_pyfp *fp, const char *key)
{
	for (size_t i = 0; fp && i < fp->nbodies; i++)
		if (!strcmp(fp->bodies[i].key, key))
			return fp->bodies[i].fp;
	return NULL;
}

/* {key: fingerprint}, every value a string, into fp's bodies. */
static int bodies_from(const cJSON *obj, struct ft_pyfp *fp)
{
	const cJSON *b;
	size_t n = 0;

	if (!cJSON_IsObject(obj))
		return -EINVAL;
	cJSON_ArrayForEach(b, obj) {
		if (!cJSON_IsString(b))
			return -EINVAL;
		n++;
	}
	if (n && !(fp->bodies = calloc(n, sizeof(*fp->bodies))))
		return -ENOMEM;
	cJSON_ArrayForEach(b, obj) {
		struct ft_pybody *e = &fp->bodies[fp->nbodies];
		if (!(e->key = strdup(b->string)) || !(e->fp = strdup(b->valuestring))) {
			free(e->key);
			return -ENOMEM;
		}
		fp->nbodies++;
	}
	fp->has_bodies = 1;
	return 0;
}

static void bodies_release(struct ft_pyfp *fp)
{
	for (size_t i = 0; i < fp->nbodies; i++) {
		free(fp->bodies[i].key);
		free(fp->bodies[i].fp);
	}
	free(fp->bodies);
	fp->bodies = NULL;
	fp->nbodies = 0;
	fp->has_bodies = 0;
}

int ft_pyfp_from_json(const cJSON *obj, struct ft_pyfp *out)
{
	const cJSON *skel = cJSON_GetObjectItem(obj, "skeleton");
	int rc;

	memset(out, 0, sizeof(*out));
	if (!cJSON_IsObject(obj))
		return -EINVAL;
	if (cJSON_IsString(skel) && !(out->skeleton = strdup(skel->valuestring)))
		return -ENOMEM;
	if ((rc = bodies_from(cJSON_GetObjectItem(obj, "bodies"), out)) == -ENOMEM) {
		ft_pyfp_release(out);
		return rc;
	}
	if (rc < 0)
		bodies_release(out);   /* malformed: none */
	out->names = cJSON_GetObjectItem(obj, "names");
	return 0;
}

int ft_pyfp_bodies_parse(const char *json, struct ft_pyfp *out)
{
	cJSON *doc = json ? cJSON_ParseWithOpts(json, NULL, 1) : NULL;
	int rc = doc ? bodies_from(doc, out) : -EINVAL;

	if (rc < 0)
		bodies_release(out);
	cJSON_Delete(doc);
	return rc;
}

void ft_pyfp_release(struct ft_pyfp *fp)
{
	bodies_release(fp);
	free(fp->skeleton);
	fp->skeleton = NULL;
	fp->names = NULL;
}
