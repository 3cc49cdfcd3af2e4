/*
 * ft_store.c - opening, validating and creating the database.
 *
 * Opening is careful because `ftrace affected` must tell "nothing affected"
 * from "cannot tell": a file that is not ours must give FT_ECORRUPT and stay
 * byte-for-byte unchanged, a newer schema FT_ESCHEMA.  So an existing file is
 * first opened read-only and validated; only then is it reopened for
 * writing.  (Opening read-write first would let SQLite roll back a hot
 * journal, or convert the journal mode, before we know the file is ours.)
 *
 * Creating is safe under concurrency: a new database is made whole in a
 * private file and linked into place (create_db()), and a file with no
 * table at all (zero bytes, or its creator's schema not committed yet) is
 * "no recording yet" (FT_ENORECORD), never "corrupt"; a writer gives such
 * a file its schema in place, under SQLite's lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "ft_error.h"
#include "ft_store_int.h"
#include "ft_trust.h"

int ft__store_fail(struct ft_store *st, int rc)
{
	const char *msg = st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc);

	snprintf(st->errmsg, sizeof(st->errmsg), "%s", msg);
	st->busy_failed = (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
	if ((rc & 0xff) == SQLITE_FULL || (st->db && (sqlite3_system_errno(st->db) == ENOSPC ||
						       sqlite3_system_errno(st->db) == EDQUOT) &&
					   (rc & 0xff) == SQLITE_IOERR)) {
		int quota = st->db && sqlite3_system_errno(st->db) == EDQUOT;
		snprintf(st->errmsg, sizeof(st->errmsg), "%s on the file system of %.400s: free some "
			 "space there", quota ? "disk quota exceeded" : "disk full",
			 st->path[0] ? st->path : "the database");
		return quota ? -EDQUOT : -ENOSPC;
	}
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		if (st->busy_ms > 0)
			snprintf(st->errmsg, sizeof(st->errmsg), "database is locked: another "
				 "process held its lock for %d s; try again once it is done, or "
				 "raise FTRACE_LOCK_TIMEOUT (seconds)",
				 (st->busy_ms + 999) / 1000);
		else
			snprintf(st->errmsg, sizeof(st->errmsg), "database is locked by another process");
		return FT_EDB;
	default:
		return ft__store_read_err(rc);
	}
}

int ft__store_read_err(int rc)
{
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

int ft__store_prepare_kept(struct ft_store *st, enum ft__kept slot, sqlite3_stmt **stmt,
			   const char *sql)
{
	int rc;

	if (!st->kept[slot]) {
		rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->kept[slot], NULL);
		if (rc != SQLITE_OK) {
			st->kept[slot] = NULL;
			*stmt = NULL;
			return ft__store_fail(st, rc);
		}
	}
	*stmt = st->kept[slot];
	return 0;
}

void ft__store_give_back(sqlite3_stmt *stmt)
{
	if (stmt) {
		sqlite3_reset(stmt);
		sqlite3_clear_bindings(stmt);
	}
}

void ft__store_kept_finalize(struct ft_store *st)
{
	for (int i = 0; i < FT_KEPT__N; i++) {
		sqlite3_finalize(st->kept[i]);
		st->kept[i] = NULL;
	}
}

int ft__store_exec(struct ft_store *st, const char *sql)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : ft__store_fail(st, rc);
}

void ft__store_undo(struct ft_store *st, const char *sql)
{
	if (!strncmp(sql, "ROLLBACK", 8) && sqlite3_get_autocommit(st->db))
		return;
	(void)sqlite3_exec(st->db, sql, NULL, NULL, NULL);
}

static char ft__store_open_msg[512];

/* The detail of the last failure of `st`, or of the last failed
 * ft_store_open (st NULL).  Private: it reaches the layers above only in
 * a struct ft_err, with the code it explains (ft_store_err). */
static const char *store_errmsg(const struct ft_store *st)
{
	if (!st)
		return ft__store_open_msg[0] ? ft__store_open_msg : "no detail";
	return st->errmsg[0] ? st->errmsg : "no detail";
}

int ft_store_err(const struct ft_store *st, int code, struct ft_err *e)
{
	return ft_err_set(e, code, "%s", store_errmsg(st));
}

/* Only these two are the database's own failures, worded by the store
 * (SQLite's message, a lock held too long, the corrupt row it found); for
 * any other code (-ENOMEM, FT_ENORECORD, ...) its last message may be an
 * older failure's. */
int ft_store_err_db(const struct ft_store *st, int code, struct ft_err *e)
{
	if (code == FT_ECORRUPT || code == FT_EDB)
		return ft_store_err(st, code, e);
	return ft_err_set(e, code, NULL);
}

int ft_store_has_table(struct ft_store *st, const char *name)
{
	sqlite3_stmt *q;
	int n = 0;

	/* kept: a run asks this of five tables, each a statement compiled */
	if (ft__store_prepare_kept(st, FT_KEPT_HAS_TABLE, &q, "SELECT count(*) FROM sqlite_master"
				   " WHERE type = 'table' AND name = ?1") < 0) {
		st->errmsg[0] = '\0';
		return 0;
	}
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW)
		n = sqlite3_column_int(q, 0);
	ft__store_give_back(q);
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

static int ft__lock_wait_ms = FT_STORE_BUSY_MS;
static void (*ft__lock_note)(const char *db_path);

void ft_store_lock_wait(int ms, void (*note)(const char *db_path))
{
	ft__lock_wait_ms = ms;
	ft__lock_note = note;
}

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* SQLite's busy handler: 1 = try again, 0 = give up (SQLITE_BUSY). */
static int busy_wait(void *arg, int tries)
{
	struct ft_store *st = arg;
	long long now = mono_ms(), waited;
	struct timespec pause;
	int ms;

	if (tries == 0) {
		st->busy_since = now;
		st->busy_noted = 0;
	}
	waited = now - st->busy_since;
	if (st->busy_ms >= 0 && waited >= st->busy_ms)
		return 0;
	if (!st->busy_noted && waited >= 1000 && ft__lock_note) {
		st->busy_noted = 1;
		ft__lock_note(st->path);
	}
	ms = tries < 8 ? 1 << tries : 250;
	if (ms > 250)
		ms = 250;
	if (st->busy_ms >= 0 && waited + ms > st->busy_ms)
		ms = (int)(st->busy_ms - waited) + 1;
	pause.tv_sec = 0;
	pause.tv_nsec = (long)ms * 1000000;
	nanosleep(&pause, NULL);
	return 1;
}

void ft_store_busy_timeout(struct ft_store *st, int ms)
{
	st->busy_ms = ms;
	sqlite3_busy_handler(st->db, ms ? busy_wait : NULL, st);
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
	ft_store_busy_timeout(st, st->busy_ms);
	if ((rc = ft__store_ck_register(st)) < 0) {
		sqlite3_close(st->db);
		st->db = NULL;
	}
	return rc;
}

static void close_conn(struct ft_store *st)
{
	ft__store_path_cache(st, 0);
	ft__store_kept_finalize(st);
	sqlite3_close(st->db);
	st->db = NULL;
}

/*
 * Read a WAL database in a directory where SQLite cannot create the -shm
 * file (chmod a-w .ftrace, a read-only mount).  Sound only where no write
 * can happen meanwhile: with no -wal (or an empty one) everything committed
 * is in the main file, and with no write bit on the directory for anyone,
 * no writer but root can create a -wal there (a read-only mount: nobody
 * can).  Then the file is opened
 * `immutable` (no locks, no -shm).  Otherwise (a -wal with content needs
 * the -shm to be read) it is FT_EDB with a message saying what to do.
 */
static int open_ro_dir(struct ft_store *st, const char *db_path)
{
	char dir[PATH_MAX], wal[PATH_MAX + 8], uri[3 * PATH_MAX + 32], *slash, *u;
	struct statvfs vfs;
	struct stat sb;
	int rc;

	snprintf(dir, sizeof(dir), "%s", db_path);
	slash = strrchr(dir, '/');
	if (slash)
		slash == dir ? (void)(dir[1] = '\0') : (void)(*slash = '\0');
	else
		snprintf(dir, sizeof(dir), ".");
	snprintf(wal, sizeof(wal), "%s-wal", db_path);
	/* nobody can write: no write bit for anyone, or a read-only mount
	 * (where the bits still say 0700) */
	if ((lstat(wal, &sb) == 0 && sb.st_size > 0) || stat(dir, &sb) < 0 ||
	    ((sb.st_mode & 0222) && !(statvfs(dir, &vfs) == 0 && (vfs.f_flag & ST_RDONLY)))) {
		snprintf(st->errmsg, sizeof(st->errmsg), "SQLite cannot create %.150s-shm to read the "
			 "database in this read-only directory%s: make %.150s writable for you, or let a "
			 "user who can write it run this", db_path,
			 lstat(wal, &sb) == 0 && sb.st_size > 0 ? " (its -wal holds recent writes)" :
			 " (others may write to it meanwhile)", dir);
		return FT_EDB;
	}
	/* a URI: percent-encode everything but the unreserved and '/' */
	u = uri + snprintf(uri, sizeof(uri), "file:");
	for (const unsigned char *p = (const unsigned char *)db_path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("/-._~", *p))
			*u++ = (char)*p;
		else
			u += sprintf(u, "%%%02X", *p);
	}
	strcpy(u, "?immutable=1");
	rc = open_conn(st, uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI);
	if (rc == 0)
		rc = ft__schema_check(st);
	return rc;
}

/* Remove the private file of create_db() and whatever SQLite left beside it. */
static void unlink_side(const char *tmp)
{
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
	char p[PATH_MAX + 96];

	for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++)
		if ((size_t)snprintf(p, sizeof(p), "%s%s", tmp, sfx[i]) < sizeof(p))
			unlink(p);
}

/*
 * Create the database as a whole.  The schema is written into a private
 * file next to `db_path` (<db>.new-<pid>, created O_EXCL), checkpointed so
 * that the file alone holds it, and then linked to `db_path` only if
 * nothing is there yet.  So a concurrent `ftrace run` or `affected` never
 * sees a half-made database (issue 24: eight first runs at once), and the
 * loser of the race simply opens the winner's file.  0 also when another
 * process created it first; the caller then opens what is there.
 */
static int create_db(struct ft_store *st, const char *db_path)
{
	char tmp[PATH_MAX + 64], wal[PATH_MAX + 80];
	struct stat sb;
	int fd, rc;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.new-%d", db_path, (int)getpid()) >= sizeof(tmp))
		return FT_ETOOLONG;
	snprintf(wal, sizeof(wal), "%s-wal", tmp);
	/* a leftover of a dead process that had our pid */
	unlink_side(tmp);
	fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	close(fd);
	rc = open_conn(st, tmp, SQLITE_OPEN_READWRITE);
	if (rc == 0)
		rc = ft__schema_create(st);
	if (rc == 0)
		rc = ft__store_exec(st, "PRAGMA wal_checkpoint(TRUNCATE)");
	ft__store_kept_finalize(st);
	if (st->db && sqlite3_close(st->db) != SQLITE_OK && rc == 0) {
		snprintf(st->errmsg, sizeof(st->errmsg), "%.400s: could not close the new database", tmp);
		rc = FT_EDB;
	}
	st->db = NULL;
	/* the schema must be in the file itself, not in a WAL left beside it */
	if (rc == 0 && stat(wal, &sb) == 0 && sb.st_size > 0) {
		snprintf(st->errmsg, sizeof(st->errmsg), "%.400s: the new database's log was not "
			 "checkpointed", tmp);
		rc = FT_EDB;
	}
	if (rc == 0 && link(tmp, db_path) < 0 && errno != EEXIST) {
		/* no hard links here (some FUSE file systems): rename, never
		 * over an existing file */
		if (renameat2(AT_FDCWD, tmp, AT_FDCWD, db_path, RENAME_NOREPLACE) < 0 &&
		    errno != EEXIST) {
			rc = -errno;
			snprintf(st->errmsg, sizeof(st->errmsg), "%.400s: %s", db_path, strerror(-rc));
		}
	}
	unlink_side(tmp);
	return rc;
}

/*
 * An older database opened for writing is migrated (ft_schema.c).  A
 * writer (FT_STORE_CREATE) needs the current schema, so its failure is
 * the open's.  A reader only tries, without waiting for a lock another
 * process holds (a `run` writing), and otherwise reads the old version as
 * it is: every reader of an optional table asks whether it is there.
 */
static int migrate(struct ft_store *st, unsigned flags)
{
	int rc, busy_ms = st->busy_ms;

	if (flags & FT_STORE_CREATE)
		return ft__schema_migrate(st);
	ft_store_busy_timeout(st, 0);
	rc = ft__schema_migrate(st);
	ft_store_busy_timeout(st, busy_ms);
	if (rc < 0)
		st->errmsg[0] = '\0';
	return 0;
}

/* The database and the files SQLite reads with it (a -wal file is replayed
 * into what we read) must be ours (ft_trust.h). */
int ft_store_check_trust(const char *db_path, struct ft_err *e)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	char path[4200];
	int rc;

	for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s%s", db_path, suffix[i]) >= sizeof(path))
			return ft_err_set(e, FT_ETOOLONG, NULL);
		if ((rc = ft_trust_check(path, "database", e)) < 0)
			return rc;
	}
	return 0;
}

/*
 * Give an empty database file the schema in place (ft_store_open).  Runs
 * that find the same empty file at once all do it, under SQLite's lock;
 * but while the file is still empty, its journal mode is the rollback one,
 * and a connection that read it (the schema check) and then wants to
 * write, or to change the journal mode, while another holds a lock, gets
 * SQLITE_BUSY at once, without the busy handler (SQLite's way out of a
 * deadlock; t3100 saw it under load).  So a busy answer is tried again,
 * for FT_STORE_CREATE_RETRY_MS at most: the winner's schema makes the
 * next check pass.
 */
#define FT_STORE_CREATE_RETRY_MS 30000

static int create_in_place(struct ft_store *st)
{
	long long start = mono_ms();
	long wait_ms = 2;
	int rc;

	for (;;) {
		st->busy_failed = 0;
		rc = ft__schema_create(st);
		if (rc == 0)
			rc = ft__schema_check(st);
		if (rc != FT_EDB || !st->busy_failed || mono_ms() - start > FT_STORE_CREATE_RETRY_MS)
			return rc;
		if (st->db && !sqlite3_get_autocommit(st->db))
			ft__store_undo(st, "ROLLBACK");
		struct timespec pause = { 0, wait_ms * 1000000 };
		nanosleep(&pause, NULL);
		if (wait_ms < 64)
			wait_ms *= 2;
		/* another run may have made it meanwhile */
		st->busy_failed = 0;
		rc = ft__schema_check(st);
		if (rc != FT_ENORECORD && !(rc == FT_EDB && st->busy_failed))
			return rc;
	}
}

int ft_store_open(struct ft_store **out, const char *db_path, unsigned flags)
{
	struct ft_store *st = calloc(1, sizeof(*st));
	struct ft_err te;
	struct stat sb;
	int rc, fd;

	ft__store_open_msg[0] = '\0';
	if (!st)
		return -ENOMEM;
	st->busy_ms = ft__lock_wait_ms;
	snprintf(st->path, sizeof(st->path), "%s", db_path);
	*out = NULL;
	if ((rc = ft_store_check_trust(db_path, &te)) < 0) {
		snprintf(st->errmsg, sizeof(st->errmsg), "%.*s", (int)sizeof(st->errmsg) - 1, te.why);
		goto done;
	}
	if (stat(db_path, &sb) < 0) {
		rc = errno;
		if (rc != ENOENT || !(flags & FT_STORE_CREATE) || (flags & FT_STORE_RDONLY)) {
			free(st);
			return rc == ENOENT ? FT_ENORECORD : -rc;
		}
		rc = create_db(st, db_path);
		if (rc < 0)
			goto done;
		if (stat(db_path, &sb) < 0) {
			rc = -errno;
			goto done;
		}
	}
	if (!S_ISREG(sb.st_mode)) {
		free(st);
		return FT_ECORRUPT;
	}
	/* Permission problems are reported as such, not as "corrupt". */
	fd = open(db_path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		rc = -errno;
		free(st);
		return rc;
	}
	close(fd);
	/* A writer of a database that is there and whole (a run's save, or a
	 * selection that writes its caches back): one connection, opened for
	 * writing at once (a second connection, and its reading of the whole
	 * schema, were a millisecond of every run's fixed cost, and of every
	 * `affected`).  Anything else (no schema yet, a read-only directory,
	 * a file busy being made, not ours) takes the way below, which tells
	 * those apart and says which it is. */
	if (!(flags & FT_STORE_RDONLY) && sb.st_size > 0) {
		if (open_conn(st, db_path, SQLITE_OPEN_READWRITE) == 0) {
			st->busy_failed = 0;
			if (ft__schema_check(st) == 0 && sqlite3_db_readonly(st->db, "main") == 0) {
				rc = st->version < FT_STORE_SCHEMA_VERSION ? migrate(st, flags) : 0;
				goto done;
			}
			close_conn(st);
		}
		st->errmsg[0] = '\0';
		st->version = 0;
	}
	rc = open_conn(st, db_path, SQLITE_OPEN_READONLY);
	st->busy_failed = 0;
	if (rc == 0)
		rc = ft__schema_check(st);
	/* a writer that finds the file busy being made (create_in_place) */
	if (rc == FT_EDB && st->busy_failed && (flags & FT_STORE_CREATE) && !(flags & FT_STORE_RDONLY))
		rc = FT_ENORECORD;
	if (rc == FT_EDB && st->db && (sqlite3_errcode(st->db) == SQLITE_READONLY ||
				       sqlite3_errcode(st->db) == SQLITE_CANTOPEN)) {
		/* a read-only directory: no -shm can be made there; a writer
		 * cannot write either, a reader may read (if that is sound) */
		close_conn(st);
		if (flags & FT_STORE_CREATE) {
			snprintf(st->errmsg, sizeof(st->errmsg), "SQLite cannot write in the directory "
				 "of %.300s: make that directory writable for you", db_path);
			rc = FT_EDB;
		} else {
			rc = open_ro_dir(st, db_path);
		}
		st->readonly = 1;
		goto done;
	}
	if ((rc < 0 && !(rc == FT_ENORECORD && (flags & FT_STORE_CREATE))) ||
	    (flags & FT_STORE_RDONLY)) {
		st->readonly = 1;
		goto done;
	}
	close_conn(st);
	rc = open_conn(st, db_path, SQLITE_OPEN_READWRITE);
	if (rc < 0) { /* e.g. a read-only directory: reading still works */
		rc = open_conn(st, db_path, SQLITE_OPEN_READONLY);
		st->readonly = 1;
	}
	st->busy_failed = 0;
	if (rc == 0)
		rc = ft__schema_check(st); /* it may have been replaced in between */
	if (rc == FT_EDB && st->busy_failed && (flags & FT_STORE_CREATE) && !st->readonly)
		rc = FT_ENORECORD;   /* busy being made: create_in_place waits it out */
	/* An empty file (left by an older ftrace, or made by hand): give it
	 * the schema in place.  Idempotent, and under SQLite's own lock, so
	 * any number of runs may do it at once. */
	if (rc == FT_ENORECORD && (flags & FT_STORE_CREATE) && !st->readonly)
		rc = create_in_place(st);
	if (rc == 0)
		st->readonly = st->readonly || sqlite3_db_readonly(st->db, "main") == 1;
	if (rc == 0 && !st->readonly && st->version < FT_STORE_SCHEMA_VERSION)
		rc = migrate(st, flags);
done:
	if (rc == 0 && !st->readonly) {
		/* The -wal and -shm stay when the last connection closes (the
		 * -wal emptied by its checkpoint: journal_size_limit 0): made
		 * and removed by every run, they cost a file creation and a
		 * directory sync each, more than anything else a short run does
		 * (bench/README.md, "the fixed cost").  An empty -wal holds
		 * nothing to replay, and a reader finds them as a run left them
		 * (open_ro_dir reads through neither). */
		int one = 1;
		ft__store_exec(st, "PRAGMA synchronous=NORMAL");
		ft__store_exec(st, "PRAGMA journal_size_limit=0");
		sqlite3_file_control(st->db, "main", SQLITE_FCNTL_PERSIST_WAL, &one);
	}
	if (rc == 0 && stat(db_path, &sb) == 0) {
		st->dev = sb.st_dev;
		st->ino = sb.st_ino;
	}
	if (rc < 0) {
		/* The store goes away: keep its detail for ft_store_err(NULL, ...). */
		snprintf(ft__store_open_msg, sizeof(ft__store_open_msg), "%s", st->errmsg);
		if (st->db)
			close_conn(st);
		free(st);
		return rc;
	}
	*out = st;
	return 0;
}

int ft_store_still(struct ft_store *st)
{
	struct stat sb;
	int version = st->version;

	if (st->readonly || stat(st->path, &sb) < 0 || sb.st_dev != st->dev || sb.st_ino != st->ino)
		return 0;
	st->busy_failed = 0;
	if (ft__schema_check(st) < 0 || st->version != version || version != FT_STORE_SCHEMA_VERSION ||
	    sqlite3_db_readonly(st->db, "main") != 0) {
		st->errmsg[0] = '\0';
		return 0;
	}
	ft_store_busy_timeout(st, ft__lock_wait_ms);
	return 1;
}

int ft_store_writable(const struct ft_store *st)
{
	return !st->readonly && st->version == FT_STORE_SCHEMA_VERSION &&
	       sqlite3_db_readonly(st->db, "main") == 0;
}

void ft_store_close(struct ft_store *st)
{
	if (!st)
		return;
	if (st->in_run)
		ft_store_run_abort(st);
	if (st->db)
		close_conn(st);
	ft__store_gc_reset(st);
	free(st);
}
