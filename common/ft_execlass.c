/*
 * ft_execlass.c - see ft_execlass.h.
 *
 * The reader the preload always had (it was in preload/elf.c): the ELF
 * header, the program headers, the note segments and the section name
 * table, with pread into stack buffers.  The launcher used libelf for the
 * same question until the two were merged; on every well-formed ELF of the
 * host's byte order with at most 64 program headers the answers are the
 * same (docs/ptrace.md, "When it is used").
 */
#include <elf.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "ft_execlass.h"

#define FT_ELF_MAX_PHDRS 64

int ft_execlass_notes_go(const unsigned char *buf, size_t n)
{
	size_t pos = 0;

	while (pos + 12 <= n) {
		uint32_t namesz, descsz;

		memcpy(&namesz, buf + pos, 4);
		memcpy(&descsz, buf + pos + 4, 4);
		pos += 12;
		/* "Go" with its NUL: namesz 3 from Go's own linker, 4 (padded)
		 * from the external linker that -buildmode=c-shared uses */
		if ((namesz == 3 || namesz == 4) && pos + namesz <= n &&
		    !memcmp(buf + pos, "Go\0\0", namesz))
			return 1;
		if (namesz > n || descsz > n)
			return 0;
		pos += ((size_t)namesz + 3) & ~(size_t)3;
		pos += ((size_t)descsz + 3) & ~(size_t)3;
	}
	return 0;
}

/* Does the PT_NOTE segment at [off, off+size) carry a note named "Go"? */
static int note_is_go(int fd, uint64_t off, uint64_t size)
{
	unsigned char buf[1024];
	ssize_t n;

	if (size > sizeof(buf))
		size = sizeof(buf);
	n = pread(fd, buf, size, (off_t)off);
	return n > 0 && ft_execlass_notes_go(buf, (size_t)n);
}

/*
 * Can the preload be loaded by this program's interpreter?  Only glibc's
 * ld.so honours our LD_PRELOAD, and only for an object of its own class,
 * byte order and machine: for a 32-bit program (ELFCLASS32, x32 too) it
 * prints "wrong ELF class: ignored" and the program runs with no
 * interposer; musl's loader (ld-musl-*.so.1) cannot run a library linked
 * against glibc.  glibc names its loader ld-linux*.so.N (ld-linux.so.2,
 * ld-linux-x86-64.so.2, ld-linux-aarch64.so.1, ...), ld64.so.N (ppc64,
 * s390x), ld.so.N (mips) or ld-2.NN.so (before 2.34, when it is named
 * directly).  Any other name is foreign: the answer errs towards
 * "untraced", which selects the test.
 */
static int interp_is_glibc(int fd, uint64_t off, uint64_t size)
{
	static const char *const prefix[] = { "ld-linux", "ld64.so.", "ld.so.", "ld-2." };
	char buf[256];
	const char *base;
	ssize_t n;

	if (size == 0 || size > sizeof(buf))
		return 0;
	n = pread(fd, buf, (size_t)size, (off_t)off);
	if (n != (ssize_t)size || buf[n - 1] != '\0' || buf[0] != '/')
		return 0;
	base = strrchr(buf, '/') + 1;
	for (size_t i = 0; i < sizeof(prefix) / sizeof(prefix[0]); i++)
		if (!strncmp(base, prefix[i], strlen(prefix[i])))
			return 1;
	return 0;
}

/* This build's own ELF identity: what ld.so must be to load the preload. */
#if defined(__x86_64__)
#define FT_HOST_MACHINE EM_X86_64
#elif defined(__aarch64__)
#define FT_HOST_MACHINE EM_AARCH64
#elif defined(__i386__)
#define FT_HOST_MACHINE EM_386
#elif defined(__riscv)
#define FT_HOST_MACHINE EM_RISCV
#elif defined(__powerpc64__)
#define FT_HOST_MACHINE EM_PPC64
#elif defined(__s390x__)
#define FT_HOST_MACHINE EM_S390
#endif
#define FT_HOST_CLASS (sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32)
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define FT_HOST_DATA ELFDATA2LSB
#else
#define FT_HOST_DATA ELFDATA2MSB
#endif

/*
 * Does the section name table name `.go.buildinfo`?  Bounded: reads the
 * section header of the name table, then the table in 1 KiB chunks, at
 * most 64 KiB of it.
 */
static int shstr_is_go(int fd, int is64, const Elf64_Ehdr *eh)
{
	static const char want[] = ".go.buildinfo"; /* with its NUL: 14 bytes */
	unsigned char buf[1024];
	uint64_t shoff, str_off, str_size, done = 0;
	unsigned shentsize, shstrndx;

	if (is64) {
		Elf64_Shdr sh;
		shoff = eh->e_shoff, shentsize = eh->e_shentsize, shstrndx = eh->e_shstrndx;
		if (!shoff || shentsize != sizeof(sh) || shstrndx == SHN_UNDEF || shstrndx >= SHN_LORESERVE ||
		    pread(fd, &sh, sizeof(sh), (off_t)(shoff + (uint64_t)shstrndx * shentsize)) != (ssize_t)sizeof(sh))
			return 0;
		str_off = sh.sh_offset, str_size = sh.sh_size;
	} else {
		const Elf32_Ehdr *e32 = (const Elf32_Ehdr *)eh;
		Elf32_Shdr sh;
		shoff = e32->e_shoff, shentsize = e32->e_shentsize, shstrndx = e32->e_shstrndx;
		if (!shoff || shentsize != sizeof(sh) || shstrndx == SHN_UNDEF || shstrndx >= SHN_LORESERVE ||
		    pread(fd, &sh, sizeof(sh), (off_t)(shoff + (uint64_t)shstrndx * shentsize)) != (ssize_t)sizeof(sh))
			return 0;
		str_off = sh.sh_offset, str_size = sh.sh_size;
	}
	if (str_size > 64 * 1024)
		str_size = 64 * 1024;
	while (done < str_size) {
		size_t want_n = str_size - done < sizeof(buf) ? (size_t)(str_size - done) : sizeof(buf);
		ssize_t n = pread(fd, buf, want_n, (off_t)(str_off + done));

		if (n < (ssize_t)sizeof(want))
			return 0;
		for (size_t i = 0; i + sizeof(want) <= (size_t)n; i++)
			if (!memcmp(buf + i, want, sizeof(want)))
				return 1;
		if ((size_t)n < want_n || done + (uint64_t)n >= str_size)
			return 0;
		done += (uint64_t)n - (sizeof(want) - 1); /* a name across two chunks */
	}
	return 0;
}

/* The program headers of an ELF: PT_INTERP, and Go notes. */
static void read_elf(struct ft_execlass *c, int fd, int is64)
{
	Elf64_Ehdr eh;
	unsigned char ph[FT_ELF_MAX_PHDRS * sizeof(Elf64_Phdr)];
	uint64_t phoff;
	unsigned phnum, phentsize;
	int glibc = 0;

	if (pread(fd, &eh, sizeof(eh), 0) < (ssize_t)(is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr)))
		return; /* FT_EXE_OTHER: the kernel will refuse it */
	c->kind = FT_EXE_BADELF;
	if (is64) {
		phoff = eh.e_phoff;
		phnum = eh.e_phnum;
		phentsize = eh.e_phentsize;
	} else {
		Elf32_Ehdr *e32 = (Elf32_Ehdr *)&eh;
		phoff = e32->e_phoff;
		phnum = e32->e_phnum;
		phentsize = e32->e_phentsize;
	}
	if (phnum > FT_ELF_MAX_PHDRS)
		phnum = FT_ELF_MAX_PHDRS;
	/* also what a file of the other byte order fails: 56 is 0x3800 there */
	if (phentsize != (is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr)))
		return;
	if (pread(fd, ph, (size_t)phnum * phentsize, (off_t)phoff) != (ssize_t)((size_t)phnum * phentsize))
		return;
	c->kind = FT_EXE_ELF;
	for (unsigned i = 0; i < phnum; i++) {
		uint32_t type;
		uint64_t off, size;

		if (is64) {
			Elf64_Phdr p;
			memcpy(&p, ph + i * phentsize, sizeof(p));
			type = p.p_type, off = p.p_offset, size = p.p_filesz;
		} else {
			Elf32_Phdr p;
			memcpy(&p, ph + i * phentsize, sizeof(p));
			type = p.p_type, off = p.p_offset, size = p.p_filesz;
		}
		if (type == PT_INTERP) {
			c->interp = 1;
			glibc = interp_is_glibc(fd, off, size);
		}
		else if (type == PT_NOTE && !c->go)
			c->go = note_is_go(fd, off, size);
	}
	if (!c->go)
		c->go = shstr_is_go(fd, is64, &eh);
	/* e_machine sits at the same offset in both classes */
	if (c->interp && (!glibc || eh.e_ident[EI_CLASS] != FT_HOST_CLASS ||
			  eh.e_ident[EI_DATA] != FT_HOST_DATA
#ifdef FT_HOST_MACHINE
			  || eh.e_machine != FT_HOST_MACHINE
#endif
			  ))
		c->foreign = 1;
}

void ft_execlass_read(struct ft_execlass *c, int fd, const unsigned char *head, size_t got)
{
	c->kind = FT_EXE_OTHER;
	c->interp = c->go = c->foreign = 0;
	if (got >= 2 && head[0] == '#' && head[1] == '!')
		c->kind = FT_EXE_SCRIPT;
	else if (got >= EI_NIDENT && !memcmp(head, ELFMAG, SELFMAG))
		read_elf(c, fd, head[EI_CLASS] == ELFCLASS64);
}

int ft_execlass_why(const struct ft_execlass *c)
{
	if (c->kind == FT_EXE_BADELF)
		return FT_UNTRACED_UNKNOWN;
	if (c->kind != FT_EXE_ELF)
		return 0;
	if (!c->interp)
		return FT_UNTRACED_STATIC;
	if (c->foreign)
		return FT_UNTRACED_FOREIGN;
	return c->go ? FT_UNTRACED_GO : 0;
}

size_t ft_execlass_shebang(const unsigned char *head, size_t got, char *buf, size_t size)
{
	size_t i = 2, start, len;

	if (got < 3 || head[0] != '#' || head[1] != '!')
		return 0;
	while (i < got && (head[i] == ' ' || head[i] == '\t'))
		i++;
	start = i;
	while (i < got && head[i] != ' ' && head[i] != '\t' && head[i] != '\n' && head[i] != '\0')
		i++;
	len = i - start;
	if (!len || len >= size || head[start] != '/')
		return 0;
	memcpy(buf, head + start, len);
	buf[len] = '\0';
	return len;
}
