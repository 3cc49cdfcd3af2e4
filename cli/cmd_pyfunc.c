/*
 * cmd_pyfunc.c - `--granularity=function` at selection, shared by `ftrace
 * affected` and `ftrace test`: find the fingerprint tool (the pytest
 * adapter's ftrace_fingerprint.py) and the Python that runs it
 * ($FTRACE_PYTHON, else the interpreter of the newest function-granularity
 * recording if it still exists, else python3 from PATH), filter the selection
 * (selector/ft_pyfunc.h), and say on stderr when function granularity had
 * to be given up.  Giving up keeps the file-granularity selection, which
 * is sound: it never shrinks the set.
 */
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include "ft_locate.h"
#include "ft_cmd.h"
#include "ft_error.h"
#include "ft_pyfunc.h"
#include "ft_store.h"

const char *ft_cmd_python(struct ft_store *st, const char *meta_key, char *buf, size_t size)
{
	const char *python = getenv("FTRACE_PYTHON");

	/* The interpreter that recorded, if it is still there: the AST (so
	 * each fingerprint) can differ between Python versions, and a PATH
	 * shim (pyenv, asdf) costs more than the parse. */
	if (python && *python)
		return python;
	if (ft_store_meta_get(st, meta_key, buf, size) == 0 && access(buf, X_OK) == 0)
		return buf;
	return "python3";
}

void ft_cmd_pyfunc_filter(struct ft_store *st, struct ft_selection *sel, const char *cmd,
			  struct ft_pyfunc_notes *notes)
{
	char tool[4096], recorded[4096];
	const char *python = ft_cmd_python(st, FT_PYFUNC_META_PYTHON, recorded, sizeof(recorded));
	struct ft_pyfunc_stats stats;
	int rc;
	if (ft_locate_adapters(tool, sizeof(tool) - 40) < 0) {
		ft_cmd_error("%s: the pytest adapter is not found: function granularity is "
			     "off, tests are selected by file", cmd);
		return;
	}
	strcat(tool, "/pytest/ftrace_fingerprint.py");
	rc = ft_pyfunc_filter(st, sel, python, tool, &stats, notes);
	if (rc < 0)
		ft_cmd_error("%s: function granularity failed (%s running %s %s): tests are "
			     "selected by file", cmd, ft_strerror(rc), python, tool);
}
