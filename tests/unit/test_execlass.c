/*
 * test_execlass.c - the one executable classifier (common/ft_execlass.c)
 * that the preload applies at every exec and the launcher to a run's first
 * command, on small ELF files written here: static, dynamic, Go by note and
 * by section name, unreadable program headers, scripts.  Real programs run
 * through both callers in t1030, t7000 and t7200-t7201.
 */
#include <elf.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ft_execlass.h"
#include "ft_record.h"

enum { INTERP = 1, GO_NOTE = 2, GO_SECTION = 4, BAD_PHENT = 8, MUSL = 16, ARM64 = 32,
       GO_NOTE_EXT = 64, OLD_GLIBC = 128 };

#define GLIBC_LD "/lib64/ld-linux-x86-64.so.2"

/* An x86-64 ELF with a PT_LOAD, and what `what` asks for, in an unlinked
 * temporary file; returns its fd. */
static int mkelf(unsigned what)
{
	unsigned char img[4096];
	Elf64_Ehdr *eh = (Elf64_Ehdr *)img;
	Elf64_Phdr *ph = (Elf64_Phdr *)(img + sizeof(*eh));
	size_t n = 0, note_off = 1024, str_off = 2048, sh_off = 3072;
	char tmpl[] = "/tmp/ft-execlass-XXXXXX";
	int fd = mkstemp(tmpl);

	assert_true(fd >= 0);
	unlink(tmpl);
	memset(img, 0, sizeof(img));
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_phoff = sizeof(*eh);
	eh->e_phentsize = (what & BAD_PHENT) ? 32 : sizeof(Elf64_Phdr);
	if (what & INTERP) {
		const char *ld = (what & MUSL) ? "/lib/ld-musl-x86_64.so.1"
			       : (what & OLD_GLIBC) ? "/opt/glibc/lib/ld-2.17.so" : GLIBC_LD;
		memcpy(img + 512, ld, strlen(ld) + 1);
		ph[n++] = (Elf64_Phdr){ .p_type = PT_INTERP, .p_offset = 512,
					.p_filesz = strlen(ld) + 1 };
	}
	if (what & ARM64)
		eh->e_machine = EM_AARCH64;
	ph[n++] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_filesz = sizeof(img) };
	if (what & GO_NOTE_EXT) {
		/* as the external linker writes it (-buildmode=c-shared):
		 * namesz 4, "Go" padded with two NULs */
		static const unsigned char notes[] = {
			4, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0, 'G', 'o', 0, 0, 5, 6, 7, 8,
		};
		memcpy(img + note_off, notes, sizeof(notes));
		ph[n++] = (Elf64_Phdr){ .p_type = PT_NOTE, .p_offset = note_off, .p_filesz = sizeof(notes) };
	}
	if (what & GO_NOTE) {
		/* a GNU note first, then Go's build id */
		static const unsigned char notes[] = {
			4, 0, 0, 0, 4, 0, 0, 0, 3, 0, 0, 0, 'G', 'N', 'U', 0, 1, 2, 3, 4,
			3, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0, 'G', 'o', 0, 0, 5, 6, 7, 8,
		};
		memcpy(img + note_off, notes, sizeof(notes));
		ph[n++] = (Elf64_Phdr){ .p_type = PT_NOTE, .p_offset = note_off, .p_filesz = sizeof(notes) };
	}
	eh->e_phnum = (Elf64_Half)n;
	if (what & GO_SECTION) {
		static const char names[] = "\0.text\0.go.buildinfo\0.shstrtab";
		Elf64_Shdr *sh = (Elf64_Shdr *)(img + sh_off);
		memcpy(img + str_off, names, sizeof(names));
		sh[1] = (Elf64_Shdr){ .sh_name = 21, .sh_type = SHT_STRTAB, .sh_offset = str_off,
				      .sh_size = sizeof(names) };
		eh->e_shoff = sh_off;
		eh->e_shentsize = sizeof(Elf64_Shdr);
		eh->e_shnum = 2;
		eh->e_shstrndx = 1;
	}
	assert_int_equal(write(fd, img, sizeof(img)), (ssize_t)sizeof(img));
	return fd;
}

/* A dynamic i386 ELF (ELFCLASS32), interpreter /lib/ld-linux.so.2. */
static int mkelf32(void)
{
	unsigned char img[1024];
	Elf32_Ehdr *eh = (Elf32_Ehdr *)img;
	Elf32_Phdr *ph = (Elf32_Phdr *)(img + sizeof(*eh));
	static const char ld[] = "/lib/ld-linux.so.2";
	char tmpl[] = "/tmp/ft-execlass-XXXXXX";
	int fd = mkstemp(tmpl);

	assert_true(fd >= 0);
	unlink(tmpl);
	memset(img, 0, sizeof(img));
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS32;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_386;
	eh->e_phoff = sizeof(*eh);
	eh->e_phentsize = sizeof(Elf32_Phdr);
	eh->e_phnum = 2;
	memcpy(img + 512, ld, sizeof(ld));
	ph[0] = (Elf32_Phdr){ .p_type = PT_INTERP, .p_offset = 512, .p_filesz = sizeof(ld) };
	ph[1] = (Elf32_Phdr){ .p_type = PT_LOAD, .p_filesz = sizeof(img) };
	assert_int_equal(write(fd, img, sizeof(img)), (ssize_t)sizeof(img));
	return fd;
}

static void classify_fd(int fd, struct ft_execlass *ec)
{
	unsigned char head[256];
	ssize_t got = pread(fd, head, sizeof(head), 0);

	assert_true(got >= 0);
	ft_execlass_read(ec, fd, head, (size_t)got);
}

static void classify(unsigned what, struct ft_execlass *ec)
{
	int fd = mkelf(what);

	classify_fd(fd, ec);
	close(fd);
}

static void test_execlass__static_and_dynamic(void **s)
{
	struct ft_execlass ec;

	(void)s;
	classify(0, &ec);
	assert_int_equal(ec.kind, FT_EXE_ELF);
	assert_false(ec.interp);
	assert_false(ec.go);
	assert_int_equal(ft_execlass_why(&ec), FT_UNTRACED_STATIC);
	classify(INTERP, &ec);
	assert_int_equal(ec.kind, FT_EXE_ELF);
	assert_true(ec.interp);
	assert_int_equal(ft_execlass_why(&ec), 0);
}

/* This test program itself: dynamic, not Go. */
static void test_execlass__this_program_is_dynamic(void **s)
{
	struct ft_execlass ec;
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);

	(void)s;
	assert_true(fd >= 0);
	classify_fd(fd, &ec);
	close(fd);
	assert_int_equal(ec.kind, FT_EXE_ELF);
	assert_true(ec.interp);
	assert_false(ec.go);
}

/* Go by either mark, dynamic or static.  The preload calls a static Go
 * program static (why); the launcher reads ec.go and calls it go. */
static void test_execlass__go_by_note_or_section(void **s)
{
	struct ft_execlass ec;

	(void)s;
	classify(INTERP | GO_NOTE, &ec);
	assert_true(ec.go);
	assert_int_equal(ft_execlass_why(&ec), FT_UNTRACED_GO);
	classify(INTERP | GO_SECTION, &ec);
	assert_true(ec.go);
	assert_int_equal(ft_execlass_why(&ec), FT_UNTRACED_GO);
	classify(GO_NOTE, &ec);
	assert_true(ec.go);
	assert_int_equal(ft_execlass_why(&ec), FT_UNTRACED_STATIC);
	classify(GO_SECTION, &ec);
	assert_true(ec.go);
	assert_int_equal(ft_execlass_why(&ec), FT_UNTRACED_STATIC);
}

/* Go's note as the external linker pads it (c-shared libraries, and
 * programs linked with -linkmode=external): found in a file and in memory. */
static void test_execlass__go_note_of_external_linker(void **s)
{
	static const unsigned char ext[] = { 4, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 'G', 'o', 0, 0 };
	static const unsigned char gox[] = { 4, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 'G', 'o', 'x', 0 };
	static const unsigned char cut[] = { 4, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 'G', 'o' };
	static const unsigned char huge[] = { 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 4, 0, 0, 0, 'G', 'o', 0, 0 };
	struct ft_execlass ec;

	(void)s;
	classify(INTERP | GO_NOTE_EXT, &ec);
	assert_true(ec.go);
	assert_int_equal(ft_execlass_why(&ec), FT_UNTRACED_GO);
	assert_true(ft_execlass_notes_go(ext, sizeof(ext)));
	assert_false(ft_execlass_notes_go(gox, sizeof(gox)));
	assert_false(ft_execlass_notes_go(cut, sizeof(cut)));    /* never past n */
	assert_false(ft_execlass_notes_go(huge, sizeof(huge)));
	assert_false(ft_execlass_notes_go(ext, 0));
}

/* A dynamic program whose ld.so cannot load the preload: 32-bit, another
 * machine, musl.  glibc's loader, by its names old and new, can. */
static void test_execlass__foreign_loaders(void **s)
{
	struct ft_execlass ec;
	int fd;

	(void)s;
	fd = mkelf32();
	classify_fd(fd, &ec);
	close(fd);
	assert_int_equal(ec.kind, FT_EXE_ELF);
	assert_true(ec.interp);
	assert_true(ec.foreign);
	assert_int_equal(ft_execlass_why(&ec), FT_UNTRACED_FOREIGN);
	classify(INTERP | MUSL, &ec);
	assert_true(ec.foreign);
	assert_int_equal(ft_execlass_why(&ec), FT_UNTRACED_FOREIGN);
#ifdef __x86_64__
	classify(INTERP | ARM64, &ec);
	assert_true(ec.foreign);
	assert_int_equal(ft_execlass_why(&ec), FT_UNTRACED_FOREIGN);
	classify(INTERP | OLD_GLIBC, &ec);
	assert_false(ec.foreign);
	assert_int_equal(ft_execlass_why(&ec), 0);
#endif
	classify(INTERP, &ec);
	assert_false(ec.foreign);
	/* a static program has no loader: the ptrace back end's, whatever it is */
	classify(MUSL, &ec);
	assert_false(ec.foreign);
	assert_int_equal(ft_execlass_why(&ec), FT_UNTRACED_STATIC);
	/* a foreign Go program is still foreign: no preload, and no ptrace */
	classify(INTERP | MUSL | GO_NOTE, &ec);
	assert_int_equal(ft_execlass_why(&ec), FT_UNTRACED_FOREIGN);
}

static void test_execlass__unreadable_headers(void **s)
{
	struct ft_execlass ec;
	int fd;

	(void)s;
	classify(INTERP | BAD_PHENT, &ec);
	assert_int_equal(ec.kind, FT_EXE_BADELF);
	assert_int_equal(ft_execlass_why(&ec), FT_UNTRACED_UNKNOWN);
	/* a header cut short: the kernel refuses it, nothing to say */
	fd = mkelf(INTERP);
	assert_int_equal(ftruncate(fd, 40), 0);
	classify_fd(fd, &ec);
	close(fd);
	assert_int_equal(ec.kind, FT_EXE_OTHER);
	assert_int_equal(ft_execlass_why(&ec), 0);
}

static void test_execlass__scripts_and_others(void **s)
{
	static const unsigned char sh[] = "#!/bin/sh -e\necho\n";
	static const unsigned char rel[] = "#! sh\n";
	static const unsigned char txt[] = "hello\n";
	struct ft_execlass ec;
	char interp[64];

	(void)s;
	ft_execlass_read(&ec, -1, sh, sizeof(sh) - 1);
	assert_int_equal(ec.kind, FT_EXE_SCRIPT);
	assert_int_equal(ft_execlass_why(&ec), 0);
	assert_int_equal(ft_execlass_shebang(sh, sizeof(sh) - 1, interp, sizeof(interp)), 7);
	assert_string_equal(interp, "/bin/sh");
	assert_int_equal(ft_execlass_shebang(rel, sizeof(rel) - 1, interp, sizeof(interp)), 0);
	assert_int_equal(ft_execlass_shebang(sh, sizeof(sh) - 1, interp, 7), 0); /* no room */
	ft_execlass_read(&ec, -1, txt, sizeof(txt) - 1);
	assert_int_equal(ec.kind, FT_EXE_OTHER);
	assert_int_equal(ft_execlass_why(&ec), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_execlass__static_and_dynamic),
		cmocka_unit_test(test_execlass__this_program_is_dynamic),
		cmocka_unit_test(test_execlass__go_by_note_or_section),
		cmocka_unit_test(test_execlass__go_note_of_external_linker),
		cmocka_unit_test(test_execlass__foreign_loaders),
		cmocka_unit_test(test_execlass__unreadable_headers),
		cmocka_unit_test(test_execlass__scripts_and_others),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
