/*
 * ft_vec.h - the growing array: room for one more element.
 *
 * Contract: `v` holds *cap elements of `elem` bytes (NULL and 0 at first),
 * n of them in use.  ft_vec_grow() returns the array with room for n + 1:
 * `v` itself while n < *cap, else `v` reallocated to twice *cap (`first`
 * when *cap is 0), *cap updated.  NULL when out of memory: `v` and *cap
 * are unchanged and stay valid.  Nothing is initialised.  The caller
 * stores the result:
 *
 *     struct x *nv = ft_vec_grow(a->v, &a->cap, a->n, sizeof(*a->v), 16);
 *     if (!nv)
 *             return -ENOMEM;
 *     a->v = nv;
 */
#ifndef FT_VEC_H
#define FT_VEC_H

#include <stdlib.h>

static inline void *ft_vec_grow(void *v, size_t *cap, size_t n, size_t elem, size_t first)
{
	size_t ncap;

	if (n < *cap)
		return v;
	ncap = *cap ? *cap * 2 : first;
	if (ncap <= *cap || ncap > (size_t)-1 / elem || !(v = realloc(v, ncap * elem)))
		return NULL;
	*cap = ncap;
	return v;
}

#endif
