/*
 * hook_libcfiles.c - files libc reads inside itself, where no hook sees
 * the open: the time zone (tzset and the local-time conversions), the
 * user and group databases (getpwnam and friends) and host names
 * (getaddrinfo and friends).  glibc opens them with its internal calls
 * (__open_nocancel), so a C test that printed a local time recorded no
 * zone file: replacing /etc/localtime or a zone of tzdata, or TZ's file,
 * changed its output and selected nothing (found on a probe of jq's date
 * tests; t1104).  CPython's time.localtime, pwd and socket.getaddrinfo
 * call the same functions.
 *
 * Each hook calls the real function first and returns what it returned;
 * then, once per context (dedup.c) and file, it records a read of each
 * file that call may have read: found (ingest keeps its content) or not
 * (its absence), as a stat of it says now.  More than libc read is
 * recorded where it is cheaper to be sure (nsswitch.conf may send a
 * lookup elsewhere, a zone read once is kept by libc for the process):
 * never less.
 *
 * Time zone (glibc's time/tzset.c and tzfile.c): TZ unset is
 * /etc/localtime; TZ empty is "Universal"; a leading ':' is dropped; a
 * name that is not absolute is looked up under $TZDIR (when set and not
 * empty), else /usr/share/zoneinfo.  When that file is missing, TZ is read
 * as a POSIX rule; one that names a daylight-saving zone without its rules
 * ("EST5EDT") takes them from "posixrules" there: that file is recorded
 * too.  gmtime reads the zone file as well, but its
 * result does not depend on it.
 *
 * Not covered: the locale (setlocale's archive), iconv's modules, and any
 * other file libc opens for itself; lookups that NSS sends to a daemon
 * (nscd, systemd-userdbd) or to the network.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netdb.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "ft_preload.h"

#define FT_DEDUP_LIBC 0x40000000u  /* dedup class: a file libc read, by path */
#define FT_TZ_DEFAULT "/etc/localtime"
#define FT_TZ_DIR "/usr/share/zoneinfo"

/* Record a read of `path` (absolute) once per context: found or not. */
static void ft_libc_read(const char *path, size_t len)
{
	struct stat sb;
	int err;

	if (ft__dedup_seen(FT_DEDUP_LIBC, path, len))
		return;
	err = FT_REAL(stat)(path, &sb) == 0 ? 0 : errno;
	ft__access_abs(path, len, FT_OP_OPEN, FT_AC_READ, err);
}

static void ft_libc_reads(const char *const *paths)
{
	int saved = errno;

	if (!ft__on())
		return;
	for (; *paths; paths++)
		ft_libc_read(*paths, strlen(*paths));
	errno = saved;
}

/* Does POSIX rule `tz` name a daylight-saving zone without saying when it
 * applies ("EST5EDT", "<+03>-3ABC")?  glibc then takes those rules from
 * "posixrules" (tzset.c, __tzfile_default). */
static int ft_tz_wants_rules(const char *tz)
{
	for (int part = 0; part < 2; part++) {
		if (*tz == '<') {
			tz = strchr(tz, '>');
			if (!tz)
				return 0;
			tz++;
		} else {
			const char *s = tz;
			while ((*tz >= 'a' && *tz <= 'z') || (*tz >= 'A' && *tz <= 'Z'))
				tz++;
			if (tz == s)
				return 0;
		}
		/* the offset: required after the standard name, optional after
		 * the daylight-saving one */
		if (*tz == '+' || *tz == '-')
			tz++;
		if (part == 0 && !(*tz >= '0' && *tz <= '9'))
			return 0;
		while ((*tz >= '0' && *tz <= '9') || *tz == ':')
			tz++;
		if (part == 0 && !*tz)
			return 0; /* no daylight-saving zone */
	}
	return !*tz || (tz[0] == ',' && !tz[1]);
}

/* The zone file the conversions read (above), and posixrules when it is
 * not there and TZ, read as a rule, needs it. */
static void ft_libc_tz(void)
{
	char path[FT_PATH_MAX];
	const char *tz, *dir;
	size_t dl, tl;
	struct stat sb;
	int saved = errno;

	if (!ft__on())
		return;
	tz = ft__getenv("TZ");
	if (tz && !*tz)
		tz = "Universal";
	if (tz && *tz == ':')
		tz++;
	if (!tz || !*tz)
		tz = FT_TZ_DEFAULT;
	tl = strlen(tz);
	if (*tz == '/') {
		if (tl < sizeof(path))
			ft_libc_read(tz, tl);
		errno = saved;
		return;
	}
	dir = ft__getenv("TZDIR");
	ft__env_read("TZDIR");
	if (!dir || !*dir)
		dir = FT_TZ_DIR;
	dl = strlen(dir);
	if (dl + 1 + tl >= sizeof(path) || dl + sizeof("/posixrules") > sizeof(path)) {
		errno = saved;
		return;
	}
	memcpy(path, dir, dl);
	path[dl] = '/';
	memcpy(path + dl + 1, tz, tl + 1);
	ft_libc_read(path, dl + 1 + tl);
	/* (the rule's shape first: TZ=UTC, a zone's name, needs no stat per
	 * call here) */
	if (ft_tz_wants_rules(tz) && FT_REAL(stat)(path, &sb) != 0) {
		memcpy(path + dl, "/posixrules", sizeof("/posixrules"));
		ft_libc_read(path, dl + sizeof("/posixrules") - 1);
	}
	errno = saved;
}

static const char *const ft_passwd_files[] = { "/etc/nsswitch.conf", "/etc/passwd", NULL };
static const char *const ft_group_files[] = { "/etc/nsswitch.conf", "/etc/group", NULL };
static const char *const ft_hosts_files[] = {
	"/etc/nsswitch.conf", "/etc/host.conf", "/etc/hosts", "/etc/resolv.conf", NULL,
};
static const char *const ft_addrinfo_files[] = {
	"/etc/nsswitch.conf", "/etc/host.conf", "/etc/hosts", "/etc/resolv.conf",
	"/etc/gai.conf", "/etc/services", NULL,
};

/* A hook that calls the real `name` and then records: `after` is a
 * statement (ft_libc_tz(), or ft_libc_reads(files)). */
#define FT_LIBC_HOOK(ret, name, params, args, after) \
	FT_EXPORT ret name params                    \
	{                                            \
		ret r = FT_REAL(name) args;          \
		after;                               \
		return r;                            \
	}

/* ---- time zone ---------------------------------------------------------- */

FT_EXPORT void tzset(void)
{
	FT_REAL(tzset)();
	ft_libc_tz();
}

FT_LIBC_HOOK(struct tm *, localtime, (const time_t *t), (t), ft_libc_tz())
FT_LIBC_HOOK(struct tm *, localtime_r, (const time_t *t, struct tm *out), (t, out), ft_libc_tz())
FT_LIBC_HOOK(time_t, mktime, (struct tm *tm), (tm), ft_libc_tz())
FT_LIBC_HOOK(time_t, timelocal, (struct tm *tm), (tm), ft_libc_tz())
FT_LIBC_HOOK(char *, ctime, (const time_t *t), (t), ft_libc_tz())
FT_LIBC_HOOK(char *, ctime_r, (const time_t *t, char *buf), (t, buf), ft_libc_tz())

/* ---- users and groups --------------------------------------------------- */

#define FT_PW(ret, name, params, args) FT_LIBC_HOOK(ret, name, params, args, ft_libc_reads(ft_passwd_files))
#define FT_GR(ret, name, params, args) FT_LIBC_HOOK(ret, name, params, args, ft_libc_reads(ft_group_files))

FT_PW(struct passwd *, getpwnam, (const char *name), (name))
FT_PW(struct passwd *, getpwuid, (uid_t uid), (uid))
FT_PW(int, getpwnam_r, (const char *name, struct passwd *pwd, char *buf, size_t n, struct passwd **res),
      (name, pwd, buf, n, res))
FT_PW(int, getpwuid_r, (uid_t uid, struct passwd *pwd, char *buf, size_t n, struct passwd **res),
      (uid, pwd, buf, n, res))
FT_PW(struct passwd *, getpwent, (void), ())
FT_GR(struct group *, getgrnam, (const char *name), (name))
FT_GR(struct group *, getgrgid, (gid_t gid), (gid))
FT_GR(int, getgrnam_r, (const char *name, struct group *grp, char *buf, size_t n, struct group **res),
      (name, grp, buf, n, res))
FT_GR(int, getgrgid_r, (gid_t gid, struct group *grp, char *buf, size_t n, struct group **res),
      (gid, grp, buf, n, res))
FT_GR(struct group *, getgrent, (void), ())
FT_GR(int, getgrouplist, (const char *user, gid_t group, gid_t *groups, int *ngroups),
      (user, group, groups, ngroups))

/* ---- host names --------------------------------------------------------- */

#define FT_HOST(ret, name, params, args) FT_LIBC_HOOK(ret, name, params, args, ft_libc_reads(ft_hosts_files))
#define FT_ADDR(ret, name, params, args) FT_LIBC_HOOK(ret, name, params, args, ft_libc_reads(ft_addrinfo_files))

FT_ADDR(int, getaddrinfo,
	(const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **res),
	(node, service, hints, res))
FT_ADDR(int, getnameinfo,
	(const struct sockaddr *sa, socklen_t salen, char *host, socklen_t hostlen, char *serv,
	 socklen_t servlen, int flags),
	(sa, salen, host, hostlen, serv, servlen, flags))
FT_HOST(struct hostent *, gethostbyname, (const char *name), (name))
FT_HOST(struct hostent *, gethostbyname2, (const char *name, int af), (name, af))
FT_HOST(int, gethostbyname_r,
	(const char *name, struct hostent *ret, char *buf, size_t n, struct hostent **res, int *herr),
	(name, ret, buf, n, res, herr))
FT_HOST(int, gethostbyname2_r,
	(const char *name, int af, struct hostent *ret, char *buf, size_t n, struct hostent **res,
	 int *herr),
	(name, af, ret, buf, n, res, herr))
FT_HOST(struct hostent *, gethostbyaddr, (const void *addr, socklen_t len, int type), (addr, len, type))
FT_HOST(int, gethostbyaddr_r,
	(const void *addr, socklen_t len, int type, struct hostent *ret, char *buf, size_t n,
	 struct hostent **res, int *herr),
	(addr, len, type, ret, buf, n, res, herr))
