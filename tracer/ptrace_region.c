/*
 * ptrace_region.c - what a traced tree writes: one region for the whole
 * tree, in which a CONTEXT record precedes every record whose test differs
 * from the previous record's (the reader keeps one current context per
 * region, ft_record.h), accesses deduplicated per (test, path, class,
 * errno), and at most one UNTRACED mark per test.  Buffered in memory
 * (ft_recwrite) and written once, when the last tracee is gone.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptrace_int.h"

static void warn(const struct ft_ptrace *pt, const char *why)
{
	fprintf(stderr,
		"ftrace: warning: cannot trace '%s' with ptrace (%s); its test is untraced and "
		"will always be selected\n",
		pt->program, why);
}

void ft__ptrace_note(struct ft__ptracer *tr, int rc)
{
	if (rc < 0 && !tr->rc)
		tr->rc = rc;
}

int ft__ptrace_ctx_intern(struct ft__ptracer *tr, const char *id, size_t len)
{
	struct ft__ptrace_ctx *n;

	for (size_t i = 0; i < tr->nctx; i++)
		if (strlen(tr->ctx[i].id) == len && !memcmp(tr->ctx[i].id, id, len))
			return (int)i;
	n = realloc(tr->ctx, (tr->nctx + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	tr->ctx = n;
	n[tr->nctx].id = strndup(id, len);
	n[tr->nctx].untraced = 0;
	if (!n[tr->nctx].id)
		return -ENOMEM;
	return (int)tr->nctx++;
}

/* Make `ctx` the region's current context before a record of it. */
void ft__ptrace_ctx_switch(struct ft__ptracer *tr, int ctx, enum ft_rec_type type)
{
	const char *id = tr->ctx[ctx].id;

	if (tr->cur == ctx && type == FT_REC_CONTEXT)
		return;
	ft__ptrace_note(tr, ft_recwrite_add(&tr->w, (uint8_t)type, 0, 0, 0, id, strlen(id)));
	tr->cur = ctx;
}

/* Mark context `ctx` untraced, once: ingest turns that into "always select". */
void ft__ptrace_untraced(struct ft__ptracer *tr, int ctx, enum ft_untraced_why why, const char *msg)
{
	const char *p = tr->pt->program;

	if (!tr->nctx)
		return; /* out of memory before the first context: the run fails */
	if (ctx < 0)
		ctx = 0;
	if (tr->ctx[ctx].untraced)
		return;
	tr->ctx[ctx].untraced = 1;
	if (msg)
		warn(tr->pt, msg);
	ft__ptrace_ctx_switch(tr, ctx, FT_REC_CONTEXT);
	ft__ptrace_note(tr, ft_recwrite_add(&tr->w, FT_REC_UNTRACED, 0, 0, (uint32_t)why, p, strlen(p)));
}

void ft__ptrace_emit(struct ft__ptracer *tr, int ctx, enum ft_op op, uint32_t cls, long n, const char *p,
		 int err)
{
	int r;

	if (n < 0) {
		/* Not nameable.  A call that failed because of the name (too
		 * long, bad fd, bad address) touched nothing; anything else is
		 * a dependency we cannot write down (preload/record.c, same rule). */
		if (err != ENAMETOOLONG && err != EBADF && err != EFAULT)
			ft__ptrace_untraced(tr, ctx, FT_UNTRACED_UNKNOWN, "a path it used could not be named");
		return;
	}
	if (!n)
		return;
	r = ft_ptrace_seen_add(&tr->seen, (uint32_t)ctx, cls, err, p, (size_t)n);
	if (r > 0) {
		ft__ptrace_ctx_switch(tr, ctx, FT_REC_CONTEXT);
		r = ft_recwrite_add(&tr->w, FT_REC_ACCESS, (uint8_t)op, (uint8_t)(err < 256 ? err : 255),
				    cls, p, (size_t)n);
	}
	ft__ptrace_note(tr, r);
}

int ft__ptrace_save(struct ft__ptracer *tr, pid_t pid)
{
	char name[64];

	snprintf(name, sizeof(name), "ptrace-%d", (int)pid);
	return ft_recwrite_save(&tr->w, tr->pt->run_dir, name);
}
