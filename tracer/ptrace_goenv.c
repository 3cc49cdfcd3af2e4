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
 */
#include <string.h>

#include "ft_envdep.h"
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

void ft__ptrace_go_exec(struct ft__ptracer *tr, int im, int ctx, const char *path)
{
	const char *b = strrchr(path, '/');
	int saved = tr->im;

	b = b ? b + 1 : path;
	if (ft_goexec_is_test(path)) {
		tr->img[im].gotest = 1;
		return;
	}
	if (strcmp(b, "go"))
		return;
	tr->im = im;
	for (size_t i = 0; i < sizeof(go_vars) / sizeof(go_vars[0]); i++)
		env_rec(tr, ctx < 0 ? 0 : ctx, go_vars[i], strlen(go_vars[i]));
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
