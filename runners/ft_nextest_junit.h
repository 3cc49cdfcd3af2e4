/*
 * ft_nextest_junit.h - nextest's own per-test durations and outcomes,
 * from the JUnit report a nextest profile writes (docs/cargo.md,
 * "nextest's own durations and outcomes").
 *
 * nextest writes `<target-dir>/nextest/<profile>/<junit.path>` only when
 * the profile in use sets `junit.path` in the workspace's
 * `.config/nextest.toml` (a profile without one takes `default`'s, or its
 * `inherits` chain's).  The profile is the runner image's `--profile P` /
 * `-P P`, else $NEXTEST_PROFILE (ftrace's own environment, which the run
 * inherited), else `default`.  A run that moves the report elsewhere
 * (`--config-file`, `--tool-config-file`, `--target-dir`, `[store] dir`,
 * an archive run) or a config the small reader here cannot follow (a
 * multi-line string, an escape in the path) gets no report: ftrace's own
 * durations stay.
 *
 * The report counts only when this run wrote it (mtime at or after t0);
 * a stale or missing one is silently no report.  It is opened without
 * following a symlink, must be a regular file below FT_NEXTEST_JUNIT_MAX
 * bytes, and is read by ft_junit_parse (ft_junit.h); a refused one
 * leaves a note naming it in t->note and no durations.
 *
 * Applied to the tree's nextest tests ("BINARY_ID NAME", the id
 * ft_runner_cargo.c gives them): own_ns is the report's time (a retried
 * test's attempts summed); a <failure>/<error> makes the test failed /
 * errored, nextest's own verdict (not guessed); a test without one is
 * passed only where judge() had no outcome of the test's own (its
 * processes' exit statuses were unknown or disagreed: a retry) and
 * guessed one from the run's status.  <skipped> changes nothing: a test
 * that ran a process of its own and is "skipped" is a contradiction, so
 * its guess (failed: selected) stays.
 */
#ifndef FT_NEXTEST_JUNIT_H
#define FT_NEXTEST_JUNIT_H

#include <stdint.h>

struct ft_ptree;

#define FT_NEXTEST_JUNIT_MAX (256u << 20)

/* For each nextest runner image of the tree: find, read and apply its
 * report.  ws_root and target_dir are `cargo metadata`'s.  Returns the
 * number of tests given a duration, or -ENOMEM. */
int ft_nextest_junit_apply(struct ft_ptree *t, const char *ws_root, const char *target_dir,
			   int64_t t0_ns);

/* junit.path for `profile` in the text of a nextest.toml: 1 with *path
 * (malloc'd), 0 when the profile sets none, FT_EFORMAT when the reader
 * cannot tell (see above), -ENOMEM. */
int ft_nextest_junit_config(const char *toml, const char *profile, char **path);

#endif
