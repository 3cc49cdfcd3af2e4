/*
 * ft_elf.c - see ft_elf.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <string.h>
#include <unistd.h>

#include "ft_error.h"
#include "ft_file.h"

#include "ft_elf.h"

/* Go marks its binaries with ELF notes named "Go" (type 4 is the build
 * id, NT_GO_BUILD_ID), in a PT_NOTE segment.  Any "Go" note counts, as in
 * preload/elf.c: the two classifiers must agree. */

static int has_go_note(Elf *elf, size_t phnum)
{
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		Elf_Data *data;
		GElf_Nhdr nh;
		size_t off = 0, name_off, desc_off;

		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_NOTE)
			continue;
		data = elf_getdata_rawchunk(elf, (int64_t)ph.p_offset, ph.p_filesz, ELF_T_NHDR);
		if (!data)
			continue;
		while ((off = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
			if (nh.n_namesz == 3 && !memcmp((char *)data->d_buf + name_off, "Go", 3))
				return 1;
		}
	}
	return 0;
}

/*
 * A Go binary linked with `-ldflags=-buildid=` has no Go note, and with
 * `-linkmode=external` (cgo) it has a PT_INTERP: classified by its notes
 * alone it was "dynamic", and its reads went unseen.  Every Go binary since
 * Go 1.13 has a section `.go.buildinfo` (the module and build settings
 * `go version -m` prints).  1 if there is one.
 */
static int has_go_buildinfo(Elf *elf)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;

	if (elf_getshdrstrndx(elf, &shstrndx) != 0)
		return 0;
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		GElf_Shdr sh;
		const char *name;

		if (!gelf_getshdr(scn, &sh))
			continue;
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (name && !strcmp(name, ".go.buildinfo"))
			return 1;
	}
	return 0;
}

int ft_elf_inspect(const char *path)
{
	char magic[4];
	int fd, kind = FT_ELF_OTHER;
	Elf *elf;
	size_t phnum;

	/* the command to run: following a link is right, blocking on a FIFO
	 * or reading a device is not */
	fd = ft_file_open(AT_FDCWD, path, FT_FILE_FOLLOW, NULL);
	if (fd == FT_ENOTREG)
		return FT_ELF_OTHER;
	if (fd < 0)
		return fd;
	if (pread(fd, magic, sizeof(magic), 0) != (ssize_t)sizeof(magic)) {
		close(fd);
		return FT_ELF_OTHER;
	}
	if (magic[0] == '#' && magic[1] == '!') {
		close(fd);
		return FT_ELF_SCRIPT;
	}
	if (memcmp(magic, ELFMAG, SELFMAG)) {
		close(fd);
		return FT_ELF_OTHER;
	}
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (elf && elf_kind(elf) == ELF_K_ELF && elf_getphdrnum(elf, &phnum) == 0) {
		int interp = 0;
		for (size_t i = 0; i < phnum; i++) {
			GElf_Phdr ph;
			if (gelf_getphdr(elf, (int)i, &ph) && ph.p_type == PT_INTERP)
				interp = 1;
		}
		if (has_go_note(elf, phnum) || has_go_buildinfo(elf))
			kind = FT_ELF_GO;
		else
			kind = interp ? FT_ELF_DYNAMIC : FT_ELF_STATIC;
	}
	if (elf)
		elf_end(elf);
	close(fd);
	return kind;
}
