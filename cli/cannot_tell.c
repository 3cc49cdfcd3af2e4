/*
 * cannot_tell.c - why the selection pipeline could not tell which tests
 * are affected, in the words of the commands that then run everything
 * (`ftrace test`, `ftrace verify`).
 */
#include <stdio.h>

#include "ft_cmd.h"
#include "ft_error.h"
#include "ft_pipeline.h"
#include "ft_select.h"

int ft_cmd_cannot_tell(const struct ft_pipeline *p, char *why, size_t cap)
{
	const char *db = p->db;

	switch (p->step) {
	case FT_PIPE_STATEDIR:
		snprintf(why, cap, "cannot find the state directory: %s", p->err.why);
		break;
	case FT_PIPE_NOSTATEDIR:
		snprintf(why, cap, "nothing was recorded here yet (no %s)", p->state_dir);
		break;
	case FT_PIPE_OPEN:
		snprintf(why, cap, "%s: %s%s%s", db, ft_strerror(p->err.code),
			 p->err.code == FT_ENORECORD ? "" : ": ", p->err.code == FT_ENORECORD ? "" : p->err.why);
		break;
	case FT_PIPE_REPO: /* another tree's database: `ftrace run` refuses it too (exit 2) */
		if (p->err.code == FT_EREPO)
			snprintf(why, cap, "%s", p->err.why);
		else
			snprintf(why, cap, "%s: %s", db, ft_strerror(p->err.code));
		break;
	case FT_PIPE_SELECT:
		snprintf(why, cap, "%s: selection failed: %s", db, p->err.why);
		break;
	case FT_PIPE_NOTESTS:
		snprintf(why, cap, "%s: the recording holds no tests", db);
		break;
	case FT_PIPE_INCOMPLETE:
		snprintf(why, cap, "%s: %s", db, p->sel->incomplete_why);
		break;
	case FT_PIPE_ALL:
		snprintf(why, cap, "%s: cannot list the known tests: %s", db, ft_strerror(p->err.code));
		break;
	case FT_PIPE_STATE:
	case FT_PIPE_FLAKY:
	case FT_PIPE_ALWAYS_RUN:
		return p->err.code;
	default: /* FT_PIPE_NOTDIR, FT_PIPE_TRUST */
		snprintf(why, cap, "%s", p->err.why);
	}
	return 1;
}
