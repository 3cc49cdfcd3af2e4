/*
 * ft_goenv_file.h - a value from the go command's environment file, the
 * one `go env -w` writes.
 *
 * The go command takes a variable from the process environment when it is
 * set and not empty, else from that file: $GOENV when set (none when it
 * is "off"), else $XDG_CONFIG_HOME/go/env, else $HOME/.config/go/env (Go's
 * os.UserConfigDir); below that, from the installation's $GOROOT/go.env.
 * The launcher must know those files' GOFLAGS: the GOFLAGS it puts in the
 * environment replaces theirs (docs/go.md).
 *
 * The file is input from the user's home: read, never executed; at most
 * 64 KiB; a FIFO, a device or a directory is no file (opened non-blocking,
 * checked regular).  A line `KEY=VALUE`; the last one for KEY wins, as in
 * go's own reader.
 */
#ifndef FT_GOENV_FILE_H
#define FT_GOENV_FILE_H

#include <stddef.h>

/* The path of the file (into buf, n bytes) from these variables' values
 * (each may be NULL).  0, or -ENOENT when there is none (GOENV=off, or
 * no absolute base), -ENAMETOOLONG. */
int ft_goenv_file_path(const char *goenv, const char *xdg_config_home, const char *home,
		       char *buf, size_t n);

/* The path of the Go installation's own file, $GOROOT/go.env (Go 1.21
 * and later: the layer below the user's file), into buf (n bytes): from
 * `goroot` when set and absolute, else from the first `go` on `path` (a
 * PATH value) that is an executable regular file, followed to where it
 * really is (Debian's /usr/bin/go leads to /usr/lib/go-1.N/bin/go), whose
 * directory is a `bin` of its installation.  0, -ENOENT (none found, or
 * not in a `bin`), -ENAMETOOLONG. */
int ft_goenv_root_path(const char *goroot, const char *path, char *buf, size_t n);

/* The value of `key` in the file at `path`, into out (n bytes).  1 when
 * found, 0 when the file or the key is not there (or the file is not a
 * regular file), -ENAMETOOLONG when the value does not fit. */
int ft_goenv_file_value(const char *path, const char *key, char *out, size_t n);

#endif
