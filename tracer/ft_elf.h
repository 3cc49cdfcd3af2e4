/*
 * ft_elf.h - can LD_PRELOAD see into this program?
 *
 * Inspects an executable with libelf: a program without PT_INTERP is static
 * (ld.so never runs, so no preload); a "Go" note or a `.go.buildinfo`
 * section means Go, whose runtime makes raw system calls even when
 * dynamically linked.  preload/elf.c applies the same rule.  Scripts
 * (#!) run a dynamic interpreter and are traceable.  Not async-signal-safe;
 * the interposer has its own tiny reader.
 */
#ifndef FT_ELF_H
#define FT_ELF_H

enum ft_elf_kind {
	FT_ELF_DYNAMIC = 1, /* PT_INTERP present: preload works */
	FT_ELF_STATIC = 2,  /* no PT_INTERP */
	FT_ELF_GO = 3,      /* Go binary (raw syscalls) */
	FT_ELF_SCRIPT = 4,  /* starts with #! */
	FT_ELF_OTHER = 5,   /* not ELF, not a script: exec will fail or a binfmt handler runs it */
};

/* Classify `path`.  Returns an enum ft_elf_kind, or -errno if it cannot be
 * opened. */
int ft_elf_inspect(const char *path);

#endif
