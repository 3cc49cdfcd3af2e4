/*
 * ptrace_goenv.c - the environment variables Go programs read, which no
 * hook sees: Go reads its environment from memory (docs/go.md,
 * "Environment variables").  Two sources, written as FT_REC_ENV records
 * into the image's region like the preload's getenv records:
 *  - the go command: at its exec, every variable `go help environment`
 *    and the runtime's documentation name, but the ones that only say where
 *    caches and telemetry go, and the ones that say where its environment
 *    file is and the time package's zone database (a build's, vet's and a
 *    test binary's inputs: the prelude's, so every test of the go
 *    command's);
 *  - a test binary (ft_goexec_is_test): when it ends, the names its test
 *    log holds (ft_goexec.h); without a whole log, the whole environment.
 * Any other program the preload cannot enter (ft_execlass_why: static, Go,
 * another ld.so) reads its environment where no hook sees it: a static
 * libc's getenv, Go's os.Getenv.  Its text says nothing ingest reads, so
 * it reads every variable ("=", at its exec), but for the programs whose
 * names are found elsewhere: Go's own tools (GOROOT/pkg/tool/...: the
 * compiler, the linker, vet, cgo, whose variables the go command's list
 * holds) and a program `go run` built (a go-build directory's exe/, or
 * the build cache's <hash>-d/, whose sources the compiler or the go
 * command read in the test's context: ingest/ft_scriptenv.h).
 * A Go program built before the tests (`go build -o bin/x`, then a test
 * runs bin/x), a static helper, a Go CLI (docker, kubectl) were missed
 * before.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ft_envdep.h"
#include "ft_execlass.h"
#include "ft_goexec.h"
#include "ft_record.h"
#include "ptrace_int.h"

/* (GOCACHE, GOCACHEPROG, GOTELEMETRY, GOTELEMETRYDIR, GOTMPDIR and GOBIN
 * are left out: where results are kept, not what they are) */
static const char *const go_vars[] = {
	/* go help environment: general purpose, modules, cgo, architecture,
	 * special purpose */
	"GO111MODULE", "GOAUTH", "GODEBUG", "GOENV", "GOFLAGS", "GOINSECURE", "GOMODCACHE",
	"GONOPROXY", "GONOSUMDB", "GOOS", "GOPATH", "GOPRIVATE", "GOPROXY", "GOROOT",
	"GOSUMDB", "GOTOOLCHAIN", "GOVCS", "GOWORK", "GOFIPS140", "GOEXPERIMENT", "GOCOVERDIR",
	"GOARCH", "GO386", "GOAMD64", "GOARM", "GOARM64", "GOMIPS", "GOMIPS64", "GOPPC64",
	"GORISCV64", "GOWASM", "GOEXE", "GOGCCFLAGS", "GOHOSTARCH", "GOHOSTOS", "GOMOD",
	"GOTOOLDIR", "GOVERSION", "GCCGO", "GCCGOTOOLDIR", "GIT_ALLOW_PROTOCOL",
	"GO_EXTLINK_ENABLED", "GOROOT_FINAL",
	"CGO_ENABLED", "CC", "CXX", "FC", "AR", "PKG_CONFIG",
	"CGO_CFLAGS", "CGO_CFLAGS_ALLOW", "CGO_CFLAGS_DISALLOW",
	"CGO_CPPFLAGS", "CGO_CPPFLAGS_ALLOW", "CGO_CPPFLAGS_DISALLOW",
	"CGO_CXXFLAGS", "CGO_CXXFLAGS_ALLOW", "CGO_CXXFLAGS_DISALLOW",
	"CGO_FFLAGS", "CGO_FFLAGS_ALLOW", "CGO_FFLAGS_DISALLOW",
	"CGO_LDFLAGS", "CGO_LDFLAGS_ALLOW", "CGO_LDFLAGS_DISALLOW",
	/* where the go command's environment file is ($GOENV, else
	 * $XDG_CONFIG_HOME/go/env, else $HOME/.config/go/env: os.UserConfigDir)
	 * and GOPATH's default ($HOME/go) */
	"XDG_CONFIG_HOME", "HOME",
	/* the runtime's own, read by every Go program the go command starts */
	"GOGC", "GOMEMLIMIT", "GOMAXPROCS", "GOTRACEBACK", "GORACE",
	/* the time package's (syscall.Getenv, which no test log holds): the
	 * zone database it loads; TZ is every program's (ft_envdep_implicit) */
	"ZONEINFO",
};

/* Variable `name` was read in context `ctx`, in the current image. */
static void env_rec(struct ft__ptracer *tr, int ctx, const char *name, size_t len)
{
	ft__ptrace_ctx_switch(tr, ctx, FT_REC_CONTEXT);
	ft__ptrace_note(tr, ft_recwrite_add(&tr->img[tr->im].w, FT_REC_ENV, FT_OP__NONE, 0, 0,
					    name, len));
}

/* Can the preload not enter the image process `pid` now runs (its
 * /proc/<pid>/exe: a script's interpreter, whatever path the exec named)?
 * An executable that cannot be read is taken as one it enters: the exec
 * succeeded, so the file was there, and most are dynamic. */
static int beyond_preload(pid_t pid)
{
	unsigned char head[256];
	struct ft_execlass c;
	char exe[64];
	ssize_t got;
	int fd;

	snprintf(exe, sizeof(exe), "/proc/%d/exe", (int)pid);
	if ((fd = open(exe, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0)
		return 0;
	got = pread(fd, head, sizeof(head), 0);
	if (got > 0)
		ft_execlass_read(&c, fd, head, (size_t)got);
	close(fd);
	return got > 0 && ft_execlass_why(&c) != 0;
}

/* Is path[0..end) a build cache's directory of an executable: a name of
 * 64 hex digits then "-d" (GOCACHE/xx/<hash>-d/, where Go 1.24 and later
 * keep what `go run` and `go tool` built)? */
static int cache_exe_dir(const char *path, const char *end)
{
	const char *d = end;

	while (d > path && d[-1] != '/')
		d--;
	if (end - d != 66 || end[-2] != '-' || end[-1] != 'd')
		return 0;
	for (const char *c = d; c < end - 2; c++)
		if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f')))
			return 0;
	return 1;
}

/* Go's own tools, and a program `go run` built (in a go-build directory's
 * exe/, or from the build cache): names found elsewhere */
static int go_named_elsewhere(const char *path)
{
	const char *last = strrchr(path, '/');

	return strstr(path, "/pkg/tool/") || (strstr(path, "/go-build") && strstr(path, "/exe/")) ||
	       (last && cache_exe_dir(path, last));
}

void ft__ptrace_go_exec(struct ft__ptracer *tr, int im, int ctx, const char *path)
{
	const char *b = strrchr(path, '/');
	int saved = tr->im;

	b = b ? b + 1 : path;
	if (ft_goexec_is_test(path)) {
		tr->img[im].gotest = 1;
		return;
	}
	tr->im = im;
	if (!strcmp(b, "go")) {
		for (size_t i = 0; i < sizeof(go_vars) / sizeof(go_vars[0]); i++)
			env_rec(tr, ctx < 0 ? 0 : ctx, go_vars[i], strlen(go_vars[i]));
	} else if (!go_named_elsewhere(path) && beyond_preload(tr->img[im].pid)) {
		env_rec(tr, ctx < 0 ? 0 : ctx, FT_ENVDEP_WHOLE, 1);
	}
	tr->im = saved;
}

struct logwalk {
	struct ft__ptracer *tr;
	int ctx;
};

static int one_read(void *arg, const char *name, size_t len)
{
	struct logwalk *w = arg;

	if (len && len <= FT_ENVDEP_NAME_MAX)
		env_rec(w->tr, w->ctx, name, len);
	return 0;
}

void ft__ptrace_go_gone(struct ft__ptracer *tr, int im, int ctx)
{
	struct logwalk w = { tr, ctx < 0 ? 0 : ctx };
	int saved = tr->im;

	if (!tr->img[im].gotest || !tr->pt->run_dir)
		return;
	tr->im = im;
	/* no log, or not a whole one: what the tests read is unknown */
	if (ft_goexec_log(tr->pt->run_dir, tr->img[im].pid, one_read, &w) < 0)
		env_rec(tr, w.ctx, "=", 1);
	tr->im = saved;
}
