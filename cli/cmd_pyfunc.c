/*
 * cmd_pyfunc.c - `--granularity=function` at selection, shared by `ftrace
 * affected` and `ftrace test`: find the fingerprint tool (the pytest
 * adapter's ftrace_fingerprint.py) and the Python that runs it
 * ($FTRACE_PYTHON, else python3 from PATH; never one the database names),
 * and filter the selection (python/ft_pyfunc.h), as a filter of the
 * selection pipeline (cli/filters.c).  By file (`--granularity=file`),
 * the same filter only adds: the import-time rule, which the file-level
 * selection needs at any granularity.  When the tool fails, nothing is
 * dropped and every session that loaded a changed .py file is added; when
 * the filter itself fails, the selection cannot tell.  Both are noted
 * (the command prints the note).
 */
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include "ft_locate.h"
#include "ft_cmd.h"
#include "ft_error.h"
#include "ft_pyfunc.h"
#include "ft_selection.h"
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

/* The Python filter (ft_pyfunc_filter), `narrow`: by function. */
static int apply(void *arg, struct ft_store *st, struct ft_selection *sel, struct ft_err *note,
		 int narrow)
{
	char tool[4096];
	const char *python = ft_cmd_python();
	struct ft_pyfunc_stats stats;
	int rc;

	if (ft_locate_adapters(tool, sizeof(tool) - 40) < 0)
		tool[0] = '\0';   /* the tool fails to start: judged as such */
	else
		strcat(tool, "/pytest/ftrace_fingerprint.py");
	rc = ft_pyfunc_filter(st, sel, python, tool[0] ? tool : "ftrace_fingerprint.py (not found)",
			      narrow, &stats, arg);
	if (rc < 0) {
		/* Not even the file-level selection stands: it splits each
		 * session's prelude by importer, and whether a changed file's
		 * import-time code now acts on the others is not known. */
		sel->complete = 0;
		sel->incomplete_why = "the records of what the pytest sessions loaded could not be "
				      "read, so whether an edit of a module they loaded now acts on "
				      "other tests at import cannot be told";
		ft_err_set(note, rc, "the Python filter failed (%s running %s %s)", ft_strerror(rc),
			   python, tool);
	} else if (stats.tool_rc < 0) {
		ft_err_set(note, 0, "%s (%s running %s): no test is dropped by function, and every test "
			   "of a session that loaded a changed .py file is selected",
			   tool[0] ? "the fingerprint tool failed" : "the pytest adapter is not found",
			   ft_strerror(stats.tool_rc), python);
	} else if (stats.std_now[0]) {
		ft_err_set(note, 0, "function granularity: %s (Python %s) fingerprinted the changed "
			   "files, the tests ran under Python %s, whose syntax trees may differ: more "
			   "tests are selected than need be; set FTRACE_PYTHON to the tests' "
			   "interpreter, or run in its environment", python, stats.std_now,
			   stats.std_then);
	}
	return rc;
}

int ft_cmd_pyfunc_apply(void *arg, struct ft_store *st, struct ft_selection *sel,
			struct ft_err *note)
{
	return apply(arg, st, sel, note, 1);
}

int ft_cmd_pyimport_apply(void *arg, struct ft_store *st, struct ft_selection *sel,
			  struct ft_err *note)
{
	return apply(arg, st, sel, note, 0);
}
