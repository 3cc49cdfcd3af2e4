/*
 * ft_store_states.c - states.id of a (path, kind, value) state
 * (ft__store_state_id), and the in-memory cache of them a bulk writer
 * keeps for its transaction (ft__store_state_cache): see ft_store_int.h.
 *
 * The cache is an open-addressing table of every states row, filled in
 * one scan when it is turned on: a state it does not know is not in the
 * database, and goes in without the search of the states index that
 * ft_store_depset_put made before each insert (bench/share, issue 28).
 * Ids of rows rolled back must not outlive them: ft_store_depset_put
 * fills it again after a ROLLBACK TO, and ft_store_import drops it
 * before its transaction ends.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_error.h"
#include "ft_store_int.h"

struct ft__state_slot {
	int64_t path_id;
	int64_t value;
	int64_t id;          /* 0: an empty slot (states ids start at 1) */
	int kind;
};

struct ft__state_cache {
	struct ft__state_slot *slots;
	size_t mask;         /* slots - 1, a power of two less one */
	size_t n;            /* slots in use */
};

static size_t state_hash(int64_t path_id, int kind, int64_t value)
{
	uint64_t h = (uint64_t)path_id * 0x9e3779b97f4a7c15ULL;

	h ^= (uint64_t)value + 0x632be59bd9b4e019ULL + (h << 6) + (h >> 2);
	h ^= (uint64_t)(unsigned)kind * 0xff51afd7ed558ccdULL;
	h ^= h >> 29;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return (size_t)(h ^ (h >> 32));
}

/* The slot of the state, or the empty slot where it would go. */
static struct ft__state_slot *state_slot(const struct ft__state_cache *c, int64_t path_id,
					 int kind, int64_t value)
{
	size_t i = state_hash(path_id, kind, value) & c->mask;

	for (;; i = (i + 1) & c->mask) {
		struct ft__state_slot *s = &c->slots[i];
		if (!s->id || (s->path_id == path_id && s->value == value && s->kind == kind))
			return s;
	}
}

/* Room for one more (the table at most half full): 0 or -ENOMEM. */
static int state_room(struct ft__state_cache *c)
{
	struct ft__state_cache g;
	size_t cap = c->mask + 1;

	if ((c->n + 1) * 2 <= cap)
		return 0;
	if (cap > ((size_t)-1 / 2) / sizeof(*g.slots))
		return -ENOMEM;
	g.mask = cap * 2 - 1;
	g.n = c->n;
	if (!(g.slots = calloc(cap * 2, sizeof(*g.slots))))
		return -ENOMEM;
	for (size_t i = 0; i < cap; i++)
		if (c->slots[i].id)
			*state_slot(&g, c->slots[i].path_id, c->slots[i].kind,
				    c->slots[i].value) = c->slots[i];
	free(c->slots);
	*c = g;
	return 0;
}

/* Remember the state's id; out of memory, the cache goes (slower, the
 * same answers). */
static void state_remember(struct ft_store *st, int64_t path_id, int kind, int64_t value,
			   int64_t id)
{
	struct ft__state_slot *s;

	if (state_room(st->scache) < 0) {
		ft__store_state_cache(st, 0);
		return;
	}
	s = state_slot(st->scache, path_id, kind, value);
	if (!s->id)
		st->scache->n++;
	*s = (struct ft__state_slot){ path_id, value, id, kind };
}

int ft__store_state_cache(struct ft_store *st, int on)
{
	if (st->scache) {
		free(st->scache->slots);
		free(st->scache);
		st->scache = NULL;
	}
	/* read at the first state asked for: an import that keeps every test
	 * (nothing newer) asks for none, and a database of millions of states
	 * is not read for nothing */
	st->scache_want = on;
	return 0;
}

/* The cache read from the database: 0, or negative (then none, and none
 * wanted: slower, the same answers). */
static int state_cache_load(struct ft_store *st)
{
	sqlite3_stmt *q;
	int rc;

	st->scache_want = 0;
	if (!(st->scache = calloc(1, sizeof(*st->scache))) ||
	    !(st->scache->slots = calloc(1024, sizeof(*st->scache->slots)))) {
		free(st->scache);
		st->scache = NULL;
		return -ENOMEM;
	}
	st->scache->mask = 1023;
	/* every state the database has: the search ft__store_state_id spares
	 * is by these three integer columns, bound as integers, so a row
	 * whose columns are not all integers (a hostile file) is one that
	 * search never finds: it is left out here too */
	if ((rc = ft__store_prepare(st, &q, "SELECT id, path_id, kind, value FROM states")) < 0)
		goto fail;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct ft__state_slot *s, r;
		int bad = 0;

		/* the types first: reading a column converts it */
		for (int c = 0; c < 4; c++)
			bad |= sqlite3_column_type(q, c) != SQLITE_INTEGER;
		if (bad)
			continue;
		r.id = sqlite3_column_int64(q, 0);
		r.path_id = sqlite3_column_int64(q, 1);
		r.kind = sqlite3_column_int(q, 2);
		r.value = sqlite3_column_int64(q, 3);
		if (r.id <= 0 || sqlite3_column_int64(q, 2) != r.kind)
			continue; /* no empty slot's id; no kind an int binding gives */
		if (state_room(st->scache) < 0) {
			rc = -ENOMEM;
			break;
		}
		s = state_slot(st->scache, r.path_id, r.kind, r.value);
		if (s->id)
			continue; /* only a corrupt index lets two rows agree: the first */
		*s = r;
		st->scache->n++;
	}
	sqlite3_finalize(q);
	if (rc == SQLITE_DONE)
		return 0;
	rc = rc < 0 ? rc : ft__store_fail(st, rc);
fail:
	ft__store_state_cache(st, 0);
	return rc;
}

/* The row's id by the states index, 0 in *id when there is none. */
static int state_search(struct ft_store *st, int64_t path_id, int kind, int64_t value,
			int64_t *id)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = ft__store_prepare_kept(st, FT_KEPT_STATE_SEL, &q,
					 "SELECT id FROM states WHERE path_id=? AND kind=? AND value=?")) < 0)
		return rc;
	sqlite3_bind_int64(q, 1, path_id);
	sqlite3_bind_int(q, 2, kind);
	sqlite3_bind_int64(q, 3, value);
	rc = sqlite3_step(q);
	*id = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	ft__store_give_back(q); /* its read ends before an insert */
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : ft__store_fail(st, rc);
}

/*
 * Returns the state's id in *id, inserting its row when there is none.
 *
 * The insert is OR IGNORE: a plain INSERT into a table with an index
 * may abort halfway, so SQLite opens a statement journal for each,
 * which copies every page it first touches (a fifth of an import's
 * time, bench/share).  OR IGNORE never aborts; a row it ignored was
 * there after all, and the search finds it.
 */
int ft__store_state_id(struct ft_store *st, int64_t path_id, int kind, int64_t value, int64_t *id)
{
	sqlite3_stmt *q = NULL;
	int rc;

	*id = 0;
	if (st->scache_want)
		state_cache_load(st); /* failing, none: the search below */
	if (st->scache) {
		const struct ft__state_slot *s = state_slot(st->scache, path_id, kind, value);
		if (s->id)
			return (*id = s->id), 0;
		/* not in the database: the cache has every state */
	} else if ((rc = state_search(st, path_id, kind, value, id)) < 0 || *id) {
		return rc;
	}
	if ((rc = ft__store_prepare_kept(st, FT_KEPT_STATE_INS, &q,
					 "INSERT OR IGNORE INTO states(path_id, kind, value) VALUES(?,?,?)")) < 0)
		return rc;
	sqlite3_bind_int64(q, 1, path_id);
	sqlite3_bind_int(q, 2, kind);
	sqlite3_bind_int64(q, 3, value);
	rc = sqlite3_step(q);
	ft__store_give_back(q);
	if (rc != SQLITE_DONE)
		return ft__store_fail(st, rc);
	if (sqlite3_changes(st->db) == 1) {
		*id = sqlite3_last_insert_rowid(st->db);
	} else {
		if ((rc = state_search(st, path_id, kind, value, id)) < 0)
			return rc;
		if (!*id) {
			snprintf(st->errmsg, sizeof(st->errmsg), "database is corrupt: a state"
				 " neither inserted nor found (path %lld)", (long long)path_id);
			return FT_ECORRUPT;
		}
	}
	if (st->scache)
		state_remember(st, path_id, kind, value, *id);
	return 0;
}
