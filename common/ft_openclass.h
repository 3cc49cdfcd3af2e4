/*
 * ft_openclass.h - access classes: of an op (the FT_OPS table) and of an
 * open(2) flags word.
 *
 * Shared by the preload hooks (preload/record.c) and the syscall table
 * both back ends decode with (common/ft_sctab.c), so that a call seen by
 * either back end yields the same class bits (ft_record.h).  Pure, allocation-free and
 * async-signal-safe: header-only so the preload needs no extra object.
 */
#ifndef FT_OPENCLASS_H
#define FT_OPENCLASS_H

#include <fcntl.h>
#include <stdint.h>

#include "ft_record.h"

/* The default class of an op, from its FT_OPS row; 0 for an unknown op. */
static inline uint32_t ft_op_class(enum ft_op op)
{
	static const uint32_t classes[FT_OP__COUNT] = {
#define FT__OP_CLASS(name, str, cls) [FT_OP_##name] = (cls),
		FT_OPS(FT__OP_CLASS)
#undef FT__OP_CLASS
	};

	return (unsigned)op < FT_OP__COUNT ? classes[op] : 0;
}

static inline uint32_t ft_open_class(int flags)
{
	uint32_t cls = 0;

	if (flags & O_PATH)
		return FT_AC_STAT | ((flags & O_NOFOLLOW) ? FT_AC_NOFOLLOW : 0);
	if ((flags & O_TMPFILE) == O_TMPFILE)
		return FT_AC_STAT; /* an unnamed file in an existing directory */
	switch (flags & O_ACCMODE) {
	case O_RDONLY: cls = FT_AC_READ; break;
	case O_WRONLY: cls = FT_AC_WRITE; break;
	default:       cls = FT_AC_READ | FT_AC_WRITE; break;
	}
	if (flags & O_CREAT)
		cls |= FT_AC_CREATE;
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		cls |= FT_AC_EXCL;
	if ((flags & O_TRUNC) && (cls & FT_AC_WRITE))
		cls |= FT_AC_TRUNC;
	if (flags & O_NOFOLLOW)
		cls |= FT_AC_NOFOLLOW;
	return cls;
}

#endif
