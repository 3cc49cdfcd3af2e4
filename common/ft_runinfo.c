/*
 * ft_runinfo.c - see ft_runinfo.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ft_error.h"
#include "ft_runinfo.h"

#define FT_RUNINFO_MAGIC "ftrace-run-info 1\n"
#define FT_RUNINFO_MAX (1 << 20)

struct buf {
	char *p;
	size_t n, cap;
};

static int put(struct buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = (b->n + n + 1) * 2;
		char *p = realloc(b->p, cap);
		if (!p)
			return -ENOMEM;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
	return 0;
}

/* key=value\n, value escaped */
static int put_kv(struct buf *b, const char *key, const char *val)
{
	int rc = put(b, key, strlen(key));

	if (rc == 0)
		rc = put(b, "=", 1);
	for (const char *s = val; rc == 0 && *s; s++) {
		if (*s == '\\')
			rc = put(b, "\\\\", 2);
		else if (*s == '\n')
			rc = put(b, "\\n", 2);
		else
			rc = put(b, s, 1);
	}
	return rc == 0 ? put(b, "\n", 1) : rc;
}

static int put_num(struct buf *b, const char *key, int64_t v)
{
	char num[32];

	snprintf(num, sizeof(num), "%" PRId64, v);
	return put_kv(b, key, num);
}

static int path_in(char *out, size_t cap, const char *dir, const char *name)
{
	return (size_t)snprintf(out, cap, "%s/%s", dir, name) < cap ? 0 : FT_ETOOLONG;
}

int ft_runinfo_write(const char *run_dir, const struct ft_runinfo *ri)
{
	struct buf b = { 0 };
	char path[PATH_MAX];
	int rc, fd;

	if ((rc = path_in(path, sizeof(path), run_dir, FT_RUNINFO_FILE)) < 0)
		return rc;
	rc = put(&b, FT_RUNINFO_MAGIC, strlen(FT_RUNINFO_MAGIC));
	if (rc == 0) rc = put_num(&b, "t0_ns", ri->t0_ns);
	if (rc == 0) rc = put_num(&b, "finished_ns", ri->finished_ns);
	if (rc == 0) rc = put_num(&b, "wstatus", ri->wstatus);
	if (rc == 0) rc = put_num(&b, "exit_status", ri->exit_status);
	if (rc == 0) rc = put_num(&b, "no_prelude_split", ri->no_prelude_split);
	if (rc == 0) rc = put_num(&b, "functions", ri->functions);
	if (rc == 0 && ri->name) rc = put_kv(&b, "name", ri->name);
	/* before the keys every run.info has: a file cut short after a
	 * line keeps no part of the list without being refused */
	for (char *const *w = ri->narrowed; rc == 0 && w && *w; w++)
		rc = put_kv(&b, "narrowed", *w);
	if (rc == 0) rc = put_kv(&b, "command", ri->command ? ri->command : "");
	if (rc == 0) rc = put_kv(&b, "cwd", ri->cwd ? ri->cwd : "");
	if (rc == 0) rc = put_kv(&b, "top", ri->top ? ri->top : "");
	if (rc < 0)
		goto out;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	for (size_t off = 0; rc == 0 && off < b.n;) {
		ssize_t w = write(fd, b.p + off, b.n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			rc = w < 0 ? -errno : -EIO;
		else
			off += (size_t)w;
	}
	/* No fsync: it was a run's slowest step after the database's own.
	 * What run.info keeps (a failed save's records) is itself written
	 * without one, and a file cut short by a crash of the machine is
	 * refused by the reader (ft_runinfo_read), never misread. */
	close(fd);
	if (rc < 0)
		unlink(path); /* a half-written run.info must not be read later */
out:
	free(b.p);
	return rc;
}

/* Unescape value [s, e) into a new string. */
static char *unescape(const char *s, const char *e)
{
	char *out = malloc((size_t)(e - s) + 1), *o = out;

	if (!out)
		return NULL;
	for (; s < e; s++) {
		if (*s == '\\' && s + 1 < e) {
			s++;
			*o++ = *s == 'n' ? '\n' : *s;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
	return out;
}

static int num_of(const char *v, int64_t *out)
{
	char *end;
	long long x;

	errno = 0;
	x = strtoll(v, &end, 10);
	if (errno || end == v || *end)
		return FT_EFORMAT;
	*out = x;
	return 0;
}

/* Append value [s, e) to ri->narrowed, kept NULL-ended. */
static int add_word(struct ft_runinfo *ri, const char *s, const char *e)
{
	size_t n = 0;
	char **nv;

	while (ri->narrowed && ri->narrowed[n])
		n++;
	if (!(nv = realloc(ri->narrowed, (n + 2) * sizeof(*nv))))
		return -ENOMEM;
	ri->narrowed = nv;
	nv[n + 1] = NULL;
	return (nv[n] = unescape(s, e)) ? 0 : -ENOMEM;
}

int ft_runinfo_read(const char *run_dir, struct ft_runinfo *ri)
{
	char path[PATH_MAX], *text = NULL;
	struct stat sb;
	size_t n = 0;
	int fd, rc, seen = 0;

	memset(ri, 0, sizeof(*ri));
	if ((rc = path_in(path, sizeof(path), run_dir, FT_RUNINFO_FILE)) < 0)
		return rc;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ENOENT : errno == ELOOP ? FT_EFORMAT : -errno;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_size > FT_RUNINFO_MAX) {
		close(fd);
		return FT_EFORMAT;
	}
	text = malloc((size_t)sb.st_size + 1);
	if (!text) {
		close(fd);
		return -ENOMEM;
	}
	while (n < (size_t)sb.st_size) {
		ssize_t r = read(fd, text + n, (size_t)sb.st_size - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	text[n] = '\0';
	if (n < strlen(FT_RUNINFO_MAGIC) || memcmp(text, FT_RUNINFO_MAGIC, strlen(FT_RUNINFO_MAGIC)) ||
	    memchr(text, '\0', n)) {
		free(text);
		return FT_EFORMAT;
	}
	rc = 0;
	for (char *line = text + strlen(FT_RUNINFO_MAGIC), *nl; rc == 0 && *line; line = nl + 1) {
		char *eq, **str = NULL;
		int64_t v, *num = NULL;
		int bit = 0;

		if (!(nl = strchr(line, '\n'))) {
			rc = FT_EFORMAT; /* cut short */
			break;
		}
		if (!(eq = memchr(line, '=', (size_t)(nl - line)))) {
			rc = FT_EFORMAT;
			break;
		}
		*eq = '\0';
		if (!strcmp(line, "t0_ns")) num = &ri->t0_ns, bit = 1;
		else if (!strcmp(line, "finished_ns")) num = &ri->finished_ns, bit = 2;
		else if (!strcmp(line, "command")) str = &ri->command, bit = 4;
		else if (!strcmp(line, "cwd")) str = &ri->cwd, bit = 8;
		else if (!strcmp(line, "top")) str = &ri->top, bit = 16;
		else if (!strcmp(line, "name")) str = &ri->name;
		if (!strcmp(line, "narrowed")) {
			rc = add_word(ri, eq + 1, nl);
		} else if (str) {
			free(*str);
			if (!(*str = unescape(eq + 1, nl)))
				rc = -ENOMEM;
		} else {
			*nl = '\0';
			if (num && (rc = num_of(eq + 1, num)) < 0)
				break;
			if (!num && rc == 0 && num_of(eq + 1, &v) == 0) {
				if (!strcmp(line, "wstatus")) ri->wstatus = (int)v, bit = 32;
				else if (!strcmp(line, "exit_status")) ri->exit_status = (int)v;
				else if (!strcmp(line, "no_prelude_split")) ri->no_prelude_split = v != 0;
				else if (!strcmp(line, "functions")) ri->functions = v != 0;
			}
		}
		seen |= bit;
	}
	free(text);
	if (rc == 0 && seen != 63)
		rc = FT_EFORMAT;
	if (rc < 0)
		ft_runinfo_release(ri);
	return rc;
}

void ft_runinfo_release(struct ft_runinfo *ri)
{
	free(ri->name);
	free(ri->command);
	free(ri->cwd);
	free(ri->top);
	for (size_t i = 0; ri->narrowed && ri->narrowed[i]; i++)
		free(ri->narrowed[i]);
	free(ri->narrowed);
	memset(ri, 0, sizeof(*ri));
}

int ft_runinfo_mark_saved(const char *run_dir)
{
	char path[PATH_MAX];
	int fd, rc;

	if ((rc = path_in(path, sizeof(path), run_dir, FT_RUNINFO_SAVED)) < 0)
		return rc;
	fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

int ft_runinfo_pending(const char *run_dir)
{
	char info[PATH_MAX], saved[PATH_MAX];
	struct stat sb;

	if (path_in(info, sizeof(info), run_dir, FT_RUNINFO_FILE) < 0 ||
	    path_in(saved, sizeof(saved), run_dir, FT_RUNINFO_SAVED) < 0)
		return 0;
	return lstat(info, &sb) == 0 && S_ISREG(sb.st_mode) && lstat(saved, &sb) < 0;
}

int ft_runinfo_lock(const char *run_dir)
{
	int fd = open(run_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;
		close(fd);
		return e == EWOULDBLOCK ? -EWOULDBLOCK : -e;
	}
	return fd;
}
