/*
 * region.c - the transport: records appended to a file-backed shared
 * mapping (the format and the concurrency rules are in ft_record.h).
 *
 * Why a mapping and not write(2): a record then costs a few stores, no
 * descriptor stays open (a program that runs close_range(3, ~0U, 0) and gets
 * fd 3 back for its own file can never receive our bytes), and what was
 * stored survives SIGKILL and _exit, since the pages belong to the file.
 *
 * Lifecycle: the region is created on the first record of a process image
 * (so a pass-through process that records nothing leaves no file), replaced
 * by a fresh one when full, and forgotten in a fork child, which makes its
 * own.  Old regions are never unmapped: another thread may still be writing
 * into the one it reserved space in.
 *
 * Space: a region's blocks are allocated (fallocate) before it is mapped.
 * A sparse mapping on a full disk turned the first store into a new page
 * into SIGBUS in the traced program ("Bus error", exit 135).  The first
 * region of a process is FT_REGION_MIN bytes and each next one doubles, so
 * a short process takes little space.  When a region cannot be made, the
 * process stops recording for good (ft_region_failed), and leaves an empty
 * `lost-<pid>-<errno>` file so that ingest counts the run as damaged.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "ft_preload.h"

static struct ft_region_hdr *ft_region;   /* current, published with CAS */
static uint32_t ft_region_seq;            /* next seq to try */
static int ft_region_failed;              /* errno of a failed creation */
static uint32_t ft_region_next_size = FT_REGION_MIN; /* of the next region */

/* CLOCK_MONOTONIC through the vDSO: no system call, async-signal-safe. */
static uint64_t ft_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Fill one record at `at` (space already reserved) and publish it. */
static void ft_record_put(char *at, uint32_t size, enum ft_rec_type type, enum ft_op op,
			  int err, uint32_t flags, uint32_t aux, const char *data, size_t len)
{
	struct ft_record *r = (struct ft_record *)at;

	r->size = size;
	r->type = (uint8_t)type;
	r->op = (uint8_t)op;
	r->err = (uint8_t)(err < 0 ? 0 : err > 255 ? 255 : err);
	r->flags = flags;
	r->len = (uint32_t)len;
	r->aux = aux;
	r->t_ns = ft_now_ns();
	if (len)
		memcpy(r->data, data, len);
	r->data[len] = '\0';
	__atomic_store_n(&r->commit, (uint8_t)FT_COMMIT, __ATOMIC_RELEASE);
}

/* <run dir>/<prefix><pid>-<seq><suffix> into path. */
static void ft_region_path(char *path, const char *prefix, uint32_t seq, const char *suffix)
{
	size_t pl = strlen(prefix), sl = strlen(suffix);
	char *p;

	memcpy(path, ft__proc.run_dir, ft__proc.run_dir_len);
	p = path + ft__proc.run_dir_len;
	memcpy(p, prefix, pl);
	p = ft__utoa(p + pl, (unsigned long)getpid());
	*p++ = '-';
	p = ft__utoa(p, seq);
	memcpy(p, suffix, sl + 1);
}

/*
 * Create, size and map a new region file, with its header and first record
 * (the current context) already in it.  Returns NULL with errno set.
 *
 * The file is made as `.t-<pid>-<n>.tmp`, filled, and only then published
 * as `r-<pid>-<seq>.rec` by link(), which never replaces an existing name
 * (EEXIST: the next seq).  A process killed half way leaves a temporary
 * name that ingest does not read, never a region without a header, which
 * ingest would have to call damaged, making every test of the run untraced
 * (a test that kills `less` did that).
 */
/* Allocate the first `size` bytes of fd: fallocate, or where the file
 * system has none, zeros written over the whole range.  0 or an errno. */
static int ft_region_reserve(int fd, uint32_t size)
{
	static const char zeros[4096];

	int r;

	/* A signal that arrives while blocks are allocated interrupts it:
	 * that is no reason to stop recording. */
	while ((r = fallocate(fd, 0, 0, size)) != 0 && errno == EINTR)
		;
	if (r == 0)
		return 0;
	if (errno != EOPNOTSUPP && errno != ENOSYS)
		return errno;
	for (uint32_t off = 0; off < size; off += sizeof(zeros)) {
		ssize_t n = pwrite(fd, zeros, sizeof(zeros), off);
		if (n < 0 && errno == EINTR) {
			off -= sizeof(zeros);
			continue;
		}
		if (n != (ssize_t)sizeof(zeros))
			return n < 0 ? errno : ENOSPC;
	}
	return 0;
}

/* Leave `lost-<pid>-<errno>` in the run dir: this process records no more.
 * mknod makes the empty file without a descriptor, so a process at its
 * descriptor limit (EMFILE, the usual reason no region could be opened)
 * can still leave it, and an empty file needs no data block, so a full
 * disk still has room for it. */
static void ft_region_mark_lost(int err)
{
	char path[sizeof(ft__proc.run_dir) + 64];

	ft_region_path(path, "/" FT_LOST_PREFIX, (uint32_t)err, "");
	(void)mknod(path, S_IFREG | 0600, 0);
}

static struct ft_region_hdr *ft_region_create(void)
{
	char path[sizeof(ft__proc.run_dir) + 64], tmp[sizeof(ft__proc.run_dir) + 64];
	char ctx[FT_ID_MAX + 1];
	struct ft_region_hdr *hdr;
	struct timespec ts;
	size_t ctx_len;
	uint32_t seq = 0;
	void *map;
	uint32_t size = ft_region_next_size;
	int fd = -1, tries, linked = 0, e;

	for (tries = 0; tries < 4096; tries++) {
		seq = __atomic_fetch_add(&ft_region_seq, 1, __ATOMIC_RELAXED);
		ft_region_path(tmp, "/.t-", seq, ".tmp");
		fd = FT_REAL(open)(tmp, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0)
		return NULL;
	if ((e = ft_region_reserve(fd, size)) != 0) {
		close(fd);
		FT_REAL(unlink)(tmp);
		errno = e;
		return NULL;
	}
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		e = errno;
		FT_REAL(unlink)(tmp);
		errno = e;
		return NULL;
	}

	hdr = map;
	memcpy(hdr->magic, FT_REGION_MAGIC, sizeof(hdr->magic));
	hdr->version = FT_REGION_VERSION;
	hdr->hdr_size = sizeof(*hdr);
	hdr->size = size;
	hdr->seq = seq;
	hdr->pid = getpid();
	hdr->ppid = getppid();
	clock_gettime(CLOCK_REALTIME, &ts);
	hdr->start_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	hdr->backend = FT_BACKEND_PRELOAD;

	ctx_len = ft__context_get(ctx, sizeof(ctx));
	hdr->used = FT_REC_SIZE(ctx_len);
	ft_record_put((char *)hdr + hdr->hdr_size, FT_REC_SIZE(ctx_len), FT_REC_CONTEXT,
		      FT_OP__NONE, 0, ft__context_flags(), 0, ctx, ctx_len);

	/* publish under the first free r-<pid>-<seq>.rec */
	for (tries = 0; tries < 4096 && !linked; tries++) {
		hdr->seq = seq;
		ft_region_path(path, "/r-", seq, ".rec");
		if (FT_REAL(link)(tmp, path) == 0)
			linked = 1;
		else if (errno != EEXIST)
			break;
		else
			seq = __atomic_fetch_add(&ft_region_seq, 1, __ATOMIC_RELAXED);
	}
	if (!linked) {
		e = errno;
		munmap(map, size);
		FT_REAL(unlink)(tmp);
		errno = e;
		return NULL;
	}
	FT_REAL(unlink)(tmp);
	if (size < FT_REGION_SIZE)
		ft_region_next_size = size * 2;
	return hdr;
}

/* List the published region `r-<pid>-<seq>.rec` in the run's ledger
 * (ft_record.h, FT_LEDGER_NAME): one O_APPEND write, after the region is in
 * place and ours for good.  Never creates, follows or blocks on the
 * ledger; without one (a run no launcher started) nothing is written. */
static void ft_region_ledger(uint32_t seq)
{
	char path[sizeof(ft__proc.run_dir) + 64], line[64];
	char *p = line + 2;
	int fd;

	memcpy(path, ft__proc.run_dir, ft__proc.run_dir_len);
	memcpy(path + ft__proc.run_dir_len, "/" FT_LEDGER_NAME, sizeof("/" FT_LEDGER_NAME));
	line[0] = 'r';
	line[1] = '-';
	p = ft__utoa(p, (unsigned long)getpid());
	*p++ = '-';
	p = ft__utoa(p, seq);
	memcpy(p, ".rec\n", 5);
	p += 5;
	fd = FT_REAL(open)(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return;
	if (write(fd, line, (size_t)(p - line)) < 0) {
		/* an unlisted region is allowed: ingest only misses listed ones */
	}
	close(fd);
}

/* Make a new region current in place of `old` (NULL: none yet).  Another
 * thread may do the same at the same time: the loser unmaps and removes its
 * own, still empty, region and uses the winner's. */
static struct ft_region_hdr *ft_region_replace(struct ft_region_hdr *old)
{
	struct ft_region_hdr *fresh, *expected = old;

	if (__atomic_load_n(&ft_region, __ATOMIC_ACQUIRE) != old)
		return __atomic_load_n(&ft_region, __ATOMIC_ACQUIRE); /* someone else did */
	if (__atomic_load_n(&ft_region_failed, __ATOMIC_RELAXED)) {
		errno = ft_region_failed;
		return NULL;
	}
	fresh = ft_region_create();
	if (!fresh) {
		int e = errno ? errno : EIO;

		if (!__atomic_exchange_n(&ft_region_failed, e, __ATOMIC_RELAXED))
			ft_region_mark_lost(e);
		errno = e;
		return NULL;
	}
	if (__atomic_compare_exchange_n(&ft_region, &expected, fresh, 0,
					__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		ft_region_ledger(fresh->seq);
		return fresh;
	}
	/* Lost the race: `expected` now holds the winner.  Our file has only
	 * its context record; remove it so the run dir holds no empty region. */
	{
		char path[sizeof(ft__proc.run_dir) + 64];

		ft_region_path(path, "/r-", fresh->seq, ".rec");
		FT_REAL(unlink)(path);
	}
	munmap(fresh, fresh->size);
	return expected;
}

int ft__emit(enum ft_rec_type type, enum ft_op op, int err, uint32_t flags,
	     const char *data, size_t len)
{
	return ft__emit_aux(type, op, err, flags, 0, data, len);
}

int ft__emit_aux(enum ft_rec_type type, enum ft_op op, int err, uint32_t flags, uint32_t aux,
		 const char *data, size_t len)
{
	uint32_t size = FT_REC_SIZE(len);

	if (size > FT_REGION_SIZE / 2)
		return -E2BIG;
	for (int tries = 0; tries < 8; tries++) {
		struct ft_region_hdr *hdr = __atomic_load_n(&ft_region, __ATOMIC_ACQUIRE);
		uint64_t cap, off;

		if (!hdr) {
			hdr = ft_region_replace(NULL);
			if (!hdr)
				return -errno;
		}
		cap = hdr->size - hdr->hdr_size;
		off = __atomic_fetch_add(&hdr->used, size, __ATOMIC_RELAXED);
		if (off + size <= cap) {
			ft_record_put((char *)hdr + hdr->hdr_size + off, size, type, op, err,
				      flags, aux, data, len);
			return 0;
		}
		/* Full.  The reservation that straddles the end pads the tail, so
		 * a reader can tell a full region from one cut short by a crash. */
		if (off < cap && cap - off >= FT_REC_SIZE(0))
			ft_record_put((char *)hdr + hdr->hdr_size + off, (uint32_t)(cap - off),
				      0, FT_OP__NONE, 0, 0, 0, NULL, 0);
		if (!ft_region_replace(hdr))
			return -errno;
	}
	return -EAGAIN;
}

int ft__region_exists(void)
{
	return __atomic_load_n(&ft_region, __ATOMIC_ACQUIRE) != NULL;
}

int ft__region_ensure(void)
{
	if (__atomic_load_n(&ft_region, __ATOMIC_ACQUIRE))
		return 0;
	return ft_region_replace(NULL) ? 0 : -errno;
}

void ft__region_forget(void)
{
	struct ft_region_hdr *hdr = ft_region;

	/* Runs in the fork child, single-threaded: plain stores are enough. */
	ft_region = NULL;
	ft_region_seq = 0;
	ft_region_failed = 0;
	ft_region_next_size = FT_REGION_MIN;
	if (hdr)
		munmap(hdr, hdr->size);
}
