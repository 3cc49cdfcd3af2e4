/*
 * fuzz_pymodel.c - the Python wing's boundary parsers (python/ft_pymodel.h):
 * the input, as the text of a JSON column the function filter reads back
 * (pyfunc_tests.funcs and .own, pyfunc_runs.prelude, pyfunc_fps.prelude,
 * pyfunc_lazy.files, pyfunc_fps.bodies), through ft_pystrs_parse(),
 * ft_pyfiles_parse() and ft_pyfp_bodies_parse(), and as the fingerprint
 * helper's object for one file through ft_pyfp_from_json(); then every
 * key they hand out through the key decoders.
 *
 * Checks besides the sanitizers: a parser that succeeds agrees with cJSON
 * about the document (same number of entries, every one a string), one
 * that fails holds nothing; a key decoded as a re-export is one by its
 * kind, with non-empty parts and an absolute importer; a read key's
 * qualname is shorter than the key.
 */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ft_pymodel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ft_pyforward fwd;

static void fuzz_pymodel_key(const char *k)
{
	char body[64];
	size_t n = ft_pykey_read_len(k);
	enum ft_pykey_kind kind = ft_pykey_kind(k);

	if (n && n >= strlen(k))
		abort();
	if ((kind == FT_PYKEY_DOC || kind == FT_PYKEY_ANN) != (n && !ft_pykey_is_mark(k)))
		abort();
	if (ft_pykey_forward(k, &fwd) &&
	    (kind != FT_PYKEY_FORWARD || !fwd.name[0] || !fwd.alias[0] || fwd.importer[0] != '/'))
		abort();
	{
		/* each body key is a prefix of the key, longer than the one
		 * before, and the last is the key itself; never more than the
		 * key's length calls */
		size_t pos = 0, last = 0, calls = 0, len = strlen(k);
		int r, got = 0;
		while ((r = ft_pykey_body_next(k, &pos, body, sizeof(body))) != 0) {
			if (++calls > len + 1)
				abort();
			if (r < 0)
				continue;
			if (strncmp(body, k, strlen(body)) || (got && strlen(body) <= last))
				abort();
			last = strlen(body);
			got = 1;
		}
		if (len < sizeof(body) && (!got || last != len) && !strstr(k, ".<locals>"))
			abort();
		if (len < sizeof(body) && strstr(k, ".<locals>") && last != len)
			abort();
	}
	(void)ft_pykey_name_read(k, body, sizeof(body));
}

static void fuzz_pymodel_strs(const struct ft_pystrs *s, const cJSON *arr)
{
	if (!cJSON_IsArray(arr) || (size_t)cJSON_GetArraySize(arr) != s->n)
		abort();
	for (size_t i = 0; i < s->n; i++) {
		if (!cJSON_IsString(cJSON_GetArrayItem(arr, (int)i)))
			abort();
		fuzz_pymodel_key(s->v[i]);
		if (!ft_pystrs_has(s, s->v[i]))
			abort();
	}
}

/* Fingerprints: every body handed out is a string member of the
 * document's "bodies" (or of the document, for stored bodies). */
static void fuzz_pymodel_fp(const char *text, const cJSON *doc)
{
	struct ft_pyfp fp = { 0 };

	if (ft_pyfp_bodies_parse(text, &fp) == 0) {
		if (!fp.has_bodies || (size_t)cJSON_GetArraySize(doc) != fp.nbodies)
			abort();
	} else if (fp.has_bodies || fp.nbodies) {
		abort();
	}
	ft_pyfp_release(&fp);
	if (ft_pyfp_from_json(doc, &fp) == 0) {
		const cJSON *b = cJSON_GetObjectItem(doc, "bodies");
		if (!cJSON_IsObject(doc) || (fp.has_bodies && (size_t)cJSON_GetArraySize(b) != fp.nbodies))
			abort();
		for (size_t i = 0; i < fp.nbodies; i++) {
			fuzz_pymodel_key(fp.bodies[i].key);
			if (!ft_pyfp_body(&fp, fp.bodies[i].key))
				abort();
		}
		ft_pyfp_release(&fp);
	} else if (cJSON_IsObject(doc)) {
		abort();   /* only -ENOMEM, and there is memory */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct ft_pystrs s;
	struct ft_pyfiles m;
	cJSON *doc;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	doc = cJSON_ParseWithOpts(text, NULL, 1);
	if (ft_pystrs_parse(text, &s) == 0) {
		fuzz_pymodel_strs(&s, doc);
		ft_pystrs_release(&s);
	} else if (s.v || s.n) {
		abort();
	}
	if (ft_pyfiles_parse(text, &m) == 0) {
		if (!cJSON_IsObject(doc) || (size_t)cJSON_GetArraySize(doc) != m.n)
			abort();
		for (size_t i = 0; i < m.n; i++) {
			/* entry i is the document's member i */
			fuzz_pymodel_strs(&m.v[i].keys, cJSON_GetArrayItem(doc, (int)i));
			if (!ft_pyfiles_get(&m, m.v[i].path))
				abort();
		}
		ft_pyfiles_release(&m);
	} else if (m.v || m.n) {
		abort();
	}
	fuzz_pymodel_fp(text, doc);
	/* the input itself, cut at its first NUL, as one key */
	fuzz_pymodel_key(text);
	cJSON_Delete(doc);
	free(text);
	return 0;
}
