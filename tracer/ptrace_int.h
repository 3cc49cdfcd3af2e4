/*
 * ptrace_int.h - internals shared by the ptrace back end's files:
 * ptrace_tracer.c (the stop loop and the tracees) and ptrace_region.c (the
 * records a tree writes: contexts, dedup, untraced marks, the region file).
 * Not a public interface; see ptrace_tracer.h.
 */
#ifndef FT_PTRACE_INT_H
#define FT_PTRACE_INT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ft_record.h"
#include "ft_recwrite.h"
#include "ptrace_path.h"
#include "ptrace_sctab.h"
#include "ptrace_seen.h"
#include "ptrace_tracer.h"

#define FT__CTX_UNKNOWN (-1)

/* One traced thread, and the call it is in (between seccomp and exit stop). */
struct ft__ptracee {
	pid_t pid;
	int ctx;              /* index in tracer.ctx; FT__CTX_UNKNOWN until its parent's fork event */
	int held;             /* stopped at attach, waiting for its context */
	int owns;             /* it started test ctx (exec with a new FTRACE_TEST_ID) */
	int in_call;
	const struct ft_ptrace_sc *sc;
	enum ft_op op, op2;
	uint32_t cls, cls2;
	long n1, n2;          /* ptrace_path.h lengths: >0 path, 0 nothing, -1 unnamed */
	char *p1, *p2;        /* FT_PATH_MAX each */
	long exec_id;         /* execve: length of FTRACE_TEST_ID in exec_buf, -1 none, -2 unreadable */
	char *exec_buf;       /* FT_ID_MAX + 1 */
};

/* A test id the tree's records belong to; index 0 is the root's. */
struct ft__ptrace_ctx {
	char *id;
	int untraced;         /* an FT_REC_UNTRACED record was written for it */
};

struct ft__ptracer {
	struct ft_ptrace *pt;
	struct ft_ptrace_ignore ign;
	struct ft_recwrite w;
	struct ft_ptrace_seen seen;
	struct ft__ptracee *t;
	size_t nt, capt;
	struct ft__ptrace_ctx *ctx;
	size_t nctx;
	int cur;              /* context of the region's last record */
	int rc;               /* first internal error (ENOMEM) */
};

/* First internal error wins (tr->rc). */
void ft__ptrace_note(struct ft__ptracer *tr, int rc);

/* Index of test `id` in tr->ctx, added if new; -ENOMEM. */
int ft__ptrace_ctx_intern(struct ft__ptracer *tr, const char *id, size_t len);

/* Write a `type` record (CONTEXT, TEST_BEGIN) naming context `ctx`, unless
 * it is CONTEXT and `ctx` is already the region's current one. */
void ft__ptrace_ctx_switch(struct ft__ptracer *tr, int ctx, enum ft_rec_type type);

/* Mark context `ctx` untraced once (FT_REC_UNTRACED); `msg` non-NULL also
 * prints the one warning. */
void ft__ptrace_untraced(struct ft__ptracer *tr, int ctx, enum ft_untraced_why why, const char *msg);

/* Record an access of context `ctx`: n > 0 the path p, 0 nothing, < 0 a
 * path that could not be named (untraced unless the call failed because
 * of the name). */
void ft__ptrace_emit(struct ft__ptracer *tr, int ctx, enum ft_op op, uint32_t cls, long n,
		     const char *p, int err);

/* Write the region `<run dir>/r-ptrace-<pid>.rec`. */
int ft__ptrace_save(struct ft__ptracer *tr, pid_t pid);

#endif
