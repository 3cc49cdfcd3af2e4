/*
 * cmd_pyconf.c - config file edits that pytest's start-up cannot see,
 * at selection, shared by `ftrace affected` and `ftrace test`: find the
 * view tool (the pytest adapter's ftrace_pyconf.py) and the Python that
 * runs it ($FTRACE_PYTHON, else python3 from PATH; never one the database
 * names), and filter the selection (python/ft_pyconf.h); a registered
 * filter of the selection pipeline (cli/filters.c).  The tool
 * imports iniconfig from that interpreter's own site-packages, never from
 * the directory the recording noted (meta pyconf_iniconfig): a planted
 * database would choose the code it runs.  Giving up keeps the selection
 * as it is, which is sound: it never shrinks the set.
 */
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include "ft_cmd.h"
#include "ft_error.h"
#include "ft_locate.h"
#include "ft_pyconf.h"
#include "ft_store.h"

int ft_cmd_pyconf_apply(void *arg, struct ft_store *st, struct ft_selection *sel,
			struct ft_err *note)
{
	char tooldir[4096];
	const char *python = ft_cmd_python();
	struct ft_pyconf_stats stats;
	int rc;

	(void)arg;
	/* no adapter: no view to compare (the collection check still runs) */
	if (ft_locate_adapters(tooldir, sizeof(tooldir) - 16) < 0)
		tooldir[0] = '\0';
	else
		strcat(tooldir, "/pytest");
	rc = ft_pyconf_filter(st, sel, python, tooldir[0] ? tooldir : NULL, &stats);
	if (rc < 0)
		return ft_err_set(note, rc, "reading pytest's part of its config files failed (%s "
				  "running %s %s/ftrace_pyconf.py): every edit of them counts",
				  ft_strerror(rc), python, tooldir);
	if (!stats.unknown)
		return 0;
	ft_err_set(note, 0, "pytest's part of %zu changed config file%s could not be read "
		   "(%s needs tomllib for pyproject.toml, and iniconfig in its own "
		   "site-packages for tox.ini and setup.cfg; or a file is unreadable; "
		   "$FTRACE_PYTHON chooses the interpreter): every edit of %s counts",
		   stats.unknown, stats.unknown == 1 ? "" : "s", python,
		   stats.unknown == 1 ? "it" : "them");
	return 0;
}
