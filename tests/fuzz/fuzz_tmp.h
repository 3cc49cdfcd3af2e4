/*
 * fuzz_tmp.h - a private scratch directory for the fuzz targets whose
 * parser takes a path (docs/fuzzing.md).
 *
 * fuzz_tmp_dir() makes one directory per process (mkdtemp under $TMPDIR or
 * /tmp) on first use and removes it, with the files written into it, at
 * exit.  fuzz_tmp_write() replaces the file `name` in it with `size` bytes
 * and returns its path (a static buffer), or aborts: a target that cannot
 * write its input would only report false passes.  It unlinks and creates
 * the file instead of truncating it: ext4 flushes a file truncated and
 * rewritten at close (auto_da_alloc), which made every input cost a disk
 * write (300 inputs a second instead of thousands).
 *
 * Header-only on purpose: each target is one translation unit.
 */
#ifndef FUZZ_TMP_H
#define FUZZ_TMP_H

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char fuzz_tmp_path[PATH_MAX];

static void fuzz_tmp_cleanup(void)
{
	DIR *d = opendir(fuzz_tmp_path);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			unlinkat(dirfd(d), de->d_name, 0);
	closedir(d);
	rmdir(fuzz_tmp_path);
}

static const char *fuzz_tmp_dir(void)
{
	const char *t = getenv("TMPDIR");

	if (fuzz_tmp_path[0])
		return fuzz_tmp_path;
	if (!t || t[0] != '/')
		t = "/tmp";
	if ((size_t)snprintf(fuzz_tmp_path, sizeof(fuzz_tmp_path), "%s/ftrace-fuzz-XXXXXX", t) >=
	    sizeof(fuzz_tmp_path) || !mkdtemp(fuzz_tmp_path)) {
		perror("fuzz: mkdtemp");
		abort();
	}
	atexit(fuzz_tmp_cleanup);
	return fuzz_tmp_path;
}

static const char *fuzz_tmp_write(const char *name, const uint8_t *data, size_t size)
{
	static char path[PATH_MAX + 256];
	size_t off = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", fuzz_tmp_dir(), name);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		perror(path);
		abort();
	}
	while (off < size) {
		ssize_t n = write(fd, data + off, size - off);
		if (n <= 0) {
			perror(path);
			abort();
		}
		off += (size_t)n;
	}
	close(fd);
	return path;
}

#endif
