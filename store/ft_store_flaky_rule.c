/*
 * ft_store_flaky_rule.c - ft_store_flaky_path_same(): did two recordings
 * of a test see one path in the same states (ft_store_flaky.h)?  Pure: the
 * store's query hands it the states of each path both recordings saw whose
 * states differ (ft_store_flaky.c).
 *
 * Why a content or a listing only one side has is no difference, when both
 * saw the path as the same type: the case that broke (issue 27, t6115).  A
 * go test recorded with a cold build cache reads every file of each
 * standard package it builds (the go command indexes their build
 * constraints and imports into its cache); recorded warm, the go command
 * reads the index and only stats those files, as the go command's own
 * image, whose stats are "exists, of this type" (FT_DEP_TYPE).  So 1921
 * GOROOT files were (FILE, TYPE) on one side, TYPE on the other, and a
 * flip between a cold and a warm recording was never learned.
 *
 * The argument, as for a path only one recording saw: the recording
 * without the content state never read the file (a test process's stat of
 * a regular file is a FILE state too, docs/internals.md), so its outcome
 * did not come from that content, and the two recordings saw the path
 * exist with the same type and permission bits (a FILE value is seeded
 * with them, a TYPE is the mode: neither can hide an appearance, a
 * removal, a chmod).  What the recording without it used instead is a
 * cache keyed by what it did observe (go's index, a content-addressed
 * build cache): the same trust selection puts in those caches, which are
 * no dependency (docs/go.md, "Not dependencies").
 *
 * What stays a difference: a kind both saw with other values (the values
 * of one kind compared as sets), an ABSENT, LTYPE, LINK or TYPE only one
 * side has (they are what the other would contradict: a path absent on one
 * side and a file on the other, a link retargeted, a type seen through a
 * link on one side only), a content or listing without a TYPE both sides
 * have, and an UNKNOWN anywhere.
 *
 * A runner walk's TYPE (reader FT_READER_SCAN: the go command's own
 * stats, before 2026-11-29 plain TYPEs) is a TYPE here: the same stat's
 * mode, seen by the runner; a cold build's compile saw a GOROOT file's
 * plain TYPE where the warm one had only the walk's.  The collector's
 * entry stats (FT_READER_COLLECT) stay a kind of their own.
 */
#include <stddef.h>
#include <stdint.h>

#include "ft_record.h"
#include "ft_state.h"
#include "ft_store_flaky.h"

/* The kind compared: a runner walk's TYPE is a TYPE. */
static int kind_of(int kind)
{
	return kind == ft_dep_code(FT_DEP_TYPE, FT_READER_SCAN) ? FT_DEP_TYPE : kind;
}

static int has_kind(const struct ft_flaky_obs *s, size_t n, int kind)
{
	for (size_t i = 0; i < n; i++)
		if (kind_of(s[i].kind) == kind_of(kind))
			return 1;
	return 0;
}

static int has(const struct ft_flaky_obs *s, size_t n, int kind, uint64_t value)
{
	for (size_t i = 0; i < n; i++)
		if (kind_of(s[i].kind) == kind_of(kind) && s[i].value == value)
			return 1;
	return 0;
}

/* Do both sides hold the same values of `kind`? */
static int same_values(const struct ft_flaky_obs *a, size_t na, const struct ft_flaky_obs *b,
		       size_t nb, int kind)
{
	for (size_t i = 0; i < na; i++)
		if (kind_of(a[i].kind) == kind_of(kind) && !has(b, nb, kind, a[i].value))
			return 0;
	for (size_t i = 0; i < nb; i++)
		if (kind_of(b[i].kind) == kind_of(kind) && !has(a, na, kind, b[i].value))
			return 0;
	return 1;
}

/* A deeper look at a path that exists: its content or its listing. */
static int is_deeper_look(int kind)
{
	return ft_dep_base(kind) == FT_DEP_FILE || ft_dep_base(kind) == FT_DEP_LIST;
}

/* One side's states against the other's: -1 a difference, else *extra
 * set when `s` has a deeper look the other lacks and *anchor when both
 * have a TYPE kind (its values equal). */
static int check_side(const struct ft_flaky_obs *s, size_t ns, const struct ft_flaky_obs *o,
		      size_t no, int *extra, int *anchor)
{
	for (size_t i = 0; i < ns; i++) {
		int k = s[i].kind;

		if (ft_dep_base(k) == FT_DEP_UNKNOWN)
			return -1;
		if (has_kind(o, no, k)) {
			if (!same_values(s, ns, o, no, k))
				return -1;
			if (ft_dep_base(k) == FT_DEP_TYPE)
				*anchor = 1;
		} else if (is_deeper_look(k)) {
			*extra = 1;
		} else {
			return -1;
		}
	}
	return 0;
}

int ft_store_flaky_path_same(const struct ft_flaky_obs *a, size_t na, const struct ft_flaky_obs *b,
			     size_t nb)
{
	int extra = 0, anchor = 0;

	if (check_side(a, na, b, nb, &extra, &anchor) < 0 ||
	    check_side(b, nb, a, na, &extra, &anchor) < 0)
		return 0;
	return !extra || anchor;
}
