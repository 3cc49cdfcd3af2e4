/*
 * fuzz_junit.c - nextest's JUnit report (runners/ft_junit.h) through
 * ft_junit_parse(), and the same bytes as a nextest.toml through
 * ft_nextest_junit_config() (runners/ft_nextest_junit.h).
 *
 * Checks what the callers rely on: a report is either refused whole (no
 * case, a reason given) or accepted with its cases sorted and each named
 * once, every time -1 or a real one, every outcome one of the four; the
 * same bytes always give the same answer.  A config gives a non-empty
 * path, none, or "cannot tell".
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ft_error.h"
#include "ft_junit.h"
#include "ft_nextest_junit.h"
#include "ft_record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_report(const uint8_t *data, size_t size)
{
	struct ft_junit j, again;
	char why[256], why2[256];
	int rc = ft_junit_parse(&j, (const char *)data, size, why, sizeof(why));

	if (rc != 0 && rc != FT_EFORMAT)
		abort();
	if (rc == FT_EFORMAT && (j.n || j.v || !why[0]))
		abort(); /* refused, yet cases, or no reason */
	if (rc == 0 && why[0])
		abort();
	for (size_t k = 0; rc == 0 && k < j.n; k++) {
		const struct ft_junit_case *c = &j.v[k];
		if (!c->id || c->ns < -1 || c->ns >= INT64_MAX)
			abort();
		if (c->outcome != FT_OUTCOME_PASSED && c->outcome != FT_OUTCOME_FAILED &&
		    c->outcome != FT_OUTCOME_SKIPPED && c->outcome != FT_OUTCOME_ERROR)
			abort();
		if (k && strcmp(j.v[k - 1].id, c->id) >= 0)
			abort(); /* not sorted, or a test twice */
		if (ft_junit_find(&j, c->id) != c)
			abort();
	}
	if (ft_junit_parse(&again, (const char *)data, size, why2, sizeof(why2)) != rc || again.n != j.n)
		abort();
	ft_junit_release(&again);
	ft_junit_release(&j);
}

static void check_config(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *path = NULL;
	int rc;

	if (!text)
		return;
	memcpy(text, data, size);
	text[size] = '\0';
	rc = ft_nextest_junit_config(text, "ci", &path);
	if (rc != 0 && rc != 1 && rc != FT_EFORMAT)
		abort();
	if ((rc == 1) != (path != NULL) || (path && !path[0]))
		abort();
	free(path);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_report(data, size);
	check_config(data, size);
	return 0;
}
