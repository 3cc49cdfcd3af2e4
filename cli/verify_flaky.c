/*
 * verify_flaky.c - flaky tests in `ftrace verify` (verify.h;
 * docs/usage.md, "ftrace verify").
 *
 * A test known flaky before the run (store/ft_store_flaky.h), not
 * selected, whose outcome flipped (passed <-> failed/error), is reported
 * as flaky, not as an escape: its history says such flips happen with
 * nothing it read changing.  A test the run itself taught ftrace is flaky
 * stays an escape when it was not selected: one flip with nothing
 * recorded changing is exactly what a dependency ftrace cannot see looks
 * like (a file read through a server, t6100), and that is the escape
 * verify exists to catch; the report says it was learned flaky, and the
 * next verify excuses it if it was flakiness.  Any other outcome change
 * of a known flaky test (to or from skipped) stays an escape too.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ft_cmd.h"
#include "ft_record.h"
#include "ft_store_flaky.h"
#include "report.h"
#include "verify.h"

static int cmp_id(const void *key, const void *elem)
{
	return strcmp(key, ((const struct verify_known *)elem)->id);
}

static struct verify_known *known(struct verify *v, const char *id)
{
	return bsearch(id, v->known, v->nknown, sizeof(*v->known), cmp_id);
}

static int before_one(void *arg, const struct ft_store_flaky *f)
{
	struct verify_known *k = known(arg, f->name);

	if (k)
		k->flaky_before = f->count;
	return 0;
}

static int after_one(void *arg, const struct ft_store_flaky *f)
{
	struct verify_known *k = known(arg, f->name);

	if (k && f->count > k->flaky_before)
		k->learned = 1;
	return 0;
}

int verify_flaky_before(struct verify *v, struct ft_store *old)
{
	return ft_store_flaky_each(old, before_one, v);
}

int verify_flaky_after(struct verify *v, struct ft_store *now)
{
	return ft_store_flaky_each(now, after_one, v);
}

/* 1 passed, 2 failed or error, 0 neither (as ft_store_flaky.c counts) */
static int outcome_class(int o)
{
	if (o == FT_OUTCOME_PASSED)
		return 1;
	return o == FT_OUTCOME_FAILED || o == FT_OUTCOME_ERROR ? 2 : 0;
}

int verify_flaky_excused(const struct verify_known *k, int now)
{
	int a = outcome_class(k->outcome), b = outcome_class(now);

	return k->flaky_before > 0 && a && b && a != b;
}

int verify_flaky_push(struct verify *v, const struct verify_known *k, int now, int how)
{
	struct verify_flaky *f;

	if (v->nflaky == v->capflaky) {
		f = realloc(v->flaky, (v->capflaky = v->capflaky ? 2 * v->capflaky : 8) * sizeof(*f));
		if (!f)
			return -ENOMEM;
		v->flaky = f;
	}
	f = &v->flaky[v->nflaky];
	if (!(f->id = strdup(k->id)))
		return -ENOMEM;
	f->before = k->outcome;
	f->now = now;
	f->learned = k->learned;
	f->escape = how == 'e';
	f->excused = how == 'x';
	v->nflaky++;
	return 0;
}

void verify_flaky_say(const struct verify *v, FILE *json)
{
	for (size_t i = 0; !json && i < v->nflaky; i++) {
		const struct verify_flaky *f = &v->flaky[i];

		if (f->excused)
			fprintf(stderr, "ftrace: verify: flaky (known flaky, not selected, not an escape): "
				"%s (recorded: %s, now: %s)\n", f->id, ft_cmd_outcome_name(f->before),
				ft_cmd_outcome_name(f->now));
		else if (!f->escape)
			fprintf(stderr, "ftrace: verify: learned flaky: %s (recorded: %s, now: %s; nothing "
				"it read changed)\n", f->id, ft_cmd_outcome_name(f->before),
				ft_cmd_outcome_name(f->now));
	}
	if (!json)
		return;
	fputs(",\"flaky\":[", json);
	for (size_t i = 0; i < v->nflaky; i++) {
		const struct verify_flaky *f = &v->flaky[i];

		fprintf(json, "%s{\"id\":", i ? "," : "");
		report_json_str(json, f->id, strlen(f->id));
		fprintf(json, ",\"recorded\":\"%s\",\"now\":\"%s\",\"known\":%s,\"learned\":%s,"
			"\"escape\":%s}", ft_cmd_outcome_name(f->before), ft_cmd_outcome_name(f->now),
			f->excused ? "true" : "false", f->learned ? "true" : "false",
			f->escape ? "true" : "false");
	}
	fputc(']', json);
}

void verify_flaky_release(struct verify *v)
{
	for (size_t i = 0; i < v->nflaky; i++)
		free(v->flaky[i].id);
	free(v->flaky);
	v->flaky = NULL;
	v->nflaky = v->capflaky = 0;
}
