/*
 * ft_ptree.c - see ft_ptree.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_map.h"
#include "ft_ptree.h"
#include "ft_reclog.h"
#include "ft_record.h"

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t ncap;
	void *np;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 64;
	while (ncap < need)
		ncap *= 2;
	np = realloc(*p, ncap * elem);
	if (!np)
		return -ENOMEM;
	*p = np;
	*cap = ncap;
	return 0;
}

/* argv as NUL-terminated strings in `len` bytes -> a NULL-terminated
 * vector; the strings are copied into one block that argv[0] points at. */
static char **split_argv(const char *s, size_t len, int *argc)
{
	size_t n = 0;
	char *copy, **v;

	for (size_t i = 0; i < len; i++)
		n += s[i] == '\0';
	if (len && s[len - 1] != '\0')
		n++;
	v = calloc(n + 1, sizeof(*v));
	copy = malloc(len + 1);
	if (!v || !copy) {
		free(v);
		free(copy);
		return NULL;
	}
	memcpy(copy, s, len);
	copy[len] = '\0';
	for (size_t i = 0, k = 0; k < n; k++) {
		v[k] = copy + i;
		i += strlen(copy + i) + 1;
	}
	if (!n)
		free(copy);
	*argc = (int)n;
	return v;
}

long ft_ptree_add(struct ft_ptree *t, const char *file, int32_t pid, int32_t ppid,
		  uint32_t seq, uint64_t start_ns, uint32_t backend, const char *exe, const char *argv,
		  size_t argv_len, int argv_cut)
{
	struct ft_ptree_proc *p;

	if (grow((void **)&t->procs, &t->cap, t->n + 1, sizeof(*t->procs)) < 0)
		return -ENOMEM;
	p = &t->procs[t->n];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->ppid = ppid;
	p->seq = seq;
	p->start_ns = start_ns;
	p->backend = backend;
	p->parent = FT_PTREE_NONE;
	p->test = -1;
	p->argv_cut = argv_cut;
	p->file = strdup(file);
	if (!p->file)
		return -ENOMEM;
	if (exe && !(p->exe = strdup(exe))) {
		free(p->file);
		return -ENOMEM;
	}
	if (argv && !(p->argv = split_argv(argv, argv_len, &p->argc))) {
		free(p->file);
		free(p->exe);
		return -ENOMEM;
	}
	return (long)t->n++;
}

/* `ftrace __ptrace-exec PROGRAM -- ARGV...` (tracer/ft_ptexec.h) stands
 * for PROGRAM run as ARGV: the runner rules see the program it runs. */
static int ptexec_unwrap(struct ft_ptree_proc *p, const char *args, size_t len)
{
	size_t off;
	char *exe, **argv;
	int argc;

	if (p->argc < 5 || strcmp(p->argv[1], FT_PTEXEC_CMD) || strcmp(p->argv[3], "--"))
		return 0;
	off = (size_t)(p->argv[4] - p->argv[0]);
	if (!(exe = strdup(p->argv[2])))
		return -ENOMEM;
	if (!(argv = split_argv(args + off, len - off, &argc))) {
		free(exe);
		return -ENOMEM;
	}
	free(p->argv[0]);
	free(p->argv);
	free(p->exe);
	p->argv = argv;
	p->argc = argc;
	p->exe = exe;
	p->ptexec = 1;
	return 0;
}

struct build {
	struct ft_ptree *t;
	char last[4096];
	int rc;
};

static int on_record(void *arg, const struct ft_reclog_region *reg, const struct ft_record *r)
{
	struct build *b = arg;
	struct ft_ptree_proc *p;
	size_t exe;
	long i;

	if (strcmp(b->last, reg->file)) {
		snprintf(b->last, sizeof(b->last), "%s", reg->file);
		i = ft_ptree_add(b->t, reg->file, reg->hdr->pid, reg->hdr->ppid, reg->hdr->seq,
				 reg->hdr->start_ns, reg->hdr->backend, NULL, NULL, 0, 0);
		if (i < 0)
			goto fail;
		b->t->procs[i].first_ns = r->t_ns;
	}
	if (r->type == FT_REC_EXIT && r->len == sizeof(struct ft_rec_exit)) {
		struct ft_rec_exit e;
		memcpy(&e, r->data, sizeof(e));
		if (ft_ptree_add_exit(b->t, reg->file, r->flags, e.pid, e.wstatus, r->t_ns) < 0)
			goto fail;
		return 0;
	}
	if (r->type != FT_REC_PROC)
		return 0;
	p = &b->t->procs[b->t->n - 1];
	if (p->exe)
		return 0;         /* one per image; keep the first */
	exe = strnlen(r->data, r->len);
	if (!(p->exe = strndup(r->data, exe)))
		goto fail;
	if ((r->flags & FT_PROC_ARGV) && exe < r->len) {
		p->argv_cut = (r->flags & FT_PROC_ARGV_TRUNC) != 0;
		if (!(p->argv = split_argv(r->data + exe + 1, r->len - exe - 1, &p->argc)))
			goto fail;
		/* FT_PROC_CWD (both back ends): the last string is the cwd, not
		 * an argument */
		size_t alen = r->len - exe - 1;
		if ((r->flags & FT_PROC_CWD) && p->argc > 0) {
			if (!(p->cwd = strdup(p->argv[p->argc - 1])))
				goto fail;
			alen -= strlen(p->cwd) + 1;
			if (p->argc == 1)
				free(p->argv[0]); /* the strings' block */
			p->argv[--p->argc] = NULL;
		}
		if (ptexec_unwrap(p, r->data + exe + 1, alen) < 0)
			goto fail;
	}
	return 0;
fail:
	b->rc = -ENOMEM;
	return 1;
}

int ft_ptree_build(struct ft_ptree *t, const char *run_dir)
{
	struct build b = { .t = t, .last = "", .rc = 0 };
	struct ft_reclog_stats st = { 0 };
	int rc = ft_reclog_each(run_dir, on_record, &b, &st);

	if (b.rc < 0)
		return b.rc;
	if (rc < 0)
		return rc;
	ft_ptree_link(t);
	return 0;
}

/* start time, then pid, then seq: a continued region follows its first */
static int proc_cmp(const void *a, const void *b)
{
	const struct ft_ptree_proc *x = a, *y = b;

	if (x->start_ns != y->start_ns)
		return x->start_ns < y->start_ns ? -1 : 1;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/*
 * The image that region i continues: a region with no FT_REC_PROC that
 * follows one of the same pid is the same image's next region (it filled
 * the one before), never an exec.  The case that broke: npm's node filled
 * three small regions, a `node --test` child forked after the second was
 * given the continuation as its parent, which has no argv, so npm's
 * status was no longer known to be the test's and every test was stored
 * failed.
 */
static size_t image_of(const struct ft_ptree *t, size_t i)
{
	while (!t->procs[i].exe && t->procs[i].seq > 0 && t->procs[i].parent != FT_PTREE_NONE &&
	       t->procs[t->procs[i].parent].pid == t->procs[i].pid)
		i = t->procs[i].parent;
	return i;
}

/*
 * Parents, in start order.  An exec keeps the pid and the ppid and starts a
 * new region, so a same-pid, same-ppid predecessor is the same process
 * (`sh -c 'exec t_alpha'`: t_alpha is the sh's process and its test).  A
 * fork child's first region has the parent's pid as its ppid; of several
 * regions of that pid (a pid reused, or exec'd again) the latest that
 * started no later than the child is the one that forked it.
 */
void ft_ptree_link(struct ft_ptree *t)
{
	struct ft_map latest = FT_MAP_INIT; /* pid -> its latest image so far */
	size_t *last = NULL;
	int ok;

	if (t->n > 1)
		qsort(t->procs, t->n, sizeof(*t->procs), proc_cmp);
	free(t->index);
	t->index = NULL;
	ft_map_release(&t->files);
	last = calloc(t->n + 1, sizeof(*last));
	ok = last != NULL;
	for (size_t i = 0; i < t->n; i++) {
		struct ft_ptree_proc *p = &t->procs[i];
		uint32_t slot = 0, v;
		int added = 0;

		p->parent = FT_PTREE_NONE;
		if (!ok)
			continue;
		if (ft_map_get(&latest, &p->ppid, sizeof(p->ppid), &v))
			p->parent = image_of(t, last[v]);
		if (ft_map_get(&latest, &p->pid, sizeof(p->pid), &v) &&
		    t->procs[last[v]].ppid == p->ppid)
			p->parent = last[v];
		if (ft_map_intern(&latest, &p->pid, sizeof(p->pid), &slot, &added) < 0) {
			ok = 0;
			continue;
		}
		last[slot] = i;
	}
	/* region file -> image, for ingest's lookups: a continued region's
	 * records are its image's (its exe, argv, cwd and test) */
	for (size_t i = 0; ok && i < t->n; i++) {
		uint32_t v;
		if (ft_map_intern(&t->files, t->procs[i].file, strlen(t->procs[i].file), &v, NULL) < 0)
			ok = 0;
	}
	if (ok && (t->index = malloc((t->n + 1) * sizeof(*t->index)))) {
		for (size_t i = 0; i < t->n; i++) {
			uint32_t v;
			ft_map_get(&t->files, t->procs[i].file, strlen(t->procs[i].file), &v);
			t->index[v] = image_of(t, i);
		}
	}
	if (!ok)
		ft_map_release(&t->files);
	free(last);
	ft_map_release(&latest);
	ft__ptree_exits_bind(t);
	/* out of memory: the parents stay unknown (every image its own root)
	 * and lookups fall back to a scan; nothing is attributed wrongly, the
	 * runner's children just stay in the prelude */
}

size_t ft_ptree_proc_head(const struct ft_ptree *t, size_t i)
{
	while (t->procs[i].parent != FT_PTREE_NONE &&
	       t->procs[t->procs[i].parent].pid == t->procs[i].pid)
		i = t->procs[i].parent;
	return i;
}

long ft_ptree_test(struct ft_ptree *t, const char *id, const char *runner)
{
	for (size_t i = 0; i < t->ntests; i++)
		if (!strcmp(t->tests[i].id, id))
			return (long)i;
	if (grow((void **)&t->tests, &t->tests_cap, t->ntests + 1, sizeof(*t->tests)) < 0)
		return -ENOMEM;
	if (!(t->tests[t->ntests].id = strdup(id)))
		return -ENOMEM;
	t->tests[t->ntests].runner = runner;
	t->tests[t->ntests].outcome = FT_OUTCOME_UNKNOWN;
	t->tests[t->ntests].tree_outcome = 0;
	t->tests[t->ntests].guessed = 0;
	t->tests[t->ntests].own_ns = -1;
	t->tests[t->ntests].partial = 0;
	t->tests[t->ntests].untold = 0;
	return (long)t->ntests++;
}

void ft_ptree_inherit(struct ft_ptree *t)
{
	/* parents come first in start order, so one pass suffices */
	for (size_t i = 0; i < t->n; i++)
		if (t->procs[i].test < 0 && t->procs[i].parent != FT_PTREE_NONE)
			t->procs[i].test = t->procs[t->procs[i].parent].test;
}

const struct ft_ptree_proc *ft_ptree_proc_of(const struct ft_ptree *t, const char *file)
{
	uint32_t v;

	if (t->index)
		return ft_map_get(&t->files, file, strlen(file), &v) ? &t->procs[t->index[v]] : NULL;
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->procs[i].file, file))
			return &t->procs[image_of(t, i)];
	return NULL;
}

const struct ft_ptree_test *ft_ptree_test_of(const struct ft_ptree *t, const char *file)
{
	const struct ft_ptree_proc *p = ft_ptree_proc_of(t, file);
	return p && p->test >= 0 ? &t->tests[p->test] : NULL;
}

int ft_ptree_is_own_file(const struct ft_ptree *t, const char *p, size_t len)
{
	uint32_t v;

	return t && ft_map_get(&t->own_files, p, len, &v);
}

int ft_ptree_is_target_dir(const struct ft_ptree *t, const char *p, size_t len)
{
	uint32_t v;

	return t && ft_map_get(&t->target_dirs, p, len, &v);
}

int ft_ptree_is_test_src(const struct ft_ptree *t, const char *p, size_t len)
{
	uint32_t v;

	return t && t->test_srcs && ft_map_get(t->test_srcs, p, len, &v);
}

void ft_ptree_release(struct ft_ptree *t)
{
	ft_map_release(&t->own_files);
	ft_map_release(&t->target_dirs);
	for (size_t i = 0; i < t->n; i++) {
		free(t->procs[i].file);
		free(t->procs[i].exe);
		free(t->procs[i].cwd);
		if (t->procs[i].argv)
			free(t->procs[i].argc ? t->procs[i].argv[0] : NULL);
		free(t->procs[i].argv);
	}
	for (size_t i = 0; i < t->ntests; i++)
		free(t->tests[i].id);
	free(t->procs);
	free(t->tests);
	free(t->exits);
	for (size_t i = 0; i < sizeof(t->bookkeeping) / sizeof(t->bookkeeping[0]); i++)
		free(t->bookkeeping[i]);
	if (t->test_srcs)
		ft_map_release(t->test_srcs);
	free(t->test_srcs);
	ft_map_release(&t->build_srcs);
	free(t->index);
	ft_map_release(&t->files);
	memset(t, 0, sizeof(*t));
}
