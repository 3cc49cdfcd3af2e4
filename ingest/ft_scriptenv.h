/*
 * ft_scriptenv.h - the environment variables a shell or make reads, found
 * in the text it runs (docs/usage.md, "Environment variables").
 *
 * A shell takes its environment in as variables at its start and expands
 * `$NAME` from memory; make makes every variable of its environment a
 * make variable.  No hook sees either read.  But both read their program
 * as text: the script a shell runs (and each file it sources), the `-c`
 * command string, the makefiles.  So ingest takes each variable reference
 * written in that text as a read of the variable by that process:
 *  - shell: `$NAME`, `${NAME...}`, `${#NAME}`; a `~` at a word's start
 *    reads HOME; `${!P*}` and `${!P@}` read every variable whose name
 *    begins with P (the name "P=", common/ft_envdep.h); a listing of its
 *    variables (`export`, `declare`, `typeset` with no operand, `set`
 *    alone, `compgen -e`) reads them all ("=", once), and so does a name
 *    built at run time (`eval`, a name reference `local -n`/`declare -n`)
 *    and text sourced from a pipe or standard input (`. <(...)`, `source
 *    /dev/stdin`), which ingest cannot read; `${!REF}` reads REF and
 *    every variable, or, where the text gives REF a value before any
 *    other mention and every value given begins with P, every variable
 *    whose name begins with P ("P=": pyenv's shims);
 *  - make: `$(NAME...)`, `${NAME...}` (a function's name, `$(shell ...)`,
 *    is taken too: a harmless extra), and `$X` of one character; a
 *    computed name `$(P$(V))` reads every variable whose name begins with
 *    P ("P=", or "=" for `$($(V))`); `ifdef NAME`, `ifndef NAME`,
 *    `$(value NAME)`, `$(origin NAME)`, `$(flavor NAME)` and `$(call
 *    NAME,...)` read NAME; `$$(NAME)` is taken as NAME too (text that
 *    `$(eval ...)` makes a makefile of); `$$` is otherwise a '$' for the
 *    recipe's shell, whose `-c` text is scanned as a shell's;
 *    `.VARIABLES` (the names of all variables) reads them all ("=");
 * NAME is a letter or '_' then letters, digits or '_'.  Over-approximate
 * (a comment's or a quoted `$` counts too) and sound for names written
 * out or built as above (a shell's `$$name` is its process id, then a
 * word).  Plus the variables each program reads whatever its text says
 * (ft_script_implicit).
 *
 * Other programs that take their environment in from memory:
 *  - awk (awk, gawk, mawk, nawk, original-awk, busybox awk): its ENVIRON
 *    array.  `ENVIRON["NAME"]` (a string literal without escapes) reads
 *    NAME; any other use of ENVIRON (`for (k in ENVIRON)`, `"X" in
 *    ENVIRON`, `ENVIRON[v]`, a concatenated key) reads every variable:
 *    the name "=" (common/ft_envdep.h).  Its text is its arguments (the
 *    program is one) and each file it reads (`-f` programs; data files
 *    too, an over-approximation).
 *  - a Python that runs without ftrace's site hooks (ft_script_python_bare):
 *    every variable ("=", implicit).
 *  - perl: `%ENV` is built from `environ` at its start, and the standard
 *    library's own modules (File::Spec::Unix, Cwd, POSIX) index it with
 *    computed keys, so a Perl program reads every variable ("=",
 *    implicit; its text is not scanned).
 *  - a Go program a test builds and runs (`go run ./cmd/x`, `go build`
 *    then exec): Go reads its environment from memory, and the program
 *    has no test log.  Its sources are read by Go's compiler (or the go
 *    command, hashing them for a cached build) in the test's context:
 *    the names in them (ft_go_envnames.h) are the test's (ft_collect.c;
 *    not the standard library's).
 *  - a program that loads a runtime which does the same
 *    (ft_script_lib_reads_all): the JVM (`System.getenv` reads a map built
 *    from `environ`), libperl (perl embedded), Tcl (its `env` array).
 *
 * Pure: no I/O.  fn(arg, name, len) for each reference in order, repeats
 * included; its negative return stops the scan and is returned.  Any
 * bytes are accepted, never read past len.
 */
#ifndef FT_SCRIPTENV_H
#define FT_SCRIPTENV_H

#include <stddef.h>

enum ft_script_kind {
	FT_SCRIPT_NONE = 0,
	FT_SCRIPT_SHELL,   /* sh, dash, bash, zsh, ksh, mksh, ash, yash, busybox sh */
	FT_SCRIPT_MAKE,    /* make, gmake */
	FT_SCRIPT_AWK,     /* awk, gawk, mawk, nawk, original-awk, busybox awk */
	FT_SCRIPT_PERL,    /* perl, perl5.36.0: every variable, text unread */
	FT_SCRIPT_PYBARE,  /* a Python without ftrace's site hooks
			    * (ft_script_python_bare): every variable */
	FT_SCRIPT_GOC,     /* Go's compiler (GOROOT/pkg/tool/<os_arch>/compile)
			    * and the go command (GOROOT/bin/go): the .go
			    * files they read, ft_go_envnames.h */
	FT_SCRIPT__COUNT
};

#define FT_SCRIPT_NAME_MAX 256

/* The kind of the program `exe` (its path; argv0 may be NULL): by the
 * executable's last component, and busybox by argv[0]'s. */
enum ft_script_kind ft_script_kind_of(const char *exe, const char *argv0);

int ft_script_env_names(enum ft_script_kind k, const char *text, size_t len,
			int (*fn)(void *arg, const char *name, size_t len), void *arg);

/* What each kind reads whatever its text says, NULL-terminated: a shell's
 * IFS, ENV, BASH_ENV, CDPATH, ...; make's MAKEFLAGS, MAKEFILES and the
 * variables of its built-in rules (CC, CFLAGS, LDFLAGS, ...); perl's "="
 * (every variable). */
const char *const *ft_script_implicit(enum ft_script_kind k);

/* Does kind k name variables in its text (each file it reads is to be
 * scanned)?  0 for FT_SCRIPT_NONE, FT_SCRIPT_PERL and FT_SCRIPT_PYBARE.
 * (FT_SCRIPT_GOC's files are Go: ft_go_env_names, not ft_script_env_names,
 * which gives nothing for it.) */
int ft_script_scans(enum ft_script_kind k);

/* Does kind k's every argument hold text to scan (a shell's `-c` string,
 * awk's program)? */
int ft_script_scans_argv(enum ft_script_kind k);

/* Is `exe` a Python interpreter (python, python3, python3.12, pypy3)
 * started with -E, -I or -S among the options before its script, module
 * or command (argv[1..argc))?  Then ftrace's sitecustomize is not imported
 * (-E ignores the PYTHONPATH that names it, -S imports no site at all), so
 * its os.environ reads go unseen: it reads every variable.  Not when it
 * runs pytest (`-m pytest`, `-m py.test`), whose own plugin option loads
 * the adapter or fails the run. */
int ft_script_python_bare(const char *exe, int argc, char *const *argv);

/* Does the argument list argv[1..argc) of a program of kind k give it text
 * that ingest cannot read?  Then it reads every variable.
 *  - awk: a program file (-f, --file, -i, --include, -E, --exec) named "-"
 *    or under /dev or /proc (`awk -f /dev/stdin <<EOF`: a pipe or a
 *    here-document);
 *  - make: a makefile (-f, --file, --makefile) named so (`make -f -`);
 *  - a shell: no -c, and -s or no command file after its options (it
 *    reads its program from standard input: `echo 'echo $X' | sh`, a
 *    Python test's `subprocess.run(["sh"], input=...)`), or a command
 *    file under /dev or /proc (`bash <(...)`). */
int ft_script_argv_unread(enum ft_script_kind k, int argc, char *const *argv);

/* Is the object at path[0..len) a runtime whose loading means that the
 * program reads every variable of its environment from memory: libjvm.so,
 * libperl.so[.N...], libtcl<V>.so[.N...]?  By its last component. */
int ft_script_lib_reads_all(const char *path, size_t len);

#endif
