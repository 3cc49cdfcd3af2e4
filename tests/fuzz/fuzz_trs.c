/*
 * fuzz_trs.c - an Automake `.trs` file (runners/ft_runner_automake.h)
 * through ft_automake_trs_passed(), which decides whether a test passed.
 *
 * Check against a plain reading of the format: a test passes only when
 * the file has a line that starts with :test-result:, and every such line
 * says PASS, SKIP or XFAIL (a failed test must be selected again).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ft_runner_automake.h"
#include "fuzz_tmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 1 if every line `:test-result: V...` has V in PASS, SKIP, XFAIL and
 * there is one; else 0.  A line is text up to its newline or first NUL
 * (a NUL is no line break, but what follows it on the line is not read). */
static int fuzz_trs_oracle(const uint8_t *data, size_t size)
{
	static const char *const ok[] = { "PASS", "SKIP", "XFAIL" };
	size_t i = 0;
	int seen = 0;

	while (i < size) {
		const uint8_t *nl = memchr(data + i, '\n', size - i);
		size_t next = nl ? (size_t)(nl - data) : size, v;
		const uint8_t *nul = memchr(data + i, '\0', next - i);
		size_t end = nul ? (size_t)(nul - data) : next;
		int good = 0;

		if (end - i >= 13 && !memcmp(data + i, ":test-result:", 13)) {
			for (v = i + 13; v < end && (data[v] == ' ' || data[v] == '\t'); v++)
				;
			for (size_t k = 0; k < 3; k++) {
				size_t l = strlen(ok[k]);
				if (end - v >= l && !memcmp(data + v, ok[k], l) &&
				    (v + l == end || data[v + l] == ' '))
					good = 1;
			}
			if (!good)
				return 0;
			seen = 1;
		}
		i = next + 1;
	}
	return seen;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_tmp_write("t.trs", data, size);
	int passed = ft_automake_trs_passed(path, 0);

	if (passed && !fuzz_trs_oracle(data, size))
		abort(); /* passed where a plain reading does not */
	return 0;
}
