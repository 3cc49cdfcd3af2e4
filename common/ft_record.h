/*
 * ft_record.h - the wire format shared by every recording back end.
 *
 * The preload interposer writes it today; the ptrace back end writes the same
 * records for the same behaviour.  The tracer (ingest) is the only reader.
 *
 * Transport: one "region" file per process image (and a new one when full),
 * `<run dir>/r-<pid>-<seq>.rec`, created O_EXCL, ftruncate'd to
 * FT_REGION_SIZE, mapped MAP_SHARED and closed again.  A record therefore
 * costs a few memory stores, no descriptor is held (so a program that closes
 * or reuses every fd cannot make us write into its files), and the kernel
 * keeps what was stored if the process dies by SIGKILL or _exit.
 *
 * Concurrency: writers reserve space with an atomic fetch-add on
 * ft_region_hdr.used (threads of one process and a vfork child share the
 * mapping), write the record, and publish it last by storing `commit` with
 * release ordering.  A reader walks records by `size`; a record whose commit
 * byte is not FT_COMMIT was cut short by a crash and is skipped.  A `size`
 * of 0 ends the walk.  A committed record of type 0 is padding: the writer
 * whose reservation straddles the end of a full region fills the tail with
 * it, so a full region ends exactly at its size (or with fewer than
 * FT_REC_SIZE(0) bytes left); readers skip it.  A `size` of 0 before
 * hdr_size + used therefore means a writer died between reserving and
 * writing: records may be missing.
 *
 * Context: every record belongs to the test that is current in its region.
 * The first record of every region is FT_REC_CONTEXT with the current test
 * id ("" is the session prelude); FT_REC_CONTEXT, FT_REC_TEST_BEGIN and
 * FT_REC_TEST_END switch it.  Regions are independent: no record refers to
 * another region, so the reader needs no process tree.
 *
 * Paths in FT_REC_ACCESS are absolute, as the process named them after
 * joining its cwd or dirfd; "." and ".." are kept, because following them
 * lexically would name a different file behind a symlink.
 */
#ifndef FT_RECORD_H
#define FT_RECORD_H

#include <stdint.h>

#define FT_REGION_MAGIC   "FTREC01"   /* 8 bytes with the NUL */
#define FT_REGION_VERSION 2u   /* 2: records carry t_ns */
#define FT_REGION_SIZE    (1u << 20)  /* 1 MiB: the largest region */
#define FT_REGION_MIN     (1u << 14)  /* a process's first region; each next one
				       * doubles, up to FT_REGION_SIZE.  Regions
				       * are allocated in full before they are
				       * mapped (a store into a sparse page on a
				       * full disk raises SIGBUS) */
#define FT_LOST_PREFIX    "lost-"     /* `lost-<pid>-<errno>`: an empty file a
				       * process leaves when it cannot make a
				       * region; it records nothing more, and
				       * ingest treats the run as damaged */
/*
 * The ledger: `<run dir>/ledger`, created empty (O_EXCL, 0600) by the
 * launcher before the command starts.  Every writer that publishes a region
 * then appends its file name and a newline, in one O_APPEND write (atomic
 * between writers), after the region is in place.  A region listed there
 * and gone at ingest was removed during the run (a test that cleaned the
 * state directory): records were lost, and the run's tests are untraced.
 * An entry is never written for a region that is not published, so a
 * process killed between the two leaves a region the ledger does not list,
 * which is harmless.  Writers open it with O_APPEND | O_NOFOLLOW |
 * O_NONBLOCK and never create it: a FIFO or link put there does not block
 * or redirect them, and a ledger that is gone is itself the loss ingest sees.
 */
#define FT_LEDGER_NAME    "ledger"
#define FT_REC_ALIGN      8u
#define FT_COMMIT         0xC5u
#define FT_ID_MAX         4096u       /* longest test id, bytes */
#define FT_PATH_MAX       8192u       /* longest recorded path, bytes */

/* Environment variables understood by the preload library. */
#define FT_ENV_RUN_DIR    "FTRACE_RUN_DIR"    /* where regions go; unset = record nothing */
#define FT_ENV_TEST_ID    "FTRACE_TEST_ID"    /* starts test <id> for this subtree */
#define FT_ENV_OWNER      "FTRACE__OWNER"     /* "<pid>:<id>": who started the current test */
#define FT_ENV_PRELOAD    "FTRACE__PRELOAD"   /* absolute path of the preload library */
#define FT_ENV_STATE_DIR  "FTRACE__STATE_DIR" /* never record paths below this */
#define FT_ENV_EXE        "FTRACE__EXE"       /* absolute path of `ftrace`: runs static programs
					       * under ptrace for a preloaded parent */
#define FT_ENV_PTRACED    "FTRACE__PTRACED"   /* set: this subtree is traced with ptrace */
#define FT_PTEXEC_CMD     "__ptrace-exec"     /* `ftrace __ptrace-exec PROGRAM -- ARGV...` */

struct ft_region_hdr {
	char     magic[8];     /* FT_REGION_MAGIC */
	uint32_t version;      /* FT_REGION_VERSION */
	uint32_t hdr_size;     /* sizeof(struct ft_region_hdr); records start here */
	uint32_t size;         /* total bytes of the region, header included */
	uint32_t seq;          /* 0, 1, ... within one process image */
	uint64_t used;         /* bytes reserved after the header (atomic) */
	int32_t  pid;
	int32_t  ppid;
	uint64_t start_ns;     /* CLOCK_REALTIME when the region was created */
	uint32_t backend;      /* enum ft_backend */
	uint32_t flags;        /* enum ft_region_flags */
	uint32_t reserved[4];
};

/* ft_region_hdr.flags */
enum ft_region_flags {
	/* Launcher region only: this run keeps a ledger (FT_LEDGER_NAME).
	 * Ingest then requires every region it lists. */
	FT_REGION_LEDGER = 1u << 0,
	/* Written at ingest by a runner rule (go's go-deps, cargo's
	 * cargo-deps): dependencies the run's build had, named after the
	 * run.  Its records' times are ingest's, not the run's, so they
	 * never widen a test's span (its measured duration). */
	FT_REGION_AT_INGEST = 1u << 1,
};

enum ft_backend { FT_BACKEND_PRELOAD = 1, FT_BACKEND_PTRACE = 2, FT_BACKEND_LAUNCHER = 3 };

enum ft_rec_type {
	FT_REC_ACCESS = 1,     /* op, result, class bits; data = path */
	FT_REC_CONTEXT = 2,    /* data = test id now current ("" = prelude) */
	FT_REC_TEST_BEGIN = 3, /* data = test id; it exists even if it touches nothing */
	FT_REC_TEST_END = 4,   /* data = test id; flags = enum ft_outcome; aux = the
				* runner's own duration, ms + 1 (0: none) */
	FT_REC_UNTRACED = 5,   /* data = program path; flags = enum ft_untraced_why */
	FT_REC_PROC = 6,       /* data = this image's executable; a new process image;
				* with FT_PROC_ARGV, a NUL then its argv (each
				* argument NUL-terminated) follow the executable */
	FT_REC_TEST_UNTRACED = 7, /* data = a test id; flags = enum ft_untraced_why: that
				   * test's own process cannot be traced (a static program
				   * started with FTRACE_TEST_ID=id), so it exists and is
				   * untraced; the current context is not changed */
	FT_REC_TIMES = 8,      /* data = struct ft_times, then the path: what a regular
				* file's stat was just before and just after a utime
				* family call that succeeded on it (the preload's libc
				* hooks only).  Ingest's evidence that the run changed
				* only the file's times (docs/racy-stat.md, "A run's
				* own utime"); never deduplicated */
	FT_REC_EXIT = 9,       /* data = struct ft_rec_exit; flags = enum ft_exit_flags:
				* how a process ended (its wait status), as its
				* parent reaped it (the preload's wait hooks) or as
				* the ptrace back end saw it end.  Ingest ties it to
				* the process in its tree (ingest/ft_ptree.h); a
				* process without one has no known status, never
				* "passed".  Never deduplicated; the current context
				* is not changed */
	FT_REC_ENV = 10,       /* data = the name of an environment variable the
				* process read (getenv, secure_getenv; Python's
				* os.environ through the control path's env/); "="
				* is the whole environment (iterated, copied).  Its
				* value is not carried: the dependency is on the
				* root environment's (common/ft_envdep.h).  Names
				* are at most 4096 bytes; ftrace's own (FTRACE_...)
				* are not written.  The current context is not
				* changed */
};

/* The data of FT_REC_EXIT. */
struct ft_rec_exit {
	int32_t pid;          /* the process that ended */
	int32_t wstatus;      /* its wait status (WIFEXITED, WIFSIGNALED); never a
			       * stopped or continued one */
};

/* ft_record.flags of FT_REC_EXIT: whose view it is. */
enum ft_exit_flags {
	/* The region's own process ended (the ptrace back end, which sees
	 * every tracee's end): `pid` is the region header's. */
	FT_EXIT_SELF = 1u << 0,
	/* The region's process reaped its child `pid` (waitpid, wait4,
	 * waitid, wait, wait3 returned its status).  The pid alone is not
	 * the child: ingest takes the latest child of that pid whose first
	 * record came before this one, and no status when another reap of
	 * the same pid lies between (a pid reused by a child that wrote no
	 * region). */
	FT_EXIT_REAPED = 1u << 1,
};

/* The data of FT_REC_TIMES before its path (the path's bytes follow; len
 * counts both).  Written only when both stats succeeded, named a regular
 * file, and agree on everything a utime cannot change. */
struct ft_times {
	uint64_t dev, ino;
	int64_t size;
	uint32_t mode;
	uint32_t hashed;      /* 1: `hash` is ft_times_hash() of the content read
			       * just before the call (a file of at most
			       * FT_TIMES_HASH_MAX bytes that could be read) */
	int64_t pre_mtime_ns, pre_ctime_ns;   /* just before the call */
	int64_t post_mtime_ns, post_ctime_ns; /* just after it */
	uint64_t hash;
};

/* The content hash of struct ft_times: FNV-1a, 64 bits, fed in any chunks
 * (start with FT_TIMES_HASH_INIT).  Not a defence against a chosen
 * collision; it tells content that changed from content that did not.
 * Pure, so the preload and ingest compute the same value. */
#define FT_TIMES_HASH_INIT 0xcbf29ce484222325ULL
#define FT_TIMES_HASH_MAX  (1u << 20)
static inline uint64_t ft_times_hash(uint64_t h, const void *p, uint64_t n)
{
	const unsigned char *b = p;

	for (uint64_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Outcome of a test, as stored and as passed to ftrace_test_end(). */
enum ft_outcome {
	FT_OUTCOME_UNKNOWN = 0, /* no end seen (killed, crashed): treated as failed */
	FT_OUTCOME_PASSED = 1,
	FT_OUTCOME_FAILED = 2,
	FT_OUTCOME_SKIPPED = 3,
	FT_OUTCOME_ERROR = 4,
};

/* ft_record.flags of FT_REC_CONTEXT. */
enum ft_context_flags {
	/* The records that follow, up to the next CONTEXT, TEST_BEGIN or
	 * TEST_END, are a runner scanning the tree to find its tests and
	 * modules (jest's haste map): ingest counts their successful stats,
	 * reads and listings as the path's type only, of reader
	 * FT_READER_SCAN (an entry gone since is no change to the scan).
	 * Only with id "". */
	FT_CONTEXT_SCAN = 1u << 0,
	/* With id "": the process was in the prelude from its start until
	 * here, and what ran so far was a runner's own start-up (pytest
	 * reading its configuration: adapters/pytest/ftrace_pytest_startup.py).
	 * Ingest may then count a pyproject.toml that only this part of the
	 * region used as a dependency on the part of it the runner reads
	 * (FT_DEP_FILE of reader FT_READER_CONFIG, docs/pytest.md).  The
	 * flag does not stay: the
	 * records that follow are the prelude's as usual. */
	FT_CONTEXT_STARTUP_END = 1u << 1,
	/* With id "": the records that follow, up to the next CONTEXT,
	 * TEST_BEGIN or TEST_END, are pytest's collector listing a directory
	 * to find test files (adapters/pytest/ftrace_pytest.py wraps
	 * _pytest.pathlib.scandir).  Ingest records their successful listings
	 * as FT_DEP_LIST of reader FT_READER_COLLECT (and the entries its
	 * ignore check stat'ed as FT_DEP_TYPE of it): a listing whose only
	 * reader is the collector, which ignores names it does not collect
	 * (docs/selection.md).  Only in the prelude. */
	FT_CONTEXT_COLLECT = 1u << 2,
	/* With id "": the records that follow, up to the next CONTEXT,
	 * TEST_BEGIN or TEST_END, are Python's import system listing a
	 * directory (adapters/pytest/ftrace_pysite.py wraps FileFinder's
	 * _fill_cache and importlib.metadata's FastPath.children).  Ingest
	 * records their successful listings as FT_DEP_LIST of reader
	 * FT_READER_IMPORT: a listing whose only reader looks at importable
	 * names alone.  The window opens and
	 * closes inside a start-up without ending it (FT_CONTEXT_STARTUP_END
	 * still confirms it).  Only in the prelude; may carry the flags of
	 * the window it opened in (FT_CONTEXT_COLLECT). */
	FT_CONTEXT_IMPORT = 1u << 3,
	/* With id "": an import window is over; the flags besides this one
	 * are the ones before it opened.  Not a switch either. */
	FT_CONTEXT_IMPORT_END = 1u << 4,
};

/*
 * The reader a context window makes of the listings (and entry stats) its
 * records hold, or of the files only a runner's start-up read: the number
 * ingest stores with the dependency's kind (store/ft_state.h,
 * ft_dep_code).  The numbers are stored, so they never change meaning.
 * What each one's changes mean is the runner module's that declares it
 * (runners/ft_reader.h): pytest's declares the first three, node's and
 * jest's the fourth, jest's the sixth; the fifth is the core's.  0 is
 * anyone.
 */
enum ft_reader_id {
	FT_READER_ANY = 0,
	FT_READER_COLLECT = 1,  /* FT_CONTEXT_COLLECT ("pytest-collect") */
	FT_READER_IMPORT = 2,   /* FT_CONTEXT_IMPORT ("python-import") */
	FT_READER_CONFIG = 3,   /* FT_CONTEXT_STARTUP_END: a FILE only pytest's
				 * start-up read, as its configuration
				 * ("pytest-config") */
	FT_READER_SCAN = 4,     /* a TYPE only a runner's walk for test files
				 * saw: an FT_CONTEXT_SCAN window's (jest's
				 * crawl), or a runner image's own whose tests
				 * are processes of their own
				 * (FT_POLICY_SCAN_GONE, ingest/ft_ptree.h:
				 * node's); "runner-scan" */
	FT_READER_MADE = 5,     /* a TYPE of a file the test made by an open
				 * that asked nothing first (fopen "w", a
				 * rename over it), kept at ingest: its going
				 * is no change (ingest/ft_ingest.c,
				 * made_file); "made" */
	FT_READER_JEST_SNAPSHOTS = 6, /* a LIST of a `__snapshots__` directory
				       * that jest's crawl found beside one it
				       * scanned: only a snapshot file added
				       * without its test file is a change
				       * (runners/runner_jest_snapshots.c);
				       * "jest-snapshots" */
};

/* ft_record.flags of FT_REC_PROC. */
enum ft_proc_flags {
	FT_PROC_ARGV       = 1u << 0, /* argv follows the executable */
	FT_PROC_ARGV_TRUNC = 1u << 1, /* ... cut at FT_ARGV_MAX: never match on it */
	FT_PROC_CWD        = 1u << 2, /* the last NUL-terminated string after the argv
				       * is the image's cwd at exec (both back ends) */
};
#define FT_ARGV_MAX 4096u             /* bytes of /proc/self/cmdline kept */

/* Why a subtree could not be traced; its test is always selected. */
enum ft_untraced_why {
	FT_UNTRACED_STATIC = 1,  /* ELF without PT_INTERP */
	FT_UNTRACED_SETUID = 2,  /* set-user/group-ID: ld.so ignores LD_PRELOAD */
	FT_UNTRACED_GO = 3,      /* Go binary: raw syscalls bypass libc */
	FT_UNTRACED_NOREGION = 4,/* the run dir could not be written */
	FT_UNTRACED_UNKNOWN = 5,
	FT_UNTRACED_FOREIGN = 6, /* a dynamic ELF whose ld.so cannot load the
				  * preload: 32-bit, another machine, musl */
	FT_UNTRACED_RAWSYS = 7,  /* the process runs code that makes its own
				  * system calls: a Go library loaded into a
				  * dynamic program; io_uring */
	FT_UNTRACED_USER = 8,    /* the process took a user that cannot write
				  * the run dir (preload/hook_reach.c) */
	FT_UNTRACED_CHROOT = 9,  /* the process moved its root: the paths it
				  * records name other files (hook_reach.c) */
	FT_UNTRACED_CAPS = 10,   /* file capabilities, exec'd by a user other
				  * than root: ld.so ignores LD_PRELOAD */
	FT_UNTRACED_PARTIAL = 11,/* the runner ran only some of the test's
				  * cases (jest -t: an adapter's `partial`) */
};

/* Access class bits (ft_record.flags for FT_REC_ACCESS).  Ingest decides the
 * kind of dependency from these, the result, and the path's type. */
enum ft_access_class {
	FT_AC_READ     = 1u << 0,  /* content read: open for reading, fopen "r", mapped */
	FT_AC_WRITE    = 1u << 1,  /* opened for writing */
	FT_AC_CREATE   = 1u << 2,  /* O_CREAT, creat, mkdir, link/symlink/rename target */
	FT_AC_TRUNC    = 1u << 3,  /* O_TRUNC, truncate */
	FT_AC_DELETE   = 1u << 4,  /* unlink, rmdir, rename source */
	FT_AC_STAT     = 1u << 5,  /* metadata: stat, access, realpath component */
	FT_AC_NOFOLLOW = 1u << 6,  /* lstat, O_NOFOLLOW, readlink: the link itself */
	FT_AC_LIST     = 1u << 7,  /* directory entries read */
	FT_AC_EXEC     = 1u << 8,  /* executed (program or interpreter) */
	FT_AC_LINK     = 1u << 9,  /* symlink target read (readlink) */
	FT_AC_CHDIR    = 1u << 10, /* became the cwd */
	FT_AC_LIB      = 1u << 11, /* loaded by ld.so or dlopen */
	FT_AC_ATTR     = 1u << 12, /* mode, owner or times changed: chmod, chown
				    * (which clears set-user-ID), the utime family;
				    * the run changed the path's inode, not its
				    * content */
	FT_AC_EXCL     = 1u << 13, /* O_CREAT|O_EXCL: when it succeeds, the name
				    * was absent and the file is new and empty */
};

/* One row per intercepted operation: name and default access class.  The
 * preload hooks and the ptrace decoder both map onto these ops, so the same
 * behaviour yields the same record whichever back end saw it. */
#define FT_OPS(X)                                         \
	X(OPEN,        "open",        FT_AC_READ)            \
	X(CREAT,       "creat",       FT_AC_WRITE | FT_AC_CREATE | FT_AC_TRUNC) \
	X(FOPEN,       "fopen",       FT_AC_READ)            \
	X(STAT,        "stat",        FT_AC_STAT)            \
	X(LSTAT,       "lstat",       FT_AC_STAT | FT_AC_NOFOLLOW) \
	X(ACCESS,      "access",      FT_AC_STAT)            \
	X(READLINK,    "readlink",    FT_AC_LINK | FT_AC_NOFOLLOW) \
	X(REALPATH,    "realpath",    FT_AC_STAT)            \
	X(OPENDIR,     "opendir",     FT_AC_LIST)            \
	X(GETDENTS,    "getdents",    FT_AC_LIST)            \
	X(EXEC,        "exec",        FT_AC_READ | FT_AC_EXEC) \
	X(EXEC_SEARCH, "exec-search", FT_AC_STAT)            \
	X(SPAWN,       "spawn",       FT_AC_READ | FT_AC_EXEC) \
	X(LIBLOAD,     "libload",     FT_AC_READ | FT_AC_LIB) \
	X(DLOPEN,      "dlopen",      FT_AC_READ | FT_AC_LIB) \
	X(CHDIR,       "chdir",       FT_AC_STAT | FT_AC_CHDIR) \
	X(MKDIR,       "mkdir",       FT_AC_CREATE)          \
	X(RENAME_SRC,  "rename-from", FT_AC_DELETE)          \
	X(RENAME_DST,  "rename-to",   FT_AC_CREATE | FT_AC_TRUNC) \
	X(UNLINK,      "unlink",      FT_AC_DELETE)          \
	X(RMDIR,       "rmdir",       FT_AC_DELETE)          \
	X(LINK_DST,    "link-to",     FT_AC_CREATE)          \
	X(SYMLINK_DST, "symlink-to",  FT_AC_CREATE)          \
	X(TRUNCATE,    "truncate",    FT_AC_WRITE | FT_AC_TRUNC) \
	/* link()'s source: the new name reaches its content, so a read \
	 * through it (under /tmp, dropped as scratch) is a read of the \
	 * source.  The record just before the call's link-to, in the same \
	 * region (ingest pairs them). */ \
	X(LINK_SRC,    "link-from",   FT_AC_READ)            \
	X(CHMOD,       "chmod",       FT_AC_ATTR)            \
	X(CHOWN,       "chown",       FT_AC_ATTR)            \
	/* the utime family: times set, neither mode nor content */ \
	X(UTIME,       "utime",       FT_AC_ATTR)

enum ft_op {
	FT_OP__NONE = 0,
#define FT__OP_ENUM(name, str, cls) FT_OP_##name,
	FT_OPS(FT__OP_ENUM)
#undef FT__OP_ENUM
	FT_OP__COUNT
};

/* Record header (24 bytes); `len` payload bytes follow, then a NUL, then zero padding up
 * to FT_REC_ALIGN.  size == FT_REC_SIZE(len). */
struct ft_record {
	uint32_t size;    /* whole record, header and padding included */
	uint8_t  type;    /* enum ft_rec_type */
	uint8_t  op;      /* enum ft_op, FT_REC_ACCESS only */
	uint8_t  err;     /* 0 on success, else the errno of the failed call (<256) */
	uint8_t  commit;  /* FT_COMMIT once complete; stored last, release order */
	uint32_t flags;   /* enum ft_access_class bits, or outcome / untraced reason */
	uint32_t len;     /* payload bytes, without the NUL */
	uint32_t aux;     /* FT_REC_TEST_END: the runner's own duration of the
			   * test in ms, plus one (0: none reported; the jest
			   * adapter's perfStats, docs/jest.md); 0 otherwise */
	uint64_t t_ns;    /* CLOCK_MONOTONIC when written: orders records across
			   * processes ("created before it was read" needs a
			   * time order; pid order is not one) */
	char     data[];
};

#define FT_REC_SIZE(len) \
	((uint32_t)((sizeof(struct ft_record) + (len) + 1 + FT_REC_ALIGN - 1) & ~(FT_REC_ALIGN - 1)))

/* An error that means "this path does not exist" (an absence dependency). */
#define FT_ERR_IS_ABSENT(e) ((e) == 2 /* ENOENT */ || (e) == 20 /* ENOTDIR */)

#endif
