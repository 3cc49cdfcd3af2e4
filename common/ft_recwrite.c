/*
 * ft_recwrite.c - see ft_recwrite.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ft_error.h"
#include "ft_record.h"
#include "ft_recwrite.h"

int ft_recwrite_add(struct ft_recwrite *w, uint8_t type, uint8_t op, uint8_t err,
		    uint32_t flags, const char *data, size_t len)
{
	uint32_t size;
	struct ft_record *r;

	if (len > FT_PATH_MAX)
		return FT_ETOOLONG;
	size = FT_REC_SIZE(len);
	if (w->len + size > w->cap) {
		size_t ncap = w->cap ? w->cap * 2 : 4096;
		char *nb;
		while (ncap < w->len + size)
			ncap *= 2;
		nb = realloc(w->buf, ncap);
		if (!nb)
			return -ENOMEM;
		w->buf = nb;
		w->cap = ncap;
	}
	r = (struct ft_record *)(w->buf + w->len);
	memset(r, 0, size);
	r->size = size;
	r->type = type;
	r->op = op;
	r->err = err;
	r->flags = flags;
	r->len = (uint32_t)len;
	{
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		r->t_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	}
	memcpy(r->data, data, len);
	r->commit = FT_COMMIT;
	w->len += size;
	return 0;
}

int ft_recwrite_save(struct ft_recwrite *w, const char *run_dir, const char *name)
{
	struct ft_region_hdr h;
	struct timespec ts;
	char tmp[4096], dst[4096];
	int fd, rc = 0;

	if ((size_t)snprintf(dst, sizeof(dst), "%s/r-%s.rec", run_dir, name) >= sizeof(dst) ||
	    (size_t)snprintf(tmp, sizeof(tmp), "%s/.tmp-%s", run_dir, name) >= sizeof(tmp))
		return FT_ETOOLONG;
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, FT_REGION_MAGIC, sizeof(h.magic));
	h.version = FT_REGION_VERSION;
	h.hdr_size = sizeof(h);
	h.size = (uint32_t)(sizeof(h) + w->len);
	h.used = w->len;
	h.pid = w->pid ? w->pid : (int32_t)getpid();
	h.ppid = w->pid ? w->ppid : (int32_t)getppid();
	clock_gettime(CLOCK_REALTIME, &ts);
	h.start_ns = w->start_ns ? w->start_ns : (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	h.backend = w->backend ? w->backend : FT_BACKEND_LAUNCHER;
	h.flags = w->flags;

	/* The run dir is shared with the traced command, which may have put a
	 * link (or anything) at the temporary name: remove that name, never
	 * write through it, then create the file afresh, owner-only (records
	 * hold every path the tests touched). */
	if (unlink(tmp) < 0 && errno != ENOENT && errno != EISDIR)
		return -errno;
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (write(fd, &h, sizeof(h)) != (ssize_t)sizeof(h) ||
	    (w->len && write(fd, w->buf, w->len) != (ssize_t)w->len))
		rc = errno ? -errno : -EIO;
	if (close(fd) < 0 && !rc)
		rc = -errno;
	if (!rc && rename(tmp, dst) < 0)
		rc = -errno;
	if (rc)
		unlink(tmp);
	else
		ft_recwrite_ledger_add(run_dir, strrchr(dst, '/') + 1);
	return rc;
}

int ft_recwrite_ledger_create(const char *run_dir)
{
	char path[4096];
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/" FT_LEDGER_NAME, run_dir) >= sizeof(path))
		return FT_ETOOLONG;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

void ft_recwrite_ledger_add(const char *run_dir, const char *file_name)
{
	char path[4096], line[512];
	size_t n = strlen(file_name);
	int fd;

	if (n + 1 > sizeof(line) ||
	    (size_t)snprintf(path, sizeof(path), "%s/" FT_LEDGER_NAME, run_dir) >= sizeof(path))
		return;
	memcpy(line, file_name, n);
	line[n++] = '\n';
	fd = open(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return;
	if (write(fd, line, n) < 0) {
		/* nothing to do: ingest finds the region unlisted, which it allows */
	}
	close(fd);
}

void ft_recwrite_mark_lost(const char *run_dir, int pid, int err)
{
	char path[4096];
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/" FT_LOST_PREFIX "%d-%d", run_dir, pid,
			     err) >= sizeof(path))
		return;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
}

void ft_recwrite_release(struct ft_recwrite *w)
{
	free(w->buf);
	memset(w, 0, sizeof(*w));
}
