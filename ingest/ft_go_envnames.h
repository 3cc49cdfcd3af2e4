/*
 * ft_go_envnames.h - the environment variable names a Go source file may
 * read before its tests start (docs/go.md, "Environment variables").
 *
 * Go's test log names what the tests read from m.Run on; a package-level
 * `var x = os.Getenv("X")`, an init function or TestMain before m.Run read
 * earlier, unlogged.  For those, every string literal of the module's own
 * sources that has the shape of a variable's name (a letter or '_', then
 * letters, digits, '_', '-' or '.', a letter among them; either case: a
 * program may name its variables in lower case, `os.Getenv("app_debug")`,
 * or `os.Getenv("app-mode")`), and each value of a struct tag in a raw
 * literal (`env:"PORT,required"`: PORT; what a library that fills a
 * configuration struct from the environment reads), counts as a
 * variable the test may read, and so does each reference that os.Expand
 * and os.ExpandEnv would take from a literal used as a template (`$NAME`,
 * `${NAME}`, inside a longer literal: "${DIR}/x", "$HOME/.rc", escapes or
 * not): an over-approximation for names written in the source, the
 * literal or a constant's; a name the code builds (a prefix and a suffix
 * joined) is not seen.
 *
 * And `os.Environ` or `syscall.Environ` named in code (outside strings and
 * comments) reads the whole environment: the name "=" (common/ft_envdep.h),
 * as Go's test log does not say it either.  So do the standard library's
 * functions that read variables inside themselves, named in code: each
 * gives the names it reads (`os.TempDir`: TMPDIR; `os.UserCacheDir`:
 * XDG_CACHE_HOME and HOME; `os.Getwd`: PWD; `http.ProxyFromEnvironment`,
 * `x509.SystemCertPool`, `user.Current`, `time.LoadLocation`: the table in
 * ft_go_envnames.c).
 *
 * ft_go_env_names scans Go source text: comments are skipped, interpreted
 * ("...") and raw (`...`) string literals are read, rune literals skipped;
 * a literal holding an escape sequence is not a name.  fn(arg, name, len)
 * for each match, in order, repeats included; its negative return stops
 * the scan and is returned.  Any bytes are accepted (a file that is not Go
 * gives what it gives); never reads past len.  Pure: no I/O.
 */
#ifndef FT_GO_ENVNAMES_H
#define FT_GO_ENVNAMES_H

#include <stddef.h>

#define FT_GO_ENVNAME_MAX 256

int ft_go_env_names(const char *src, size_t len,
		    int (*fn)(void *arg, const char *name, size_t len), void *arg);

/* Is name[0..len) of the conventional shape, two or more upper-case
 * letters, digits and '_' ("NO_COLOR", "RUNEWIDTH_EASTASIAN")?  The names
 * taken from a versioned module's code (the module cache), which is large
 * and full of other literals ("keyword", "string": a syntax highlighter's
 * tables held ten thousand); "=" is not. */
int ft_go_env_conventional(const char *name, size_t len);

#endif
