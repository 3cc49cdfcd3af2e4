/*
 * ft_bundle_write.c - encoding a bundle and writing it: see ft_bundle.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

#include "ft_bundle.h"
#include "ft_bundle_py.h"
#include "ft_bundle_rd.h"
#include "ft_bundle_tree.h"
#include "ft_error.h"

struct wr {
	unsigned char *buf;
	size_t len, cap;
	int nomem;
	uint32_t version;
};

static void put(struct wr *w, const void *p, size_t n)
{
	if (w->nomem)
		return;
	if (w->len + n > w->cap) {
		size_t ncap = w->cap ? w->cap : 4096;
		unsigned char *nb;
		while (ncap < w->len + n)
			ncap *= 2;
		if (!(nb = realloc(w->buf, ncap))) {
			w->nomem = 1;
			return;
		}
		w->buf = nb;
		w->cap = ncap;
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

static void put_le(struct wr *w, uint64_t v, int bytes)
{
	unsigned char b[8];

	for (int i = 0; i < bytes; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	put(w, b, (size_t)bytes);
}

/* A u32 as ft_bundle_rd.h says each version codes it. */
static void put_u32(struct wr *w, uint32_t x)
{
	unsigned char b[5];

	if (w->version < 4) {
		put_le(w, x, 4);
		return;
	}
	put(w, b, ft__bundle_leb(x, b));
}

static void put_str(struct wr *w, const char *s, size_t len)
{
	if (!s) {
		put_u32(w, UINT32_MAX);
		return;
	}
	put_u32(w, (uint32_t)len);
	put(w, s, len);
}

/* Version 4's front-coded string (ft_bundle.c's get_fstr): what it shares
 * with `prev`, then the rest; with `hex`, a hexadecimal string as its
 * digits' values. */
static void put_fstr(struct wr *w, const char *prev, size_t prevlen, const char *s, size_t len,
		     int hex)
{
	size_t shared = 0;

	if (hex && ft__bundle_is_hex(s, len)) {
		put_u32(w, 0);
		put_u32(w, (uint32_t)((len / 2) << 1 | 1));
		for (size_t i = 0; i < len; i += 2) {
			unsigned char c = (unsigned char)((s[i] <= '9' ? s[i] - '0' : s[i] - 'a' + 10) << 4 |
							  (s[i + 1] <= '9' ? s[i + 1] - '0' : s[i + 1] - 'a' + 10));
			put(w, &c, 1);
		}
		return;
	}
	while (shared < prevlen && shared < len && prev[shared] == s[shared])
		shared++;
	put_u32(w, (uint32_t)shared);
	put_u32(w, (uint32_t)(hex ? (len - shared) << 1 : len - shared));
	put(w, s + shared, len - shared);
}

#define PUT_S(w, s) put_str(w, s, (s) ? strlen(s) : 0)

static uint32_t version(const struct ft_bundle *b)
{
	return b->version ? b->version : FT_BUNDLE_VERSION;
}

static int check(const struct ft_bundle *b)
{
#define OK(i, n, none) ((none && (i) == FT_BUNDLE_NONE) || (i) < (n))
	for (size_t i = 0; i < b->nsets; i++)
		for (uint32_t j = 0; j < b->sets[i].n; j++)
			if (!OK(b->sets[i].deps[j].path, b->npaths, 0))
				return FT_EUSAGE;
	for (size_t i = 0; i < b->nruns; i++)
		if (!OK(b->runs[i].cwd, b->npaths, 1))
			return FT_EUSAGE;
	for (size_t i = 0; i < b->ntests; i++) {
		const struct ft_bundle_test *t = &b->tests[i];
		if (!t->name || !OK(t->file, b->npaths, 1) || !OK(t->run, b->nruns, 1))
			return FT_EUSAGE;
		for (uint32_t j = 0; j < t->nsets; j++)
			if (!OK(t->sets[j], b->nsets, 0))
				return FT_EUSAGE;
		for (uint32_t j = 0; j < t->nshares; j++)
			if (!OK(t->shares[j], b->nsets, 0))
				return FT_EUSAGE;
		/* before version 5 there is no room for shares */
		if (t->nshares && version(b) < 5)
			return FT_EUSAGE;
	}
	for (size_t i = 0; i < b->nlistings; i++)
		if (!OK(b->listings[i].path, b->npaths, 0))
			return FT_EUSAGE;
	for (size_t i = 0; i < b->nflaky; i++)
		if (!b->flaky[i].name)
			return FT_EUSAGE;
	for (size_t i = 0; i < b->npyfps; i++)
		if (!OK(b->pyfps[i].path, b->npaths, 0) || !b->pyfps[i].skeleton ||
		    !b->pyfps[i].bodies || !b->pyfps[i].prelude)
			return FT_EUSAGE;
	for (size_t i = 0; i < b->npyconf; i++)
		if (!OK(b->pyconf[i].path, b->npaths, 0) || !b->pyconf[i].view)
			return FT_EUSAGE;
	if (version(b) < 2) {
		/* version 1 has no room for the Python data */
		if (b->npyfps || b->npyconf)
			return FT_EUSAGE;
		for (size_t i = 0; i < b->nruns; i++)
			if (b->runs[i].py_prelude)
				return FT_EUSAGE;
		for (size_t i = 0; i < b->ntests; i++)
			if (b->tests[i].py_funcs || b->tests[i].py_own || b->tests[i].py_lazy ||
			    b->tests[i].py_complete)
				return FT_EUSAGE;
	}
	for (size_t i = 0; i < b->ntests; i++)
		if (!b->tests[i].py_funcs != !b->tests[i].py_own)
			return FT_EUSAGE;
	return 0;
#undef OK
}

/* Version 3 and 4: the Python texts coded into `tab`, in the order the file
 * holds them (ft_bundle_py.h): each run's prelude (vals[0..nruns)), each
 * test's funcs, own, lazy (three a test), each fingerprint's bodies,
 * prelude, names (three a row).  0 or -ENOMEM. */
static int code_py(const struct ft_bundle *b, struct ft_bundle_pytab *tab,
		   struct ft_bundle_pyval **vals)
{
	size_t n = b->nruns + 3 * b->ntests + 3 * b->npyfps, k = 0;
	int (*code)(struct ft_bundle_pytab *, const char *, struct ft_bundle_pyval *) =
		version(b) >= 4 ? ft__bundle_tree_code : ft__bundle_py_code;
	int rc = 0;

	if (!(*vals = calloc(n ? n : 1, sizeof(**vals))))
		return -ENOMEM;
	for (size_t i = 0; i < b->nruns && rc == 0; i++)
		rc = code(tab, b->runs[i].py_prelude, &(*vals)[k++]);
	for (size_t i = 0; i < b->ntests && rc == 0; i++) {
		const struct ft_bundle_test *t = &b->tests[i];
		const char *texts[3] = { t->py_funcs, t->py_own, t->py_lazy };
		for (int j = 0; j < 3 && rc == 0; j++)
			rc = code(tab, texts[j], &(*vals)[k++]);
	}
	for (size_t i = 0; i < b->npyfps && rc == 0; i++) {
		const struct ft_bundle_pyfps *f = &b->pyfps[i];
		const char *texts[3] = { f->bodies, f->prelude, f->names };
		for (int j = 0; j < 3 && rc == 0; j++)
			rc = code(tab, texts[j], &(*vals)[k++]);
	}
	return rc;
}

static void put_pytab(struct wr *w, const struct ft_bundle_pytab *tab)
{
	const char *prev = "";
	size_t prevlen = 0;

	put_u32(w, tab->strs.count);
	for (size_t i = 0; i < tab->strs.count; i++) {
		size_t n;
		const char *s = ft_map_key(&tab->strs, (uint32_t)i, &n);
		if (w->version >= 4)
			put_fstr(w, prev, prevlen, s, n, 1);
		else
			put_str(w, s, n);
		prev = s;
		prevlen = n;
	}
	put_u32(w, tab->lists.count);
	for (size_t i = 0; i < tab->lists.count; i++) {
		size_t n;
		const char *ids = ft_map_key(&tab->lists, (uint32_t)i, &n);
		put_u32(w, (uint32_t)(n / 4));
		for (size_t k = 0; k < n / 4; k++) {
			uint32_t id;
			memcpy(&id, ids + 4 * k, 4);
			put_u32(w, id);
		}
	}
}

static void put_pyval(struct wr *w, const struct ft_bundle_pyval *v)
{
	if (v->tag == FT_BUNDLE_PY_TREE) {
		put(w, v->code, v->ncode);
		return;
	}
	put_le(w, v->tag, 1);
	if (v->tag == FT_BUNDLE_PY_RAW) {
		PUT_S(w, v->raw);
	} else if (v->tag == FT_BUNDLE_PY_LIST) {
		put_u32(w, v->ids[0]);
	} else if (v->tag == FT_BUNDLE_PY_OBJ || v->tag == FT_BUNDLE_PY_STRS) {
		put_u32(w, v->n);
		for (uint32_t i = 0; i < 2 * v->n; i++)
			put_u32(w, v->ids[i]);
	}
}

int ft_bundle_encode(const struct ft_bundle *b, unsigned char **out, size_t *len)
{
	struct wr w = { 0 };
	struct ft_bundle_pytab tab = { FT_MAP_INIT, FT_MAP_INIT };
	struct ft_bundle_pyval *vals = NULL;
	uint64_t sum;
	int rc, v2, v3;

	if (version(b) < FT_BUNDLE_VERSION_MIN || version(b) > FT_BUNDLE_VERSION)
		return FT_EUSAGE;
	if ((rc = check(b)) < 0)
		return rc;
	v2 = version(b) >= 2;
	v3 = version(b) >= 3;
	w.version = version(b);
	if (v3 && (rc = code_py(b, &tab, &vals)) < 0)
		goto out;
	put(&w, FT_BUNDLE_MAGIC, 8);
	put_le(&w, version(b), 4);
	put_le(&w, 0, 4);
	put_le(&w, 0, 8); /* length and checksum, filled in below */
	put_le(&w, 0, 8);
	put_u32(&w, b->nmeta);
	for (size_t i = 0; i < b->nmeta; i++) {
		PUT_S(&w, b->meta[i].key);
		PUT_S(&w, b->meta[i].value);
	}
	put_u32(&w, b->npaths);
	for (size_t i = 0; i < b->npaths; i++) {
		put_le(&w, b->paths[i].flags, 1);
		if (w.version >= 4 && i > 0)
			put_fstr(&w, b->paths[i - 1].bytes, b->paths[i - 1].len, b->paths[i].bytes,
				 b->paths[i].len, 0);
		else if (w.version >= 4)
			put_fstr(&w, "", 0, b->paths[i].bytes, b->paths[i].len, 0);
		else
			put_str(&w, b->paths[i].bytes, b->paths[i].len);
	}
	put_u32(&w, b->nsets);
	for (size_t i = 0; i < b->nsets; i++) {
		put_u32(&w, b->sets[i].n);
		for (uint32_t j = 0; j < b->sets[i].n; j++) {
			put_u32(&w, b->sets[i].deps[j].path);
			put_le(&w, b->sets[i].deps[j].kind, 1);
			put_le(&w, b->sets[i].deps[j].value, 8);
		}
	}
	if (v3)
		put_pytab(&w, &tab);
	put_u32(&w, b->nruns);
	for (size_t i = 0; i < b->nruns; i++) {
		const struct ft_bundle_run *r = &b->runs[i];
		PUT_S(&w, r->command);
		put_u32(&w, r->cwd);
		put_le(&w, (uint64_t)r->started_ns, 8);
		put_le(&w, (uint64_t)r->finished_ns, 8);
		put_u32(&w, (uint32_t)r->exit_status);
		PUT_S(&w, r->meta_json);
		if (v3)
			put_pyval(&w, &vals[i]);
		else if (v2)
			PUT_S(&w, r->py_prelude);
	}
	put_u32(&w, b->ntests);
	for (size_t i = 0; i < b->ntests; i++) {
		const struct ft_bundle_test *t = &b->tests[i];
		if (w.version >= 4)
			put_fstr(&w, i ? b->tests[i - 1].name : "", i ? strlen(b->tests[i - 1].name) : 0,
				 t->name, strlen(t->name), 0);
		else
			PUT_S(&w, t->name);
		PUT_S(&w, t->runner);
		put_u32(&w, t->file);
		put_u32(&w, (uint32_t)t->outcome);
		put_le(&w, t->untraced ? 1 : 0, 1);
		put_u32(&w, t->run);
		put_u32(&w, t->nsets);
		for (uint32_t j = 0; j < t->nsets; j++)
			put_u32(&w, t->sets[j]);
		if (w.version >= 5) {
			put_u32(&w, t->nshares);
			for (uint32_t j = 0; j < t->nshares; j++)
				put_u32(&w, t->shares[j]);
		}
		if (!v2)
			continue;
		put_le(&w, t->py_complete, 1);
		if (v3) {
			for (int k = 0; k < 3; k++)
				put_pyval(&w, &vals[b->nruns + 3 * i + k]);
			continue;
		}
		PUT_S(&w, t->py_funcs);
		PUT_S(&w, t->py_own);
		PUT_S(&w, t->py_lazy);
	}
	put_u32(&w, b->nlistings);
	for (size_t i = 0; i < b->nlistings; i++) {
		put_u32(&w, b->listings[i].path);
		put_le(&w, b->listings[i].value, 8);
		put_str(&w, b->listings[i].names, b->listings[i].len);
	}
	put_u32(&w, b->nflaky);
	for (size_t i = 0; i < b->nflaky; i++) {
		const struct ft_bundle_flaky *f = &b->flaky[i];
		PUT_S(&w, f->name);
		put_le(&w, (uint64_t)f->count, 8);
		put_le(&w, (uint64_t)f->last_ns, 8);
		put_u32(&w, (uint32_t)f->last_from);
		put_u32(&w, (uint32_t)f->last_to);
		put_le(&w, (uint64_t)f->clean, 8);
	}
	if (v2) {
		put_u32(&w, b->npyfps);
		for (size_t i = 0; i < b->npyfps; i++) {
			const struct ft_bundle_pyfps *f = &b->pyfps[i];
			put_u32(&w, f->path);
			put_le(&w, f->value, 8);
			PUT_S(&w, f->skeleton);
			if (v3) {
				for (int k = 0; k < 3; k++)
					put_pyval(&w, &vals[b->nruns + 3 * b->ntests + 3 * i + k]);
				continue;
			}
			PUT_S(&w, f->bodies);
			PUT_S(&w, f->prelude);
			PUT_S(&w, f->names);
		}
		put_u32(&w, b->npyconf);
		for (size_t i = 0; i < b->npyconf; i++) {
			put_u32(&w, b->pyconf[i].path);
			put_le(&w, b->pyconf[i].value, 8);
			PUT_S(&w, b->pyconf[i].view);
		}
	}
	if (w.nomem) {
		rc = -ENOMEM;
		goto out;
	}
	sum = XXH3_64bits(w.buf + FT_BUNDLE_HEADER, w.len - FT_BUNDLE_HEADER);
	for (int i = 0; i < 8; i++) {
		w.buf[16 + i] = (unsigned char)((uint64_t)(w.len - FT_BUNDLE_HEADER) >> (8 * i));
		w.buf[24 + i] = (unsigned char)(sum >> (8 * i));
	}
	*out = w.buf;
	*len = w.len;
	w.buf = NULL;
out:
	if (vals)
		for (size_t i = 0; i < b->nruns + 3 * b->ntests + 3 * b->npyfps; i++)
			ft__bundle_pyval_release(&vals[i]);
	free(vals);
	ft__bundle_pytab_release(&tab);
	free(w.buf);
	return rc;
}

int ft_bundle_write(const struct ft_bundle *b, const char *path)
{
	char tmp[PATH_MAX];
	unsigned char *buf;
	size_t len, off = 0;
	int fd, rc;

	if ((rc = ft_bundle_encode(b, &buf, &len)) < 0)
		return rc;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", path, (long)getpid()) >= (int)sizeof(tmp)) {
		free(buf);
		return FT_ETOOLONG;
	}
	/* owner-only, as the database: it holds every path the tests touched */
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
		rc = -errno;
		free(buf);
		return rc;
	}
	while (off < len) {
		ssize_t n = write(fd, buf + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			break;
		}
		off += (size_t)n;
	}
	free(buf);
	if (rc == 0 && fsync(fd) < 0)
		rc = -errno;
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -errno;
	if (rc < 0)
		unlink(tmp);
	return rc;
}
