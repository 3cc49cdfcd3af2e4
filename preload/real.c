/*
 * real.c - the real functions behind the hooks.
 *
 * The constructor resolves every entry eagerly, so that a hook never calls
 * dlsym() (which may allocate and take the loader lock) while the program
 * runs.  A hook can still run before our constructor: another library's
 * constructor that opens a file runs first when that library is initialized
 * before us.  FT_REAL() then resolves the one entry lazily.
 */
#include <dlfcn.h>
#include <errno.h>

#include "ft_preload.h"

void *ft__reals[FT_R__COUNT];

static const struct {
	const char *name;
	int ret;
} ft_real_names[FT_R__COUNT] = {
#define FT__REAL_NAME(n, r) [FT_R_##n] = { #n, r },
	FT_REALS(FT__REAL_NAME)
#undef FT__REAL_NAME
};

/* Stand-ins for a symbol the next library does not define: fail like an
 * unimplemented call.  FT_REAL() casts them to the hook's signature; on
 * x86-64 a function that ignores its arguments may be called with any. */
static long ft_real_missing_int(void)
{
	errno = ENOSYS;
	return -1;
}

static void *ft_real_missing_ptr(void)
{
	errno = ENOSYS;
	return NULL;
}

void *ft__real_resolve(enum ft__real_id id)
{
	void *p = dlsym(RTLD_NEXT, ft_real_names[id].name);

	if (!p)
		p = ft_real_names[id].ret == FT__RET_PTR ? (void *)ft_real_missing_ptr
							  : (void *)ft_real_missing_int;
	__atomic_store_n(&ft__reals[id], p, __ATOMIC_RELEASE);
	return p;
}

void ft__real_resolve_all(void)
{
	for (int i = 0; i < FT_R__COUNT; i++)
		if (!__atomic_load_n(&ft__reals[i], __ATOMIC_ACQUIRE))
			ft__real_resolve((enum ft__real_id)i);
}
