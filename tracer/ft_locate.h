/*
 * ft_locate.h - find ftrace's own files relative to the running binary.
 *
 * Build tree:  <build>/ftrace, <build>/libftrace_preload.so, <build>/adapters/,
 *              <build>/ftrace-goexec
 * Installed:   <prefix>/bin/ftrace, <prefix>/<libdir>/ftrace/libftrace_preload.so,
 *              <prefix>/<datadir>/ftrace/adapters/, <prefix>/<libdir>/ftrace/ftrace-goexec
 * FTRACE_PRELOAD_LIB, FTRACE_ADAPTERS_DIR and FTRACE_GOEXEC override them
 * (packagers).
 * Returns 0 and an absolute path in out, or FT_ENOPRELOAD / -ENOENT.
 */
#ifndef FT_LOCATE_H
#define FT_LOCATE_H

#include <stddef.h>

int ft_locate_preload(char *out, size_t cap);
int ft_locate_adapters(char *out, size_t cap);
/* go test's -exec helper (tracer/ft_goexec.h) */
int ft_locate_goexec(char *out, size_t cap);

#endif
