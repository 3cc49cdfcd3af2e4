/*
 * cmd_flaky.c - `ftrace flaky [--json]`: the tests ftrace has learned are
 * flaky (store/ft_store_flaky.h; docs/usage.md, "ftrace flaky").
 *
 * The database is opened as selection opens it (the pipeline's open
 * steps: state dir, trust, this tree's database), and the table is read
 * in one read transaction, each row against its checksum: a corrupt row
 * is exit 2 naming the table, never a shorter list.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "ft_cmd.h"
#include "ft_config.h"
#include "ft_error.h"
#include "ft_pipeline.h"
#include "ft_record.h"
#include "ft_store.h"
#include "ft_store_flaky.h"
#include "ft_store_select.h"

static const char usage_text[] =
"usage: ftrace flaky [--json]\n"
"\n"
"List the tests ftrace has learned are flaky: recorded again, their outcome\n"
"changed (passed <-> failed) while everything they read stayed the same.\n"
"Per test: how many times, when last (UTC), the last two outcomes, and the\n"
"clean runs (outcome unchanged) since.  Known flaky tests are always selected\n"
"(.ftrace.json: \"flaky\": {\"select\": false} turns that off); a mark decays\n"
"after \"flaky\": {\"decay\": M} clean runs (default 5; 0: never).\n"
"\n"
"options:\n"
"  --json       one JSON object: {\"select\", \"decay\", \"tests\": [...]}\n"
"  -h, --help   this text\n"
"\n"
"exit status: 0 listed (maybe none); 2 cannot read them (no recording here,\n"
"a corrupt database: a checksum mismatch names the table, another tree's\n"
"database, a state directory another user owns); 64 bad usage; 78 invalid\n"
".ftrace.json.\n";

const char *ft_cmd_outcome_name(int o)
{
	switch (o) {
	case FT_OUTCOME_PASSED: return "passed";
	case FT_OUTCOME_FAILED: return "failed";
	case FT_OUTCOME_SKIPPED: return "skipped";
	case FT_OUTCOME_ERROR: return "error";
	default: return "no result";
	}
}

struct list {
	int json;
	cJSON *tests;
	size_t n;
};

/* ns since the epoch as ISO 8601 UTC, "2026-11-22T23:55:01Z" */
static void utc(int64_t ns, char *out, size_t cap)
{
	time_t s = (time_t)(ns / 1000000000);
	struct tm tm;

	if (!gmtime_r(&s, &tm) || !strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(out, cap, "?");
}

static int one(void *arg, const struct ft_store_flaky *f)
{
	struct list *l = arg;
	char when[64], ns[32];
	cJSON *o;

	utc(f->last_ns, when, sizeof(when));
	l->n++;
	if (!l->json) {
		printf("%s\t%lld time%s, last %s (%s -> %s), %lld clean run%s since\n", f->name,
		       (long long)f->count, f->count == 1 ? "" : "s", when,
		       ft_cmd_outcome_name(f->last_from), ft_cmd_outcome_name(f->last_to),
		       (long long)f->clean, f->clean == 1 ? "" : "s");
		return 0;
	}
	if (!(o = cJSON_CreateObject()))
		return -ENOMEM;
	cJSON_AddItemToArray(l->tests, o);
	if (!cJSON_AddStringToObject(o, "name", f->name) ||
	    !cJSON_AddNumberToObject(o, "count", (double)f->count) ||
	    !cJSON_AddStringToObject(o, "last", when) ||
	    (snprintf(ns, sizeof(ns), "%lld", (long long)f->last_ns), 0) ||
	    !cJSON_AddRawToObject(o, "last_ns", ns) ||
	    !cJSON_AddStringToObject(o, "last_from", ft_cmd_outcome_name(f->last_from)) ||
	    !cJSON_AddStringToObject(o, "last_to", ft_cmd_outcome_name(f->last_to)) ||
	    !cJSON_AddNumberToObject(o, "clean", (double)f->clean))
		return -ENOMEM;
	return 0;
}

/* The rows, printed (text) or into l->tests (JSON).  0 or a code. */
static int list(struct ft_store *st, struct list *l)
{
	int rc;

	if ((rc = ft_store_read_begin(st)) < 0)
		return rc;
	rc = ft_store_flaky_each(st, one, l);
	ft_store_read_end(st);
	return rc;
}

static int print_json(const struct ft_config *cfg, cJSON *tests)
{
	cJSON *root = cJSON_CreateObject();
	char *text = NULL;

	if (root && cJSON_AddBoolToObject(root, "select", ft_config_flaky_select(cfg)) &&
	    cJSON_AddNumberToObject(root, "decay", ft_config_flaky_decay(cfg))) {
		cJSON_AddItemToObject(root, "tests", tests);
		text = cJSON_PrintUnformatted(root);
	} else {
		cJSON_Delete(tests);
	}
	cJSON_Delete(root);
	if (!text)
		return -ENOMEM;
	puts(text);
	free(text);
	return 0;
}

static int flaky_main(int argc, char **argv, struct ft_config *cfg, struct ft_pipeline *p)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ft_pipeline_opts po = { .lock_wait = ft_cmd_lock_wait };
	struct list l = { 0 };
	char why[8192];
	struct ft_err err;
	int opt, rc;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'j': l.json = 1; break;
		case 'h': fputs(usage_text, stdout); return FT_EXIT_OK;
		default: fputs(usage_text, stderr); return FT_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		ft_cmd_error("flaky: unexpected argument '%s'", argv[optind]);
		fputs(usage_text, stderr);
		return FT_EXIT_USAGE;
	}
	if ((rc = ft_config_find_load(cfg, &err)) < 0) {
		ft_cmd_error("flaky: %s", ft_err_msg(&err));
		return rc == FT_ECONFIG ? FT_EXIT_CONFIG : rc == FT_EUNSAFE ? FT_EXIT_UNKNOWN :
		       FT_EXIT_SOFTWARE;
	}
	po.cfg = cfg;
	if (ft_pipeline_open(p, &po) < 0) {
		if ((rc = ft_cmd_cannot_tell(p, why, sizeof(why))) < 0) {
			ft_cmd_error("flaky: %s", ft_strerror(rc));
			return FT_EXIT_SOFTWARE;
		}
		ft_cmd_error("flaky: cannot list the flaky tests: %s", why);
		return FT_EXIT_UNKNOWN;
	}
	if (l.json && !(l.tests = cJSON_CreateArray()))
		return FT_EXIT_SOFTWARE;
	if ((rc = list(p->st, &l)) < 0) {
		cJSON_Delete(l.tests);
		ft_store_err_db(p->st, rc, &err);
		ft_cmd_error("flaky: %s: %s", p->db, ft_err_msg(&err));
		return rc == -ENOMEM ? FT_EXIT_SOFTWARE : FT_EXIT_UNKNOWN;
	}
	if (l.json && print_json(cfg, l.tests) < 0)
		return FT_EXIT_SOFTWARE;
	if (!l.json && !l.n)
		ft_cmd_error("flaky: no flaky test known");
	if (fflush(stdout) != 0) {
		ft_cmd_error("flaky: writing the output failed: %s", strerror(errno));
		return FT_EXIT_SOFTWARE;
	}
	return FT_EXIT_OK;
}

int ft_cmd_flaky(int argc, char **argv)
{
	struct ft_config cfg = { 0 };
	struct ft_pipeline p = { 0 };
	int status = flaky_main(argc, argv, &cfg, &p);

	ft_pipeline_release(&p);
	ft_config_release(&cfg);
	return status;
}
