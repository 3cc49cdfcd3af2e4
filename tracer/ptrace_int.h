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
#include "ft_sctab.h"
#include "ptrace_seen.h"
#include "ptrace_tracer.h"
#include "ptrace_trust.h"

#define FT__CTX_UNKNOWN (-1)

/* One traced thread, and the call it is in (between seccomp and exit stop). */
struct ft__ptracee {
	pid_t pid;
	int ctx;              /* index in tracer.ctx; FT__CTX_UNKNOWN until its parent's fork event */
	int img;              /* index in tracer.img of its process's current image; -1 none yet */
	int held;             /* stopped at attach, waiting for its context */
	int owns;             /* it started test ctx (exec with a new FTRACE_TEST_ID) */
	int in_call;
	const struct ft_sc *sc;
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

/*
 * One process image (a fork child before it execs, or what an exec started),
 * written as a region of its own, `r-ptrace-<pid>-<k>.rec`, whose header has
 * its pid, parent pid and start time: ingest rebuilds the process tree from
 * region headers (ft_ptree.h), as it does for the preload's regions, and the
 * runner rules (ft_runner.h) see each image's argv in its FT_REC_PROC.
 * Threads write into their process's image.
 */
struct ft__ptrace_img {
	pid_t pid, ppid;
	uint64_t start_ns;    /* CLOCK_REALTIME, strictly increasing over the tree */
	struct ft_recwrite w;
	struct ft_ptrace_seen seen;   /* dedup is per image: a path read by go and by
				       * a test binary must be in both regions */
	int cur;              /* context of this region's last record, -1 none */
	int preloaded;        /* our preload library records this image itself
				 * (it made its region file): only its execs are
				 * decoded here (docs/ptrace.md) */
	struct ft_ptrace_trust trust; /* while preloaded: the code whose calls
				       * the preload sees; a call from any other
				       * code is decoded here all the same */
	int gotest;           /* a Go test binary: its test log is read when
			       * it ends (ptrace_goenv.c) */
};

struct ft__ptracer {
	struct ft_ptrace *pt;
	struct ft_ptrace_ignore ign;
	struct ft__ptracee *t;
	size_t nt, capt;
	struct ft__ptrace_ctx *ctx;
	size_t nctx;
	struct ft__ptrace_img *img;
	size_t nimg;
	int im;               /* the image records go to now (the current tracee's) */
	uint64_t last_start;
	int rc;               /* first internal error (ENOMEM) */
};

/* A new image of process `pid` (parent process `ppid`) whose region starts
 * with context `ctx`.  Returns its index or -ENOMEM. */
int ft__ptrace_img_new(struct ft__ptracer *tr, pid_t pid, pid_t ppid, int ctx);

/* Write FT_REC_PROC (executable, argv, cwd from /proc/PID) into image `im`. */
void ft__ptrace_img_proc(struct ft__ptracer *tr, int im, pid_t pid);

/* Go's environment reads (ptrace_goenv.c, docs/go.md): at a successful
 * exec of `path` into image `im` (the go command's variables; a test
 * binary is marked), and when image `im`'s process ends (a test binary's
 * test log).  Records in context `ctx`. */
void ft__ptrace_go_exec(struct ft__ptracer *tr, int im, int ctx, const char *path);
void ft__ptrace_go_gone(struct ft__ptracer *tr, int im, int ctx);

/* First internal error wins (tr->rc). */
void ft__ptrace_note(struct ft__ptracer *tr, int rc);

/* Index of test `id` in tr->ctx, added if new; -ENOMEM. */
int ft__ptrace_ctx_intern(struct ft__ptracer *tr, const char *id, size_t len);

/* Write a `type` record (CONTEXT, TEST_BEGIN) naming context `ctx` into the
 * current image (tr->im), unless it is CONTEXT and `ctx` is already that
 * region's current one.  The functions below write into tr->im too. */
void ft__ptrace_ctx_switch(struct ft__ptracer *tr, int ctx, enum ft_rec_type type);

/* Mark context `ctx` untraced once (FT_REC_UNTRACED); `msg` non-NULL also
 * prints the one warning. */
void ft__ptrace_untraced(struct ft__ptracer *tr, int ctx, enum ft_untraced_why why, const char *msg);

/* Record an access of context `ctx`: n > 0 the path p, 0 nothing, < 0 a
 * path that could not be named (untraced unless the call failed because
 * of the name). */
void ft__ptrace_emit(struct ft__ptracer *tr, int ctx, enum ft_op op, uint32_t cls, long n,
		     const char *p, int err);

/* Write every image's region, `<run dir>/r-ptrace-<pid>-<k>.rec`. */
int ft__ptrace_save(struct ft__ptracer *tr);

/* Free the images. */
void ft__ptrace_img_release(struct ft__ptracer *tr);

#endif
