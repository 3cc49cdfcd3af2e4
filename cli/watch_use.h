/*
 * watch_use.h - how `ftrace affected` and `ftrace test` use a running
 * watch daemon (docs/watch.md): the selection pipeline's narrowing hook
 * (ft_select.h, struct ft_select_narrow) answered by the daemon of the
 * pipeline's state directory.  Internal to the command layer.
 *
 * No daemon (no socket): silent, every path is stat'ed, as without one.
 * A daemon that cannot answer soundly: one line on stderr saying why, and
 * every path is stat'ed.  --no-watch or FTRACE_NO_WATCH=1: not asked.
 */
#ifndef FT_CLI_WATCH_USE_H
#define FT_CLI_WATCH_USE_H

#include <stdio.h>

#include "ft_error.h"
#include "ft_select.h"

struct ft_pipeline;

#define FT_ENV_NO_WATCH "FTRACE_NO_WATCH"

struct ft_cmd_watch_use {
	struct ft_select_narrow nw;
	const struct ft_pipeline *p;
	const char *cmd;          /* "affected", "test": for the message */
	int asked;                /* a daemon was there to ask */
	struct ft_err err;        /* why it was not used (clear when it was) */
};

/* Set `u` up for pipeline `p` (filled by ft_pipeline_open before the
 * hook runs): the narrowing for ft_pipeline_opts.narrow, or NULL when
 * `disabled` (--no-watch) or FTRACE_NO_WATCH is set and not "0". */
struct ft_select_narrow *ft_cmd_watch_use(struct ft_cmd_watch_use *u, const struct ft_pipeline *p,
					  const char *cmd, int disabled);

/* --explain's line about it ("# watch daemon: ..."), nothing when no
 * daemon was asked. */
void ft_cmd_watch_explain(const struct ft_cmd_watch_use *u, FILE *out);

#endif
