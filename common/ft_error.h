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

#endif
