/*
 * ptrace_region.c - what a traced tree writes: one region per process image
 * (ptrace_int.h), in which a CONTEXT record precedes every record whose test
 * differs from the previous record's (the reader keeps one current context
 * per region, ft_record.h), accesses deduplicated per (image, test, path,
 * class, errno), and at most one UNTRACED mark per test.  Buffered in memory
 * (ft_recwrite) and written once, when the last tracee is gone.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ft_error.h"
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
	struct ft__ptrace_img *im = &tr->img[tr->im];

	if (im->cur == ctx && type == FT_REC_CONTEXT)
		return;
	ft__ptrace_note(tr, ft_recwrite_add(&im->w, (uint8_t)type, 0, 0, 0, id, strlen(id)));
	im->cur = ctx;
}

int ft__ptrace_img_new(struct ft__ptracer *tr, pid_t pid, pid_t ppid, int ctx)
{
	struct ft__ptrace_img *n = realloc(tr->img, (tr->nimg + 1) * sizeof(*n));
	struct timespec ts;
	uint64_t now;
	int saved = tr->im;

	if (!n)
		return -ENOMEM;
	tr->img = n;
	n = &tr->img[tr->nimg];
	memset(n, 0, sizeof(*n));
	n->pid = pid;
	n->ppid = ppid;
	n->cur = -1;
	n->w.backend = FT_BACKEND_PTRACE;
	n->w.pid = (int32_t)pid;
	n->w.ppid = (int32_t)ppid;
	/* Ingest orders images by start time: an exec's image must come after
	 * the one it replaces, a child's after its parent's. */
	clock_gettime(CLOCK_REALTIME, &ts);
	now = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	if (now <= tr->last_start)
		now = tr->last_start + 1;
	tr->last_start = n->start_ns = n->w.start_ns = now;
	tr->im = (int)tr->nimg++;
	ft__ptrace_ctx_switch(tr, ctx < 0 ? 0 : ctx, FT_REC_CONTEXT); /* a region starts with its context */
	tr->im = saved < 0 ? tr->im : saved;
	return (int)tr->nimg - 1;
}

/* Read /proc/PID/<name> into buf (at most cap bytes); returns the length or -1. */
static ssize_t proc_read(pid_t pid, const char *name, char *buf, size_t cap)
{
	char path[64];
	ssize_t got = 0, m;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((size_t)got < cap && (m = read(fd, buf + got, cap - (size_t)got)) > 0)
		got += m;
	close(fd);
	return got;
}

/* FT_REC_PROC as the preload writes it (preload/libs.c): the executable, a
 * NUL, the argv (each argument NUL-terminated, FT_ARGV_MAX bytes at most,
 * FT_PROC_ARGV_TRUNC when cut), then the cwd (FT_PROC_CWD): go test runs
 * each test binary in its package's directory, which names the test. */
void ft__ptrace_img_proc(struct ft__ptracer *tr, int im, pid_t pid)
{
	char *buf = malloc(FT_PATH_MAX + 1), path[64];
	uint32_t flags = FT_PROC_ARGV;
	ssize_t n, a, c;
	size_t len;
	int saved = tr->im;

	if (!buf) {
		ft__ptrace_note(tr, -ENOMEM);
		return;
	}
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	n = readlink(path, buf, 4095);
	if (n < 0)
		n = 0;
	buf[n++] = '\0';
	a = proc_read(pid, "cmdline", buf + n, FT_ARGV_MAX + 1);
	if (a < 0)
		a = 0;
	if ((size_t)a > FT_ARGV_MAX) {
		/* cut at the last whole argument */
		a = FT_ARGV_MAX;
		while (a > 0 && buf[n + a - 1] != '\0')
			a--;
		flags |= FT_PROC_ARGV_TRUNC;
	}
	if (a > 0 && buf[n + a - 1] != '\0')
		buf[n + a++] = '\0';
	len = (size_t)(n + a);
	snprintf(path, sizeof(path), "/proc/%d/cwd", (int)pid);
	c = readlink(path, buf + len, FT_PATH_MAX - len - 1);
	if (c > 0 && (size_t)c < FT_PATH_MAX - len - 1) {
		buf[len + (size_t)c] = '\0';
		len += (size_t)c + 1;
		flags |= FT_PROC_CWD;
	}
	tr->im = im;
	ft__ptrace_note(tr, ft_recwrite_add(&tr->img[im].w, FT_REC_PROC, FT_OP__NONE, 0, flags, buf, len));
	tr->im = saved;
	free(buf);
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
	ft__ptrace_note(tr, ft_recwrite_add(&tr->img[tr->im].w, FT_REC_UNTRACED, 0, 0, (uint32_t)why, p,
					    strlen(p)));
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
	/* a link's two records are paired by ingest (ft_record.h): neither is
	 * left out as seen before */
	r = op == FT_OP_LINK_SRC || op == FT_OP_LINK_DST ? 1 :
	    ft_ptrace_seen_add(&tr->img[tr->im].seen, (uint32_t)ctx, cls, err, p, (size_t)n);
	if (r > 0) {
		ft__ptrace_ctx_switch(tr, ctx, FT_REC_CONTEXT);
		r = ft_recwrite_add(&tr->img[tr->im].w, FT_REC_ACCESS, (uint8_t)op, (uint8_t)(err < 256 ? err : 255),
				    cls, p, (size_t)n);
	}
	ft__ptrace_note(tr, r);
}

int ft__ptrace_save(struct ft__ptracer *tr)
{
	char name[64];
	int rc = 0;

	/* A region that cannot be written (a full disk) never changes what
	 * the traced program did: it is marked lost, and ingest counts the
	 * run as damaged.  Only a name too long is an error. */
	for (size_t i = 0; i < tr->nimg && rc >= 0; i++) {
		snprintf(name, sizeof(name), "ptrace-%d-%zu", (int)tr->img[i].pid, i);
		rc = ft_recwrite_save(&tr->img[i].w, tr->pt->run_dir, name);
		if (rc < 0 && rc > -FT_E__BASE) {
			ft_recwrite_mark_lost(tr->pt->run_dir, (int)tr->img[i].pid, -rc);
			rc = 0;
		}
	}
	return rc;
}

void ft__ptrace_img_release(struct ft__ptracer *tr)
{
	for (size_t i = 0; i < tr->nimg; i++) {
		ft_recwrite_release(&tr->img[i].w);
		ft_ptrace_seen_release(&tr->img[i].seen);
	}
	free(tr->img);
	tr->img = NULL;
	tr->nimg = 0;
}
