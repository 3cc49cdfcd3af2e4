/*
 * ft_error.h - the one table of ftrace error codes.
 *
 * Contract:
 *  - Library functions return 0 (or a non-negative count) on success and a
 *    negative FT_E* code on failure.  They never print and never exit; only
 *    the command layer (cli/) turns a code into a message and an exit status.
 *  - Codes below FT_E__BASE are negated errno values (-ENOENT, ...), so a
 *    failed system call can be passed up unchanged as -errno.
 *  - ft_strerror() never returns NULL and is async-signal-safe (it only
 *    returns pointers to static strings); errno strings go through strerror
 *    only for the negated-errno range, which the interposer never calls.
 */
#ifndef FT_ERROR_H
#define FT_ERROR_H

#define FT_E__BASE 4096

/* X-macro: name, message.  Order is ABI for nothing; append freely. */
#define FT_ERRORS(X)                                                        \
	X(FT_ENORECORD, "no recording found (run `ftrace run -- <tests>` first)") \
	X(FT_ECORRUPT,  "database is corrupt or not an ftrace database")         \
	X(FT_ESCHEMA,   "database schema is newer than this ftrace")             \
	X(FT_EDB,       "database error")                                        \
	X(FT_EFORMAT,   "malformed input")                                       \
	X(FT_EUSAGE,    "invalid usage")                                         \
	X(FT_ENOPRELOAD,"preload library not found next to the ftrace binary")   \
	X(FT_ETOOLONG,  "path or record too long")                               \
	X(FT_ECONFIG,   "invalid configuration")                                 \
	X(FT_EINTERNAL, "internal error")                                        \
	X(FT_ENOTREG,   "not a regular file (a FIFO, device, socket or symlink is never read)") \
	X(FT_EUNSAFE,   "owned by another user or writable by others (FTRACE_SAFE_DIRS allows it)") \
	X(FT_EREPO,     "the database belongs to another repository") \
	X(FT_EUNKNOWN,  "cannot tell which tests are affected")

enum ft_error {
	FT_E__FIRST = FT_E__BASE,
#define FT__ERR_ENUM(name, msg) name##__POS,
	FT_ERRORS(FT__ERR_ENUM)
#undef FT__ERR_ENUM
};

/* The negative codes callers compare against: FT_ECORRUPT == -(FT_ECORRUPT__POS). */
#define FT__NEG(n) (-(int)(n##__POS))
#define FT_ENORECORD  FT__NEG(FT_ENORECORD)
#define FT_ECORRUPT   FT__NEG(FT_ECORRUPT)
#define FT_ESCHEMA    FT__NEG(FT_ESCHEMA)
#define FT_EDB        FT__NEG(FT_EDB)
#define FT_EFORMAT    FT__NEG(FT_EFORMAT)
#define FT_EUSAGE     FT__NEG(FT_EUSAGE)
#define FT_ENOPRELOAD FT__NEG(FT_ENOPRELOAD)
#define FT_ETOOLONG   FT__NEG(FT_ETOOLONG)
#define FT_ECONFIG    FT__NEG(FT_ECONFIG)
#define FT_EINTERNAL  FT__NEG(FT_EINTERNAL)
#define FT_ENOTREG    FT__NEG(FT_ENOTREG)
#define FT_EUNSAFE    FT__NEG(FT_EUNSAFE)
#define FT_EREPO      FT__NEG(FT_EREPO)
#define FT_EUNKNOWN   FT__NEG(FT_EUNKNOWN)

/* Message for a negative code (FT_E* or -errno).  Never NULL. */
const char *ft_strerror(int code);

/*
 * struct ft_err: the one way a failure's human reason travels up with its
 * code.  The step that fails fills it (ft_err_set: the code, and what
 * failed on which path and what the user can do); the layers above pass it
 * on as it is, and cli/ words it and prints it (ft_err_msg).  A code with
 * an empty `why` is said by ft_strerror alone.  With code 0 and a `why`, it
 * is a note: nothing failed, but the user should know (a filter that gave
 * up and kept the set).  The caller owns it (no allocation: safe to embed
 * and to leave uncleared after use).
 */
#define FT_ERR_WHY 4400
struct ft_err {
	int code;               /* 0, or a negative FT_E* / -errno */
	char why[FT_ERR_WHY];   /* "" or the reason, bounded */
};

/* Set `e` to `code` and the formatted reason (fmt NULL: no reason);
 * returns `code`, so that a step can `return ft_err_set(e, rc, ...)`. */
int ft_err_set(struct ft_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The reason, else the code's message ("" for a clear one).  Never NULL. */
const char *ft_err_msg(const struct ft_err *e);

#endif
