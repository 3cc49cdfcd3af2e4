/*
 * ft_reader.h - readers: who alone read a directory listing (or stat'ed
 * an entry of it), or a file, and what a change of it means to them.
 *
 * A FILE, LIST or TYPE dependency may carry a reader (store/ft_state.h,
 * ft_dep_code; the ids are common/ft_record.h's enum ft_reader_id, which
 * ingest takes from the context the records came in).  The core knows no
 * reader's meaning: a runner row declares its readers (struct
 * ft_runner_ops, `readers`), each with its rule, and selection asks the
 * rule through ft_readers_find.  A reader no row declares (a newer
 * database, a hostile one) has no rule: every change of its files,
 * listings and entries counts, as for anyone's (the sound default).
 *
 * A FILE's reader has no rule selection applies: a changed file is a
 * reason like anyone's (one per version a test saw, with the value it
 * saw: struct ft_reason.recorded), and the runner's own filter of the
 * complete selection may take a reason back where it proves the change is
 * none to the reader (pytest's config reader: python/ft_pyconf.h compares
 * the part of the file pytest reads).
 *
 * Rows and readers are constant.  Nothing here allocates, prints or fails.
 */
#ifndef FT_READER_H
#define FT_READER_H

/* One name added to or removed from a listing of the reader, since the
 * recording. */
struct ft_listing_change {
	const char *dir;       /* the directory listed (absolute) */
	const char *name;      /* the name added or removed */
	int added;             /* 1: there now, not then; 0: gone */
	const void *scope;     /* the declaring runner's view of the runs that
				* recorded in `dir` (pytest's: struct
				* ft_pytest_root, runners/ft_pytest_root.h), or
				* NULL: none, or `dir` is outside what the runs
				* collect (FT_READER_EVERYWHERE) */
};

enum ft_reader_flags {
	/* the rule holds outside the runner's collected directories too
	 * (scope NULL): Python's import system reads its listings wherever
	 * they are */
	FT_READER_EVERYWHERE = 1u << 0,
	/* an entry stat (a TYPE of this reader) whose entry is gone now is
	 * no change: the directory's listing of this reader says whether the
	 * name's going is one */
	FT_READER_GONE_TYPE = 1u << 1,
	/* the reader is the runner's collector: the new-test walk judges an
	 * added entry as the collector would (selector/newtests.c, added_entry) */
	FT_READER_COLLECTS = 1u << 2,
};

struct ft_reader {
	int id;                /* enum ft_reader_id: the stored number */
	const char *name;      /* "pytest-collect", "python-import" */
	const char *list_name; /* the LIST's name in explanations ("collected-list"), or NULL */
	const char *type_name; /* the TYPE's ("collected-type"), or NULL */
	const char *file_name; /* the FILE's ("pytest-config"), or NULL */
	unsigned flags;        /* enum ft_reader_flags */
	/* Is change `c` of a listing of this reader none to it (1), or does
	 * it count (0)?  NULL: every name counts. */
	int (*listing_neutral)(const struct ft_listing_change *c);
};

/* The runners' walk for test files (FT_READER_SCAN, "runner-scan"): the
 * readers of a row whose own stats are one (node, jest). */
extern const struct ft_reader *const ft_runner_scan_readers[];

/* jest's: the walk's (ft_runner_scan_readers) and its snapshot
 * directories' (runners/runner_jest_snapshots.c). */
extern const struct ft_reader ft_jest_snapshots_reader;
extern const struct ft_reader *const ft_jest_readers[];

/* The reader of id `id` a runner row declares, or NULL (no rule: every
 * change counts; also for id 0, anyone). */
const struct ft_reader *ft_readers_find(int id);

/* The name of kind code `code` in explanations: the plain kind's
 * (ft_dep_kind_name), a declared reader's list_name, type_name or
 * file_name, or "list (reader N)" / "type (reader N)" / "file (reader N)"
 * for one no row declares (a static buffer then: not thread-safe). */
const char *ft_readers_kind_name(int code);

/* Is change `c` none to reader `r` (NULL: never)?  1 or 0. */
static inline int ft_reader_neutral(const struct ft_reader *r, const struct ft_listing_change *c)
{
	return r && r->listing_neutral && r->listing_neutral(c) == 1;
}

#endif
