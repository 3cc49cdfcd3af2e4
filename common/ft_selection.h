/*
 * ft_selection.h - a selection: which tests, and why each.  The types
 * only, shared by the selector that makes one (selector/ft_select.h) and by
 * the runners that print one or narrow a command to it (runners/), so that
 * neither side needs the other's headers.
 *
 * Ownership: a selection owns every string it points to; the selector
 * frees it (ft_selection_free in ft_select.h).
 */
#ifndef FT_SELECTION_H
#define FT_SELECTION_H

#include <stddef.h>
#include <stdint.h>

/* Why a test is selected.  ft_change_name() (ft_select.h) gives the
 * words. */
enum ft_change {
	FT_CHANGE_CONTENT = 1,   /* content changed */
	FT_CHANGE_NOW_ABSENT,    /* now absent */
	FT_CHANGE_NOW_EXISTS,    /* now exists */
	FT_CHANGE_LISTING,       /* listing changed */
	FT_CHANGE_TYPE,          /* type changed (or mode) */
	FT_CHANGE_LINK,          /* link target changed */
	FT_CHANGE_UNREADABLE,    /* cannot be read now */
	FT_CHANGE_UNKNOWN,       /* unknown at recording */
	FT_CHANGE_FAILED,        /* failed last time (failed or error) */
	FT_CHANGE_NO_RESULT,     /* no result last time (killed, crashed) */
	FT_CHANGE_NEW,           /* new test */
	FT_CHANGE_UNTRACED,      /* untraced */
	FT_CHANGE_ALWAYS_RUN,    /* listed in .ftrace.json's always_run (cli adds it) */
	FT_CHANGE_FLAKY,         /* known flaky (ft_select_add_flaky) */
	FT_CHANGE_SMOKE,         /* .ftrace.json's smoke set: nothing else was
				  * affected (`ftrace test` only) */
	FT_CHANGE_ENV,           /* an environment variable's value changed */
	FT_CHANGE_ENV_SET,       /* ... was unset, is set now */
	FT_CHANGE_ENV_UNSET,     /* ... was set, is unset now */
	FT_CHANGE_SESSION,       /* a .py file's import-time code changed: every
				  * test of the sessions that loaded it (ft_pyfunc;
				  * docs/python-functions.md, "Import-time effects") */
	FT_CHANGE_OPTIONS,       /* recorded by a command line whose options differ
				  * from the one `ftrace test` runs (-race, --release,
				  * --features; selector/pipeline_config.c) */
};

struct ft_reason {
	const char *path;        /* NULL for failed/no-result/untraced */
	int kind;                /* enum ft_dep_kind, 0 when path is NULL */
	enum ft_change change;
	uint64_t recorded;       /* the value the test saw (one reason per state:
				  * a path seen in two versions has two, which a
				  * runner's filter judges one by one) */
};

#define FT_SELECT_MAX_REASONS 64 /* per test; the rest are counted */

struct ft_selected {
	const char *id;          /* test id as the runner takes it */
	const struct ft_reason *reasons;
	size_t nreasons;
	size_t omitted;          /* reasons beyond FT_SELECT_MAX_REASONS */
};

struct ft_selection {
	struct ft_selected *tests;   /* sorted by id (bytewise), unique */
	size_t n;
	size_t known;                /* tests in the database */
	size_t states;               /* distinct (path, kind) observed */
	int complete;                /* 0: cannot tell, see incomplete_why */
	const char *incomplete_why;
	void *priv;
};

#endif
