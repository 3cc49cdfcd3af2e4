/*
 * fuzz_adapter.c - the pytest adapter's side file (`adapter-pytest-<pid>
 * .json` in the run dir, ingest/ft_adapter.h) through ft_adapter_load(),
 * then every lookup ingest makes with what it loaded.
 *
 * An input with a form feed (\f) is two side files, the bytes before it
 * and after it, as pytest-xdist's workers leave them: the loader merges
 * them (and compares their collectors).
 *
 * Checks besides the sanitizers: a file that says "broken" never allows the
 * prelude split, and the test ids and files the loader kept can be looked
 * up again.
 */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ft_adapter.h"
#include "fuzz_tmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_adapter_probe(const struct ft_adapter *a, const char *s)
{
	uint32_t module;
	const char *file;
	size_t n, len = strlen(s);

	ft_adapter_is_project(a, s, len);
	ft_adapter_is_collect_stat(a, s, len);
	ft_adapter_owners(a, s, len, &n);
	if (ft_adapter_test(a, s, len, &module, &file) && file)
		ft_adapter_owners(a, file, strlen(file), &n);
	ft_adapter_collected(a, s, s);
	if (ft_adapter_is_leaky(a, s, len))
		ft_adapter_leaky_scoped(a, s, len);
	ft_adapter_leaky_user(a, s, len, s, len);
}

/* Every string in the document, as a key to look up. */
static void fuzz_adapter_walk(const struct ft_adapter *a, const cJSON *j)
{
	for (; j; j = j->next) {
		if (j->string)
			fuzz_adapter_probe(a, j->string);
		if (cJSON_IsString(j))
			fuzz_adapter_probe(a, j->valuestring);
		fuzz_adapter_walk(a, j->child);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ft_adapter a = FT_ADAPTER_INIT;
	const uint8_t *ff = memchr(data, '\f', size);
	size_t n1 = ff ? (size_t)(ff - data) : size;
	cJSON *doc[2] = { NULL, NULL };

	fuzz_tmp_write("adapter-pytest-1.json", data, n1);
	if (ff)
		fuzz_tmp_write("adapter-pytest-2.json", ff + 1, size - n1 - 1);
	else
		unlink(fuzz_tmp_write("adapter-pytest-2.json", data, 0));
	if (ft_adapter_load(&a, fuzz_tmp_dir()) < 0)
		abort(); /* only -ENOMEM is an error, and there is memory */
	if (!a.present)
		abort(); /* the side file was not seen */
	doc[0] = cJSON_ParseWithLength((const char *)data, n1);
	if (ff)
		doc[1] = cJSON_ParseWithLength((const char *)ff + 1, size - n1 - 1);
	for (int i = 0; i < 2; i++) {
		if (cJSON_IsTrue(cJSON_GetObjectItem(doc[i], "broken")) && a.split)
			abort(); /* a broken session split its prelude */
		if ((i == 0 || ff) && !doc[i] && a.split)
			abort(); /* an unreadable side file did not stop the split */
		fuzz_adapter_walk(&a, doc[i]);
	}
	for (size_t i = 0; i < ft_adapter_collected_count(&a); i++)
		ft_adapter_collected_file(&a, i);
	cJSON_Delete(doc[0]);
	cJSON_Delete(doc[1]);
	ft_adapter_release(&a);
	return 0;
}
