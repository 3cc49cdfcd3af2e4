/*
 * ft_bundle_merge.c - combining shard bundles: see ft_bundle.h.
 *
 * Shards of one suite recorded on several machines share most of what
 * they read (the interpreter, the prelude, the library code): paths and
 * sets are interned by content, so the merged bundle is about the size
 * of one unsharded recording, not the sum of the shards.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ft_bundle.h"
#include "ft_error.h"
#include "ft_map.h"
#include "ft_vec.h"

struct mg {
	struct ft_bundle *out;
	struct ft_map paths, sets, tests, listings, flaky, pyfps, pyconf;
	uint32_t **pmap, **smap, **rmap;  /* per input: index there -> index in out (+1; 0 none) */
};

static int path_of(struct mg *m, const struct ft_bundle *b, size_t k, uint32_t i, uint32_t *o)
{
	const struct ft_bundle_path *p = &b->paths[i];
	char *key;
	int added, rc;

	if (i == FT_BUNDLE_NONE) {
		*o = FT_BUNDLE_NONE;
		return 0;
	}
	if (m->pmap[k][i]) {
		*o = m->pmap[k][i] - 1;
		return 0;
	}
	if (!(key = malloc((size_t)p->len + 1)))
		return -ENOMEM;
	key[0] = (char)p->flags;
	memcpy(key + 1, p->bytes, p->len);
	rc = ft_map_intern(&m->paths, key, (size_t)p->len + 1, o, &added);
	if (rc == 0 && added) {
		uint32_t got;
		rc = ft_bundle_add_path(m->out, p->bytes, p->len, p->flags, &got);
	}
	free(key);
	if (rc == 0)
		m->pmap[k][i] = *o + 1;
	return rc;
}

static int set_of(struct mg *m, const struct ft_bundle *b, size_t k, uint32_t i, uint32_t *o)
{
	const struct ft_bundle_set *s = &b->sets[i];
	struct ft_bundle_dep *deps;
	unsigned char *key;
	int added, rc = 0;

	if (m->smap[k][i]) {
		*o = m->smap[k][i] - 1;
		return 0;
	}
	deps = malloc((s->n ? s->n : 1) * sizeof(*deps));
	key = malloc((size_t)(s->n ? s->n : 1) * 13);
	if (!deps || !key) {
		rc = -ENOMEM;
		goto out;
	}
	for (uint32_t j = 0; j < s->n && rc == 0; j++) {
		deps[j] = s->deps[j];
		rc = path_of(m, b, k, s->deps[j].path, &deps[j].path);
		/* the key: the members in the bundle's order (export writes
		 * them in one order per set; a set met twice in another order
		 * is stored twice, which costs room, never a dependency) */
		memcpy(key + 13 * j, &deps[j].path, 4);
		key[13 * j + 4] = deps[j].kind;
		memcpy(key + 13 * j + 5, &deps[j].value, 8);
	}
	if (rc < 0 || (rc = ft_map_intern(&m->sets, key, (size_t)s->n * 13, o, &added)) < 0)
		goto out;
	if (added) {
		struct ft_bundle *ob = m->out;
		struct ft_bundle_set *ns = ft_vec_grow(ob->sets, &ob->csets, ob->nsets, sizeof(*ns), 64);
		if (!ns) {
			rc = -ENOMEM;
			goto out;
		}
		ob->sets = ns;
		ns[ob->nsets].deps = deps;
		ns[ob->nsets++].n = s->n;
		deps = NULL;
	}
	m->smap[k][i] = *o + 1;
out:
	free(deps);
	free(key);
	return rc;
}

static int run_of(struct mg *m, const struct ft_bundle *b, size_t k, uint32_t i, uint32_t *o)
{
	struct ft_bundle *ob = m->out;
	const struct ft_bundle_run *r;
	struct ft_bundle_run *nr;
	int rc;

	if (i == FT_BUNDLE_NONE) {
		*o = FT_BUNDLE_NONE;
		return 0;
	}
	if (m->rmap[k][i]) {
		*o = m->rmap[k][i] - 1;
		return 0;
	}
	r = &b->runs[i];
	if (!(nr = ft_vec_grow(ob->runs, &ob->cruns, ob->nruns, sizeof(*nr), 16)))
		return -ENOMEM;
	ob->runs = nr;
	nr = &ob->runs[ob->nruns];
	memset(nr, 0, sizeof(*nr));
	nr->started_ns = r->started_ns;
	nr->finished_ns = r->finished_ns;
	nr->exit_status = r->exit_status;
	if ((rc = path_of(m, b, k, r->cwd, &nr->cwd)) < 0)
		return rc;
	if ((r->command && !(nr->command = strdup(r->command))) ||
	    (r->meta_json && !(nr->meta_json = strdup(r->meta_json))) ||
	    (r->py_prelude && !(nr->py_prelude = strdup(r->py_prelude)))) {
		free(nr->command);
		free(nr->meta_json);
		return -ENOMEM;
	}
	*o = (uint32_t)ob->nruns++;
	m->rmap[k][i] = *o + 1;
	return 0;
}

static int copy_test(struct mg *m, const struct ft_bundle *b, size_t k, const struct ft_bundle_test *t)
{
	struct ft_bundle *ob = m->out;
	struct ft_bundle_test *nt = ft_vec_grow(ob->tests, &ob->ctests, ob->ntests, sizeof(*nt), 64);
	int rc;

	if (!nt)
		return -ENOMEM;
	ob->tests = nt;
	nt = &ob->tests[ob->ntests];
	memset(nt, 0, sizeof(*nt));
	if (!(nt->name = strdup(t->name)) || (t->runner && !(nt->runner = strdup(t->runner))) ||
	    !(nt->sets = calloc(t->nsets ? t->nsets : 1, sizeof(*nt->sets)))) {
		free(nt->name);
		free(nt->runner);
		return -ENOMEM;
	}
	ob->ntests++;
	nt->py_complete = t->py_complete;
	if ((t->py_funcs && !(nt->py_funcs = strdup(t->py_funcs))) ||
	    (t->py_own && !(nt->py_own = strdup(t->py_own))) ||
	    (t->py_lazy && !(nt->py_lazy = strdup(t->py_lazy))))
		return -ENOMEM;
	nt->outcome = t->outcome;
	nt->untraced = t->untraced;
	if ((rc = path_of(m, b, k, t->file, &nt->file)) < 0 || (rc = run_of(m, b, k, t->run, &nt->run)) < 0)
		return rc;
	for (nt->nsets = 0; nt->nsets < t->nsets; nt->nsets++)
		if ((rc = set_of(m, b, k, t->sets[nt->nsets], &nt->sets[nt->nsets])) < 0)
			return rc;
	if (t->nshares && !(nt->shares = calloc(t->nshares, sizeof(*nt->shares))))
		return -ENOMEM;
	for (nt->nshares = 0; nt->nshares < t->nshares; nt->nshares++)
		if ((rc = set_of(m, b, k, t->shares[nt->nshares], &nt->shares[nt->nshares])) < 0)
			return rc;
	return 0;
}

static int64_t finished(const struct ft_bundle *b, const struct ft_bundle_test *t)
{
	return t->run == FT_BUNDLE_NONE ? INT64_MIN : b->runs[t->run].finished_ns;
}

static int listings_and_flaky(struct mg *m, const struct ft_bundle *const *in, size_t n)
{
	struct ft_bundle *ob = m->out;
	int rc, added;

	for (size_t k = 0; k < n; k++) {
		for (size_t i = 0; i < in[k]->nlistings; i++) {
			const struct ft_bundle_listing *l = &in[k]->listings[i];
			struct ft_bundle_listing *nl;
			unsigned char key[12];
			uint32_t p, slot;
			if ((rc = path_of(m, in[k], k, l->path, &p)) < 0)
				return rc;
			memcpy(key, &p, 4);
			memcpy(key + 4, &l->value, 8);
			if ((rc = ft_map_intern(&m->listings, key, 12, &slot, &added)) < 0)
				return rc;
			if (!added)
				continue;
			if (!(nl = ft_vec_grow(ob->listings, &ob->clistings, ob->nlistings, sizeof(*nl), 16)))
				return -ENOMEM;
			ob->listings = nl;
			nl = &ob->listings[ob->nlistings];
			if (!(nl->names = malloc((size_t)l->len + 1)))
				return -ENOMEM;
			/* len bytes, then our own terminator: an item need not
			 * carry one past its length */
			memcpy(nl->names, l->names, l->len);
			nl->names[l->len] = '\0';
			nl->len = l->len;
			nl->path = p;
			nl->value = l->value;
			ob->nlistings++;
		}
		for (size_t i = 0; i < in[k]->nflaky; i++) {
			const struct ft_bundle_flaky *f = &in[k]->flaky[i];
			struct ft_bundle_flaky *nf;
			uint32_t slot;
			if ((rc = ft_map_intern(&m->flaky, f->name, strlen(f->name), &slot, &added)) < 0)
				return rc;
			if (!added) {
				if (f->count > ob->flaky[slot].count)
					ob->flaky[slot].count = f->count;
				continue;
			}
			if (!(nf = ft_vec_grow(ob->flaky, &ob->cflaky, ob->nflaky, sizeof(*nf), 16)))
				return -ENOMEM;
			ob->flaky = nf;
			nf[ob->nflaky] = *f;
			if (!(nf[ob->nflaky].name = strdup(f->name)))
				return -ENOMEM;
			ob->nflaky++;
		}
	}
	return 0;
}

/* The key of a (path, value) row of the Python sections. */
static int row_key(struct mg *m, const struct ft_bundle *b, size_t k, uint32_t path, uint64_t value,
		   unsigned char key[12], uint32_t *p)
{
	int rc = path_of(m, b, k, path, p);

	memcpy(key, p, 4);
	memcpy(key + 4, &value, 8);
	return rc;
}

/* pyfunc_fps rows: one per (path, value), whose fingerprints are those
 * of the same bytes; the qualnames the preludes ran in it are united (a
 * body any shard's prelude ran stays one, as a local run's merge keeps
 * it).  pyconf_views rows: one per (path, value), the first. */
static int python_rows(struct mg *m, const struct ft_bundle *const *in, size_t n)
{
	struct ft_bundle *ob = m->out;
	int rc, added;

	for (size_t k = 0; k < n; k++) {
		for (size_t i = 0; i < in[k]->npyfps; i++) {
			const struct ft_bundle_pyfps *f = &in[k]->pyfps[i];
			struct ft_bundle_pyfps *nf;
			unsigned char key[12];
			uint32_t p, slot;
			char *u;
			if ((rc = row_key(m, in[k], k, f->path, f->value, key, &p)) < 0 ||
			    (rc = ft_map_intern(&m->pyfps, key, 12, &slot, &added)) < 0)
				return rc;
			if (!added) {
				if ((rc = ft_bundle_json_union(ob->pyfps[slot].prelude, f->prelude, &u)) < 0)
					return rc;
				free(ob->pyfps[slot].prelude);
				ob->pyfps[slot].prelude = u;
				continue;
			}
			if (!(nf = ft_vec_grow(ob->pyfps, &ob->cpyfps, ob->npyfps, sizeof(*nf), 16)))
				return -ENOMEM;
			ob->pyfps = nf;
			nf = &ob->pyfps[ob->npyfps];
			memset(nf, 0, sizeof(*nf));
			ob->npyfps++;
			nf->path = p;
			nf->value = f->value;
			if (!(nf->skeleton = strdup(f->skeleton)) || !(nf->bodies = strdup(f->bodies)) ||
			    !(nf->prelude = strdup(f->prelude)) || (f->names && !(nf->names = strdup(f->names))))
				return -ENOMEM;
		}
		for (size_t i = 0; i < in[k]->npyconf; i++) {
			const struct ft_bundle_pyconf *v = &in[k]->pyconf[i];
			struct ft_bundle_pyconf *nv;
			unsigned char key[12];
			uint32_t p, slot;
			if ((rc = row_key(m, in[k], k, v->path, v->value, key, &p)) < 0 ||
			    (rc = ft_map_intern(&m->pyconf, key, 12, &slot, &added)) < 0)
				return rc;
			if (!added)
				continue;
			if (!(nv = ft_vec_grow(ob->pyconf, &ob->cpyconf, ob->npyconf, sizeof(*nv), 16)))
				return -ENOMEM;
			ob->pyconf = nv;
			nv = &ob->pyconf[ob->npyconf];
			nv->path = p;
			nv->value = v->value;
			if (!(nv->view = strdup(v->view)))
				return -ENOMEM;
			ob->npyconf++;
		}
	}
	return 0;
}

int ft_bundle_merge(struct ft_bundle *out, const struct ft_bundle *const *in, size_t n)
{
	struct mg m = { .out = out };
	size_t *wk = NULL, *wi = NULL, cap = 0, nw = 0;
	int rc = -ENOMEM, added;

	if (!(m.pmap = calloc(n ? n : 1, sizeof(*m.pmap))) || !(m.smap = calloc(n ? n : 1, sizeof(*m.smap))) ||
	    !(m.rmap = calloc(n ? n : 1, sizeof(*m.rmap))))
		goto out;
	for (size_t k = 0; k < n; k++)
		if (!(m.pmap[k] = calloc(in[k]->npaths + 1, sizeof(uint32_t))) ||
		    !(m.smap[k] = calloc(in[k]->nsets + 1, sizeof(uint32_t))) ||
		    !(m.rmap[k] = calloc(in[k]->nruns + 1, sizeof(uint32_t))))
			goto out;
	/* the winner of each name: the later run's end, ties to the later bundle */
	for (size_t k = 0; k < n; k++) {
		for (size_t i = 0; i < in[k]->ntests; i++) {
			const struct ft_bundle_test *t = &in[k]->tests[i];
			uint32_t slot;
			if (ft_map_intern(&m.tests, t->name, strlen(t->name), &slot, &added) < 0)
				goto out;
			if (added) {
				size_t c2 = cap;
				size_t *a = ft_vec_grow(wk, &cap, nw, sizeof(*a), 64), *b2;
				if (!a)
					goto out;
				wk = a;
				if (!(b2 = ft_vec_grow(wi, &c2, nw, sizeof(*b2), 64)))
					goto out;
				wi = b2;
				wk[nw] = k;
				wi[nw++] = i;
			} else if (finished(in[k], t) >= finished(in[wk[slot]], &in[wk[slot]]->tests[wi[slot]])) {
				wk[slot] = k;
				wi[slot] = i;
			}
		}
	}
	for (size_t w = 0; w < nw; w++)
		if ((rc = copy_test(&m, in[wk[w]], wk[w], &in[wk[w]]->tests[wi[w]])) < 0)
			goto out;
	if ((rc = listings_and_flaky(&m, in, n)) < 0 || (rc = python_rows(&m, in, n)) < 0)
		goto out;
	rc = 0;
	for (size_t i = 0; n && i < in[n - 1]->nmeta && rc == 0; i++)
		rc = ft_bundle_add_meta(out, in[n - 1]->meta[i].key, in[n - 1]->meta[i].value);
out:
	for (size_t k = 0; k < n; k++) {
		if (m.pmap)
			free(m.pmap[k]);
		if (m.smap)
			free(m.smap[k]);
		if (m.rmap)
			free(m.rmap[k]);
	}
	free(m.pmap);
	free(m.smap);
	free(m.rmap);
	free(wk);
	free(wi);
	ft_map_release(&m.paths);
	ft_map_release(&m.sets);
	ft_map_release(&m.tests);
	ft_map_release(&m.listings);
	ft_map_release(&m.flaky);
	ft_map_release(&m.pyfps);
	ft_map_release(&m.pyconf);
	return rc;
}
