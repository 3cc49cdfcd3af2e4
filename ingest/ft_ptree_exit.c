/*
 * ft_ptree_exit.c - how each process of a run's tree ended: the
 * FT_REC_EXIT records (ft_record.h) tied to the processes that
 * ft_ptree_link rebuilt (the rules are in ft_ptree.h).
 *
 * A reap record names a pid, and a pid is not a process: a parent that
 * forks, reaps and forks again may get the same pid back.  So the record
 * goes to the child of that pid whose first record came last before the
 * reap (a child's records all precede its reap; a later child of the same
 * pid starts after the earlier one was reaped), and the status is that
 * image's process's.  The case that needs the second rule: child A (pid 7)
 * reaped, child B gets pid 7, writes nothing (a fork child that only
 * exits) and is reaped; B's reap would find A.  A reap of 7 between A's
 * last image's first record and B's reap says A was reaped already, so
 * B's status goes nowhere.  A B that did write a region has the same pid
 * and ppid as A: the tree takes it for an exec of A (ft_ptree.h), so both
 * reaps land on one process, and if they disagree neither is known.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ft_ptree.h"
#include "ft_record.h"

int ft_ptree_add_exit(struct ft_ptree *t, const char *file, uint32_t flags, int32_t pid,
		      int32_t wstatus, uint64_t t_ns)
{
	const char *own = NULL;
	struct ft_ptree_exit *e;

	/* the region's own copy of its name: stable across ft_ptree_link's sort */
	for (size_t i = t->n; i-- > 0 && !own;)
		if (!strcmp(t->procs[i].file, file))
			own = t->procs[i].file;
	if (!own)
		return 0; /* no such region: the record names nothing we know */
	if (t->nexits == t->exits_cap) {
		size_t nc = t->exits_cap ? 2 * t->exits_cap : 16;
		struct ft_ptree_exit *nv = realloc(t->exits, nc * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		t->exits = nv;
		t->exits_cap = nc;
	}
	e = &t->exits[t->nexits++];
	e->file = own;
	e->flags = flags;
	e->pid = pid;
	e->wstatus = wstatus;
	e->t_ns = t_ns;
	return 0;
}

/* Images by pid, then first record: where a reaped pid is found. */
static int image_cmp(const void *a, const void *b, void *arg)
{
	const struct ft_ptree *t = arg;
	const struct ft_ptree_proc *x = &t->procs[*(const size_t *)a], *y = &t->procs[*(const size_t *)b];

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->first_ns < y->first_ns ? -1 : x->first_ns > y->first_ns;
}

static void set_status(struct ft_ptree_proc *h, int wstatus)
{
	if (h->exit_known == 0) {
		h->exit_known = 1;
		h->wstatus = wstatus;
	} else if (h->exit_known == 1 && h->wstatus != wstatus) {
		h->exit_known = -1; /* two views disagree: trust neither */
	}
}

/* Reap records by pid, reaper's pid, then time (rpids[j]: the pid of
 * the process that holds exit j). */
struct reaps {
	const struct ft_ptree *t;
	const int32_t *rpids;
};

static int reap_cmp(const void *a, const void *b, void *arg)
{
	const struct reaps *rs = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	const struct ft_ptree_exit *x = &rs->t->exits[i], *y = &rs->t->exits[j];

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (rs->rpids[i] != rs->rpids[j])
		return rs->rpids[i] < rs->rpids[j] ? -1 : 1;
	return x->t_ns < y->t_ns ? -1 : x->t_ns > y->t_ns;
}

/* Another reap of `pid` by a process of pid `rpid`, after `from` and
 * before `to`?  ord: the nr reap records, sorted by reap_cmp. */
static int reaped_between(const struct reaps *rs, const size_t *ord, size_t nr, size_t self,
			  int32_t pid, int32_t rpid, uint64_t from, uint64_t to)
{
	size_t lo = 0, hi = nr;

	while (lo < hi) { /* the first (pid, rpid, t_ns > from) */
		size_t mid = lo + (hi - lo) / 2;
		const struct ft_ptree_exit *e = &rs->t->exits[ord[mid]];
		int32_t r = rs->rpids[ord[mid]];
		if (e->pid < pid || (e->pid == pid && (r < rpid || (r == rpid && e->t_ns <= from))))
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < nr; lo++) {
		const struct ft_ptree_exit *e = &rs->t->exits[ord[lo]];
		if (e->pid != pid || rs->rpids[ord[lo]] != rpid || e->t_ns >= to)
			return 0;
		if (ord[lo] != self)
			return 1;
	}
	return 0;
}

/* The image of pid e->pid, child of a process of pid rpid, whose first
 * record is the latest before the reap, or FT_PTREE_NONE. */
static size_t reaped_image(const struct ft_ptree *t, const size_t *imgs, size_t nh,
			   const struct ft_ptree_exit *e, int32_t rpid)
{
	size_t lo = 0, hi = nh, best = FT_PTREE_NONE;

	while (lo < hi) { /* the first head of pid >= e->pid */
		size_t mid = lo + (hi - lo) / 2;
		if (t->procs[imgs[mid]].pid < e->pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < nh && t->procs[imgs[lo]].pid == e->pid; lo++) {
		const struct ft_ptree_proc *p = &t->procs[imgs[lo]];
		if (p->ppid == rpid && p->first_ns && p->first_ns < e->t_ns)
			best = imgs[lo]; /* sorted by first record: the last one wins */
	}
	return best;
}

void ft__ptree_exits_bind(struct ft_ptree *t)
{
	size_t *imgs = NULL, *ord = NULL, nr = 0;
	int32_t *rpids = NULL;
	struct reaps rs = { t, NULL };

	for (size_t i = 0; i < t->n; i++) {
		t->procs[i].exit_known = 0;
		t->procs[i].wstatus = 0;
	}
	if (!t->nexits)
		return;
	imgs = malloc(t->n * sizeof(*imgs) + 1);
	rpids = malloc(t->nexits * sizeof(*rpids));
	ord = malloc(t->nexits * sizeof(*ord));
	if (!imgs || !rpids || !ord)
		goto out; /* out of memory: no status is known, which is sound */
	for (size_t i = 0; i < t->n; i++)
		imgs[i] = i;
	qsort_r(imgs, t->n, sizeof(*imgs), image_cmp, t);
	for (size_t j = 0; j < t->nexits; j++) {
		const struct ft_ptree_proc *r = ft_ptree_proc_of(t, t->exits[j].file);
		rpids[j] = r ? r->pid : 0;
		if (r && t->exits[j].flags == FT_EXIT_REAPED)
			ord[nr++] = j;
	}
	rs.rpids = rpids;
	qsort_r(ord, nr, sizeof(*ord), reap_cmp, &rs);
	for (size_t j = 0; j < t->nexits; j++) {
		const struct ft_ptree_exit *e = &t->exits[j];
		const struct ft_ptree_proc *r = ft_ptree_proc_of(t, e->file);
		size_t x;

		if (!r)
			continue;
		if (e->flags == FT_EXIT_SELF) {
			if (e->pid == r->pid)
				set_status(&t->procs[ft_ptree_proc_head(t, (size_t)(r - t->procs))],
					   e->wstatus);
			continue;
		}
		if (e->flags != FT_EXIT_REAPED || e->pid <= 0 ||
		    (x = reaped_image(t, imgs, t->n, e, r->pid)) == FT_PTREE_NONE)
			continue;
		if (reaped_between(&rs, ord, nr, j, e->pid, r->pid, t->procs[x].first_ns, e->t_ns))
			continue; /* the pid's later holder wrote no region: not x's */
		set_status(&t->procs[ft_ptree_proc_head(t, x)], e->wstatus);
	}
out:
	free(imgs);
	free(rpids);
	free(ord);
}

int ft_ptree_exit_of(const struct ft_ptree *t, size_t i, int *wstatus)
{
	const struct ft_ptree_proc *h = &t->procs[ft_ptree_proc_head(t, i)];

	if (h->exit_known != 1)
		return 0;
	*wstatus = h->wstatus;
	return 1;
}
