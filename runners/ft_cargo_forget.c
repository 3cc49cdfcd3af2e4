/*
 * ft_cargo_forget.c - recorded cargo test targets that are gone
 * (ft_runner_cargo.h, ft_cargo_forget_gone).
 */
#include <errno.h>
#include <stdlib.h>

#include "ft_cargo_format.h"
#include "ft_cargo_meta.h"
#include "ft_ptree.h"
#include "ft_runner.h"
#include "ft_runner_cargo.h"
#include "ft_store.h"

struct here {
	char **ids;   /* every member target here (ft_cargo_format_targets) */
	size_t n;
};

static int any(const char *name, void *arg)
{
	(void)name;
	(void)arg;
	return 1;
}

static int keep(const char *name, void *arg)
{
	const struct here *h = arg;

	return !ft_cargo_target_gone(h->ids, h->n, name);
}

int ft_cargo_forget_gone(struct ft_store *st, const struct ft_ptree *t, int64_t run_id,
			 size_t *forgotten)
{
	struct ft_cargo_meta m;
	struct here h = { 0 };
	int ran = 0, rc;

	*forgotten = 0;
	for (size_t i = 0; i < t->n && !ran; i++)
		ran = t->procs[i].runner == FT_RUNNER_CARGO;
	/* a run without cargo test, or one that recorded every target again
	 * (the usual full run): nothing to ask cargo */
	if (!ran || (rc = ft_store_tests_others(st, "cargo", run_id, any, NULL)) <= 0)
		return ran ? rc : 0;
	/* cargo cannot say here (no workspace, cargo missing): forget nothing */
	if (ft_cargo_meta_load(&m, NULL, NULL) < 0)
		return 0;
	rc = ft_cargo_format_targets(&m, &h.ids, &h.n);
	ft_cargo_meta_release(&m);
	if (rc < 0)
		return rc == -ENOMEM ? rc : 0;
	if (h.n)
		rc = ft_store_tests_forget(st, "cargo", NULL, keep, &h, forgotten);
	ft_cargo_format_free(h.ids, h.n);
	return rc;
}
