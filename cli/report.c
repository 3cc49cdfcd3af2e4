/*
 * report.c - the shared JSON report writer of `ftrace test --report` and
 * `ftrace verify --report` (report.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ft_cmd.h"
#include "ft_record.h"
#include "ft_select.h"
#include "ft_selection.h"
#include "ft_state.h"
#include "ft_store_times.h"
#include "report.h"
#include "verify.h"

void report_json_str(FILE *f, const char *s, size_t len)
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

/* A string member of o as report_json_str writes it (paths are bytes):
 * built as text, then parsed, so that both writers agree. */
static cJSON *bytes_str(const char *s)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *m;
	cJSON *j = NULL;

	if (!s)
		return cJSON_CreateNull();
	if (!(m = open_memstream(&buf, &n)))
		return NULL;
	report_json_str(m, s, strlen(s));
	if (fclose(m) == 0)
		j = cJSON_Parse(buf);
	free(buf);
	return j;
}

char *report_selection(const struct ft_selection *sel, size_t known, int complete,
		       const char *why)
{
	cJSON *root = cJSON_CreateObject(), *tests, *o, *rs, *r;
	int ok = root && cJSON_AddBoolToObject(root, "complete", complete) &&
		(complete || !why ? cJSON_AddNullToObject(root, "why") != NULL :
		 cJSON_AddItemToObject(root, "why", bytes_str(why))) &&
		cJSON_AddNumberToObject(root, "known", (double)known) &&
		(tests = cJSON_AddArrayToObject(root, "tests"));
	char *text = NULL;

	for (size_t i = 0; ok && complete && sel && i < sel->n; i++) {
		const struct ft_selected *t = &sel->tests[i];

		ok = (o = cJSON_CreateObject()) && cJSON_AddItemToArray(tests, o) &&
		     cJSON_AddItemToObject(o, "id", bytes_str(t->id)) &&
		     (rs = cJSON_AddArrayToObject(o, "reasons"));
		for (size_t k = 0; ok && k < t->nreasons; k++)
			ok = (r = cJSON_CreateObject()) && cJSON_AddItemToArray(rs, r) &&
			     cJSON_AddItemToObject(r, "path", bytes_str(t->reasons[k].path)) &&
			     cJSON_AddStringToObject(r, "kind", ft_cmd_reason_kind(&t->reasons[k])) &&
			     cJSON_AddStringToObject(r, "change", ft_change_name(t->reasons[k].change));
		if (ok && t->omitted)
			ok = cJSON_AddNumberToObject(o, "reasons_omitted", (double)t->omitted) != NULL;
	}
	if (ok)
		text = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	return text;
}

FILE *report_open(const char *cmd, const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		ft_cmd_error("%s: cannot write the report %s: %s", cmd, path, strerror(errno));
	return f;
}

void report_head(FILE *f, const char *kind, const char *command, const char *selection)
{
	fprintf(f, "{\"report\":\"%s\",\"ftrace_version\":\"%s\",\"command\":", kind, FT_VERSION);
	report_json_str(f, command ? command : "", command ? strlen(command) : 0);
	fprintf(f, ",\"selection\":%s", selection ? selection : "null");
}

static void outcomes(FILE *f, const char *key, const struct verify_outcome *a, size_t n)
{
	fprintf(f, ",\"%s\":[", key);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%s{\"id\":", i ? "," : "");
		report_json_str(f, a[i].id, strlen(a[i].id));
		fprintf(f, ",\"recorded\":\"%s\",\"now\":\"%s\"}", ft_cmd_outcome_name(a[i].before),
			ft_cmd_outcome_name(a[i].now));
	}
	fputc(']', f);
}

/* The new run's durations, by name (the store walks them so). */
struct times { struct ft_store_time *v; size_t n, cap; };

static int add_time(void *arg, const struct ft_store_time *t)
{
	struct times *ts = arg;

	if (ts->n == ts->cap) {
		size_t cap = ts->cap ? 2 * ts->cap : 64;
		struct ft_store_time *v = realloc(ts->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		ts->v = v;
		ts->cap = cap;
	}
	ts->v[ts->n] = *t;
	ts->v[ts->n].name = strdup(t->name);
	ts->v[ts->n].source = !strcmp(t->source, FT_TIME_RUNNER) ? FT_TIME_RUNNER : FT_TIME_FTRACE;
	return ts->v[ts->n++].name ? 0 : -ENOMEM;
}

static int time_cmp(const void *key, const void *elt)
{
	return strcmp(key, ((const struct ft_store_time *)elt)->name);
}

static void tests(FILE *f, const struct verify_found *fd, struct ft_store *st)
{
	struct times ts = { 0 };

	/* without them (a read error) each duration is null, said so */
	if (st && fd->last && ft_store_times_run_each(st, fd->last, add_time, &ts) < 0)
		ft_cmd_error("report: the run's durations cannot be read: they are null");
	fputs(",\"tests\":[", f);
	for (size_t i = 0; i < fd->nran; i++) {
		const struct verify_outcome *o = &fd->ran[i];
		const struct ft_store_time *t = ts.n ? bsearch(o->id, ts.v, ts.n, sizeof(*ts.v),
							       time_cmp) : NULL;

		fprintf(f, "%s{\"id\":", i ? "," : "");
		report_json_str(f, o->id, strlen(o->id));
		fprintf(f, ",\"outcome\":\"%s\",\"recorded\":", ft_cmd_outcome_name(o->now));
		if (o->known)
			fprintf(f, "\"%s\"", ft_cmd_outcome_name(o->before));
		else
			fputs("null", f);
		fprintf(f, ",\"known\":%s,\"selected\":%s", o->known ? "true" : "false",
			o->selected ? "true" : "false");
		if (t && t->ns >= 0)
			fprintf(f, ",\"duration_ns\":%lld,\"duration_source\":\"%s\"}",
				(long long)t->ns, t->source);
		else
			fputs(",\"duration_ns\":null,\"duration_source\":null}", f);
	}
	fputc(']', f);
	for (size_t i = 0; i < ts.n; i++)
		free((char *)ts.v[i].name);
	free(ts.v);
}

void report_rest(FILE *f, const char *kind, const struct verify *v,
		 const struct verify_found *fd, struct ft_store *st, int exit_status)
{
	outcomes(f, "failures", fd->fail, fd->nfail);
	if (!strcmp(kind, "verify")) {
		/* verify only: `test` judges every test it ran as selected */
		outcomes(f, "unjudged", fd->unj, fd->nunj);
		fprintf(f, ",\"escapes_by_run_status\":%s", fd->by_status ? "true" : "false");
	}
	verify_flaky_say(v, f);
	tests(f, fd, st);
	fprintf(f, ",\"counts\":{\"known\":%zu,\"selected\":%zu,\"run\":%zu,\"failed\":%zu,"
		"\"escapes\":%zu,\"flaky\":%zu,\"new\":%zu},\"command_status\":%d,"
		"\"exit_status\":%d}\n", v->nknown, v->nselected, v->run, v->failed, v->escapes,
		v->excused, v->new_tests, v->cmd_status, exit_status);
}

void report_close(FILE *f, const char *path, const char *cmd)
{
	if (ferror(f) | fclose(f))
		ft_cmd_error("%s: writing the report %s failed", cmd, path);
}
