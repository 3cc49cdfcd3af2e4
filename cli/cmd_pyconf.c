/*
 * cmd_pyconf.c - pyproject.toml edits that pytest's start-up cannot see,
 * at selection, shared by `ftrace affected` and `ftrace test`: find the
 * view tool (the pytest adapter's ftrace_pyconf.py) and the Python that
 * runs it ($FTRACE_PYTHON, else the interpreter that recorded the views if
 * it still exists, else python3 from PATH), and filter the selection
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

void ft_cmd_pyconf_filter(struct ft_store *st, struct ft_selection *sel, const char *cmd)
{
	char tooldir[4096], recorded[4096];
	const char *python = ft_cmd_python(st, FT_PYCONF_META_PYTHON, recorded, sizeof(recorded));
	struct ft_pyconf_stats stats;
	int rc;
	if (ft_locate_adapters(tooldir, sizeof(tooldir) - 16) < 0)
		return; /* no adapter, so no view can have been recorded either */
	strcat(tooldir, "/pytest");
	rc = ft_pyconf_filter(st, sel, python, tooldir, &stats);
	if (rc < 0)
		ft_cmd_error("%s: reading pytest's part of pyproject.toml failed (%s running %s "
			     "%s/ftrace_pyconf.py): every edit of it counts", cmd, ft_strerror(rc),
			     python, tooldir);
}
