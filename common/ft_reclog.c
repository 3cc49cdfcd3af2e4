/*
 * ft_reclog.c - read the region files of a run (ft_reclog.h).
 *
 * Every region is untrusted input: it may have been cut short by a full
 * disk, written by a process killed mid-record, or be some other file that
 * happens to be named r-*.rec.  So each header field is checked before use,
 * the walk never reads past min(file size, hdr->size), and anything that
 * does not add up marks the region damaged (the caller then treats its
 * contexts as untraced) instead of being followed.
 *
 * How a walk ends (writer side: preload/region.c):
 *   - a record of size 0 at the offset where reservations stop
 *     (hdr_size + used): a clean end;
 *   - the end of the region, or less than one minimal record left: full;
 *   - a record of size 0 BEFORE hdr_size + used: a writer reserved space
 *     and died before filling it; records after it may be lost: damaged.
 * A record of type 0 is padding written by the reservation that found the
 * region full; it is skipped silently.
 */
#include <dirent.h>
#include <stdio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "ft_error.h"
#include "ft_file.h"
#include "ft_reclog.h"

struct ft_reclog_name {
	char *name;
	unsigned long pid, seq;
	int parsed;
};

/* "r-<pid>-<seq>.rec" -> pid, seq.  Other r-*.rec names sort after. */
static int ft_reclog_parse(const char *name, unsigned long *pid, unsigned long *seq)
{
	char *end;

	if (strncmp(name, "r-", 2))
		return 0;
	*pid = strtoul(name + 2, &end, 10);
	if (end == name + 2 || *end != '-')
		return 0;
	name = end + 1;
	*seq = strtoul(name, &end, 10);
	return end != name && !strcmp(end, ".rec");
}

static int ft_reclog_is_region(const char *name)
{
	size_t n = strlen(name);

	return n > 6 && !strncmp(name, "r-", 2) && !strcmp(name + n - 4, ".rec");
}

static int ft_reclog_cmp(const void *a, const void *b)
{
	const struct ft_reclog_name *x = a, *y = b;

	if (x->parsed != y->parsed)
		return x->parsed ? -1 : 1;
	if (x->parsed) {
		if (x->pid != y->pid)
			return x->pid < y->pid ? -1 : 1;
		if (x->seq != y->seq)
			return x->seq < y->seq ? -1 : 1;
	}
	return strcmp(x->name, y->name);
}

/* Walk one mapped region.  Returns the callback's non-zero value or 0;
 * *damaged is set when anything was skipped. */
static int ft_reclog_walk(const struct ft_reclog_region *region, size_t file_size,
			  ft_reclog_fn fn, void *arg, struct ft_reclog_stats *st, int *damaged)
{
	const struct ft_region_hdr *hdr = region->hdr;
	const char *base = (const char *)hdr;
	size_t limit = file_size, off, reserved_end;

	if (hdr->size < limit)
		limit = hdr->size;
	/* Both writers make the file exactly hdr->size long.  Shorter: a
	 * truncated file, its tail is gone.  Longer: bytes past the size the
	 * header gives are never walked, so records there would be dropped
	 * unseen (found by tests/fuzz/fuzz_reclog.c). */
	if (hdr->size != file_size)
		*damaged = 1;
	off = hdr->hdr_size;
	reserved_end = hdr->used > limit - off ? limit : off + (size_t)hdr->used;
	while (limit - off >= FT_REC_SIZE(0)) {
		const struct ft_record *rec = (const struct ft_record *)(base + off);
		uint8_t commit = __atomic_load_n(&rec->commit, __ATOMIC_ACQUIRE);

		if (rec->size == 0) {
			if (off < reserved_end)
				*damaged = 1;
			break;
		}
		if (rec->size % FT_REC_ALIGN || rec->size < FT_REC_SIZE(0) || rec->size > limit - off) {
			*damaged = 1; /* cannot find the next record */
			break;
		}
		off += rec->size;
		if (commit != FT_COMMIT) {
			*damaged = 1; /* cut short by a crash */
			continue;
		}
		if (rec->type == 0)
			continue; /* padding at the end of a full region */
		if (rec->len > rec->size - sizeof(struct ft_record) - 1 ||
		    FT_REC_SIZE(rec->len) != rec->size || rec->data[rec->len] != '\0') {
			*damaged = 1;
			continue;
		}
		if (rec->type < FT_REC_ACCESS || rec->type > FT_REC_ENV ||
		    (rec->type == FT_REC_ENV && (!rec->len || rec->len > 4096)) ||
		    (rec->type == FT_REC_TIMES && rec->len <= sizeof(struct ft_times)) ||
		    (rec->type == FT_REC_EXIT && rec->len != sizeof(struct ft_rec_exit)) ||
		    /* an outcome no writer emits (the preload clamps its own;
		     * a runner's adapter reports through it): not one to
		     * store, or to read a test's result from */
		    (rec->type == FT_REC_TEST_END && rec->flags > FT_OUTCOME_ERROR) ||
		    (rec->type == FT_REC_ACCESS && (rec->op == FT_OP__NONE || rec->op >= FT_OP__COUNT))) {
			*damaged = 1;
			continue;
		}
		st->records++;
		{
			int rc = fn(arg, region, rec);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static int ft_reclog_file(int dfd, const char *path, const char *name, ft_reclog_fn fn, void *arg,
			  struct ft_reclog_stats *st)
{
	struct ft_reclog_region region = { .file = path };
	const struct ft_region_hdr *hdr;
	struct stat sb;
	int fd, damaged = 0, rc = 0;
	void *map;

	st->regions++;
	fd = ft_file_open(dfd, name, 0, &sb);
	if (fd < 0) {
		if (fd == FT_ENOTREG && !st->refused++)
			snprintf(st->refused_name, sizeof(st->refused_name), "%s", name);
		st->damaged++;
		return 0;
	}
	if ((size_t)sb.st_size < sizeof(struct ft_region_hdr)) {
		close(fd);
		st->damaged++;
		return 0;
	}
	map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		st->damaged++;
		return 0;
	}
	hdr = map;
	if (memcmp(hdr->magic, FT_REGION_MAGIC, sizeof(hdr->magic)) ||
	    hdr->version != FT_REGION_VERSION || hdr->hdr_size < sizeof(*hdr) ||
	    hdr->hdr_size % FT_REC_ALIGN || hdr->hdr_size > (size_t)sb.st_size ||
	    hdr->size < hdr->hdr_size) {
		damaged = 1;
	} else {
		region.hdr = hdr;
		rc = ft_reclog_walk(&region, (size_t)sb.st_size, fn, arg, st, &damaged);
	}
	munmap(map, (size_t)sb.st_size);
	if (damaged)
		st->damaged++;
	return rc;
}

static int ft_reclog_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Check the ledger against the region names found.  A line that is no
 * region name (a cut-short last line included: a writer died mid-write,
 * which one O_APPEND write makes very unlikely) counts as bad; the caller
 * treats bad and gone alike.
 */
static int ft_reclog_ledger(int dfd, const struct ft_reclog_name *names, size_t n,
			    struct ft_reclog_stats *st)
{
	struct stat sb;
	char **sorted = NULL, *buf = NULL;
	size_t got = 0;
	int fd, rc = 0;

	fd = ft_file_open(dfd, FT_LEDGER_NAME, 0, &sb);
	if (fd < 0)
		return 0; /* no ledger (or none we may read): st->ledger stays 0 */
	if (sb.st_size > 64 * 1024 * 1024) {
		close(fd);
		return 0;
	}
	sorted = malloc((n ? n : 1) * sizeof(*sorted));
	/* a failed read: the lines before it (a line cut short counts bad) */
	if (!sorted || ft_file_read_fd(fd, (size_t)sb.st_size, &buf, &got) == -ENOMEM) {
		rc = -ENOMEM;
		goto out;
	}
	st->ledger = 1;
	for (size_t i = 0; i < n; i++)
		sorted[i] = names[i].name;
	if (n > 1)
		qsort(sorted, n, sizeof(*sorted), ft_reclog_name_cmp);
	for (char *line = buf, *end = buf + got; line < end;) {
		char *nl = memchr(line, '\n', (size_t)(end - line));
		char *key = line;

		if (!nl) { /* a last line cut short */
			st->unlisted_bad++;
			break;
		}
		*nl = '\0';
		if (strlen(line) != (size_t)(nl - line) || strchr(line, '/') || !ft_reclog_is_region(line))
			st->unlisted_bad++;
		else if (!bsearch(&key, sorted, n, sizeof(*sorted), ft_reclog_name_cmp) &&
			 !st->ledger_gone++)
			snprintf(st->gone_name, sizeof(st->gone_name), "%s", line);
		line = nl + 1;
	}
out:
	close(fd);
	free(buf);
	free(sorted);
	return rc;
}

int ft_reclog_each(const char *run_dir, ft_reclog_fn fn, void *arg, struct ft_reclog_stats *stats)
{
	struct ft_reclog_stats local = { 0 };
	struct ft_reclog_name *names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	d = opendir(run_dir);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (!strncmp(de->d_name, FT_LOST_PREFIX, strlen(FT_LOST_PREFIX))) {
			const char *dash = strrchr(de->d_name, '-');
			if (!stats->unrecorded++ && dash)
				stats->unrecorded_err = atoi(dash + 1);
			continue;
		}
		if (!ft_reclog_is_region(de->d_name))
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			struct ft_reclog_name *nn = realloc(names, ncap * sizeof(*nn));
			if (!nn) {
				rc = -ENOMEM;
				goto out;
			}
			names = nn;
			cap = ncap;
		}
		names[n].name = strdup(de->d_name);
		if (!names[n].name) {
			rc = -ENOMEM;
			goto out;
		}
		names[n].parsed = ft_reclog_parse(de->d_name, &names[n].pid, &names[n].seq);
		n++;
	}
	if (n > 1) /* an empty run dir (its regions vanished): names is NULL */
		qsort(names, n, sizeof(*names), ft_reclog_cmp);
	if ((rc = ft_reclog_ledger(dirfd(d), names, n, stats)) < 0)
		goto out;
	for (size_t i = 0; i < n && !rc; i++) {
		size_t dlen = strlen(run_dir), flen = strlen(names[i].name);
		char *path = malloc(dlen + flen + 2);

		if (!path) {
			rc = -ENOMEM;
			break;
		}
		memcpy(path, run_dir, dlen);
		path[dlen] = '/';
		memcpy(path + dlen + 1, names[i].name, flen + 1);
		rc = ft_reclog_file(dirfd(d), path, names[i].name, fn, arg, stats);
		free(path);
	}
out:
	closedir(d);
	for (size_t i = 0; i < n; i++)
		free(names[i].name);
	free(names);
	return rc;
}
