/*
 * readers.c - finding a reader among the runner rows (ft_reader.h).
 */
#include <stdio.h>

#include "ft_reader.h"
#include "ft_record.h"
#include "ft_runners.h"
#include "ft_state.h"

/* What a runner's walk for test files saw: an entry's type, which the
 * runner's own stats and listings keep (ingest/ft_collect.c: node's own
 * walk, FT_POLICY_SCAN_GONE; jest's crawl, FT_CONTEXT_SCAN).  An entry
 * gone since is no change to it: a gone test file cannot run (its test is
 * selected by its own read of it, and the runner's format leaves it out),
 * and any other entry's going changes no file a test reads, since each
 * test reads what it loads itself.  A new entry is the news step's (the
 * row's list_here), a changed type a change. */
static const struct ft_reader runner_scan = {
	.id = FT_READER_SCAN,
	.name = "runner-scan",
	.type_name = "scanned-type",
	.flags = FT_READER_GONE_TYPE,
};

const struct ft_reader *const ft_runner_scan_readers[] = { &runner_scan, NULL };
const struct ft_reader *const ft_jest_readers[] = { &runner_scan, &ft_jest_snapshots_reader, NULL };

/* What a test made as a file without asking first (fopen "w", a rename
 * over it), a regular file at ingest (ingest/ft_ingest.c, made_file): the
 * making fails where something other than a file is now, and a file gone
 * since is made again, no change (a dangling symlink, which `stat` finds
 * gone too, is a change: selector/select.c, gone_type_neutral).  Every runner's, and a generic
 * command's: the core's own, not a row's. */
static const struct ft_reader made = {
	.id = FT_READER_MADE,
	.name = "made",
	.type_name = "made-type",
	.flags = FT_READER_GONE_TYPE,
};

static const struct ft_reader *const core_readers[] = { &made, NULL };

const struct ft_reader *ft_readers_find(int id)
{
	if (id <= 0)
		return NULL;
	for (size_t i = 0; core_readers[i]; i++)
		if (core_readers[i]->id == id)
			return core_readers[i];
	for (size_t i = 0; ft_runners[i]; i++) {
		const struct ft_reader *const *r = ft_runners[i]->readers;
		for (; r && *r; r++)
			if ((*r)->id == id)
				return *r;
	}
	return NULL;
}

const char *ft_readers_kind_name(int code)
{
	static char buf[32];
	int base = ft_dep_base(code), id = ft_dep_reader(code);
	const struct ft_reader *r;

	if (!id || !ft_dep_valid(code))
		return ft_dep_kind_name((enum ft_dep_kind)code);
	r = ft_readers_find(id);
	if (r && base == FT_DEP_LIST && r->list_name)
		return r->list_name;
	if (r && base == FT_DEP_TYPE && r->type_name)
		return r->type_name;
	if (r && base == FT_DEP_FILE && r->file_name)
		return r->file_name;
	snprintf(buf, sizeof(buf), "%s (reader %d)", ft_dep_kind_name((enum ft_dep_kind)base), id);
	return buf;
}
