/*
 * ft_execlass.h - what an exec of a file runs, as far as recording is
 * concerned: the one executable classifier of both back ends.
 *
 * LD_PRELOAD is honoured by ld.so only, so an ELF without PT_INTERP (static)
 * runs without the preload; Go makes raw system calls even when dynamically
 * linked.  A program is Go when a PT_NOTE segment holds a note named "Go"
 * (the build id) or a section is named `.go.buildinfo` (every Go binary
 * since 1.13; one linked with `-ldflags=-buildid=` has no note, and with
 * `-linkmode=external` it has a PT_INTERP: t7201).  A "#!" script runs its
 * interpreter, which is classified in turn.
 *
 * Callers: the preload, at every exec and spawn (preload/exec_target.c: record the
 * program untraced, or hand it to the ptrace back end), and the launcher,
 * for the first command of a run (tracer/ft_launch.c: preload or ptrace).
 * They ask the same file the same question and apply ft_execlass_why().
 *
 * Reads the file with pread only (no libelf, no allocation, no libc state:
 * async-signal-safe, fit for a vfork child, compiled into the preload),
 * in host byte order, with bounded reads: the first 64 program headers, the
 * first 1 KiB of each note segment, the first 64 KiB of the section name
 * table.  The caller opens and closes the file.
 */
#ifndef FT_EXECLASS_H
#define FT_EXECLASS_H

#include <stddef.h>

#include "ft_record.h"

enum ft_exe_kind {
	FT_EXE_OTHER = 0,   /* not ELF, not "#!", or an ELF header too short
			     * (the kernel refuses it): nothing to say */
	FT_EXE_SCRIPT = 1,  /* starts with "#!" */
	FT_EXE_ELF = 2,     /* an ELF: see interp and go */
	FT_EXE_BADELF = 3,  /* an ELF whose program headers cannot be read
			     * (as those of the other byte order cannot) */
};

struct ft_execlass {
	enum ft_exe_kind kind;
	int interp;         /* FT_EXE_ELF: has PT_INTERP, so ld.so runs */
	int go;             /* FT_EXE_ELF: a Go program, with PT_INTERP or not */
	int foreign;        /* FT_EXE_ELF with PT_INTERP: its ld.so cannot load
			     * the preload (another class, byte order or
			     * machine than this build's, or an interpreter not
			     * named as glibc's: musl's ld-musl-*.so.1) */
};

/*
 * Classify the file open on `fd` (read with pread, offset untouched), whose
 * first `got` bytes the caller has read into `head`.  Never fails: a read
 * that fails leaves the answer of what could be read.
 */
void ft_execlass_read(struct ft_execlass *c, int fd, const unsigned char *head, size_t got);

/*
 * Why the preload cannot record inside the program, an enum
 * ft_untraced_why: FT_UNTRACED_STATIC (no PT_INTERP, Go or not),
 * FT_UNTRACED_GO, FT_UNTRACED_FOREIGN (a dynamic ELF whose ld.so ignores
 * or cannot load our LD_PRELOAD: it would run with no interposer and no
 * word of it), FT_UNTRACED_UNKNOWN (FT_EXE_BADELF), or 0 when it can (a
 * dynamic ELF of this build's kind, a script, anything else).  STATIC and
 * GO are the programs the ptrace back end can run instead; a FOREIGN one
 * is left untraced (its test is selected).
 */
int ft_execlass_why(const struct ft_execlass *c);

/*
 * Does the note area [buf, buf+n) (the contents of a PT_NOTE segment, in
 * memory or read from the file) hold a note named "Go" (Go's build id)?
 * Bounded by n; never reads past it.  The preload asks it of every object
 * ld.so loaded (preload/libs.c): Go code in a library (-buildmode=c-shared)
 * makes raw system calls that no hook sees.
 */
int ft_execlass_notes_go(const unsigned char *buf, size_t n);

/*
 * The interpreter of a "#!" script (its first word, an absolute path) into
 * buf[size], NUL-terminated; returns its length, or 0 when there is none.
 */
size_t ft_execlass_shebang(const unsigned char *head, size_t got, char *buf, size_t size);

#endif
