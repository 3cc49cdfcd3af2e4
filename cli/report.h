/*
 * report.h - the JSON report of `ftrace test --report FILE` and `ftrace
 * verify --report FILE` (docs/usage.md, "Reports"; the schemas
 * docs/schema/test-report.schema.json and verify-report.schema.json): one
 * writer for the parts they share, so that the two reports have the same
 * shape where they overlap:
 *
 *   {"report": "test"|"verify", "ftrace_version", "command",
 *    "selection": {"complete", "why", "known", "tests": [{id, reasons}]},
 *    ... the command's own parts (escapes, failures, flaky; verify's
 *    verdict) ...,
 *    "tests": [{id, outcome, recorded, known, selected, duration_ns,
 *               duration_source}],
 *    "counts": {...}, "command_status", "exit_status"}
 *
 * The writers print; they belong to the command layer.  A report that
 * cannot be written is said on stderr and changes no exit status.
 */
#ifndef FT_CLI_REPORT_H
#define FT_CLI_REPORT_H

#include <stddef.h>
#include <stdio.h>

struct ft_selection;
struct ft_store;
struct verify;
struct verify_found;

/* `len` bytes of s as a JSON string (bytes outside ASCII as \u00XX). */
void report_json_str(FILE *f, const char *s, size_t len);

/* The "selection" object for later (the pipeline's selection is freed
 * before the run): its tests with their reasons, as `ftrace affected
 * --format json` gives them, and `known`; complete 0 with `why` when it
 * could not tell (sel may then be NULL).  malloc'd, or NULL on ENOMEM. */
char *report_selection(const struct ft_selection *sel, size_t known, int complete,
		       const char *why);

/* Open FILE for writing (said on stderr, prefixed by `cmd`, when it
 * cannot be: NULL). */
FILE *report_open(const char *cmd, const char *path);

/* {"report":kind,"ftrace_version":...,"command":...,"selection":...
 * (selection: report_selection's text, or NULL for null) */
void report_head(FILE *f, const char *kind, const char *command, const char *selection);

/* The "failures" (and for `kind` "verify", "unjudged" and
 * "escapes_by_run_status"), "flaky", "tests", "counts", "command_status"
 * and "exit_status" members, and the closing brace: from v (its counts and
 * flaky list) and fd (the run's tests, read by verify_read_new); each
 * test's duration from st, the new database (NULL: none). */
void report_rest(FILE *f, const char *kind, const struct verify *v,
		 const struct verify_found *fd, struct ft_store *st, int exit_status);

/* Close it; a write error is said on stderr. */
void report_close(FILE *f, const char *path, const char *cmd);

#endif
