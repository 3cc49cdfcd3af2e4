/*
 * dlsearch.c - dlopen of a bare name, searched as its caller's would be.
 *
 * glibc's dlopen searches a name without a slash along the calling
 * object's DT_RPATH or DT_RUNPATH (it takes the caller from its return
 * address).  The hook in libs.c is the caller of the real dlopen, and the
 * preload has neither, so a program that dlopen()ed "libplug.so" from its
 * own RUNPATH failed under ftrace and loaded under plain runs (a probe of
 * a ctest project: recording changed what the test saw).  So for such a
 * name the hook does the search ld.so would do for the program's object
 * (glibc's elf/dl-load.c, _dl_map_object):
 *
 *  1. a loaded object of that name or soname: ld.so returns it, whoever
 *     asks (an RTLD_NOLOAD probe);
 *  2. the caller's DT_RPATH, then the executable's, when the caller has no
 *     DT_RUNPATH;
 *  3. LD_LIBRARY_PATH;
 *  4. the caller's DT_RUNPATH;
 *  5. the cache and the default directories: the real dlopen of the name,
 *     as the preload's own search is.
 *
 * In steps 2-4 the first directory holding a regular file of that name
 * that is not an ELF object of another class or machine (which ld.so
 * passes over) is the one: the real dlopen of that path then, whatever it
 * returns (ld.so does not go on when the file it found fails to load,
 * "file too short" included).  Each directory looked in
 * and found without it is recorded as that name's absence there (a
 * library put there later would be found first: the C probe's
 * LD_LIBRARY_PATH case).  `$ORIGIN` is expanded (the object's directory);
 * any other `$` token ($LIB, $PLATFORM) makes the hook leave the search to
 * the real dlopen, as before.
 *
 * ld.so's own search at start, for the executable's DT_NEEDED names,
 * follows the same order; ft__dlsearch_needed() walks it again at the
 * preload's start and records the directories that do not hold each name
 * up to the one that does (a libc.so.6 put into a test binary's RUNPATH
 * build directory, found first, failed every test and selected none: a
 * probe of cJSON).  Only when the executable has an RPATH or a RUNPATH, or
 * LD_LIBRARY_PATH is set; the libraries' own DT_NEEDED are not walked.
 */
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ft_preload.h"

#if defined(__x86_64__)
#define FT_EM_HOST EM_X86_64
#elif defined(__aarch64__)
#define FT_EM_HOST EM_AARCH64
#endif

struct ft_dynpaths {
	const char *runpath, *rpath;
	const char *strtab;    /* the object's string table, or NULL */
};

/* The object's DT_RUNPATH and DT_RPATH strings (NULL where none).  glibc
 * relocates DT_STRTAB in place where the dynamic section is writable; an
 * address below the load base is still relative. */
static void ft_dyn_paths(const struct link_map *lm, struct ft_dynpaths *d)
{
	const ElfW(Dyn) *dyn = lm ? lm->l_ld : NULL;
	ElfW(Addr) strtab = 0;
	ElfW(Xword) run = 0, rp = 0;
	int has_run = 0, has_rp = 0;

	d->runpath = d->rpath = d->strtab = NULL;
	for (; dyn && dyn->d_tag != DT_NULL; dyn++) {
		if (dyn->d_tag == DT_STRTAB)
			strtab = dyn->d_un.d_ptr;
		else if (dyn->d_tag == DT_RUNPATH)
			run = dyn->d_un.d_val, has_run = 1;
		else if (dyn->d_tag == DT_RPATH)
			rp = dyn->d_un.d_val, has_rp = 1;
	}
	if (!strtab)
		return;
	if (strtab < lm->l_addr)
		strtab += lm->l_addr;
	d->strtab = (const char *)strtab;
	if (has_run)
		d->runpath = (const char *)strtab + run;
	if (has_rp)
		d->rpath = (const char *)strtab + rp;
}

/* The directory the object was loaded from, for $ORIGIN (into buf); 0, or
 * -1 when it cannot be told.  The executable's (an empty l_name) is where
 * /proc/self/exe leads. */
static int ft_origin(const struct link_map *lm, char *buf, size_t size)
{
	char tmp[PATH_MAX];
	char *slash;

	if (!lm->l_name || !lm->l_name[0]) {
		ssize_t n = readlink("/proc/self/exe", tmp, sizeof(tmp) - 1);
		if (n <= 0)
			return -1;
		tmp[n] = '\0';
	} else if (!FT_REAL(realpath)(lm->l_name, tmp)) {
		return -1;
	}
	if (!(slash = strrchr(tmp, '/')) || (size_t)(slash - tmp) + 1 > size)
		return -1;
	if (slash == tmp)
		slash++;
	memcpy(buf, tmp, (size_t)(slash - tmp));
	buf[slash - tmp] = '\0';
	return 0;
}

/* Does ld.so take the file at path, a name it found there?  It passes
 * over only an ELF object of another class or machine (and what it cannot
 * open); anything else it takes, and a file that is no ELF object at all
 * fails the dlopen ("file too short", "invalid ELF header"). */
static int ft_elf_taken(const char *path)
{
	ElfW(Ehdr) h;
	int fd = FT_REAL(open)(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, &h, sizeof(h));
	close(fd);
	if (n != (ssize_t)sizeof(h) || memcmp(h.e_ident, ELFMAG, SELFMAG))
		return 1;
	if (h.e_ident[EI_CLASS] != (sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32))
		return 0;
#ifdef FT_EM_HOST
	if (h.e_machine != FT_EM_HOST)
		return 0;
#endif
	return 1;
}

enum { FT_DS_NONE, FT_DS_FOUND, FT_DS_GIVE_UP };

/* Search the directories of `list` (':'-separated; `lm` the object whose
 * list it is, for $ORIGIN, or NULL) for `file`: FT_DS_FOUND with the path
 * in out, FT_DS_NONE (each directory's absence recorded), or FT_DS_GIVE_UP
 * for a token this cannot expand. */
static int ft_search(const char *list, const struct link_map *lm, const char *file, char *out,
		     size_t size)
{
	size_t flen = strlen(file);
	char origin[PATH_MAX];
	int have_origin = -2;

	for (const char *p = list, *e; p && *p; p = *e ? e + 1 : e) {
		size_t o = 0;
		struct stat st;

		e = strchrnul(p, ':');
		/* an empty entry is the working directory, as ld.so takes it */
		for (const char *q = p; q < e;) {
			const char *add = q;
			size_t alen = 1;
			if (*q == '$') {
				size_t rest = (size_t)(e - q);
				if (rest >= 7 && !memcmp(q, "$ORIGIN", 7))
					q += 7;
				else if (rest >= 9 && !memcmp(q, "${ORIGIN}", 9))
					q += 9;
				else
					return FT_DS_GIVE_UP;
				if (have_origin == -2)
					have_origin = lm ? ft_origin(lm, origin, sizeof(origin)) : -1;
				if (have_origin < 0)
					return FT_DS_GIVE_UP;
				add = origin;
				alen = strlen(origin);
			} else {
				q++;
			}
			if (o + alen >= size)
				return FT_DS_GIVE_UP;
			memcpy(out + o, add, alen);
			o += alen;
		}
		if (o == 0)
			out[o++] = '.';
		if (o + 1 + flen >= size)
			return FT_DS_GIVE_UP;
		out[o] = '/';
		memcpy(out + o + 1, file, flen + 1);
		if (FT_REAL(stat)(out, &st) == 0 && S_ISREG(st.st_mode)) {
			/* taken, or passed over as ld.so does (another class or
			 * machine): what it is decides that.  (A library loaded
			 * is recorded by the walk too; one that fails to load,
			 * only here.) */
			int taken = ft_elf_taken(out);
			if (out[0] == '/')
				ft__access_abs(out, o + 1 + flen, FT_OP_OPEN, FT_AC_READ, 0);
			else
				ft__access(AT_FDCWD, out, FT_OP_OPEN, FT_AC_READ, 0);
			if (taken)
				return FT_DS_FOUND;
			continue;
		}
		if (out[0] == '/')
			ft__access_abs(out, o + 1 + flen, FT_OP_ACCESS, ft__op_class(FT_OP_ACCESS), ENOENT);
		else
			ft__access(AT_FDCWD, out, FT_OP_ACCESS, ft__op_class(FT_OP_ACCESS), ENOENT);
	}
	return FT_DS_NONE;
}

void *ft__dlopen_as(const char *file, int mode, const void *caller)
{
	char path[PATH_MAX];
	struct link_map *lm = NULL, *exe = NULL;
	struct ft_dynpaths cd, ed;
	const char *ldpath;
	Dl_info info;
	void *h;
	int r = FT_DS_NONE, saved = errno;

	/* (a secure-execution process: ld.so restricts $ORIGIN and ignores
	 * LD_LIBRARY_PATH there; the preload is not loaded into one anyway) */
	if (!file || !*file || strchr(file, '/') || !ft__on() || getauxval(AT_SECURE))
		return FT_REAL(dlopen)(file, mode);
	/* 1. loaded already: by its name, whoever asks */
	if ((h = FT_REAL(dlopen)(file, RTLD_LAZY | RTLD_NOLOAD))) {
		dlclose(h);
		return FT_REAL(dlopen)(file, mode);
	}
	if (!dladdr1(caller, &info, (void **)&lm, RTLD_DL_LINKMAP) || !lm)
		lm = NULL;
	ft_dyn_paths(lm, &cd);
	ldpath = ft__getenv("LD_LIBRARY_PATH");
	/* 2. RPATH: the caller's, then the executable's */
	if (!cd.runpath && cd.rpath)
		r = ft_search(cd.rpath, lm, file, path, sizeof(path));
	if (r == FT_DS_NONE && !cd.runpath && (exe = _r_debug.r_map) && exe != lm) {
		ft_dyn_paths(exe, &ed);
		if (!ed.runpath && ed.rpath)
			r = ft_search(ed.rpath, exe, file, path, sizeof(path));
	}
	/* 3. LD_LIBRARY_PATH; 4. RUNPATH */
	if (r == FT_DS_NONE && ldpath)
		r = ft_search(ldpath, NULL, file, path, sizeof(path));
	if (r == FT_DS_NONE && cd.runpath)
		r = ft_search(cd.runpath, lm, file, path, sizeof(path));
	errno = saved;
	/* 5. the cache and the default directories */
	return FT_REAL(dlopen)(r == FT_DS_FOUND ? path : file, mode);
}

void ft__dlsearch_needed(void)
{
	struct link_map *exe = _r_debug.r_map;
	struct ft_dynpaths d;
	const char *ldpath;
	char path[PATH_MAX];
	int saved = errno;

	if (!exe || !ft__on() || getauxval(AT_SECURE))
		return;
	ft_dyn_paths(exe, &d);
	ldpath = ft__getenv("LD_LIBRARY_PATH");
	if (!d.strtab || (!d.runpath && !d.rpath && !(ldpath && *ldpath)))
		return;
	for (const ElfW(Dyn) *dyn = exe->l_ld; dyn->d_tag != DT_NULL; dyn++) {
		const char *name;
		int r = FT_DS_NONE;

		if (dyn->d_tag != DT_NEEDED)
			continue;
		name = d.strtab + dyn->d_un.d_val;
		if (!*name || strchr(name, '/'))
			continue;
		if (!d.runpath && d.rpath)
			r = ft_search(d.rpath, exe, name, path, sizeof(path));
		if (r == FT_DS_NONE && ldpath)
			r = ft_search(ldpath, NULL, name, path, sizeof(path));
		if (r == FT_DS_NONE && d.runpath)
			ft_search(d.runpath, exe, name, path, sizeof(path));
	}
	errno = saved;
}
