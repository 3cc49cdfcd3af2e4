/*
 * ft_envdep.c - environment variables as dependencies (ft_envdep.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#define XXH_STATIC_LINKING_ONLY /* XXH3_state_t on the stack */
#include <xxhash.h>

#include "ft_envdep.h"
#include "ft_file.h"
#include "ft_vec.h"

extern char **environ;

#define FT_OWN_PREFIX "FTRACE_"

const char *const ft_envdep_implicit[] = {
	/* the locale (setlocale, catopen, iconv) */
	"LANG", "LANGUAGE", "LC_ALL", "LC_ADDRESS", "LC_COLLATE", "LC_CTYPE",
	"LC_IDENTIFICATION", "LC_MEASUREMENT", "LC_MESSAGES", "LC_MONETARY",
	"LC_NAME", "LC_NUMERIC", "LC_PAPER", "LC_TELEPHONE", "LC_TIME",
	"LOCPATH", "NLSPATH", "GCONV_PATH",
	/* the time zone (tzset) */
	"TZ", "TZDIR",
	/* what execvp and ld.so search, and what ld.so loads first: a new
	 * directory early in them is a lookup no record made */
	"PATH", "LD_LIBRARY_PATH", "LD_PRELOAD", "GLIBC_TUNABLES",
	/* option parsing (getopt), the resolver */
	"POSIXLY_CORRECT", "HOSTALIASES", "LOCALDOMAIN", "RES_OPTIONS",
	/* every variable of two prefixes: ld.so's own (LD_BIND_NOW,
	 * LD_AUDIT, ...) and malloc's, which glibc reads as aliases of its
	 * tunables (MALLOC_PERTURB_, MALLOC_CHECK_, MALLOC_ARENA_MAX, ...)
	 * and for mtrace (MALLOC_TRACE); fmtmsg's and getdate's */
	"LD_=", "MALLOC_=", "MSGVERB", "DATEMSK",
	NULL,
};

/* What every shell writes anew into the environment of each program it
 * starts: where it is (PWD, OLDPWD), how deep (SHLVL), the program's own
 * path (_).  Their values where `affected` runs say nothing of those the
 * tests get from the shell that starts them; compared, they would select
 * every test that reads the whole environment (jest copies it into each
 * test file's) after a `cd`. */
static const char *const ft_shell_own[] = { "PWD", "OLDPWD", "SHLVL", "_" };

int ft_envdep_skip(const char *name, size_t len)
{
	if (!len || memchr(name, '\0', len))
		return 1;
	if (memchr(name, '=', len) && memchr(name, '=', len) != name + len - 1)
		return 1; /* a '=' but as the last byte: no name */
	if (name[len - 1] == '=') /* a prefix: all its variables are ftrace's? */
		return len - 1 >= sizeof(FT_OWN_PREFIX) - 1 &&
		       !memcmp(name, FT_OWN_PREFIX, sizeof(FT_OWN_PREFIX) - 1);
	for (size_t i = 0; i < sizeof(ft_shell_own) / sizeof(ft_shell_own[0]); i++)
		if (strlen(ft_shell_own[i]) == len && !memcmp(name, ft_shell_own[i], len))
			return 1;
	return len >= sizeof(FT_OWN_PREFIX) - 1 && !memcmp(name, FT_OWN_PREFIX, sizeof(FT_OWN_PREFIX) - 1);
}

uint64_t ft_envdep_hash(const char *value, size_t len)
{
	return XXH3_64bits(value, len);
}

/* One variable of an environment: its name and its value's hash. */
struct envvar {
	const char *name;
	size_t len;
	uint64_t hash;
	size_t order;           /* position in the environment: the first wins */
};

static int envvar_cmp(const void *a, const void *b)
{
	const struct envvar *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->name, y->name, n);

	if (c)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* The hash of the variables `v` (n of them, any order; sorted here): what
 * ft_envdep.h says "$P=" holds, v being those whose names begin with P. */
static uint64_t whole_hash(struct envvar *v, size_t n)
{
	XXH3_state_t st;
	uint64_t h;

	if (n > 1)
		qsort(v, n, sizeof(*v), envvar_cmp);
	memset(&st, 0, sizeof(st));
	if (XXH3_64bits_reset(&st) != XXH_OK)
		return FT_ENVDEP_UNKNOWN;
	for (size_t i = 0; i < n; i++) {
		unsigned char le[8];
		if (i && v[i].len == v[i - 1].len && !memcmp(v[i].name, v[i - 1].name, v[i].len))
			continue; /* a second entry of a name: getenv sees the first */
		for (int b = 0; b < 8; b++)
			le[b] = (unsigned char)(v[i].hash >> (8 * b));
		XXH3_64bits_update(&st, v[i].name, v[i].len);
		XXH3_64bits_update(&st, "", 1);
		XXH3_64bits_update(&st, le, sizeof(le));
	}
	h = XXH3_64bits_digest(&st);
	return h;
}

/* Does `name` (len bytes) begin with prefix `pre` (plen bytes)? */
static int has_prefix(const char *name, size_t len, const char *pre, size_t plen)
{
	return len >= plen && !memcmp(name, pre, plen);
}

/* This process's variables whose names begin with `pre` (plen bytes; 0:
 * all) as envvars (ftrace's own left out); NULL with *n 0 for none, or on
 * ENOMEM (*bad set). */
static struct envvar *environ_vars(const char *pre, size_t plen, size_t *n, int *bad)
{
	size_t cap = 0, k = 0;
	struct envvar *v;

	*n = 0;
	*bad = 0;
	for (char **e = environ; e && *e; e++)
		cap++;
	if (!cap)
		return NULL;
	if (!(v = calloc(cap, sizeof(*v)))) {
		*bad = 1;
		return NULL;
	}
	for (char **e = environ; e && *e; e++) {
		const char *eq = strchr(*e, '=');
		if (!eq || ft_envdep_skip(*e, (size_t)(eq - *e)) ||
		    !has_prefix(*e, (size_t)(eq - *e), pre, plen))
			continue;
		v[k] = (struct envvar){ *e, (size_t)(eq - *e), ft_envdep_hash(eq + 1, strlen(eq + 1)), k };
		k++;
	}
	*n = k;
	return v;
}

uint64_t ft_envdep_now(const char *p, size_t len)
{
	char name[FT_ENVDEP_NAME_MAX + 1];
	const char *val;

	if (!ft_envdep_is(p, len) || len - 1 > FT_ENVDEP_NAME_MAX || ft_envdep_skip(p + 1, len - 1))
		return FT_ENVDEP_UNKNOWN;
	if (ft_envdep_is_prefix(p + 1, len - 1)) {
		size_t n;
		int bad;
		struct envvar *v = environ_vars(p + 1, len - 2, &n, &bad);
		uint64_t h = bad ? FT_ENVDEP_UNKNOWN : whole_hash(v, n);
		free(v);
		return h;
	}
	memcpy(name, p + 1, len - 1);
	name[len - 1] = '\0';
	val = getenv(name);
	return val ? ft_envdep_hash(val, strlen(val)) : FT_ENVDEP_UNSET;
}

int ft_envsnap_write(const char *run_dir)
{
	char path[4200];
	size_t n;
	int bad, fd, rc = 0;
	struct envvar *v = environ_vars("", 0, &n, &bad);
	FILE *f;

	if (bad)
		return -ENOMEM;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", run_dir, FT_ENVDEP_FILE) >= sizeof(path)) {
		free(v);
		return -ENAMETOOLONG;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		rc = -errno;
		if (fd >= 0)
			close(fd);
		free(v);
		return rc;
	}
	for (size_t i = 0; i < n; i++)
		if (fwrite(v[i].name, 1, v[i].len, f) != v[i].len ||
		    fprintf(f, "%c%016llx%c", 0, (unsigned long long)v[i].hash, 0) != 18)
			rc = -EIO;
	if (fclose(f) != 0 && !rc)
		rc = -errno;
	free(v);
	return rc;
}

static int snap_put(struct ft_envsnap *s, const char *name, size_t len, uint64_t h)
{
	uint64_t *nh;
	uint32_t idx;
	int added, rc;

	if ((rc = ft_map_intern(&s->names, name, len, &idx, &added)) < 0)
		return rc;
	if (!added)
		return 0; /* the first entry of a name is what getenv finds */
	if (!(nh = ft_vec_grow(s->hashes, &s->cap, idx, sizeof(*nh), 64)))
		return -ENOMEM;
	s->hashes = nh;
	s->hashes[idx] = h;
	return 0;
}

static int hexval(const char *p, uint64_t *out)
{
	uint64_t v = 0;

	for (int i = 0; i < 16; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint64_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint64_t)(c - 'a' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

int ft_envsnap_load(struct ft_envsnap *s, const char *run_dir)
{
	char *buf = NULL;
	size_t len = 0, off = 0;
	struct stat sb;
	int rc = 0, dfd, fd;

	memset(s, 0, sizeof(*s));
	/* the run dir itself must be no link (one swapped in by a test leads
	 * out of the state directory), nor the file */
	if ((dfd = open(run_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return 0;
	fd = ft_file_open(dfd, FT_ENVDEP_FILE, 0, &sb);
	close(dfd);
	if (fd < 0)
		return 0;
	if (!S_ISREG(sb.st_mode) || (uint64_t)sb.st_size > FT_ENVDEP_FILE_MAX) {
		close(fd);
		return 0;
	}
	rc = ft_file_read_fd(fd, (size_t)sb.st_size, &buf, &len);
	close(fd);
	if (rc < 0) {
		free(buf);
		return rc == -ENOMEM ? rc : 0;
	}
	while (off < len && rc >= 0) {
		const char *name = buf + off, *nul = memchr(name, '\0', len - off);
		size_t nlen;
		uint64_t h;

		if (!nul || (nlen = (size_t)(nul - name)) > FT_ENVDEP_NAME_MAX ||
		    ft_envdep_skip(name, nlen) || ft_envdep_is_prefix(name, nlen) ||
		    len - off - nlen - 1 < 17 || nul[17] != '\0' || hexval(nul + 1, &h) < 0) {
			rc = 1; /* malformed: no snapshot */
			break;
		}
		rc = snap_put(s, name, nlen, h);
		off += nlen + 18;
	}
	free(buf);
	if (rc) {
		ft_envsnap_release(s);
		return rc < 0 ? rc : 0;
	}
	s->present = 1;
	return 0;
}

uint64_t ft_envsnap_value(const struct ft_envsnap *s, const char *p, size_t len)
{
	uint32_t idx;

	if (!s->present || !ft_envdep_is(p, len) || ft_envdep_skip(p + 1, len - 1))
		return FT_ENVDEP_UNKNOWN;
	if (ft_envdep_is_prefix(p + 1, len - 1)) {
		size_t n = s->names.count, k = 0;
		struct envvar *v = calloc(n ? n : 1, sizeof(*v));
		uint64_t h;
		if (!v)
			return FT_ENVDEP_UNKNOWN;
		for (uint32_t i = 0; i < n; i++) {
			v[k].name = ft_map_key(&s->names, i, &v[k].len);
			v[k].hash = s->hashes[i];
			v[k].order = i;
			if (has_prefix(v[k].name, v[k].len, p + 1, len - 2))
				k++;
		}
		h = whole_hash(v, k);
		free(v);
		return h;
	}
	if (!ft_map_get(&s->names, p + 1, len - 1, &idx))
		return FT_ENVDEP_UNSET;
	return s->hashes[idx];
}

void ft_envsnap_release(struct ft_envsnap *s)
{
	ft_map_release(&s->names);
	free(s->hashes);
	memset(s, 0, sizeof(*s));
}
