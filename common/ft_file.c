/*
 * ft_file.c - see ft_file.h.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ft_file.h"

char *ft_file_read(const char *path, int extra_oflags, size_t *len, mode_t *mode)
{
	struct stat sb;
	size_t off = 0;
	ssize_t n;
	char *buf;
	/* O_NONBLOCK: a FIFO named like the file must fail the regular-file
	 * check below, not hang the open (it changes nothing for a regular
	 * file) */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | extra_oflags);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || !(buf = malloc((size_t)sb.st_size + 1))) {
		close(fd);
		return NULL;
	}
	while (off < (size_t)sb.st_size && (n = read(fd, buf + off, (size_t)sb.st_size - off)) > 0)
		off += (size_t)n;
	close(fd);
	buf[off] = '\0';
	*len = off;
	if (mode)
		*mode = sb.st_mode;
	return buf;
}
