/*
 * fuzz_runner_json.c - the JSON that runners print and ftrace parses to plan
 * a narrowed run: `ctest --show-only=json-v1` (ft_ctest_list_parse(),
 * runners/ft_runner.c) and `cargo metadata --format-version 1`
 * (ft_cargo_meta_parse(), runners/ft_cargo_meta.c).  Both parsers get every
 * input; what they accept is then used as the runners use it (test ids,
 * package closures).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ft_cargo_meta.h"
#include "ft_runner.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_cargo_use(const struct ft_cargo_meta *m)
{
	unsigned char *in = malloc(m->n + 1);

	for (size_t i = 0; in && i < m->n; i++) {
		const struct ft_cargo_pkg *p = &m->pkgs[i];
		free(ft_cargo_doc_id(p));
		for (size_t j = 0; j < p->ntargets; j++) {
			free(ft_cargo_test_id(p, &p->targets[j]));
			free(ft_cargo_binary_id(p, &p->targets[j]));
		}
		ft_cargo_meta_closure(m, i, in);
		if (!in[i])
			abort(); /* a package outside its own closure */
	}
	free(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ft_ctest_list l;
	struct ft_cargo_meta m;

	if (ft_ctest_list_parse(&l, (const char *)data, size) == 0) {
		for (size_t i = 0; i < l.n; i++)
			if (!l.tests[i].name)
				abort(); /* a test without a name */
		ft_ctest_list_release(&l);
	}
	if (ft_cargo_meta_parse(&m, (const char *)data, size) == 0) {
		fuzz_cargo_use(&m);
		ft_cargo_meta_release(&m);
	}
	return 0;
}
