/*
 * libs.c - what ld.so loaded.
 *
 * ld.so maps the executable's interpreter, its DT_NEEDED libraries and
 * /etc/ld.so.cache with its own internal calls, which no hook sees, and a
 * dlopen()'d library pulls in dependencies the same way.  So the objects are
 * listed from dl_iterate_phdr(): at start, and again after every successful
 * dlopen() (dedup makes the second walk cost a hash per object).
 *
 * The directories ld.so's search went through without finding a name are
 * absences: for the executable's DT_NEEDED names at start, and for a
 * dlopen() of a bare name, which the hook searches itself as the caller's
 * would be searched (dlsearch.c).  NEEDSWORK: the libraries' own DT_NEEDED
 * searches (their RUNPATHs) are not walked; LD_AUDIT's la_objsearch()
 * could report every probe.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "ft_execlass.h"
#include "ft_preload.h"

/*
 * Does this object carry Go code?  Its PT_NOTE segments are read where
 * ld.so mapped them, with no system call, and only when the note lies
 * inside one of the object's own loaded, readable segments (a note outside
 * them is not in memory: it is skipped, never touched).  A Go library
 * (-buildmode=c-shared; a c-archive linked in carries the note too) makes
 * raw system calls that no hook sees.  NEEDSWORK: one linked with
 * -ldflags=-buildid= has no note; only its `.go.buildinfo` section, which
 * is not mapped, tells (the exec classifier reads it from the file).
 */
static int ft_lib_is_go(const struct dl_phdr_info *info)
{
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *n = &info->dlpi_phdr[i];
		uint64_t size = n->p_filesz < 4096 ? n->p_filesz : 4096;

		if (n->p_type != PT_NOTE || !size)
			continue;
		for (int j = 0; j < info->dlpi_phnum; j++) {
			const ElfW(Phdr) *l = &info->dlpi_phdr[j];

			if (l->p_type == PT_LOAD && (l->p_flags & PF_R) && n->p_vaddr >= l->p_vaddr &&
			    n->p_vaddr + size <= l->p_vaddr + l->p_filesz &&
			    ft_execlass_notes_go((const unsigned char *)(info->dlpi_addr + n->p_vaddr),
						 (size_t)size))
				return 1;
		}
	}
	return 0;
}

/* liburing (and its liburing-ffi twin) makes io_uring's system calls
 * itself (its default build has no libc in between); a ring's opens and
 * reads make none. */
static int ft_lib_is_uring(const char *name)
{
	const char *base = strrchr(name, '/');

	base = base ? base + 1 : name;
	return !strncmp(base, "liburing.so", 11) || !strncmp(base, "liburing-ffi.so", 15);
}

static int ft_lib_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	const char *name = info->dlpi_name;

	if (name && name[0]) {
		/* not linux-vdso.so.1, and not ourselves: ftrace is no input */
		if (strchr(name, '/') && strcmp(name, ft__proc.preload)) {
			ft__access(AT_FDCWD, name, FT_OP_LIBLOAD, ft__op_class(FT_OP_LIBLOAD), 0);
			/* named even after the raw-call trap marked the process
			 * (a Go library's init traps first, inside dlopen) */
			if (!ft__proc.rawsys_lib && (ft_lib_is_go(info) || ft_lib_is_uring(name))) {
				ft__proc.rawsys_lib = 1;
				ft__rawsys_mark(name);
			}
		}
		return 0;
	}
	if (!ft__proc.rawsys_lib && ft_lib_is_go(info)) {
		ft__proc.rawsys_lib = 1;
		ft__rawsys_mark("(the program)");
	}
	/* the main program: its PT_INTERP names the dynamic loader as it was
	 * asked for (/lib64/ld-linux-x86-64.so.2), a path of its own */
	for (int i = 0; i < info->dlpi_phnum; i++)
		if (info->dlpi_phdr[i].p_type == PT_INTERP && info->dlpi_addr + info->dlpi_phdr[i].p_vaddr) {
			const char *interp = (const char *)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
			ft__access(AT_FDCWD, interp, FT_OP_LIBLOAD, ft__op_class(FT_OP_LIBLOAD), 0);
		}
	return 0;
}

void ft__libs_record(const char *exe, size_t len)
{
	struct stat st;
	int saved = errno;

	if (!ft__on())
		return;
	if (len)
		ft__access_abs(exe, len, FT_OP_EXEC, ft__op_class(FT_OP_EXEC), 0);
	ft__access_abs("/etc/ld.so.cache", 16, FT_OP_LIBLOAD, ft__op_class(FT_OP_LIBLOAD), 0);
	/* ld.so looks for it at every start: creating it changes every program */
	ft__access_abs("/etc/ld.so.preload", 18, FT_OP_ACCESS, ft__op_class(FT_OP_ACCESS),
		       FT_REAL(stat)("/etc/ld.so.preload", &st) < 0 ? errno : 0);
	dl_iterate_phdr(ft_lib_cb, NULL);
	ft__dlsearch_needed();
	errno = saved;
}

/* dlopen: the object and whatever it pulled in.  A bare name is searched
 * as its caller would (dlsearch.c), which records where it was not; a
 * name with a slash is a path of its own. */
FT_EXPORT void *dlopen(const char *file, int mode)
{
	/* (the return address: the caller whose RUNPATH a bare name is
	 * searched along, dlsearch.c) */
	void *h = ft__dlopen_as(file, mode, __builtin_return_address(0));

	if (!ft__on())
		return h;
	if (file && strchr(file, '/'))
		ft__access(AT_FDCWD, file, FT_OP_DLOPEN, ft__op_class(FT_OP_DLOPEN), h ? 0 : ENOENT);
	if (h) {
		int saved = errno;
		dl_iterate_phdr(ft_lib_cb, NULL);
		errno = saved;
	}
	return h;
}

/*
 * The command line as /proc/self/cmdline has it, into out[FT_ARGV_MAX]:
 * the argv strings, each with its NUL.  At the constructor they are the
 * kernel's argument area itself (argv[i] points into it, in order, each
 * string right after the one before), which is what /proc/self/cmdline
 * reads; taking them from argv spares an open, two reads and a close per
 * process started (issue 29).  A longer command line is cut at FT_ARGV_MAX
 * and flagged (*trunc), its last byte made a NUL, as the read of the file
 * was.  Returns the bytes stored.
 */
static size_t ft_argv_copy(int argc, char **argv, char *out, int *trunc)
{
	size_t got = 0;

	*trunc = 0;
	for (int i = 0; argv && i < argc && argv[i]; i++) {
		size_t n = strlen(argv[i]) + 1;

		if (n > FT_ARGV_MAX - got) {
			memcpy(out + got, argv[i], FT_ARGV_MAX - got);
			got = FT_ARGV_MAX;
			*trunc = 1;
			break;
		}
		memcpy(out + got, argv[i], n);
		got += n;
	}
	if (got && out[got - 1] != '\0')
		out[got - 1] = '\0'; /* cut inside a string */
	return got;
}

/*
 * FT_REC_PROC: the executable, then (FT_PROC_ARGV) the argv as
 * /proc/self/cmdline has it, NUL-separated, so ingest can tell which
 * runner child is which test (docs/runners.md).  Taken in the constructor
 * from the argv glibc passes it (ft_argv_copy), into a bounded stack
 * buffer; a longer command line is cut and flagged, and ingest then never
 * matches on it.  The cwd at that moment follows as a last string
 * (FT_PROC_CWD), as the ptrace back end writes it: a recursive `make
 * check` runs Automake's test driver of a subdirectory there, and its test
 * is named and judged from it.  Raw getcwd syscall: async-signal-safe, no
 * allocation.  The executable's path (readlink of /proc/self/exe, once) is
 * left in exe[FT__PATHBUF] for ft__libs_record; its length is returned (0:
 * unknown, or not recording).
 */
size_t ft__proc_record(int argc, char **argv, char *exe)
{
	char buf[FT__PATHBUF + FT_ARGV_MAX + 1 + FT_PATH_MAX];
	uint32_t flags = 0;
	ssize_t n, m;
	size_t len, got;
	int trunc, saved = errno;

	exe[0] = '\0';
	if (!ft__on())
		return 0;
	n = FT_REAL(readlink)("/proc/self/exe", buf, FT__PATHBUF - 1);
	if (n < 0)
		n = 0;
	buf[n] = '\0';
	memcpy(exe, buf, (size_t)n + 1);
	len = (size_t)n;
	got = ft_argv_copy(argc, argv, buf + len + 1, &trunc);
	if (got > 0) {
		if (trunc)
			flags |= FT_PROC_ARGV_TRUNC;
		flags |= FT_PROC_ARGV;
		len += 1 + got;
		/* SYS_getcwd: the length with its NUL, or -1 (too long,
		 * unreachable): then no cwd at all */
		m = FT_REAL(syscall)(SYS_getcwd, buf + len, (size_t)FT_PATH_MAX);
		if (m > 1 && buf[len] == '/' && buf[len + m - 1] == '\0') {
			len += (size_t)m;
			flags |= FT_PROC_CWD;
		}
	}
	ft__guard++;
	ft__emit(FT_REC_PROC, FT_OP__NONE, 0, flags, buf, len);
	ft__guard--;
	errno = saved;
	return (size_t)n;
}
