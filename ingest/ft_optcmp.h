/*
 * ft_optcmp.h - were two recordings of a test made with the same options?
 * For the flaky rule (store/ft_store_flaky.h, ft_flaky_rules.same_options):
 * an outcome that flips between `go test` and `go test -race`, or pytest
 * with and without `--runslow`, is the options' doing, not a flaky test's.
 *
 * A run's options for a runner are what selector/pipeline_options.c
 * compares: each of its runner entries through the row's config
 * (ft_ingest_runners.options), and pytest's `options` list
 * (store/ft_store_runmeta.h).  The run being written is read from its
 * metadata text; the stored runs from the store, once, on the first ask.
 *
 * Ownership: ft_optcmp_release frees what the cache holds.
 */
#ifndef FT_OPTCMP_H
#define FT_OPTCMP_H

#include <stddef.h>
#include <stdint.h>

struct ft_store;
struct ft_ingest_runners;

struct ft_optcmp_entry {
	int64_t run_id;       /* 0: the run being written */
	char *runner;
	char *text;           /* the options, as the row's config writes them */
};

struct ft_optcmp {
	struct ft_store *st;
	const struct ft_ingest_runners *runners;
	const char *meta_json;  /* the run being written's metadata, or NULL */
	int loaded;
	struct ft_optcmp_entry *v;
	size_t n, cap;
};

/* 1 when the stored recording (made by run old_run) and the one being
 * written were made with the same options for `runner`, or when either's
 * are not known (the rule then stands as before); 0 when they differ.
 * Negative: -ENOMEM, or a store code.  Signature of
 * ft_flaky_rules.same_options; arg is a struct ft_optcmp. */
int ft_optcmp_same(void *arg, const char *runner, int64_t old_run);

void ft_optcmp_release(struct ft_optcmp *c);

#endif
