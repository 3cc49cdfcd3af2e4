/*
 * ftrace.h - the control interface of the preload interposer, for in-process
 * test runners (the pytest plugin calls it through ctypes.CDLL(None); a C
 * program can dlsym(RTLD_DEFAULT, "ftrace_test_begin")).
 *
 * Contract:
 *  - The symbols exist only in processes that run under libftrace_preload.so;
 *    look them up dynamically and treat their absence as "not recording".
 *  - Call them from normal code (not from a signal handler): they may call
 *    setenv(), which allocates.  They are not thread-safe against each other;
 *    call them from the thread that drives the tests.
 *  - Return 0 on success or a negative errno (-EINVAL for a NULL or too long
 *    id, -ENOTCONN when the process is not recording).
 *  - Test ids are at most FT_ID_MAX bytes (ft_record.h).
 *
 * Context model (ft_record.h): every record belongs to the current context,
 * a test id or "" (the session prelude).  ftrace_test_begin() writes
 * TEST_BEGIN(id) and makes id current; ftrace_test_end() writes
 * TEST_END(id, outcome) followed by CONTEXT(previous) and makes the previous
 * context current again (the prelude, or the test the process was started
 * for through FTRACE_TEST_ID).  Subprocesses inherit the current context:
 * both functions, and ftrace_context(), keep FTRACE_TEST_ID and
 * FTRACE__OWNER in environ in step, so a child started during the test is
 * attributed to it and does not start a test of its own.
 */
#ifndef FTRACE_H
#define FTRACE_H

#ifdef __cplusplus
extern "C" {
#endif

/* 1 when this process records (FTRACE_RUN_DIR was set at start), else 0. */
int ftrace_active(void);

/* TEST_BEGIN(id); the context becomes id; a new dedup generation. */
int ftrace_test_begin(const char *id);

/* TEST_END(id, outcome) (enum ft_outcome), then the context returns to what
 * it was before the matching ftrace_test_begin(). */
int ftrace_test_end(const char *id, int outcome);

/* Switch the context only (NULL or "" = prelude), e.g. to attribute
 * session-scoped fixture setup to the prelude.  Writes FT_REC_CONTEXT. */
int ftrace_context(const char *id);

#ifdef __cplusplus
}
#endif

#endif
