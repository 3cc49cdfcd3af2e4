/*
 * verify_report.c - `ftrace verify`'s verdict: the new recording's
 * outcomes against the old ones, said on stderr and, with --report, as
 * JSON (docs/usage.md, "ftrace verify").
 *
 * The tests of the new run are those of the newest run of our command
 * line from our directory, when that run is newer than the newest run
 * before ours: otherwise the recording was not saved and there is no
 * verdict.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ft_cmd.h"
#include "ft_error.h"
#include "ft_record.h"
#include "ft_state.h"
#include "ft_store.h"
#include "ft_store_tests.h"
#include "verify.h"

struct found { struct verify_outcome *esc, *fail; size_t nesc, nfail, cesc, cfail; int64_t last; };

#define outcome_name ft_cmd_outcome_name

int verify_fails(int o)
{
	return o != FT_OUTCOME_PASSED && o != FT_OUTCOME_SKIPPED;
}

static int push(struct verify_outcome **a, size_t *n, size_t *cap, const char *id, int before, int now)
{
	if (*n == *cap) {
		struct verify_outcome *na = realloc(*a, (*cap = *cap ? *cap * 2 : 8) * sizeof(*na));
		if (!na)
			return -ENOMEM;
		*a = na;
	}
	if (!((*a)[*n].id = strdup(id)))
		return -ENOMEM;
	(*a)[*n].before = before;
	(*a)[*n].learned = 0;
	(*a)[(*n)++].now = now;
	return 0;
}

struct walk { struct verify *v; struct found *f; };

static int cmp_id(const void *key, const void *elem)
{
	return strcmp(key, ((const struct verify_known *)elem)->id);
}

/* One test of the new recording: counted when this run ran it; an escape
 * when it was known, not selected, and fails now or changed outcome. */
static int judge(void *arg, const struct ft_store_test *t)
{
	struct walk *w = arg;
	struct verify *v = w->v;
	struct found *f = w->f;
	const struct verify_known *k;
	int rc;

	if (t->run_id != f->last)
		return 0; /* not run now: gone from the suite, or not in CMD */
	v->run++;
	v->failed += verify_fails(t->outcome);
	if (!v->verdict)
		return 0;
	if (!(k = bsearch(t->name, v->known, v->nknown, sizeof(*k), cmp_id))) {
		v->new_tests++;
		return 0;
	}
	if (k->selected) {
		if (k->learned && (rc = verify_flaky_push(v, k, t->outcome, 's')) < 0)
			return rc;
		return verify_fails(t->outcome) ? push(&f->fail, &f->nfail, &f->cfail, t->name, k->outcome, t->outcome) : 0;
	}
	if (!verify_fails(t->outcome) && t->outcome == k->outcome)
		return 0;
	/* known flaky, and it flipped: its history explains it (verify_flaky.c) */
	if (verify_flaky_excused(k, t->outcome)) {
		v->excused++;
		return verify_flaky_push(v, k, t->outcome, 'x');
	}
	if (k->learned && (rc = verify_flaky_push(v, k, t->outcome, 'e')) < 0)
		return rc;
	return push(&f->esc, &f->nesc, &f->cesc, t->name, k->outcome, t->outcome);
}

void verify_json_str(FILE *f, const char *s, size_t len)
{
	fputc('"', f);
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			fprintf(f, "\\u%04x", ch);  /* bytes as code points: lossless for ASCII */
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

/* The exit status from the findings (docs/usage.md). */
static int exit_status(const struct verify *v)
{
	if (v->escapes)
		return FT_EXIT_ESCAPE; /* each was judged against a selection */
	if (v->cmd_status)
		return v->cmd_status;
	return v->verdict ? FT_EXIT_OK : FT_EXIT_UNKNOWN;
}

static int read_new(struct verify *v, struct found *f, struct ft_store **st)
{
	struct walk w = { v, f };
	char cwd[4096];
	int rc;

	if ((rc = ft_store_open(st, v->db, FT_STORE_RDONLY)) < 0)
		return rc;
	/* ours: the newest run of this command from here, after the last
	 * run before ours (another `ftrace run` may have saved meanwhile) */
	if (!getcwd(cwd, sizeof(cwd)))
		return -errno;
	if ((rc = ft_store_runs_last(*st, v->command, cwd, &f->last)) < 0)
		return rc;
	if (f->last <= v->last_run)
		return FT_ENORECORD;
	if ((rc = verify_flaky_after(v, *st)) < 0)
		return rc;
	if ((rc = ft_store_tests_each(*st, judge, &w)) < 0)
		return rc;
	/* which escapes the run taught ftrace are flaky, for their paragraph */
	for (size_t i = 0; i < f->nesc; i++) {
		const struct verify_known *k = bsearch(f->esc[i].id, v->known, v->nknown,
						       sizeof(*k), cmp_id);
		f->esc[i].learned = k && k->learned;
	}
	return 0;
}

static void say_list(FILE *json, const char *key, const struct verify_outcome *a, size_t n)
{
	fprintf(json, ",\"%s\":[", key);
	for (size_t i = 0; i < n; i++) {
		fprintf(json, "%s{\"id\":", i ? "," : "");
		verify_json_str(json, a[i].id, strlen(a[i].id));
		fprintf(json, ",\"recorded\":\"%s\",\"now\":\"%s\"}", outcome_name(a[i].before),
			outcome_name(a[i].now));
	}
	fputc(']', json);
}

int verify_compare(struct verify *v)
{
	struct found f = { 0 };
	struct ft_store *st = NULL;
	FILE *json = NULL;
	char excused[64];
	int rc = 0, status;

	if (v->verdict && (rc = read_new(v, &f, &st)) < 0) {
		v->verdict = 0;
		snprintf(v->why, sizeof(v->why), "cannot read the new recording in %s: %s", v->db,
			 rc == FT_ENORECORD ? "it was not saved" : ft_strerror(rc));
	}
	v->escapes = f.nesc;
	if (v->report && !(json = fopen(v->report, "w")))
		ft_cmd_error("verify: cannot write the report %s: %s", v->report, strerror(errno));
	if (json) {
		fprintf(json, "{\"ftrace_version\":\"%s\",\"command\":", FT_VERSION);
		verify_json_str(json, v->command ? v->command : "", v->command ? strlen(v->command) : 0);
		fprintf(json, ",\"verdict\":%s,\"why_no_verdict\":", v->verdict ? "true" : "false");
		if (v->verdict)
			fputs("null", json);
		else
			verify_json_str(json, v->why, strlen(v->why));
		fputs(",\"escapes\":[", json);
	}
	for (size_t i = 0; i < f.nesc; i++) {
		if (json && i)
			fputc(',', json);
		verify_say_escape(v, st, &f.esc[i], json);
	}
	for (size_t i = 0; i < f.nfail; i++)
		fprintf(stderr, "ftrace: verify: failed (selected): %s\n", f.fail[i].id);
	verify_flaky_say(v, NULL);
	status = exit_status(v);
	snprintf(excused, sizeof(excused), ", %zu flaky (not escapes)", v->excused);
	if (v->verdict)
		fprintf(stderr, "ftrace: verify: %zu known, %zu selected, %zu run, %zu failed, "
			"%zu escape%s%s%s\n", v->nknown, v->nselected, v->run, v->failed, v->escapes,
			v->escapes == 1 ? "" : "s", v->excused ? excused : "",
			v->escapes ? ": exit 99" : "");
	else
		fprintf(stderr, "ftrace: verify: no verdict: %s\n", v->why);
	if (json) {
		fputc(']', json);
		say_list(json, "failures", f.fail, f.nfail);
		verify_flaky_say(v, json);
		fprintf(json, ",\"counts\":{\"known\":%zu,\"selected\":%zu,\"run\":%zu,\"failed\":%zu,"
			"\"escapes\":%zu,\"flaky\":%zu,\"new\":%zu},\"command_status\":%d,"
			"\"exit_status\":%d}\n", v->nknown, v->nselected, v->run, v->failed, v->escapes,
			v->excused, v->new_tests, v->cmd_status, status);
		if (fclose(json) != 0)
			ft_cmd_error("verify: writing the report %s failed", v->report);
	}
	if (st)
		ft_store_close(st);
	for (size_t i = 0; i < f.nesc; i++)
		free(f.esc[i].id);
	for (size_t i = 0; i < f.nfail; i++)
		free(f.fail[i].id);
	free(f.esc);
	free(f.fail);
	return status;
}

void verify_release(struct verify *v)
{
	verify_flaky_release(v);
	for (size_t i = 0; i < v->nknown; i++)
		free(v->known[i].id);
	free(v->known);
	v->known = NULL;
	v->nknown = 0;
}
