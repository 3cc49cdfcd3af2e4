/*
 * ft_kept.h - tests that may keep in memory what they read, for a later
 * test of the same process, with no state guard to say that they do not.
 *
 * A harness that runs several tests in one process (ftrace.h's
 * ftrace_test_begin, or the control path) lets a test keep what it read:
 * a configuration parsed once into a static, a cache filled on first use.
 * A later test then uses the kept value without reading the file, and a
 * change of the file changes its outcome.  Only a state guard that watched
 * the process can say which tests kept nothing (pytest's, through its side
 * file: ft_adapter_is_leaky).  Every other test whose process ran another
 * test too counts as leaky: what it saw (its subprocesses too) is every test's
 * (ft_ingest.c, note_leaked).  docs/internals.md, "Data a test keeps in
 * memory".
 *
 * Tests are grouped by the memory they ran in: the image (ft_ptree.h) that
 * wrote their TEST_BEGIN, taken back to the exec that made its memory.  A
 * fork child that did not exec (an image without a PROC record,
 * ft_record.h) shares its parent's memory as it was at the fork, so its
 * tests and its parent's are one group; an exec starts a group of its own.
 * A TEST_BEGIN whose image is not known groups by its pid.  A group whose
 * memory a runner that isolates its tests made (FT_POLICY_ISOLATES: jest,
 * or jest's worker) is left out, and so is a test alone in its group (one
 * begun by FTRACE_TEST_ID at its process's start, in a process that began
 * no other).
 * Errors: -ENOMEM.  `leaky` has one byte per context of `c`; bits are only
 * ever set.
 */
#ifndef FT_KEPT_H
#define FT_KEPT_H

#include <stdint.h>

struct ft_collect;
struct ft_ptree;
struct ft_adapter;

int ft_kept_unguarded(const struct ft_collect *c, const struct ft_ptree *t,
		      const struct ft_adapter *a, uint8_t *leaky);

#endif
