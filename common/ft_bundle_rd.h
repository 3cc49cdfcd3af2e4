/*
 * ft_bundle_rd.h - the bundle reader's cursor, and the integers' coding,
 * inside the bundle code (ft_bundle.c, ft_bundle_write.c,
 * ft_bundle_tree.c; nothing else).
 *
 * A cursor over the payload: every read checks the bytes left; the first
 * damage found sets `bad` and the reason in `e`, and every read after it
 * returns 0 without moving.  `version` picks the integers' coding: a u32
 * is four bytes little endian before version 4, and from it the shortest
 * LEB128 of (value + 1) mod 2^32 (so FT_BUNDLE_NONE, and -1, is one byte
 * 0x00), at most five bytes; a longer or padded form is damage.
 */
#ifndef FT_BUNDLE_RD_H
#define FT_BUNDLE_RD_H

#include <stddef.h>
#include <stdint.h>

struct ft_err;

struct ft_bundle_rd {
	const unsigned char *p, *end;
	struct ft_err *e;
	int bad;
	uint32_t version;
	uint64_t made;        /* bytes of front-coded strings rebuilt (v4) */
};

/* Mark damage (the first reason stays).  Returns FT_ECORRUPT. */
int ft__bundle_fail(struct ft_bundle_rd *r, const char *what);

/* An n-byte little-endian integer (n <= 8). */
uint64_t ft__bundle_get_le(struct ft_bundle_rd *r, int n);

/* A u32 as `version` codes it. */
uint32_t ft__bundle_get_u32(struct ft_bundle_rd *r);

/* The writers' side (ft_bundle_write.c, ft_bundle_tree.c): the shortest
 * LEB128 of (x + 1) mod 2^32 into `out`, as version 4 codes a u32.
 * Returns its length, 1 to 5. */
size_t ft__bundle_leb(uint32_t x, unsigned char out[5]);

#endif
