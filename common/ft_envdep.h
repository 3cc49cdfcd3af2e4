/*
 * ft_envdep.h - environment variables as dependencies.
 *
 * A test that read variable NAME depends on it: its state is the value the
 * environment that ftrace was started in gave NAME (the run's *root*
 * environment, as `ftrace run` found it), compared later with the value in
 * the environment `ftrace affected` runs in.  The root, not the value the
 * process saw: what a process sees is the root's value or what the run's
 * own code (a runner, a conftest, `env FOO=1 ...`) made of it, and that
 * code is a file dependency already; the root's value is the one input the
 * files do not hold.  A variable the run set itself (pytest's
 * PYTEST_CURRENT_TEST) is then unset in the root and unset again where
 * `affected` runs, which is no change.
 *
 * Stored as dependencies of kind FT_DEP_ENV (store/ft_state.h) whose path
 * is "$NAME": a name, never a file (no recorded file path is relative), so
 * the path table, set digests and bundles carry it like any path.  The
 * value is xxh3-64 (seed 0) of the value's bytes, or FT_ENVDEP_UNSET (the
 * "absent" sentinel) when NAME is unset.  Only hashes are kept: no value (a token, a password)
 * reaches the database, a bundle or the run dir.
 *
 * "$P=" (no variable's name holds a '=': putenv splits at the first one)
 * is every variable whose name begins with P: a program that reads its
 * configuration from the environment by prefix (cargo takes any
 * CARGO_... as a config key: "$CARGO_=").  Its value is xxh3-64 over the
 * sorted names of those variables, each followed by NUL and its value's
 * hash (8 bytes, little-endian); with none set, that of no bytes.  "$="
 * (P empty) is the whole environment: a test that read all of it (Python
 * iterating os.environ, copying it).
 *
 * ftrace's own variables (FTRACE_...) are never dependencies: they are the
 * recording's protocol, set by ftrace (docs/usage.md).  Nor are the ones
 * each shell writes anew for every program it starts (PWD, OLDPWD, SHLVL,
 * _): their values where `affected` runs are not the ones the tests get.
 *
 * The run dir holds the root environment's hashes in FT_ENVDEP_FILE,
 * written before the command starts: a name, NUL, 16 lowercase hex digits
 * of its value's hash, NUL; again for every variable.  Reading it is
 * reading hostile input (ft_file.h's rules: a regular file, no link, never
 * a FIFO; at most FT_ENVDEP_FILE_MAX bytes); a malformed file is no
 * snapshot, and then every variable's recorded value is FT_ENVDEP_UNKNOWN
 * (changed: selected).
 *
 * Errors: negative -errno / FT_E*.  Not async-signal-safe (the preload
 * writes names only: ft_record.h, FT_REC_ENV).
 */
#ifndef FT_ENVDEP_H
#define FT_ENVDEP_H

#include <stddef.h>
#include <stdint.h>

#include "ft_map.h"

#define FT_ENVDEP_MARK '$'
#define FT_ENVDEP_WHOLE "="          /* the name of the whole environment */
#define FT_ENVDEP_FILE "environ"     /* in the run dir */
#define FT_ENVDEP_FILE_MAX (16u << 20)
#define FT_ENVDEP_NAME_MAX 4096u
/* store/ft_state.h's FT_VALUE_ABSENT and FT_VALUE_UNKNOWN (it checks that
 * they agree): an unset variable, and a value that cannot be known */
#define FT_ENVDEP_UNSET   UINT64_C(0xfffffffffffffff1)
#define FT_ENVDEP_UNKNOWN UINT64_C(0xfffffffffffffff5)

/* Is `name` (len bytes) one ftrace never records: its own (FTRACE_...), a
 * shell's (PWD, OLDPWD, SHLVL, _), empty, or holding a NUL or a '=' but
 * as its last byte?  A prefix ("P=", and "=", the whole environment) is
 * skipped only when P begins with FTRACE_. */
int ft_envdep_skip(const char *name, size_t len);

/* Is `name` (len bytes, not skipped) a prefix, "P=" or "="? */
static inline int ft_envdep_is_prefix(const char *name, size_t len)
{
	return len >= 1 && name[len - 1] == '=';
}

/* Is the stored path `p` an environment dependency's ("$NAME")? */
static inline int ft_envdep_is(const char *p, size_t len)
{
	return len >= 2 && p[0] == FT_ENVDEP_MARK;
}

/* The hash of a value (xxh3-64, seed 0). */
uint64_t ft_envdep_hash(const char *value, size_t len);

/* The value of dependency path `p` ("$NAME", "$P=" or "$=") in this process's
 * environment now: the hash, FT_ENVDEP_UNSET when unset, FT_ENVDEP_UNKNOWN
 * when `p` is no such path or memory runs out. */
uint64_t ft_envdep_now(const char *p, size_t len);

/* The root environment's hashes, as written into the run dir. */
struct ft_envsnap {
	int present;            /* the file was read and well formed */
	struct ft_map names;    /* name -> index into hashes */
	uint64_t *hashes;
	size_t cap;
};

#define FT_ENVSNAP_INIT { 0 }

/* Write FT_ENVDEP_FILE into `run_dir` from this process's environment
 * (O_EXCL, 0600).  0 or -errno. */
int ft_envsnap_write(const char *run_dir);

/* Read `run_dir`'s FT_ENVDEP_FILE.  A missing or malformed file leaves
 * s->present 0 and returns 0; -ENOMEM is the only error. */
int ft_envsnap_load(struct ft_envsnap *s, const char *run_dir);

/* The value dependency path `p` ("$NAME", "$P=", "$=") had in the root
 * environment: as ft_envdep_now(), FT_ENVDEP_UNKNOWN without a snapshot. */
uint64_t ft_envsnap_value(const struct ft_envsnap *s, const char *p, size_t len);

void ft_envsnap_release(struct ft_envsnap *s);

/*
 * The variables that libc and ld.so read for every program, where no hook
 * sees it (calls inside libc never reach the interposer: DESIGN.md): the
 * locale, the time zone, the search path of execvp and ld.so, glibc's
 * tunables.  Every test of a run depends on them (ingest adds them to the
 * session prelude).  NULL-terminated.
 */
extern const char *const ft_envdep_implicit[];

#endif
