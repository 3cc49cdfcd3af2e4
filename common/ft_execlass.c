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

/* Does the PT_NOTE segment at [off, off+size) carry a note named "Go"
 * (type 4 is Go's build id; any "Go" note counts)? */
static int note_is_go(int fd, uint64_t off, uint64_t size)
{
	unsigned char buf[1024];
	ssize_t n;
	size_t pos = 0;

	if (size > sizeof(buf))
		size = sizeof(buf);
	n = pread(fd, buf, size, (off_t)off);
	while (n > 0 && pos + 12 <= (size_t)n) {
		uint32_t namesz, descsz;

		memcpy(&namesz, buf + pos, 4);
		memcpy(&descsz, buf + pos + 4, 4);
		pos += 12;
		if (namesz == 3 && pos + 3 <= (size_t)n && !memcmp(buf + pos, "Go", 3))
			return 1;
		pos += ((size_t)namesz + 3) & ~(size_t)3;
		pos += ((size_t)descsz + 3) & ~(size_t)3;
	}
	return 0;
}

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
		if (type == PT_INTERP)
			c->interp = 1;
		else if (type == PT_NOTE && !c->go)
			c->go = note_is_go(fd, off, size);
	}
	if (!c->go)
		c->go = shstr_is_go(fd, is64, &eh);
}

void ft_execlass_read(struct ft_execlass *c, int fd, const unsigned char *head, size_t got)
{
	c->kind = FT_EXE_OTHER;
	c->interp = c->go = 0;
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
