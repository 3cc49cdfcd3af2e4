/*
 * cmd_stats.c - `ftrace stats [--json] [--last N]`: what the recording
 * holds, and what the last N selections of `ftrace test` and `ftrace
 * verify` did (store/ft_store_history.h; docs/usage.md, "ftrace stats").
 *
 * Every figure is counted from the database: nothing is estimated.  The
 * database is opened as selection opens it (the pipeline's open steps:
 * state dir, trust, this tree's database) and read in one read
 * transaction, each history and flaky row against its checksum: a corrupt
 * row is exit 2 naming the table, never a smaller figure.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ft_cmd.h"
#include "ft_config.h"
#include "ft_error.h"
#include "ft_pipeline.h"
#include "ft_store.h"
#include "ft_store_flaky.h"
#include "ft_store_select.h"
#include "stats.h"

#define STATS_LAST_DEFAULT 20

static const char usage_text[] =
"usage: ftrace stats [--json] [--last N]\n"
"\n"
"Show what the recording holds (tests, their last outcomes, untraced tests\n"
"and tests with a state unknown at recording, both always selected; the\n"
"runs, flaky tests, the database's size), and what the last N selections of\n"
"`ftrace test` and `ftrace verify` did: tests known, selected and skipped,\n"
"the selected tests by reason, and verify's escapes; each, then summed.\n"
"Every figure is counted from the database.  The time saved is the recorded\n"
"durations of the tests a selection left out: what each took when it last\n"
"ran (the runner's own timing, or the wall time ftrace saw), not a\n"
"measurement of the run that skipped it.\n"
"\n"
"options:\n"
"  --json       one JSON object (docs/schema/stats.schema.json)\n"
"  --last N     the last N selections (default 20; 0: every one kept, up to\n"
"               the newest 1000)\n"
"  -h, --help   this text\n"
"\n"
"exit status: 0 shown; 2 cannot read them (no recording here, a corrupt\n"
"database: a checksum mismatch names the table, another tree's database, a\n"
"state directory another user owns); 64 bad usage; 78 invalid .ftrace.json.\n";

static int count_flaky(void *arg, const struct ft_store_flaky *f)
{
	(void)f;
	++*(int64_t *)arg;
	return 0;
}

static int add_sel(void *arg, const struct ft_store_history *h)
{
	struct stats *s = arg;
	struct stats_sel *x;

	if (s->nsels == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 32;
		if (!(x = realloc(s->sels, cap * sizeof(*x))))
			return -ENOMEM;
		s->sels = x;
		s->cap = cap;
	}
	x = &s->sels[s->nsels++];
	*x = (struct stats_sel){ h->at_ns, "?", h->known, h->selected, h->escapes, h->timed,
				 h->timed_ns, NULL };
	if (!strcmp(h->command, "test") || !strcmp(h->command, "verify"))
		snprintf(x->command, sizeof(x->command), "%s", h->command);
	/* a row whose checksum holds was written by us: reasons is our JSON */
	x->reasons = cJSON_Parse(h->reasons);
	if (x->reasons && !cJSON_IsObject(x->reasons)) {
		cJSON_Delete(x->reasons);
		x->reasons = NULL;
	}
	return 0;
}

/* The figures, in one read transaction.  0 or a code. */
static int read_all(struct ft_store *st, struct stats *s, unsigned last)
{
	int rc;

	if ((rc = ft_store_read_begin(st)) < 0)
		return rc;
	if ((rc = ft_store_counts_read(st, &s->counts)) == 0 &&
	    (rc = ft_store_flaky_each(st, count_flaky, &s->flaky)) == 0)
		rc = ft_store_history_each(st, last, &s->kept, add_sel, s);
	ft_store_read_end(st);
	return rc;
}

/* The database's bytes, with its -wal (what a commit has not yet moved
 * into the file): -1 when it cannot be stat'ed. */
static long long db_bytes(const char *db)
{
	char wal[4300];
	struct stat sb;
	long long n;

	if (stat(db, &sb) != 0)
		return -1;
	n = (long long)sb.st_size;
	snprintf(wal, sizeof(wal), "%s-wal", db);
	if (stat(wal, &sb) == 0)
		n += (long long)sb.st_size;
	return n;
}

static int stats_main(int argc, char **argv, struct ft_config *cfg, struct ft_pipeline *p,
		      struct stats *s)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "last", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ft_pipeline_opts po = { .lock_wait = ft_cmd_lock_wait };
	unsigned long last = STATS_LAST_DEFAULT;
	char why[8192], *end;
	struct ft_err err;
	int opt, rc, json = 0;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'j': json = 1; break;
		case 'l':
			errno = 0;
			last = strtoul(optarg, &end, 10);
			if (!*optarg || *end || errno || optarg[0] == '-' || last > FT_HISTORY_KEEP) {
				ft_cmd_error("stats: --last must be a number from 0 to %d, not '%s'",
					     FT_HISTORY_KEEP, optarg);
				return FT_EXIT_USAGE;
			}
			break;
		case 'h': fputs(usage_text, stdout); return FT_EXIT_OK;
		default: fputs(usage_text, stderr); return FT_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		ft_cmd_error("stats: unexpected argument '%s'", argv[optind]);
		fputs(usage_text, stderr);
		return FT_EXIT_USAGE;
	}
	if ((rc = ft_config_find_load(cfg, &err)) < 0) {
		ft_cmd_error("stats: %s", ft_err_msg(&err));
		return rc == FT_ECONFIG ? FT_EXIT_CONFIG : rc == FT_EUNSAFE ? FT_EXIT_UNKNOWN :
		       FT_EXIT_SOFTWARE;
	}
	po.cfg = cfg;
	if (ft_pipeline_open(p, &po) < 0) {
		if ((rc = ft_cmd_cannot_tell(p, why, sizeof(why))) < 0) {
			ft_cmd_error("stats: %s", ft_strerror(rc));
			return FT_EXIT_SOFTWARE;
		}
		ft_cmd_error("stats: cannot read the recording: %s", why);
		return FT_EXIT_UNKNOWN;
	}
	snprintf(s->db, sizeof(s->db), "%s", p->db);
	if ((rc = read_all(p->st, s, (unsigned)last)) < 0) {
		ft_store_err_db(p->st, rc, &err);
		ft_cmd_error("stats: %s: %s", p->db, ft_err_msg(&err));
		return rc == -ENOMEM ? FT_EXIT_SOFTWARE : FT_EXIT_UNKNOWN;
	}
	s->bytes = db_bytes(p->db);
	if (stats_print(s, json) < 0)
		return FT_EXIT_SOFTWARE;
	if (fflush(stdout) != 0) {
		ft_cmd_error("stats: writing the output failed: %s", strerror(errno));
		return FT_EXIT_SOFTWARE;
	}
	return FT_EXIT_OK;
}

void stats_release(struct stats *s)
{
	for (size_t i = 0; i < s->nsels; i++)
		cJSON_Delete(s->sels[i].reasons);
	free(s->sels);
}

int ft_cmd_stats(int argc, char **argv)
{
	struct ft_config cfg = { 0 };
	struct ft_pipeline p = { 0 };
	struct stats *s = calloc(1, sizeof(*s));
	int status;

	if (!s) {
		ft_cmd_error("stats: %s", ft_strerror(-ENOMEM));
		return FT_EXIT_SOFTWARE;
	}
	status = stats_main(argc, argv, &cfg, &p, s);
	ft_pipeline_release(&p);
	ft_config_release(&cfg);
	stats_release(s);
	free(s);
	return status;
}
