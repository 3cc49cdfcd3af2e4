/*
 * ft_store.c - opening, validating and creating the database.
 *
 * Opening is careful because `ftrace affected` must tell "nothing affected"
 * from "cannot tell": a file that is not ours must give FT_ECORRUPT and stay
 * byte-for-byte unchanged, a newer schema FT_ESCHEMA.  So an existing file is
 * first opened read-only and validated; only then is it reopened for
 * writing.  (Opening read-write first would let SQLite roll back a hot
 * journal, or convert the journal mode, before we know the file is ours.)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ft_error.h"
#include "ft_store_int.h"
#include "ft_trust.h"

static const char ft_schema[] =
	"CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS paths(id INTEGER PRIMARY KEY, path BLOB NOT NULL UNIQUE);"
	"CREATE TABLE IF NOT EXISTS states(id INTEGER PRIMARY KEY, path_id INTEGER NOT NULL,"
	"  kind INTEGER NOT NULL, value INTEGER NOT NULL, UNIQUE(path_id, kind, value));"
	"CREATE TABLE IF NOT EXISTS depsets(id INTEGER PRIMARY KEY, digest BLOB NOT NULL UNIQUE,"
	"  n INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS depset_states(set_id INTEGER NOT NULL, state_id INTEGER NOT NULL,"
	"  PRIMARY KEY(set_id, state_id)) WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS depset_states_by_state ON depset_states(state_id, set_id);"
	"CREATE TABLE IF NOT EXISTS runs(id INTEGER PRIMARY KEY, command TEXT, cwd TEXT,"
	"  started_ns INTEGER, finished_ns INTEGER, exit_status INTEGER, meta_json TEXT);"
	"CREATE TABLE IF NOT EXISTS tests(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
	"  runner TEXT, file TEXT, outcome INTEGER NOT NULL, untraced INTEGER NOT NULL,"
	"  run_id INTEGER);"
	"CREATE TABLE IF NOT EXISTS test_sets(test_id INTEGER NOT NULL, set_id INTEGER NOT NULL,"
	"  PRIMARY KEY(test_id, set_id)) WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS test_sets_by_set ON test_sets(set_id, test_id);"
	"CREATE TABLE IF NOT EXISTS statcache(path_id INTEGER NOT NULL, kind INTEGER NOT NULL,"
	"  dev INTEGER, ino INTEGER, size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER,"
	"  mode INTEGER, taken_ns INTEGER, value INTEGER, PRIMARY KEY(path_id, kind)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS listings(path_id INTEGER NOT NULL, value INTEGER NOT NULL,"
	"  names BLOB NOT NULL, PRIMARY KEY(path_id, value)) WITHOUT ROWID;";

static const char *const ft_tables[] = {
	"meta", "paths", "states", "depsets", "depset_states", "runs", "tests",
	"test_sets", "statcache", "listings",
};

int ft__store_fail(struct ft_store *st, int rc)
{
	const char *msg = st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc);

	snprintf(st->errmsg, sizeof(st->errmsg), "%s", msg);
	switch (rc & 0xff) {
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return FT_ECORRUPT;
	case SQLITE_NOMEM:
		return -ENOMEM;
	default:
		return FT_EDB;
	}
}

int ft__store_prepare(struct ft_store *st, sqlite3_stmt **stmt, const char *sql)
{
	int rc = sqlite3_prepare_v2(st->db, sql, -1, stmt, NULL);

	return rc == SQLITE_OK ? 0 : ft__store_fail(st, rc);
}

int ft__store_exec(struct ft_store *st, const char *sql)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : ft__store_fail(st, rc);
}

static char ft__store_open_msg[512];

const char *ft_store_errmsg(const struct ft_store *st)
{
	if (!st)
		return ft__store_open_msg[0] ? ft__store_open_msg : "no detail";
	return st->errmsg[0] ? st->errmsg : "no detail";
}

struct sqlite3 *ft_store_db(struct ft_store *st)
{
	return st->db;
}

int ft_store_has_table(struct ft_store *st, const char *name)
{
	sqlite3_stmt *q;
	int n = 0;

	if (sqlite3_prepare_v2(st->db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
			       " AND name = ?1", -1, &q, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW)
		n = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return n == 1;
}

int ft_store_meta_get(struct ft_store *st, const char *key, char *buf, size_t size)
{
	sqlite3_stmt *q;
	int rc = 1;

	if (sqlite3_prepare_v2(st->db, "SELECT value FROM meta WHERE key = ?1", -1, &q, NULL) != SQLITE_OK)
		return 1;
	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) == SQLITE_TEXT) {
		const char *v = (const char *)sqlite3_column_text(q, 0);
		if (v && strlen(v) < size) {
			strcpy(buf, v);
			rc = 0;
		}
	}
	sqlite3_finalize(q);
	return rc;
}

int ft_store_meta_set(struct ft_store *st, const char *key, const char *value)
{
	sqlite3_stmt *q;
	int rc = 0;

	if (sqlite3_prepare_v2(st->db, "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)",
			       -1, &q, NULL) != SQLITE_OK)
		return FT_EDB;
	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, value, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE)
		rc = FT_EDB;
	sqlite3_finalize(q);
	return rc;
}

void ft_store_busy_timeout(struct ft_store *st, int ms)
{
	sqlite3_busy_timeout(st->db, ms);
}

/* Is this an ftrace database we can read?  Reads only. */
static int validate(struct ft_store *st)
{
	sqlite3_stmt *q = NULL;
	int rc, found = 0, err;
	sqlite3_int64 version;

	rc = sqlite3_prepare_v2(st->db, "SELECT name FROM sqlite_master WHERE type='table'", -1, &q, NULL);
	if (rc != SQLITE_OK)
		return ft__store_fail(st, rc);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(q, 0);
		for (size_t i = 0; name && i < sizeof(ft_tables) / sizeof(ft_tables[0]); i++)
			if (!strcmp(name, ft_tables[i]))
				found |= 1 << i;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return ft__store_fail(st, rc);
	if (!(found & 1)) {
		snprintf(st->errmsg, sizeof(st->errmsg), "no meta table: not an ftrace database");
		return FT_ECORRUPT;
	}
	rc = sqlite3_prepare_v2(st->db, "SELECT value FROM meta WHERE key='schema_version'", -1, &q, NULL);
	if (rc != SQLITE_OK)
		return ft__store_fail(st, rc);
	rc = sqlite3_step(q);
	if (rc != SQLITE_ROW || sqlite3_column_type(q, 0) != SQLITE_INTEGER) {
		err = rc == SQLITE_ROW || rc == SQLITE_DONE ? FT_ECORRUPT : ft__store_fail(st, rc);
		if (err == FT_ECORRUPT && rc != SQLITE_ERROR)
			snprintf(st->errmsg, sizeof(st->errmsg), "meta.schema_version missing or not a number");
		sqlite3_finalize(q);
		return err;
	}
	version = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	if (version > FT_STORE_SCHEMA_VERSION) {
		snprintf(st->errmsg, sizeof(st->errmsg),
			 "schema version %lld, this ftrace reads up to %d", (long long)version,
			 FT_STORE_SCHEMA_VERSION);
		return FT_ESCHEMA;
	}
	if (version < 1) {
		snprintf(st->errmsg, sizeof(st->errmsg), "schema version %lld is invalid", (long long)version);
		return FT_ECORRUPT;
	}
	if (found != (1 << (sizeof(ft_tables) / sizeof(ft_tables[0]))) - 1) {
		snprintf(st->errmsg, sizeof(st->errmsg), "tables missing: not a complete ftrace database");
		return FT_ECORRUPT;
	}
	return 0;
}

static int open_conn(struct ft_store *st, const char *path, int flags)
{
	int rc = sqlite3_open_v2(path, &st->db, flags | SQLITE_OPEN_NOMUTEX, NULL);

	if (rc != SQLITE_OK) {
		rc = ft__store_fail(st, rc);
		sqlite3_close(st->db);
		st->db = NULL;
		return rc;
	}
	sqlite3_extended_result_codes(st->db, 0);
	sqlite3_busy_timeout(st->db, FT_STORE_BUSY_MS);
	return 0;
}

static void close_conn(struct ft_store *st)
{
	sqlite3_close(st->db);
	st->db = NULL;
}

static int create_schema(struct ft_store *st)
{
	char sql[128];
	int rc;

	/* WAL: `affected` reads while a `run` writes.  Set before any table. */
	rc = ft__store_exec(st, "PRAGMA journal_mode=WAL");
	if (rc < 0)
		return rc;
	rc = ft__store_exec(st, "BEGIN IMMEDIATE");
	if (rc < 0)
		return rc;
	snprintf(sql, sizeof(sql), "INSERT OR IGNORE INTO meta VALUES('schema_version', %d)",
		 FT_STORE_SCHEMA_VERSION);
	if ((rc = ft__store_exec(st, ft_schema)) < 0 || (rc = ft__store_exec(st, sql)) < 0) {
		ft__store_exec(st, "ROLLBACK");
		return rc;
	}
	return ft__store_exec(st, "COMMIT");
}

/* The database and the files SQLite reads with it (a -wal file is replayed
 * into what we read) must be ours (ft_trust.h). */
int ft_store_check_trust(const char *db_path, char *why, size_t cap)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	char path[4200];
	int rc;

	for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s%s", db_path, suffix[i]) >= sizeof(path))
			return FT_ETOOLONG;
		if ((rc = ft_trust_check(path, "database", why, cap)) < 0)
			return rc;
	}
	return 0;
}

int ft_store_open(struct ft_store **out, const char *db_path, unsigned flags)
{
	struct ft_store *st = calloc(1, sizeof(*st));
	struct stat sb;
	int rc, fd;

	if (!st)
		return -ENOMEM;
	*out = NULL;
	if ((rc = ft_store_check_trust(db_path, st->errmsg, sizeof(st->errmsg))) < 0)
		goto done;
	if (stat(db_path, &sb) < 0) {
		rc = errno;
		if (rc != ENOENT || !(flags & FT_STORE_CREATE) || (flags & FT_STORE_RDONLY)) {
			free(st);
			return rc == ENOENT ? FT_ENORECORD : -rc;
		}
		rc = open_conn(st, db_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
		if (rc == 0)
			rc = create_schema(st);
		if (rc == 0)
			rc = validate(st);
		goto done;
	}
	if (!S_ISREG(sb.st_mode)) {
		free(st);
		return FT_ECORRUPT;
	}
	/* Permission problems are reported as such, not as "corrupt". */
	fd = open(db_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		free(st);
		return rc;
	}
	close(fd);
	rc = open_conn(st, db_path, SQLITE_OPEN_READONLY);
	if (rc == 0)
		rc = validate(st);
	if (rc < 0 || (flags & FT_STORE_RDONLY)) {
		st->readonly = 1;
		goto done;
	}
	close_conn(st);
	rc = open_conn(st, db_path, SQLITE_OPEN_READWRITE);
	if (rc < 0) { /* e.g. a read-only directory: reading still works */
		rc = open_conn(st, db_path, SQLITE_OPEN_READONLY);
		st->readonly = 1;
	}
	if (rc == 0)
		rc = validate(st); /* it may have been replaced in between */
	if (rc == 0)
		st->readonly = st->readonly || sqlite3_db_readonly(st->db, "main") == 1;
done:
	if (rc == 0 && !st->readonly)
		ft__store_exec(st, "PRAGMA synchronous=NORMAL");
	if (rc < 0) {
		/* The store goes away: keep its detail for ft_store_errmsg(NULL). */
		snprintf(ft__store_open_msg, sizeof(ft__store_open_msg), "%s", st->errmsg);
		if (st->db)
			close_conn(st);
		free(st);
		return rc;
	}
	*out = st;
	return 0;
}

void ft_store_close(struct ft_store *st)
{
	if (!st)
		return;
	if (st->in_run)
		ft_store_run_abort(st);
	if (st->db)
		close_conn(st);
	free(st);
}
