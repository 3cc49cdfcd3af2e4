/*
 * cmd_pyconf.c - config file edits that pytest's start-up cannot see,
 * at selection, shared by `ftrace affected` and `ftrace test`: find the
 * view tool (the pytest adapter's ftrace_pyconf.py) and the Python that
 * runs it ($FTRACE_PYTHON, else the interpreter that recorded the views if
 * it still exists, else python3 from PATH) with the iniconfig that run
 * used, and filter the selection
 * (selector/ft_pyconf.h).  Giving up keeps the selection as it is, which
 * is sound: it never shrinks the set.
 */
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include "ft_cmd.h"
#include "ft_error.h"
#include "ft_locate.h"
#include "ft_pyconf.h"
#include "ft_store.h"

void ft_cmd_pyconf_filter(struct ft_store *st, struct ft_selection *sel, const char *cmd)
{
	char tooldir[4096], recorded[4096], iniconfig[4096];
	const char *python = ft_cmd_python(st, FT_PYCONF_META_PYTHON, recorded, sizeof(recorded));
	struct ft_pyconf_stats stats;
	int rc;
	if (ft_locate_adapters(tooldir, sizeof(tooldir) - 16) < 0)
		return; /* no adapter, so no view can have been recorded either */
	strcat(tooldir, "/pytest");
	if (ft_store_meta_get(st, FT_PYCONF_META_INICONFIG, iniconfig, sizeof(iniconfig)))
		iniconfig[0] = 0;
	rc = ft_pyconf_filter(st, sel, python, tooldir, iniconfig, &stats);
	if (rc < 0)
		ft_cmd_error("%s: reading pytest's part of its config files failed (%s running %s "
			     "%s/ftrace_pyconf.py): every edit of them counts", cmd, ft_strerror(rc),
			     python, tooldir);
	else if (stats.unknown)
		ft_cmd_error("%s: pytest's part of %zu changed config file%s could not be read "
			     "(%s needs tomllib for pyproject.toml, and iniconfig%s%s for tox.ini "
			     "and setup.cfg; or a file is unreadable): every edit of %s counts",
			     cmd, stats.unknown, stats.unknown == 1 ? "" : "s", python,
			     iniconfig[0] ? " from " : ", of which no run left a note,",
			     iniconfig, stats.unknown == 1 ? "it" : "them");
}
