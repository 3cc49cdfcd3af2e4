/*
 * hook_reach.c - calls after which a process may record nowhere, or record
 * paths that name other files: setuid, seteuid, setreuid, setresuid and
 * setfsuid (a process that takes another user), and chroot (one that takes
 * another root).
 *
 * The run dir is its owner's alone (0700).  A process that drops from
 * root to another user (runuser, setpriv, `subprocess.run(user=...)`, a
 * daemon that sheds its privileges) can no longer create a region in it,
 * and nor can any program it execs.  Nor can it leave the `lost-` mark
 * that says so (region.c): its file calls would go unrecorded and nothing
 * would tell, so an edit of a file only that process read would select
 * nothing (t4342).
 *
 * So, before the call, the process makes sure it has a region while it can
 * still create one; a mapping stays writable whatever the process's user
 * becomes.  After a call that succeeded, if the run dir is out of the
 * process's reach (it can no longer create files there: faccessat with
 * AT_EACCESS, which asks as the kernel will, capabilities included), its
 * current test is marked untraced (FT_UNTRACED_USER) in that region: the
 * test is then always selected.  A user change that keeps the run dir
 * writable (to root, or back to the run's own user) marks nothing.
 *
 * chroot is the same story and one more: once the root moved, the paths
 * the process records name files of the new root, which ingest would look
 * for in ours.  So after a chroot that moved the root (`/` is another
 * directory than before), the test is marked untraced whatever the run
 * dir's reach.
 *
 * Not covered: the same system calls made without libc (raw `syscall`
 * instructions, which the trap of rawtrap.c does not decode for this);
 * Go's are the ptrace back end's, whose tracer writes every region itself.
 * The group calls (setgid and the like) change nothing here: the run dir
 * grants nothing to a group.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/fsuid.h>
#include <sys/stat.h>

#include "ft_preload.h"

/* Before the change: a region, while one can still be made.  A failure
 * here is region.c's to report (its lost- mark), as for any record. */
static int ft_cred_before(void)
{
	int saved = errno;

	if (!ft__proc.active || ft__proc.ptraced)
		return 0;
	ft__guard++;
	ft__region_ensure();
	ft__guard--;
	errno = saved;
	return 1;
}

/* After a change that succeeded: mark the test untraced when the run dir
 * can no longer be written.  Keeps errno. */
static void ft_cred_after(int armed, const char *call, size_t len)
{
	int saved = errno;

	if (!armed)
		return;
	ft__guard++;
	if (FT_REAL(faccessat)(AT_FDCWD, ft__proc.run_dir, W_OK | X_OK, AT_EACCESS) != 0)
		ft__untraced(call, len, FT_UNTRACED_USER);
	ft__guard--;
	errno = saved;
}

#define FT_CRED_HOOK(name, params, args)                                  \
	FT_EXPORT int name params                                         \
	{                                                                 \
		int armed = ft_cred_before();                             \
		int r = FT_REAL(name) args;                               \
		if (r == 0)                                               \
			ft_cred_after(armed, #name, sizeof(#name) - 1);   \
		return r;                                                 \
	}

FT_CRED_HOOK(setuid, (uid_t uid), (uid))
FT_CRED_HOOK(seteuid, (uid_t euid), (euid))
FT_CRED_HOOK(setreuid, (uid_t ruid, uid_t euid), (ruid, euid))
FT_CRED_HOOK(setresuid, (uid_t ruid, uid_t euid, uid_t suid), (ruid, euid, suid))

/* setfsuid reports no failure: it returns the previous fsuid either way. */
FT_EXPORT int setfsuid(uid_t fsuid)
{
	int armed = ft_cred_before();
	int r = FT_REAL(setfsuid)(fsuid);

	ft_cred_after(armed, "setfsuid", 8);
	return r;
}

FT_EXPORT int chroot(const char *path)
{
	struct stat before, after;
	int armed = ft_cred_before(), saved;
	int had = armed && FT_REAL(fstatat)(AT_FDCWD, "/", &before, 0) == 0;
	int r = FT_REAL(chroot)(path);

	if (r != 0 || !armed)
		return r;
	saved = errno;
	if (!had || FT_REAL(fstatat)(AT_FDCWD, "/", &after, 0) != 0 ||
	    after.st_dev != before.st_dev || after.st_ino != before.st_ino) {
		ft__guard++;
		ft__untraced("chroot", 6, FT_UNTRACED_CHROOT);
		ft__guard--;
	}
	errno = saved;
	return r;
}
