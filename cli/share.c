/*
 * share.c - see share.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "ft_bundle.h"
#include "ft_cmd.h"
#include "ft_error.h"
#include "ft_spawn.h"
#include "ft_statedir.h"
#include "ft_store.h"
#include "share.h"

int ft_share_locate(const char *cmd, struct ft_share_where *w)
{
	int rc;

	if ((rc = ft_statedir_find(w->state_dir, sizeof(w->state_dir))) < 0) {
		ft_cmd_error("%s: cannot find the state directory: %s", cmd, ft_strerror(rc));
		return FT_EXIT_SOFTWARE;
	}
	if ((rc = ft_cmd_trust_state(cmd, w->state_dir)) < 0)
		return rc == FT_EUNSAFE ? FT_EXIT_CONFIG : FT_EXIT_SOFTWARE;
	if ((rc = ft_statedir_top(w->state_dir, w->top, sizeof(w->top))) < 0) {
		ft_cmd_error("%s: cannot resolve the repository top: %s", cmd, ft_strerror(rc));
		return FT_EXIT_SOFTWARE;
	}
	snprintf(w->db, sizeof(w->db), "%s/%s", w->state_dir, FT_STORE_FILE);
	return 0;
}

static int line_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* git's output, trimmed, or "" when git fails. */
static void git(const char *top, char *const *argv, char *out, size_t cap, int join)
{
	char *buf = NULL, *lines[64], *save = NULL;
	size_t len, n = 0, used = 0;

	out[0] = '\0';
	if (ft_spawn_capture(top, argv, NULL, &buf, &len) != 0) {
		free(buf);
		return;
	}
	for (char *l = strtok_r(buf, "\n", &save); l && n < 64; l = strtok_r(NULL, "\n", &save))
		if (l[0])
			lines[n++] = l;
	if (join)
		qsort(lines, n, sizeof(lines[0]), line_cmp);
	for (size_t i = 0; i < n && (join || i < 1); i++) {
		int w = snprintf(out + used, cap - used, "%s%s", i ? "," : "", lines[i]);
		if (w < 0 || (size_t)w >= cap - used) {
			out[used] = '\0';
			break;
		}
		used += (size_t)w;
	}
	free(buf);
}

void ft_share_git(const char *top, char *repo, size_t rcap, char *head, size_t hcap)
{
	char *const roots[] = { "git", "rev-list", "--max-parents=0", "HEAD", NULL };
	char *const hd[] = { "git", "rev-parse", "--verify", "-q", "HEAD", NULL };

	git(top, roots, repo, rcap, 1);
	git(top, hd, head, hcap, 0);
}

int ft_share_has_commit(const char *top, const char *commit)
{
	char spec[160], *out = NULL;
	size_t len;
	char *const argv[] = { "git", "cat-file", "-e", spec, NULL };
	int rc;

	/* a commit id, nothing that git could take for an option or a path */
	if (!commit[0] || strlen(commit) > 64 || strspn(commit, "0123456789abcdef") != strlen(commit))
		return 0;
	snprintf(spec, sizeof(spec), "%s^{commit}", commit);
	rc = ft_spawn_capture(top, argv, NULL, &out, &len);
	free(out);
	return rc == 0;
}

int ft_share_fingerprint(struct ft_bundle *b, const char *top)
{
	char repo[4096], head[128], os[600], ns[32];
	struct utsname u;
	struct timespec now;
	int rc;

	ft_share_git(top, repo, sizeof(repo), head, sizeof(head));
	if (uname(&u) < 0)
		memset(&u, 0, sizeof(u));
	snprintf(os, sizeof(os), "%s %s", u.sysname, u.release);
	clock_gettime(CLOCK_REALTIME, &now);
	snprintf(ns, sizeof(ns), "%lld", (long long)now.tv_sec * 1000000000LL + now.tv_nsec);
	if ((rc = ft_bundle_add_meta(b, FT_BUNDLE_FP_REPO, repo)) < 0 ||
	    (rc = ft_bundle_add_meta(b, FT_BUNDLE_FP_HEAD, head)) < 0 ||
	    (rc = ft_bundle_add_meta(b, FT_BUNDLE_FP_OS, os)) < 0 ||
	    (rc = ft_bundle_add_meta(b, FT_BUNDLE_FP_MACHINE, u.machine)) < 0)
		return rc;
	return ft_bundle_add_meta(b, FT_BUNDLE_FP_CREATED, ns);
}

int ft_share_read(const char *cmd, struct ft_bundle *b, const char *path)
{
	struct ft_err err;
	int rc = ft_bundle_read(b, path, &err);

	if (rc == 0)
		return 0;
	if (rc == -ENOMEM) {
		ft_cmd_error("%s: %s: out of memory", cmd, path);
		return FT_EXIT_SOFTWARE;
	}
	if (rc == FT_ECORRUPT || rc == FT_ESCHEMA)
		ft_cmd_error("%s: %s: not a usable ftrace bundle: %s", cmd, path,
			     ft_err_msg(&err));
	else
		ft_cmd_error("%s: cannot read the bundle %s: %s", cmd, path, ft_strerror(rc));
	return FT_EXIT_UNKNOWN;
}
