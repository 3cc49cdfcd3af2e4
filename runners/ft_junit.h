/*
 * ft_junit.h - a JUnit XML report (the Jenkins dialect nextest writes:
 * docs/cargo.md, "nextest's own durations and outcomes") read for each
 * test's time and outcome.
 *
 * The report is a file a runner wrote: hostile input.  The reader is
 * small, bounded and not recursive (an element stack of at most
 * FT_JUNIT_MAX_DEPTH), and knows only what it needs:
 *
 *   <testsuites>? <testsuite name>  <testcase name classname time>
 *     <failure/> | <error/> | <skipped/>             its outcome
 *     <flakyFailure|flakyError|rerunFailure|rerunError time/>
 *                                                   a retry's time, added
 *
 * Everything else (system-out, properties, attributes it does not use) is
 * checked for well-formedness and skipped.  Attribute values and text are
 * entity-checked; the five XML entities and numeric references (&#N;,
 * &#xH;) are decoded.  A DOCTYPE (entity declarations) is refused, as is
 * any malformed input, an unknown entity, a NUL, a time that is not
 * "SECONDS[.FRACTION]" below 1e9 s, and a test named twice: the caller
 * then has no times at all, never a wrong one.
 *
 * Ownership: struct ft_junit owns its cases; ft_junit_release frees.
 * Errors: FT_EFORMAT (why says what and on which line), -ENOMEM.
 */
#ifndef FT_JUNIT_H
#define FT_JUNIT_H

#include <stddef.h>
#include <stdint.h>

#define FT_JUNIT_MAX_DEPTH 64

struct ft_junit_case {
	char *id;        /* "CLASSNAME NAME" (the testsuite's name when the
			  * testcase has no classname); nextest: binary id,
			  * space, test name */
	int64_t ns;      /* its time plus its retries', in ns; -1: not given */
	int outcome;     /* enum ft_outcome (ft_record.h): PASSED, FAILED
			  * (<failure>), ERROR (<error>), SKIPPED (<skipped>) */
};

struct ft_junit {
	struct ft_junit_case *v;  /* sorted by id, each id once */
	size_t n, cap;
};

#define FT_JUNIT_INIT { 0 }

/* Parse buf[0..len) into *j (empty on any error).  why (cap bytes) says
 * why a report was refused. */
int ft_junit_parse(struct ft_junit *j, const char *buf, size_t len, char *why, size_t cap);

/* The case named `id`, or NULL. */
const struct ft_junit_case *ft_junit_find(const struct ft_junit *j, const char *id);

void ft_junit_release(struct ft_junit *j);

#endif
