/*
 * cmd_pyfunc.c - `--granularity=function` at selection, shared by `ftrace
 * affected` and `ftrace test`: find the fingerprint tool (the pytest
 * adapter's ftrace_fingerprint.py) and the Python that runs it
 * ($FTRACE_PYTHON, else python3 from PATH; never one the database names),
 * and filter the selection (python/ft_pyfunc.h), as a filter of the
 * selection pipeline (cli/filters.c).  When function granularity has to
 * be given up, it notes why (the command prints the note).  Giving up
 * keeps the file-granularity selection, which is sound: it never shrinks
 * the set.
 */
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include "ft_locate.h"
#include "ft_cmd.h"
#include "ft_error.h"
#include "ft_pyfunc.h"
#include "ft_store.h"

const char *ft_cmd_python(void)
{
	const char *python = getenv("FTRACE_PYTHON");

	/* Not the interpreter the recording names (meta pyfunc_python /
	 * pyconf_python), although its AST matches the fingerprints best and
	 * it skips a PATH shim: a database restored from a CI cache, given
	 * with --db or planted in a shared directory would then choose the
	 * program `affected` runs.  Another Python only selects more (a
	 * fingerprint that differs is a change). */
	if (python && *python)
		return python;
	return "python3";
}

int ft_cmd_pyfunc_apply(void *arg, struct ft_store *st, struct ft_selection *sel,
			struct ft_err *note)
{
	char tool[4096];
	const char *python = ft_cmd_python();
	struct ft_pyfunc_stats stats;
	int rc;

	if (ft_locate_adapters(tool, sizeof(tool) - 40) < 0) {
		ft_err_set(note, 0, "the pytest adapter is not found: function granularity is off, "
			   "tests are selected by file");
		return 0;
	}
	strcat(tool, "/pytest/ftrace_fingerprint.py");
	rc = ft_pyfunc_filter(st, sel, python, tool, &stats, arg);
	if (rc < 0)
		ft_err_set(note, rc, "function granularity failed (%s running %s %s): tests are "
			   "selected by file", ft_strerror(rc), python, tool);
	else if (stats.std_now[0])
		ft_err_set(note, 0, "function granularity: %s (Python %s) fingerprinted the changed "
			   "files, the tests ran under Python %s, whose syntax trees may differ: more "
			   "tests are selected than need be; set FTRACE_PYTHON to the tests' "
			   "interpreter, or run in its environment", python, stats.std_now,
			   stats.std_then);
	return rc;
}
