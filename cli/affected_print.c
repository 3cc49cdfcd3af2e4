/*
 * affected_print.c - `ftrace affected`'s output: the selection in the
 * lines, null, ids and json formats, and in a runner's own (cli/affected.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "affected.h"
#include "watch_use.h"
#include "ft_cmd.h"
#include "ft_error.h"
#include "ft_pipeline.h"
#include "ft_pyfunc.h"
#include "ft_pytest_args.h"
#include "ft_reader.h"
#include "ft_runners.h"
#include "ft_select.h"
#include "ft_state.h"

/* JSON strings must be UTF-8: paths are bytes.  Invalid sequences become
 * U+FFFD, so the document stays valid (the lines format keeps the bytes). */
static char *utf8_clean(const char *s)
{
	size_t n = strlen(s), o = 0;
	char *out = malloc(n * 3 + 1);

	if (!out)
		return NULL;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
		size_t k = 1;
		if (len > 1 && i + len <= n)
			for (; k < len && ((unsigned char)s[i + k] >> 6) == 2; k++)
				;
		if (len == 0 || i + len > n || k != len) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
			continue;
		}
		memcpy(out + o, s + i, len);
		o += len;
		i += len;
	}
	out[o] = '\0';
	return out;
}

static cJSON *json_str(const char *s)
{
	char *c = s ? utf8_clean(s) : NULL;
	cJSON *j = c ? cJSON_CreateString(c) : cJSON_CreateNull();

	free(c);
	return j;
}

const char *ft_cmd_reason_kind(const struct ft_reason *r)
{
	if (r->path && r->kind)
		return ft_readers_kind_name(r->kind);
	switch (r->change) {
	case FT_CHANGE_NEW: return "test file";
	case FT_CHANGE_UNTRACED: return "trace";
	case FT_CHANGE_ALWAYS_RUN: return "config";
	case FT_CHANGE_FLAKY: return "history";
	case FT_CHANGE_SMOKE: return "config";
	case FT_CHANGE_OPTIONS: return "command";
	default: return "outcome";
	}
}

int affected_print_json(const struct ft_selection *sel, int complete,
			const struct ft_pytest_arg *args, size_t nargs)
{
	cJSON *root = cJSON_CreateObject(), *tests = cJSON_CreateArray();
	cJSON *run = cJSON_CreateArray();
	char *text;

	cJSON_AddBoolToObject(root, "complete", complete);
	if (!complete && sel && sel->incomplete_why)
		cJSON_AddStringToObject(root, "why", sel->incomplete_why);
	cJSON_AddItemToObject(root, "tests", tests);
	/* what to give the runner: the lines format's words, pytest's whole
	 * modules and directories included (a test added to a selected
	 * module has no id in `tests`) */
	cJSON_AddItemToObject(root, "args", run);
	if (args)
		for (size_t i = 0; i < nargs; i++)
			cJSON_AddItemToArray(run, json_str(args[i].text));
	else
		for (size_t i = 0; sel && i < sel->n; i++)
			cJSON_AddItemToArray(run, json_str(sel->tests[i].id));
	if (affected_watch.asked) {
		cJSON *w = cJSON_CreateObject();
		cJSON_AddBoolToObject(w, "used", affected_watch.nw.used);
		if (affected_watch.nw.used) {
			cJSON_AddNumberToObject(w, "paths", (double)affected_watch.nw.dirty);
			cJSON_AddNumberToObject(w, "settled", (double)affected_watch.nw.settled);
			cJSON_AddBoolToObject(w, "whole", affected_watch.nw.whole);
		} else {
			cJSON_AddStringToObject(w, "why", ft_err_msg(&affected_watch.err));
		}
		cJSON_AddItemToObject(root, "watch", w);
	}
	for (size_t i = 0; sel && i < sel->n; i++) {
		const struct ft_selected *t = &sel->tests[i];
		cJSON *o = cJSON_CreateObject(), *rs = cJSON_CreateArray();
		char buf[4200];
		const char *note;
		cJSON_AddItemToObject(o, "id", json_str(t->id));
		for (size_t k = 0; k < t->nreasons; k++) {
			cJSON *r = cJSON_CreateObject();
			cJSON_AddItemToObject(r, "path", json_str(t->reasons[k].path));
			cJSON_AddStringToObject(r, "kind", ft_cmd_reason_kind(&t->reasons[k]));
			cJSON_AddStringToObject(r, "change", ft_change_name(t->reasons[k].change));
			if ((note = affected_elsewhere_note(t->id, t->reasons[k].path, buf, sizeof(buf)))) {
				cJSON_AddTrueToObject(r, "recorded_elsewhere");
				cJSON_AddItemToObject(r, "note", json_str(note));
			}
			cJSON_AddItemToArray(rs, r);
		}
		cJSON_AddItemToObject(o, "reasons", rs);
		if (t->omitted)
			cJSON_AddNumberToObject(o, "reasons_omitted", (double)t->omitted);
		cJSON_AddItemToArray(tests, o);
	}
	text = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	if (!text)
		return -ENOMEM;
	fputs(text, stdout);
	fputc('\n', stdout);
	free(text);
	return 0;
}


/* A runner's format (FMT_RUNNER): its text for `sel`, or FT_EFORMAT with
 * `e` saying why when a selected test cannot be said in its syntax. */
int affected_runner_text(const struct opts *o, const struct ft_selection *sel, char **text,
		       struct ft_err *e)
{
	struct ft_runner_here none = { 0 };
	char top[4096];

	if (!o->here) {
		ft_pipeline_top(top, sizeof(top));
		none.top = top;
	}
	return o->row->format(sel, o->here ? o->here : &none, text, e);
}

/* --explain with --granularity=function: what changed in each .py file
 * (python/ft_pyfunc.h), filled by the function filter */
struct ft_pyfunc_notes affected_pyfunc_notes;

static void print_pyfunc_note(const char *test, const char *path)
{
	const char *note = ft_pyfunc_note_find(&affected_pyfunc_notes, test, path);

	if (note)
		printf("%s%s\n", path ? "      " : "    ", note);
}

/* Does this format print pytest tests as ft_pytest_args gives them?
 * (--explain lists each test with its reasons instead; ids lists the
 * recorded ids; json gives them as its "args".) */
int affected_wants_pytest_args(const struct opts *o)
{
	return (o->fmt == FMT_LINES || o->fmt == FMT_NULL || o->fmt == FMT_JSON) && !o->explain;
}

/* Must the selection be judged as pytest arguments before it is printed?
 * Every format but a runner's: a conftest.py changed at or above pytest's
 * rootdir makes a selection no format can name (ft_pytest_args_dirs),
 * whichever of them prints it. */
int affected_checks_pytest_dirs(const struct opts *o)
{
	return o->fmt != FMT_RUNNER;
}

/* `args`: for affected_wants_pytest_args(o), the selection as pytest arguments
 * (runners/ft_pytest_args.h); NULL prints every id as it is. */

/*
 * One id of the default format (lines), safe for xargs: xargs without -0
 * splits at blanks and takes quotes and backslashes as quoting, so
 * `ftrace affected | xargs -r pytest` broke on parametrized ids such as
 * `test_p[a b]` or `test_q[it's]` (pytest got `test_p[a` and `b]`, or
 * xargs stopped at an unmatched quote).  Each of space, tab, ', " and \
 * gets a backslash before it, which xargs removes.  Only what pytest takes
 * as an argument: the node ids and module paths of pytest's tests
 * (ft_pytest_arg.pytest); other ids (a command's own name, `sh ./b.sh`;
 * nextest's `crate::bin name`, whose runner takes it in --format nextest)
 * print as they are, as do --format null and ids.
 */
static void put_id(const char *id, int for_xargs)
{
	if (!for_xargs || !id[strcspn(id, " \t'\"\\")]) {
		fputs(id, stdout);
		return;
	}
	for (const char *c = id; *c; c++) {
		if (strchr(" \t'\"\\", *c))
			fputc('\\', stdout);
		fputc(*c, stdout);
	}
}

void affected_print_tests(const struct ft_selection *sel, const struct opts *o, int complete,
			const struct ft_pytest_arg *args, size_t nargs)
{
	if (o->fmt == FMT_RUNNER) {
		struct ft_err err; /* not said: a text that fails prints nothing */
		char *text = NULL;

		if (affected_runner_text(o, sel, &text, &err) >= 0)
			fputs(text, stdout);
		free(text);
		return;
	}
	if (o->fmt == FMT_JSON) {
		affected_print_json(sel, complete, args, nargs);
		return;
	}
	if (args && affected_wants_pytest_args(o)) {
		for (size_t i = 0; i < nargs; i++) {
			/* a module path or a node id of pytest's */
			put_id(args[i].text, o->fmt == FMT_LINES && args[i].pytest);
			fputc(o->fmt == FMT_NULL ? '\0' : '\n', stdout);
		}
		return;
	}
	for (size_t i = 0; sel && i < sel->n; i++) {
		const struct ft_selected *t = &sel->tests[i];
		char buf[4200];
		const char *note;
		put_id(t->id, 0); /* the runner is not known here: as recorded */
		fputc(o->fmt == FMT_NULL ? '\0' : '\n', stdout);
		if (!o->explain || o->fmt == FMT_NULL)
			continue;
		for (size_t k = 0; k < t->nreasons; k++) {
			const struct ft_reason *r = &t->reasons[k];
			if (r->path) {
				printf("    %s: %s dependency: %s\n", r->path, ft_cmd_reason_kind(r),
				       ft_change_name(r->change));
				if ((note = affected_elsewhere_note(t->id, r->path, buf, sizeof(buf))))
					printf("      %s\n", note);
				if (r->kind == FT_DEP_FILE && r->change == FT_CHANGE_CONTENT &&
				    (note = affected_mode_note(r->path, r->recorded, buf, sizeof(buf))))
					printf("      %s\n", note);
				print_pyfunc_note(t->id, r->path);
			} else
				printf("    %s\n", ft_change_name(r->change));
		}
		if (t->omitted)
			printf("    ... and %zu more\n", t->omitted);
		print_pyfunc_note(t->id, NULL);
	}
	if (o->explain && o->fmt != FMT_NULL)
		ft_cmd_watch_explain(&affected_watch, stdout);
}

/* "Cannot tell": message, then nothing or every known test, status 2. */
