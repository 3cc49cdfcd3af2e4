/*
 * stats_print.c - `ftrace stats`'s output (stats.h): the recording's
 * counts, then the kept selections, each and summed, in text or as one
 * JSON object (docs/schema/stats.schema.json).
 *
 * The sums: a selection that could not tell (selected -1: everything ran)
 * counts in "cannot_tell" and in no fraction, since what it skipped is
 * nothing; "skipped" is known - selected of the others.  The mean and
 * median fractions are over those others that knew a test.  The time
 * saved sums the recorded durations of the skipped tests that had one,
 * over the selections that measured them (from schema version 7); the
 * others are counted as "untimed", never as zero.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ft_cmd.h"
#include "ft_record.h"
#include "stats.h"

struct sums {
	size_t n, tests, verifies, cannot_tell, judged;
	int64_t known, selected, skipped, escapes, verdicts;
	int64_t timed, timed_ns;  /* skipped tests with a recorded duration, summed */
	size_t untimed;           /* judged selections that did not measure them */
	double mean, median;   /* fractions selected; < 0: none */
	cJSON *reasons;        /* reason -> tests, summed */
};

/* ns since the epoch as ISO 8601 UTC */
static void utc(int64_t ns, char *out, size_t cap)
{
	time_t t = (time_t)(ns / 1000000000);
	struct tm tm;

	if (!ns || !gmtime_r(&t, &tm) || !strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(out, cap, "-");
}

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int sum(const struct stats *s, struct sums *m)
{
	double *f = calloc(s->nsels + 1, sizeof(*f));
	size_t nf = 0;

	memset(m, 0, sizeof(*m));
	if (!f || !(m->reasons = cJSON_CreateObject())) {
		free(f);
		return -ENOMEM;
	}
	for (size_t i = 0; i < s->nsels; i++) {
		const struct stats_sel *x = &s->sels[i];
		const cJSON *r;

		m->n++;
		if (!strcmp(x->command, "verify")) {
			m->verifies++;
			if (x->escapes >= 0) {
				m->verdicts++;
				m->escapes += x->escapes;
			}
		} else {
			m->tests++;
		}
		if (x->selected < 0) {
			m->cannot_tell++;
			continue;
		}
		m->judged++;
		m->known += x->known;
		m->selected += x->selected;
		m->skipped += x->known > x->selected ? x->known - x->selected : 0;
		if (x->timed >= 0 && x->timed_ns >= 0) {
			m->timed += x->timed;
			m->timed_ns += x->timed_ns;
		} else {
			m->untimed++;
		}
		if (x->known > 0)
			f[nf++] = (double)x->selected / (double)x->known;
		cJSON_ArrayForEach(r, x->reasons) {
			cJSON *n = cJSON_GetObjectItemCaseSensitive(m->reasons, r->string);

			if (!cJSON_IsNumber(r))
				continue;
			if (n)
				cJSON_SetNumberValue(n, n->valuedouble + r->valuedouble);
			else if (!cJSON_AddNumberToObject(m->reasons, r->string, r->valuedouble))
				return free(f), -ENOMEM;
		}
	}
	m->mean = m->median = -1;
	if (nf) {
		double t = 0;
		for (size_t i = 0; i < nf; i++)
			t += f[i];
		m->mean = t / (double)nf;
		qsort(f, nf, sizeof(*f), dbl_cmp);
		m->median = nf % 2 ? f[nf / 2] : (f[nf / 2 - 1] + f[nf / 2]) / 2;
	}
	free(f);
	return 0;
}

static const char *const outcome_keys[] = {
	[FT_OUTCOME_UNKNOWN] = "no_result", [FT_OUTCOME_PASSED] = "passed",
	[FT_OUTCOME_FAILED] = "failed", [FT_OUTCOME_SKIPPED] = "skipped",
	[FT_OUTCOME_ERROR] = "error",
};

/* "content 3, new 1" (or "-") */
static void reasons_line(const cJSON *o, char *out, size_t cap)
{
	const cJSON *r;
	size_t at = 0;

	out[0] = 0;
	cJSON_ArrayForEach(r, o)
		if (cJSON_IsNumber(r) && at < cap)
			at += (size_t)snprintf(out + at, cap - at, "%s%s %.0f", at ? ", " : "", r->string,
					       r->valuedouble);
	if (!out[0])
		snprintf(out, cap, "-");
}

static void print_text(const struct stats *s, const struct sums *m)
{
	const struct ft_store_counts *c = &s->counts;
	char t1[64], t2[64], line[2048];

	utc(c->newest_ns, t1, sizeof(t1));
	utc(c->oldest_ns, t2, sizeof(t2));
	printf("tests recorded:   %lld (untraced %lld, with a state unknown at recording %lld: "
	       "both always selected)\n", (long long)c->tests, (long long)c->untraced,
	       (long long)c->unknown);
	printf("last outcomes:    %lld passed, %lld failed, %lld error, %lld skipped, %lld no result\n",
	       (long long)c->outcomes[FT_OUTCOME_PASSED], (long long)c->outcomes[FT_OUTCOME_FAILED],
	       (long long)c->outcomes[FT_OUTCOME_ERROR], (long long)c->outcomes[FT_OUTCOME_SKIPPED],
	       (long long)c->outcomes[FT_OUTCOME_UNKNOWN]);
	printf("recorded by:      %lld run%s, oldest %s, newest %s\n", (long long)c->runs,
	       c->runs == 1 ? "" : "s", t2, t1);
	printf("dependencies:     %lld paths, %lld states, %lld sets\n", (long long)c->paths,
	       (long long)c->states, (long long)c->sets);
	printf("flaky tests:      %lld (`ftrace flaky`)\n", (long long)s->flaky);
	if (s->bytes >= 0)
		printf("database:         %s, %lld bytes\n", s->db, s->bytes);
	else
		printf("database:         %s, size unknown\n", s->db);
	printf("selections:       the last %zu of %lld kept (`ftrace test` %zu, `ftrace verify` %zu)\n",
	       m->n, (long long)s->kept, m->tests, m->verifies);
	if (!m->n)
		return;
	printf("  selected:       %lld of %lld known tests", (long long)m->selected, (long long)m->known);
	if (m->mean >= 0)
		printf(" (per selection: mean %.1f%%, median %.1f%%)", 100 * m->mean, 100 * m->median);
	printf("; %zu ran everything (could not tell)\n", m->cannot_tell);
	printf("  skipped:        %lld tests\n", (long long)m->skipped);
	printf("  time saved:     %.3f s, the recorded durations of the %lld skipped test%s that "
	       "had one (what each took when it last ran)", (double)m->timed_ns / 1e9,
	       (long long)m->timed, m->timed == 1 ? "" : "s");
	if (m->untimed)
		printf("; %zu selection%s did not record durations", m->untimed,
		       m->untimed == 1 ? "" : "s");
	printf("\n");
	reasons_line(m->reasons, line, sizeof(line));
	printf("  selected by:    %s\n", line);
	printf("  escapes:        %lld, in %lld verif%s with a verdict\n", (long long)m->escapes,
	       (long long)m->verdicts, m->verdicts == 1 ? "y" : "ies");
	printf("each selection (oldest first):\n");
	for (size_t i = 0; i < s->nsels; i++) {
		const struct stats_sel *x = &s->sels[i];
		char esc[48] = "";

		utc(x->at_ns, t1, sizeof(t1));
		reasons_line(x->reasons, line, sizeof(line));
		if (!strcmp(x->command, "verify"))
			snprintf(esc, sizeof(esc), x->escapes >= 0 ? ", %lld escapes" : ", no verdict",
				 (long long)x->escapes);
		if (x->selected < 0)
			printf("  %s %-6s %lld known, could not tell: all ran%s\n", t1, x->command,
			       (long long)x->known, esc);
		else if (x->timed >= 0)
			printf("  %s %-6s %lld known, %lld selected (%s)%s; skipped %lld, recorded "
			       "%.3f s over %lld of them\n", t1, x->command, (long long)x->known,
			       (long long)x->selected, line, esc,
			       (long long)(x->known > x->selected ? x->known - x->selected : 0),
			       (double)x->timed_ns / 1e9, (long long)x->timed);
		else
			printf("  %s %-6s %lld known, %lld selected (%s)%s\n", t1, x->command,
			       (long long)x->known, (long long)x->selected, line, esc);
	}
}

/* ns as a raw JSON integer (exact beyond 2^53, which a double is not) */
static int add_ns(cJSON *o, const char *key, int64_t ns)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", (long long)ns);
	return cJSON_AddRawToObject(o, key, buf) != NULL;
}

static int add_time(cJSON *o, const char *key, const char *key_ns, int64_t ns)
{
	char t[64];

	utc(ns, t, sizeof(t));
	if (!ns)
		return cJSON_AddNullToObject(o, key) && cJSON_AddNullToObject(o, key_ns);
	return cJSON_AddStringToObject(o, key, t) && add_ns(o, key_ns, ns);
}

static cJSON *json_of(const struct stats *s, struct sums *m)
{
	const struct ft_store_counts *c = &s->counts;
	cJSON *root = cJSON_CreateObject(), *o, *a, *x;
	int ok = root != NULL;

	ok = ok && cJSON_AddStringToObject(root, "database", s->db) &&
	     (s->bytes >= 0 ? cJSON_AddNumberToObject(root, "bytes", (double)s->bytes) != NULL :
	      cJSON_AddNullToObject(root, "bytes") != NULL) &&
	     (o = cJSON_AddObjectToObject(root, "tests")) &&
	     cJSON_AddNumberToObject(o, "recorded", (double)c->tests) &&
	     cJSON_AddNumberToObject(o, "untraced", (double)c->untraced) &&
	     cJSON_AddNumberToObject(o, "unknown_state", (double)c->unknown) &&
	     cJSON_AddNumberToObject(o, "flaky", (double)s->flaky) &&
	     (a = cJSON_AddObjectToObject(o, "outcomes"));
	for (int i = 0; ok && i < 5; i++)
		ok = cJSON_AddNumberToObject(a, outcome_keys[i], (double)c->outcomes[i]) != NULL;
	ok = ok && (o = cJSON_AddObjectToObject(root, "recording")) &&
	     cJSON_AddNumberToObject(o, "runs", (double)c->runs) &&
	     add_time(o, "oldest", "oldest_ns", c->oldest_ns) &&
	     add_time(o, "newest", "newest_ns", c->newest_ns) &&
	     cJSON_AddNumberToObject(o, "paths", (double)c->paths) &&
	     cJSON_AddNumberToObject(o, "states", (double)c->states) &&
	     cJSON_AddNumberToObject(o, "sets", (double)c->sets);
	ok = ok && (o = cJSON_AddObjectToObject(root, "selections")) &&
	     cJSON_AddNumberToObject(o, "kept", (double)s->kept) &&
	     cJSON_AddNumberToObject(o, "shown", (double)m->n) &&
	     cJSON_AddNumberToObject(o, "test", (double)m->tests) &&
	     cJSON_AddNumberToObject(o, "verify", (double)m->verifies) &&
	     cJSON_AddNumberToObject(o, "cannot_tell", (double)m->cannot_tell) &&
	     cJSON_AddNumberToObject(o, "known", (double)m->known) &&
	     cJSON_AddNumberToObject(o, "selected", (double)m->selected) &&
	     cJSON_AddNumberToObject(o, "skipped", (double)m->skipped) &&
	     cJSON_AddNumberToObject(o, "skipped_timed", (double)m->timed) &&
	     add_ns(o, "skipped_ns", m->timed_ns) &&
	     cJSON_AddNumberToObject(o, "untimed", (double)m->untimed) &&
	     (m->mean >= 0 ? cJSON_AddNumberToObject(o, "mean_fraction", m->mean) != NULL :
	      cJSON_AddNullToObject(o, "mean_fraction") != NULL) &&
	     (m->median >= 0 ? cJSON_AddNumberToObject(o, "median_fraction", m->median) != NULL :
	      cJSON_AddNullToObject(o, "median_fraction") != NULL) &&
	     cJSON_AddNumberToObject(o, "escapes", (double)m->escapes) &&
	     cJSON_AddNumberToObject(o, "verdicts", (double)m->verdicts);
	if (ok) {
		cJSON_AddItemToObject(o, "by_reason", m->reasons);
		m->reasons = NULL;
		ok = (a = cJSON_AddArrayToObject(o, "each")) != NULL;
	}
	for (size_t i = 0; ok && i < s->nsels; i++) {
		const struct stats_sel *e = &s->sels[i];

		ok = (x = cJSON_CreateObject()) != NULL;
		if (ok)
			cJSON_AddItemToArray(a, x);
		ok = ok && add_time(x, "at", "at_ns", e->at_ns) &&
		     cJSON_AddStringToObject(x, "command", e->command) &&
		     cJSON_AddNumberToObject(x, "known", (double)e->known) &&
		     (e->selected >= 0 ? cJSON_AddNumberToObject(x, "selected", (double)e->selected) != NULL :
		      cJSON_AddNullToObject(x, "selected") != NULL) &&
		     (e->escapes >= 0 ? cJSON_AddNumberToObject(x, "escapes", (double)e->escapes) != NULL :
		      cJSON_AddNullToObject(x, "escapes") != NULL) &&
		     (e->selected >= 0 && e->timed >= 0 ?
		      cJSON_AddNumberToObject(x, "skipped_timed", (double)e->timed) != NULL &&
		      add_ns(x, "skipped_ns", e->timed_ns) :
		      cJSON_AddNullToObject(x, "skipped_timed") && cJSON_AddNullToObject(x, "skipped_ns"));
		if (ok)
			cJSON_AddItemToObject(x, "by_reason", e->reasons ?
					      cJSON_Duplicate(e->reasons, 1) : cJSON_CreateObject());
	}
	if (!ok) {
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

int stats_print(const struct stats *s, int json)
{
	struct sums m;
	cJSON *root;
	char *text;

	if (sum(s, &m) < 0) {
		cJSON_Delete(m.reasons);
		return -ENOMEM;
	}
	if (!json) {
		print_text(s, &m);
		cJSON_Delete(m.reasons);
		return 0;
	}
	root = json_of(s, &m);
	cJSON_Delete(m.reasons);
	if (!root || !(text = cJSON_PrintUnformatted(root))) {
		cJSON_Delete(root);
		return -ENOMEM;
	}
	puts(text);
	free(text);
	cJSON_Delete(root);
	return 0;
}
