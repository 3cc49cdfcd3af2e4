/*
 * ft_goexec_name.c - which programs are Go test binaries (ft_goexec.h).
 * Compiled into ftrace-goexec too, which links nothing else of ftrace.
 */
#include <string.h>

#include "ft_goexec.h"

int ft_goexec_is_test(const char *path)
{
	const char *b = strrchr(path, '/');
	size_t n;

	b = b ? b + 1 : path;
	n = strlen(b);
	return n > 5 && !strcmp(b + n - 5, ".test");
}
