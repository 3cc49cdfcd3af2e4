/*
 * ft_adapter_env.c - where what a test that changed only environment
 * variables ran and saw goes (docs/python-functions.md, "A variable a test
 * set").
 *
 * A later test can see such a test L's leftovers only through the
 * environment: a read of one of L's variables (getenv in any process of
 * it, os.environ in Python), a read of the whole environment, or a program
 * it starts, which inherits the environment and may walk it without a
 * getenv that a hook sees (a shell expanding $NAME).  So those tests are
 * L's users, and get L's code and dependencies.  L is every test's
 * instead when the decision cannot rest on that: a context that is no
 * test (the prelude: collection, a shared fixture's setup, which hand
 * their results to every test) read one, read them all or started a
 * program after L began (its latest record of each is kept; before L
 * began, what it made of the variable is no work of L's); a user left
 * state behind itself, but for an lru_cache filler, whose own users
 * become L's users (through), or read one while a module was being
 * imported (a module body that read the variable keeps what it made,
 * and an import is no change to the guard); or L is a
 * user of another scoped test (that chain is not followed).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ft_adapter.h"
#include "ft_collect.h"
#include "ft_envdep.h"

struct envscope {
	struct ft_adapter *a;
	const struct ft_collect *c;
	uint8_t *wide;            /* by env_pending index */
	uint64_t *since;          /* by env_pending index: its test's first record
				   * (ft_ctxinfo.first_ns); 0: not known */
	struct ft_map via;        /* "L\0U": U, a user of pending L, is itself a
				   * scoped leaky test (an lru_cache filler) */
};

/* Context `ctx` read what pending test `p` left, at time `t` (its latest
 * such read): a user of it, if a test. */
static int user(struct envscope *s, uint32_t p, uint32_t ctx, uint64_t t)
{
	size_t llen, ulen, klen;
	const char *lid = ft_map_key(&s->a->env_pending, p, &llen);
	const char *uid = ft_map_key(&s->c->ctx_ids, ctx, &ulen);
	char key[8192];
	const char *k;
	uint32_t v;

	if (s->wide[p] || (ulen == llen && !memcmp(lid, uid, llen)))
		return 0;
	if (!s->c->ctx[ctx].is_test) {
		s->wide[p] |= t > s->since[p];
		return 0;
	}
	if (s->a->env_importers_unknown || ft_map_get(&s->a->env_importers, uid, ulen, &v) ||
	    !(k = ft_adapter_pair_key(key, sizeof(key), lid, llen, uid, ulen, &klen))) {
		s->wide[p] = 1;
		return 0;
	}
	/* a user that left state itself: only one whose change was in
	 * lru_cache wrappers, whose own users then get what it got (through) */
	if (ft_adapter_is_leaky(s->a, uid, ulen)) {
		int rc;
		if (!ft_adapter_leaky_scoped(s->a, uid, ulen)) {
			s->wide[p] = 1;
			return 0;
		}
		if ((rc = ft_map_intern(&s->via, k, klen, &v, NULL)) < 0)
			return rc;
	}
	return ft_adapter_user_add(s->a, lid, llen, uid, ulen);
}

/* The users of an lru_cache filler U that is a user of pending L are L's
 * users too: what they got of U's may be made of what U read of L's.
 * leaky_users lists U's users closed over the fillers' chains already
 * (the recorder's _users_of); one of them that left state of another
 * kind makes L every test's. */
static int through(struct envscope *s)
{
	struct ft_adapter *a = s->a;
	size_t n0 = a->leaky_users.count;
	struct ft_map fillers = FT_MAP_INIT;       /* U -> index into ls */
	struct ft_adapter_list *ls = NULL;         /* the pending L's U is a user of */
	int rc = 0;

	/* via holds "L\0U" pairs; index them by U, so that each of
	 * leaky_users' keys is one look-up, not a walk over every pair (a
	 * suite of many scoped tests has hundreds of thousands of users) */
	if (!(ls = calloc(s->via.count + 1, sizeof(*ls))))
		return -ENOMEM;
	for (uint32_t j = 0; rc >= 0 && j < s->via.count; j++) {
		size_t plen, llen;
		const char *lid = ft_map_key(&s->via, j, &plen), *lend = memchr(lid, '\0', plen);
		uint32_t u, p;
		if (!lend)
			continue;
		llen = (size_t)(lend - lid);
		if (!ft_map_get(&a->env_pending, lid, llen, &p))
			continue;
		if ((rc = ft_map_intern(&fillers, lend + 1, plen - llen - 1, &u, NULL)) >= 0)
			rc = ft_adapter_list_push(&ls[u], p);
	}
	for (size_t i = 0; rc >= 0 && i < n0; i++) {
		size_t vlen, ulen;
		const char *k, *vid;
		uint32_t u;
		/* U, a scoped leaky test, and V, a user of it */
		ft_adapter_user_pair(a, (uint32_t)i, &k, &ulen, &vid, &vlen);
		if (!ft_map_get(&fillers, k, ulen, &u))
			continue;
		/* each pending L that U is a user of */
		for (size_t j = 0; rc >= 0 && j < ls[u].n; j++) {
			uint32_t p = ls[u].v[j];
			size_t llen;
			const char *lid = ft_map_key(&a->env_pending, p, &llen);
			if (s->wide[p] || (vlen == llen && !memcmp(vid, lid, llen)))
				continue;
			if (ft_adapter_is_leaky(a, vid, vlen) && !ft_adapter_leaky_scoped(a, vid, vlen)) {
				s->wide[p] = 1;
				continue;
			}
			rc = ft_adapter_user_add(a, lid, llen, vid, vlen);
		}
	}
	for (size_t u = 0; u < fillers.count; u++)
		free(ls[u].v);
	free(ls);
	ft_map_release(&fillers);
	return rc;
}

/* Pending test `p` a user of some scoped test (its own code holds what
 * that one ran, its dependencies do not). */
static int a_user(const struct ft_adapter *a, uint32_t p)
{
	size_t llen, slen;
	const char *lid = ft_map_key(&a->env_pending, p, &llen);

	for (uint32_t i = 0; i < a->leaky_scoped.count; i++) {
		const char *sid = ft_map_key(&a->leaky_scoped, i, &slen);
		if (ft_adapter_leaky_user(a, sid, slen, lid, llen))
			return 1;
	}
	return 0;
}

int ft_adapter_env_scope(struct ft_adapter *a, const struct ft_collect *c)
{
	uint32_t np = (uint32_t)a->env_pending.count, nctx = (uint32_t)c->ctx_ids.count, v;
	struct envscope s = { .a = a, .c = c };
	struct ft_map names = FT_MAP_INIT;  /* NAME -> index into byname */
	struct ft_adapter_list *byname = NULL;
	uint64_t *all = NULL;               /* by context: when it last read every
					     * variable (a program it started); 0 never */
	int rc = 0;

	if (!np)
		return 0;
	if (!(s.wide = calloc(np, 1)) || !(s.since = calloc(np, sizeof(*s.since))) ||
	    !(all = calloc(nctx + 1, sizeof(*all))) ||
	    !(byname = calloc(a->leaky_env.count + 1, sizeof(*byname))))
		rc = -ENOMEM;
	for (uint32_t p = 0; rc >= 0 && p < np; p++) {
		size_t llen;
		const char *lid = ft_map_key(&a->env_pending, p, &llen);
		uint32_t ctx;
		if (ft_map_get(&c->ctx_ids, lid, llen, &ctx) && ctx < nctx)
			s.since[p] = c->ctx[ctx].first_ns;
	}
	/* NAME -> the pending tests that changed it */
	for (uint32_t i = 0; rc >= 0 && i < a->leaky_env.count; i++) {
		size_t klen;
		const char *k = ft_map_key(&a->leaky_env, i, &klen), *nm = memchr(k, '\0', klen);
		uint32_t p, n;
		if (!nm || !ft_map_get(&a->env_pending, k, (size_t)(nm - k), &p))
			continue;
		nm++;
		if ((rc = ft_map_intern(&names, nm, klen - (size_t)(nm - k), &n, NULL)) >= 0)
			rc = ft_adapter_list_push(&byname[n], p);
	}
	for (uint32_t ctx = 0; rc >= 0 && ctx < nctx; ctx++)
		all[ctx] = c->ctx[ctx].execed ? c->ctx[ctx].last_exec : 0;
	for (uint32_t i = 0; rc >= 0 && i < c->env_reads.count; i++) {
		uint32_t ctx, n;
		size_t len;
		const char *name = ft_collect_env_read(c, i, &ctx, &len);
		uint64_t t = ft_collect_env_last(c, i);
		if (ctx >= nctx)
			continue;
		if (len == 1 && name[0] == '=') {
			if (t > all[ctx])
				all[ctx] = t;
			continue;
		}
		if (ft_envdep_is_prefix(name, len)) {
			/* "P=": every variable whose name begins with P */
			for (uint32_t m = 0; rc >= 0 && m < names.count; m++) {
				size_t ml;
				const char *mn = ft_map_key(&names, m, &ml);
				if (ml < len - 1 || memcmp(mn, name, len - 1))
					continue;
				for (size_t j = 0; rc >= 0 && j < byname[m].n; j++)
					rc = user(&s, byname[m].v[j], ctx, t);
			}
			continue;
		}
		if (!ft_map_get(&names, name, len, &n))
			continue;
		for (size_t j = 0; rc >= 0 && j < byname[n].n; j++)
			rc = user(&s, byname[n].v[j], ctx, t);
	}
	for (uint32_t ctx = 0; rc >= 0 && ctx < nctx; ctx++) {
		for (uint32_t p = 0; rc >= 0 && all[ctx] && p < np; p++)
			rc = user(&s, p, ctx, all[ctx]);
	}
	if (rc >= 0 && s.via.count)
		rc = through(&s);
	for (uint32_t p = 0; rc >= 0 && p < np; p++) {
		size_t llen;
		const char *lid = ft_map_key(&a->env_pending, p, &llen);
		if (!s.wide[p] && a_user(a, p))
			s.wide[p] = 1;
		rc = ft_map_intern(s.wide[p] ? &a->leaky_wide : &a->leaky_scoped, lid, llen, &v, NULL);
	}
	for (size_t i = 0; byname && i < a->leaky_env.count; i++)
		free(byname[i].v);
	free(byname);
	free(all);
	free(s.since);
	free(s.wide);
	ft_map_release(&s.via);
	ft_map_release(&names);
	return rc;
}
