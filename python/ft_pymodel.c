/*
 * ft_pymodel.c - the decoding of the keys the pytest plugin records
 * (ft_pymodel.h; docs/python-sidefiles.md, "Keys").
 */
#include <stdio.h>
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
		if (!strncmp(key, FT_PYKEY_S_FORWARD, 2))
			return FT_PYKEY_FORWARD;
		return FT_PYKEY_NAME;
	}
	if (!strcmp(key, FT_PYKEY_S_MODULE))
		return FT_PYKEY_MODULE;
	if (ft_pykey_read_len(key))
		return ft_pykey_is_ann(key) ? FT_PYKEY_ANN : FT_PYKEY_DOC;
	return FT_PYKEY_CODE;
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

int ft_pykey_body(const char *qual, char *out, size_t cap)
{
	const char *l = strstr(qual, ".<locals>");
	size_t n = l ? (size_t)(l - qual) : strlen(qual);

	if (n + 1 > cap)
		return 0;
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
