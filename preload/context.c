/*
 * context.c - which test the records of this process belong to, and the
 * exported control API (ftrace.h).
 *
 * At start (ft__context_init, from the constructor), with T =
 * $FTRACE_TEST_ID and O = $FTRACE__OWNER ("<pid>:<id>"):
 *   - no T: the context is the prelude "";
 *   - O == "<our pid>:T": we are the process that started T, after an exec:
 *     still the owner, so TEST_END is written when we exit;
 *   - O names T for another pid: a descendant of T's owner: context T;
 *   - otherwise (no O, or O names another test): this process STARTS T:
 *     TEST_BEGIN(T), FTRACE__OWNER="<pid>:T" for our descendants, and
 *     TEST_END(T, passed/failed from the exit status) at exit.
 * The pid check in the exit handler matters: a fork child inherits on_exit
 * registrations, and its exit must not end its parent's test.
 *
 * The control API switches the context inside one process (pytest).  It
 * keeps FTRACE_TEST_ID/FTRACE__OWNER in environ, and the copies env.c
 * re-injects, in step with the context, so that a subprocess started during
 * a test belongs to that test and does not start a test of its own.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ft_preload.h"
#include "ftrace.h"

#define FT_OWNER_MAX (FT_ID_MAX + 32)

struct ft_ctx_state {
	char ctx[FT_ID_MAX + 1];       /* current context; "" = prelude */
	uint32_t ctx_flags;            /* its FT_REC_CONTEXT flags (ft_context_flags) */
	char env_test[FT_ID_MAX + 1];  /* FTRACE_TEST_ID children inherit ("" = none) */
	char env_owner[FT_OWNER_MAX];  /* FTRACE__OWNER children inherit */
};

static struct ft_ctx_state ft_cur;
static struct ft_ctx_state ft_saved;   /* before ftrace_test_begin() */
static int ft_in_test;                 /* between begin and end */
static char ft_owned[FT_ID_MAX + 1];   /* the test this process started */
static pid_t ft_owner_pid;

static void ft_copy(char *dst, size_t size, const char *src)
{
	size_t n = src ? strnlen(src, size - 1) : 0;

	memmove(dst, src ? src : "", n);
	dst[n] = '\0';
}

size_t ft__context_get(char *buf, size_t size)
{
	ft_copy(buf, size, ft_cur.ctx);
	return strlen(buf);
}

uint32_t ft__context_flags(void)
{
	return ft_cur.ctx_flags;
}

const char *ft__env_test_id(void)
{
	return ft_cur.env_test;
}

const char *ft__env_owner(void)
{
	return ft_cur.env_owner;
}

/* Write a context-switching record and make `id` current. */
static void ft_switch_aux(enum ft_rec_type type, const char *id, uint32_t flags, uint32_t aux)
{
	size_t len = strlen(id);
	int saved = errno;

	ft__guard++;
	ft__emit_aux(type, FT_OP__NONE, 0, flags, aux, id, len);
	if (type != FT_REC_TEST_END)
		ft__rawsys_again();
	ft__guard--;
	if (type != FT_REC_TEST_END) {
		ft_copy(ft_cur.ctx, sizeof(ft_cur.ctx), id);
		ft_cur.ctx_flags = type == FT_REC_CONTEXT ? flags : 0;
	}
	ft__dedup_new_generation();
	errno = saved;
}

static void ft_switch(enum ft_rec_type type, const char *id, uint32_t flags)
{
	ft_switch_aux(type, id, flags, 0);
}

static void ft_owner_string(char *buf, size_t size, const char *id)
{
	char *p = ft__utoa(buf, (unsigned long)getpid());

	*p++ = ':';
	ft_copy(p, size - (size_t)(p - buf), id);
}

/* Mirror the inherited values into environ. */
static void ft_env_publish(void)
{
	if (ft_cur.env_test[0])
		setenv(FT_ENV_TEST_ID, ft_cur.env_test, 1);
	else
		unsetenv(FT_ENV_TEST_ID);
	if (ft_cur.env_owner[0])
		setenv(FT_ENV_OWNER, ft_cur.env_owner, 1);
	else
		unsetenv(FT_ENV_OWNER);
}

/* TEST_END for the test this process started, once.  Called from exit()
 * (on_exit) and from _exit()/_Exit(): dash, for one, leaves with _exit(),
 * so `FTRACE_TEST_ID=t sh -c ...` would otherwise never end its test.
 * Async-signal-safe. */
static void ft_owner_end(int status)
{
	static int ended;

	if (!ft_owned[0] || getpid() != ft_owner_pid || __atomic_exchange_n(&ended, 1, __ATOMIC_ACQ_REL))
		return;
	ft__guard++;
	ft__emit(FT_REC_TEST_END, FT_OP__NONE, 0,
		 (status & 0xff) == 0 ? FT_OUTCOME_PASSED : FT_OUTCOME_FAILED, ft_owned, strlen(ft_owned));
	ft__guard--;
}

static void ft_owner_exit(int status, void *arg)
{
	ft_owner_end(status);
}

FT_EXPORT void _exit(int status)
{
	ft_owner_end(status);
	FT_REAL(_exit)(status);
	__builtin_unreachable();
}

FT_EXPORT void _Exit(int status)
{
	ft_owner_end(status);
	FT_REAL(_Exit)(status);
	__builtin_unreachable();
}

/* Make the inherited test current.  Usually no region exists yet and the
 * region's first record will name it; but a hook that ran before our
 * constructor (a library constructor's open) may have created the region
 * in the prelude already, so then say so with a record. */
static void ft_inherit(const char *t)
{
	if (ft__region_exists())
		ft_switch(FT_REC_CONTEXT, t, 0);
	else
		ft_copy(ft_cur.ctx, sizeof(ft_cur.ctx), t);
}

void ft__context_init(void)
{
	const char *t = ft__getenv(FT_ENV_TEST_ID), *o = ft__getenv(FT_ENV_OWNER);
	char mine[FT_OWNER_MAX];
	const char *colon;

	if (!t || !t[0])
		return; /* prelude; nothing inherited */
	if (strlen(t) > FT_ID_MAX) {
		ft__untraced(t, 256, FT_UNTRACED_UNKNOWN);
		return;
	}
	ft_owner_string(mine, sizeof(mine), t);
	ft_copy(ft_cur.env_test, sizeof(ft_cur.env_test), t);
	if (o && !strcmp(o, mine)) {
		/* the owner again, after exec */
		ft_copy(ft_cur.env_owner, sizeof(ft_cur.env_owner), o);
		ft_inherit(t);
	} else if (o && (colon = strchr(o, ':')) && !strcmp(colon + 1, t)) {
		ft_copy(ft_cur.env_owner, sizeof(ft_cur.env_owner), o);
		ft_inherit(t);
		return;
	} else {
		ft_switch(FT_REC_TEST_BEGIN, t, 0);
		ft_copy(ft_cur.env_owner, sizeof(ft_cur.env_owner), mine);
		setenv(FT_ENV_OWNER, mine, 1);
	}
	ft_copy(ft_owned, sizeof(ft_owned), t);
	ft_owner_pid = getpid();
	on_exit(ft_owner_exit, NULL);
}

static int ft_check_id(const char *id, int allow_empty)
{
	if (!ft__proc.active)
		return -ENOTCONN;
	if (!id)
		return allow_empty ? 0 : -EINVAL;
	if ((!id[0] && !allow_empty) || strlen(id) > FT_ID_MAX)
		return -EINVAL;
	return 0;
}

FT_EXPORT int ftrace_active(void)
{
	return ft__proc.active;
}

/* The switches behind the control API and the control path (control.c).
 * `publish`: keep environ in step (setenv allocates: never from a hook). */
static void ft_begin(const char *id, int publish)
{
	if (!ft_in_test)
		ft_saved = ft_cur;
	ft_in_test = 1;
	ft_switch(FT_REC_TEST_BEGIN, id, 0);
	ft_copy(ft_cur.env_test, sizeof(ft_cur.env_test), id);
	ft_owner_string(ft_cur.env_owner, sizeof(ft_cur.env_owner), id);
	if (publish)
		ft_env_publish();
}

static void ft_end(const char *id, int outcome, uint32_t aux, int publish)
{
	if (outcome < FT_OUTCOME_UNKNOWN || outcome > FT_OUTCOME_ERROR)
		outcome = FT_OUTCOME_UNKNOWN;
	ft_switch_aux(FT_REC_TEST_END, id, (uint32_t)outcome, aux);
	if (ft_in_test) {
		ft_cur = ft_saved;
		ft_in_test = 0;
	}
	/* END alone leaves the reader's context undefined: say what follows. */
	ft_switch(FT_REC_CONTEXT, ft_cur.ctx, ft_cur.ctx_flags);
	if (publish)
		ft_env_publish();
}

static void ft_context_to(const char *id, int publish, uint32_t flags)
{
	ft_switch(FT_REC_CONTEXT, id, flags);
	ft_copy(ft_cur.env_test, sizeof(ft_cur.env_test), id);
	if (id[0])
		ft_owner_string(ft_cur.env_owner, sizeof(ft_cur.env_owner), id);
	else
		ft_cur.env_owner[0] = '\0';
	if (publish)
		ft_env_publish();
}

void ft__context_control(enum ft_rec_type type, const char *id, size_t len, int arg, uint32_t aux)
{
	char buf[FT_ID_MAX + 1];

	if (len > FT_ID_MAX || (type != FT_REC_CONTEXT && !len))
		return;
	memcpy(buf, id, len);
	buf[len] = '\0';
	if (type == FT_REC_TEST_BEGIN)
		ft_begin(buf, 0);
	else if (type == FT_REC_TEST_END)
		ft_end(buf, arg, aux, 0);
	else
		ft_context_to(buf, 0, (uint32_t)arg);
}

/* The control path's startup-end: a marker, not a switch.  Only in the
 * prelude (a pytest started inside a test, or pytester's in-process runs,
 * must not leave that test); the flag is not kept for later records.  Like
 * every switch it starts a new dedup generation, so the files the start-up
 * used are recorded again when they are used after it. */
void ft__context_startup_end(void)
{
	if (ft_in_test || ft_cur.ctx[0])
		return;
	ft_switch(FT_REC_CONTEXT, "", FT_CONTEXT_STARTUP_END);
	ft_cur.ctx_flags = 0;
}

/* The control path's collect and collect-end: pytest's collector listing a
 * directory (FT_CONTEXT_COLLECT).  Both only in the prelude, and the end
 * only after a collect, so a pytest started inside a test (or pytester's
 * in-process runs) never leaves that test, and an end without its start
 * changes nothing. */
void ft__context_collect(int on)
{
	if (ft_in_test || ft_cur.ctx[0])
		return;
	if (on)
		ft_switch(FT_REC_CONTEXT, "", FT_CONTEXT_COLLECT);
	else if (ft_cur.ctx_flags & FT_CONTEXT_COLLECT)
		ft_switch(FT_REC_CONTEXT, "", 0);
}

/* The control path's import and import-end: Python's import system listing
 * a directory (FT_CONTEXT_IMPORT).  Only in the prelude, like collect, but
 * also while a test has switched to it (a shared fixture's setup, an
 * import that loads a module in a test: docs/pytest.md): the import
 * system's reads are the import's there as at collection.  The window
 * keeps the flags it opened in (a collect window stays one after it), and
 * does not nest: an import inside one changes nothing. */
void ft__context_import(int on)
{
	uint32_t was = ft_cur.ctx_flags;

	if (ft_cur.ctx[0])
		return;
	if (on && !(was & FT_CONTEXT_IMPORT)) {
		ft_switch(FT_REC_CONTEXT, "", was | FT_CONTEXT_IMPORT);
	} else if (!on && (was & FT_CONTEXT_IMPORT)) {
		was &= ~(uint32_t)FT_CONTEXT_IMPORT;
		ft_switch(FT_REC_CONTEXT, "", was | FT_CONTEXT_IMPORT_END);
		ft_cur.ctx_flags = was;
	}
}

FT_EXPORT int ftrace_test_begin(const char *id)
{
	int rc = ft_check_id(id, 0);

	if (rc)
		return rc;
	ft_begin(id, 1);
	return 0;
}

FT_EXPORT int ftrace_test_end(const char *id, int outcome)
{
	int rc = ft_check_id(id, 0);

	if (rc)
		return rc;
	ft_end(id, outcome, 0, 1);
	return 0;
}

FT_EXPORT int ftrace_context(const char *id)
{
	int rc = ft_check_id(id, 1);

	if (rc)
		return rc;
	ft_context_to(id ? id : "", 1, 0);
	return 0;
}
