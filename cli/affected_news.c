/*
 * affected_news.c - see affected_news.h.
 */
#include <stdio.h>

#include "affected_news.h"
#include "ft_cmd.h"
#include "ft_error.h"
#include "ft_runlists.h"
#include "ft_store.h"

void ft_news_release(struct ft_news *n)
{
	ft_runner_names_release(&n->here.tests);
	ft_runner_names_release(&n->here.gone);
	ft_runner_names_release(&n->files);
}

int ft_news_recorded(struct ft_store *st, struct ft_news *n)
{
	struct ft_runlist *v;
	size_t nv;
	int rc;

	if ((rc = ft_runlists_load(st, &v, &nv)) < 0) {
		snprintf(n->why, sizeof(n->why), "cannot read which runners recorded the tests: %s",
			 rc == FT_ECORRUPT || rc == FT_EDB ? ft_store_errmsg(st) : ft_strerror(rc));
		return rc;
	}
	for (size_t i = 0; i < nv && rc >= 0; i++)
		rc = ft_runners_list_recorded(&v[i], ft_cmd_repo_top, &n->files, n->why, sizeof(n->why));
	ft_runlists_free(v, nv);
	return rc;
}
