/*
 * filters.c - the selection filters the command layer registers into the
 * selection pipeline (selector/ft_pipeline.h), and where their notes go.
 *
 * The filters live up here, not in selector/, because they run Python:
 * which interpreter and which adapter tool is ftrace's own configuration
 * ($FTRACE_PYTHON, the installed adapters), never the database's, and the
 * selector stays free of python/.  Order matters only for the notes: the
 * config view first (it drops reasons), then function granularity (by
 * file: its import-time rule alone, which only adds).
 */
#include "ft_cmd.h"
#include "ft_pipeline.h"

size_t ft_cmd_filters(struct ft_select_filter *out, int funcs,
		      struct ft_pyfunc_notes *notes)
{
	size_t n = 0;

	out[n++] = (struct ft_select_filter){ "pyconf", ft_cmd_pyconf_apply, NULL };
	out[n++] = funcs ? (struct ft_select_filter){ "pyfunc", ft_cmd_pyfunc_apply, notes }
			 : (struct ft_select_filter){ "pyimport", ft_cmd_pyimport_apply, notes };
	return n;
}

void ft_cmd_note(void *cmd, const char *msg)
{
	ft_cmd_error("%s: %s", (const char *)cmd, msg);
}
