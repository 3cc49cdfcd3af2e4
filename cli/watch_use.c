/*
 * watch_use.c - asking the watch daemon from a selection (contract in
 * watch_use.h).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ft_cmd.h"
#include "ft_pipeline.h"
#include "ft_watch_client.h"
#include "watch_use.h"

static int ask(void *arg, const char *gen, struct ft_select_dirty *out)
{
	struct ft_cmd_watch_use *u = arg;
	int rc;

	if (!u->p->state_dir[0] || !u->p->db[0])
		return 1;
	rc = ft_watch_query(u->p->state_dir, u->p->db, gen, out, &u->err);
	if (rc == 1)
		return 1; /* no daemon here: nothing to say */
	u->asked = 1;
	if (rc < 0) {
		ft_cmd_error("%s: %s; checking every path instead", u->cmd, ft_err_msg(&u->err));
		return 1;
	}
	return 0;
}

/* A socket file in the state directory: someone started a daemon. */
static int ready(void *arg)
{
	struct ft_cmd_watch_use *u = arg;
	char sock[PATH_MAX];
	struct stat sb;

	return u->p->state_dir[0] &&
	       ft_watch_file(u->p->state_dir, FT_WATCH_SOCK, sock, sizeof(sock)) == 0 &&
	       lstat(sock, &sb) == 0;
}

struct ft_select_narrow *ft_cmd_watch_use(struct ft_cmd_watch_use *u, const struct ft_pipeline *p,
					  const char *cmd, int disabled)
{
	const char *env = getenv(FT_ENV_NO_WATCH);

	memset(u, 0, sizeof(*u));
	u->p = p;
	u->cmd = cmd;
	if (disabled || (env && *env && strcmp(env, "0")))
		return NULL;
	u->nw.ready = ready;
	u->nw.ask = ask;
	u->nw.arg = u;
	return &u->nw;
}

void ft_cmd_watch_explain(const struct ft_cmd_watch_use *u, FILE *out)
{
	if (!u->asked)
		return;
	if (u->nw.used && u->nw.whole)
		fprintf(out, "# watch daemon: used, a whole answer (%zu paths may have changed and were "
			"checked; no other path was read)\n", u->nw.dirty);
	else if (u->nw.used)
		fprintf(out, "# watch daemon: used (%zu paths may have changed and were checked; "
			"%zu checks answered by it)\n", u->nw.dirty, u->nw.settled);
	else
		fprintf(out, "# watch daemon: not used (%s)\n", ft_err_msg(&u->err));
}
