/*
 * ft_config.h - the repository's settings file, `.ftrace.json` at the
 * repository top (the parent of the state dir when that is `<top>/.ftrace`,
 * else the current directory; see ft_statedir.h).  docs/hooks.md documents
 * the format:
 *
 *   {
 *     "command":    ["python3", "-m", "pytest"]   or "a shell command line",
 *     "always_run": ["tests/test_smoke.py::test_boot", ...],
 *     "ignore":     ["docs", "*.md", ...],
 *     "granularity": "file" or "function",
 *     "flaky":      {"select": true, "decay": 5, "rerun": 0},
 *     "watch":      {"build": "a shell command line"},
 *     "ignore_programs": ["git", ...]
 *   }
 *
 * Every key is optional; a missing file means defaults (no command, nothing
 * always run, nothing ignored).  Anything else is an error, never guessed
 * around: malformed JSON, a top level that is not an object, an unknown key,
 * a duplicated key, a wrong type, an empty command or an empty string in a
 * list.  An error message names the file, the line and, when there is one,
 * the key: "<file>:<line>: key \"command\": must be ...".
 *
 * Ownership: a struct ft_config owns every string it points to; release it
 * with ft_config_release() (safe on a zeroed or released struct).
 * Errors: 0, or a negative FT_E* code: FT_ECONFIG with the message in the
 * caller's buffer, FT_EUNSAFE (owned by another user or writable by others:
 * ft_trust.h; message in the buffer), -ENOMEM, or -errno when the file
 * exists but cannot be read.
 * Not async-signal-safe; no global state.
 */
#ifndef FT_CONFIG_H
#define FT_CONFIG_H

#include <stddef.h>

struct ft_err;

#define FT_CONFIG_FILE ".ftrace.json"

/* The project's default for run, affected and test when no --granularity
 * is given (docs/python-functions.md). */
enum ft_config_granularity {
	FT_CONFIG_GRAN_FILE = 1,
	FT_CONFIG_GRAN_FUNCTION = 2,
	FT_CONFIG_GRAN_AUTO = 3,
};

struct ft_config {
	/* "command": an argv, NULL-terminated.  A JSON string becomes
	 * { "/bin/sh", "-c", string, NULL } and command_is_shell is set.
	 * NULL when the file has no "command". */
	char **command;
	int command_is_shell;
	char **always_run;      /* "always_run": test ids; NULL-terminated or NULL */
	size_t nalways_run;
	char **ignore;          /* "ignore": glob patterns; NULL-terminated or NULL */
	size_t nignore;
	char **ignore_programs; /* "ignore_programs": glob patterns of programs whose
				 * own reads are no dependencies
				 * (ft_config_ignores_program); NULL-terminated or NULL */
	size_t nignore_programs;
	char **smoke;           /* "smoke": test ids `ftrace test` runs when nothing is
				 * affected (docs/hooks.md); NULL-terminated or NULL */
	size_t nsmoke;
	int granularity;        /* "granularity": 0 unset, else enum ft_config_granularity */
	/* "flaky" (docs/usage.md, "Flaky tests"): read them through
	 * ft_config_flaky_select() and ft_config_flaky_decay(), which know
	 * the defaults */
	int flaky_noselect;     /* "select": false */
	int flaky_has_decay;    /* "decay" given: */
	unsigned flaky_decay;   /* clean runs before a flaky mark decays; 0 never */
	unsigned flaky_rerun;   /* "rerun": `ftrace test` reruns a failed known flaky
				 * test up to this many times (default 0, at most 100) */
	char *watch_build;      /* "watch": {"build": ...}: the watch daemon's build
				 * command (/bin/sh -c; docs/watch.md), or NULL.  It
				 * runs: trusted as "command" (ft_trust_check) */
	int found;              /* 1 when the file existed */
};

/* Parse `len` bytes of JSON text.  `name` is the file name used in
 * messages.  On FT_ECONFIG, `e` (struct ft_err, common/ft_error.h) holds
 * the code and the message ("name:line: key ...: what"); on success it is
 * cleared. */
int ft_config_parse(struct ft_config *cfg, const char *text, size_t len, const char *name,
		    struct ft_err *e);

/* Read and parse `path`.  A missing file (ENOENT) leaves the defaults and
 * returns 0 with cfg->found == 0.  On failure `e` says why, naming `path`
 * (an unsafe or unreadable file, a malformed one). */
int ft_config_load(struct ft_config *cfg, const char *path, struct ft_err *e);

/* The path of the settings file for the current directory:
 * <top>/.ftrace.json, the top of ft_statedir_top().  Returns 0,
 * FT_ETOOLONG or -errno (as ft_statedir_find and ft_statedir_top). */
int ft_config_path(char *out, size_t cap);

/* ft_config_path() + ft_config_load(); `e` as ft_config_load's. */
int ft_config_find_load(struct ft_config *cfg, struct ft_err *e);

/* Are known flaky tests always selected (default 1)?  cfg may be NULL. */
int ft_config_flaky_select(const struct ft_config *cfg);

/* Clean runs after which a flaky mark decays (default 5; 0: never).  cfg
 * may be NULL. */
unsigned ft_config_flaky_decay(const struct ft_config *cfg);

/* Is `id` one of the always_run ids? */
int ft_config_always(const struct ft_config *cfg, const char *id);

/* Does a repository-relative path match one of the ignore patterns?  A
 * pattern matches the whole path or any leading run of its components
 * ("build" ignores build/x/y too); `*` also matches `/`. */
int ft_config_ignores(const struct ft_config *cfg, const char *relpath);

/* Is the program `exe` (`len` bytes, the executable a process image ran:
 * FT_REC_PROC's) one whose reads are no dependencies?  A pattern with a '/'
 * is matched against the whole path, any other against its last
 * component (fnmatch, no flags: "git" and "git-*", "/usr/lib/git-core/git-*").
 * cfg may be NULL; a path with a NUL or longer than PATH_MAX is never
 * ignored. */
int ft_config_ignores_program(const struct ft_config *cfg, const char *exe, size_t len);

void ft_config_release(struct ft_config *cfg);

#endif
