/*
 * control.c - the control path: how code that cannot call ftrace.h (the
 * JavaScript of the jest adapter, in jest's worker processes) switches the
 * test context.  It names a reserved path in a call the interposer already
 * hooks (`fs.statSync(p, {throwIfNoEntry: false})`, access(), open()):
 *
 *   <run dir>/.ctl/begin/<id>              ftrace_test_begin(id)
 *   <run dir>/.ctl/end/<outcome>/<id>      ftrace_test_end(id, outcome),
 *                                          outcome one digit (enum ft_outcome)
 *   <run dir>/.ctl/end/<outcome>.<ms>/<id> the same, with the runner's own
 *                                          duration of the test: 1 to 9
 *                                          decimal digits of ms (TEST_END's
 *                                          aux, ft_record.h)
 *   <run dir>/.ctl/context/<id>            ftrace_context(id); no id: prelude
 *   <run dir>/.ctl/scan                    the prelude, flagged FT_CONTEXT_SCAN:
 *                                          a runner scanning the tree (jest's
 *                                          haste map), until the next switch
 *   <run dir>/.ctl/startup-end             the runner's start-up is over
 *                                          (FT_CONTEXT_STARTUP_END); only in
 *                                          the prelude, else ignored
 *   <run dir>/.ctl/collect                 the prelude, flagged
 *                                          FT_CONTEXT_COLLECT: pytest's
 *                                          collector lists a directory; only
 *                                          in the prelude, else ignored
 *   <run dir>/.ctl/collect-end             back to the plain prelude, only
 *                                          from a collect (else ignored: an
 *                                          unmatched end never moves records
 *                                          out of a test)
 *   <run dir>/.ctl/import                  the prelude, flagged
 *                                          FT_CONTEXT_IMPORT: Python's import
 *                                          system lists a directory; only in
 *                                          the prelude, else ignored
 *   <run dir>/.ctl/import-end              the window before it, only from an
 *                                          import (else ignored)
 *   <run dir>/.ctl/env/<name>              the program read environment
 *                                          variable <name> (FT_REC_ENV); "="
 *                                          is the whole environment: how
 *                                          Python's os.environ reports
 *                                          (adapters/pytest/ftrace_pyenv.py)
 *   <run dir>/.ctl/env-copy                until env-copy-end, no variable
 *                                          this thread reads is recorded: a
 *                                          copy of the environment whose
 *                                          reads the caller reports itself
 *                                          (the jest adapter's sandboxed
 *                                          process.env), or the runner's own
 *                                          terminal set-up (pytest's import
 *                                          of readline: ftrace_pyenv.mute)
 *   <run dir>/.ctl/env-copy-end            the end of it
 *   <run dir>/.ctl/untraced                the current test read what its adapter
 *                                          cannot name (FT_REC_UNTRACED "adapter":
 *                                          always selected)
 *   <run dir>/.ctl/partial                 the current test runs only some of
 *                                          its cases (jest -t): FT_REC_UNTRACED
 *                                          "partial", so it is always selected
 *                                          until a run of the whole
 *
 * Nothing exists there: the real call fails with ENOENT, and the path is
 * never recorded (the run dir is an ignored place, path.c).  A malformed
 * control path (unknown verb, empty id, bad outcome) is ignored: the
 * context stays, so the accesses that follow land in a broader context,
 * never a narrower one.
 *
 * Unlike ftrace.h, this runs inside a hook, so it keeps the hook rules
 * (no malloc, no setenv: async-signal-safe).  The context and the values
 * env.c re-injects into children's environments (FTRACE_TEST_ID,
 * FTRACE__OWNER) switch; environ itself is not changed, so a child started
 * from an envp that already carries FTRACE_TEST_ID keeps that test.
 */
#include <string.h>

#include "ft_preload.h"

#define FT_CTL_DIR "/.ctl/"

static int ft_has_prefix(const char *s, size_t len, const char *pre, size_t plen)
{
	return len >= plen && !memcmp(s, pre, plen);
}

/*
 * "<outcome>/<id>" or "<outcome>.<ms>/<id>" after "end/": the outcome, the
 * aux (ms + 1, 0: none) and the id's offset in p; 0 if malformed (the
 * whole end is then ignored, as any malformed control path: what follows
 * stays in the test, a broader context, and the test has no end: its
 * outcome is unknown, never a passed it did not report).
 */
static size_t ft_end_parse(const char *p, size_t len, int *outcome, uint32_t *aux)
{
	size_t i = 1, digits = 0;
	uint32_t ms = 0;

	if (len < 3 || p[0] < '0' || p[0] > '4')
		return 0;
	*outcome = p[0] - '0';
	*aux = 0;
	if (p[1] == '.') {
		/* at most 9 digits: below 10^9 ms, no overflow of ms + 1 */
		for (i = 2; i < len && p[i] >= '0' && p[i] <= '9' && digits < 10; i++, digits++)
			ms = ms * 10 + (uint32_t)(p[i] - '0');
		if (!digits || digits > 9)
			return 0;
		*aux = ms + 1;
	}
	if (i + 1 >= len || p[i] != '/')
		return 0;
	return i + 1;
}

int ft__control_path(const char *abs, size_t len)
{
	size_t rl = ft__proc.run_dir_len, cl = sizeof(FT_CTL_DIR) - 1;
	const char *p;
	int outcome;
	uint32_t aux;
	size_t at;

	while (rl > 1 && ft__proc.run_dir[rl - 1] == '/')
		rl--;
	if (!rl || len < rl + cl || memcmp(abs, ft__proc.run_dir, rl) || memcmp(abs + rl, FT_CTL_DIR, cl))
		return 0;
	p = abs + rl + cl;
	len -= rl + cl;
	if (ft_has_prefix(p, len, "begin/", 6) && len > 6)
		ft__context_control(FT_REC_TEST_BEGIN, p + 6, len - 6, 0, 0);
	else if (ft_has_prefix(p, len, "end/", 4) && (at = ft_end_parse(p + 4, len - 4, &outcome, &aux)))
		ft__context_control(FT_REC_TEST_END, p + 4 + at, len - 4 - at, outcome, aux);
	else if (ft_has_prefix(p, len, "context", 7) && (len == 7 || p[7] == '/'))
		ft__context_control(FT_REC_CONTEXT, len > 8 ? p + 8 : "", len > 8 ? len - 8 : 0, 0, 0);
	else if (len == 4 && !memcmp(p, "scan", 4))
		ft__context_control(FT_REC_CONTEXT, "", 0, FT_CONTEXT_SCAN, 0);
	else if (len == 11 && !memcmp(p, "startup-end", 11))
		ft__context_startup_end();
	else if (len == 7 && !memcmp(p, "collect", 7))
		ft__context_collect(1);
	else if (len == 11 && !memcmp(p, "collect-end", 11))
		ft__context_collect(0);
	else if (len == 6 && !memcmp(p, "import", 6))
		ft__context_import(1);
	else if (len == 10 && !memcmp(p, "import-end", 10))
		ft__context_import(0);
	else if (ft_has_prefix(p, len, "env/", 4) && len > 4)
		ft__env_note(p + 4, len - 4);
	else if (len == 7 && !memcmp(p, "partial", 7))
		ft__untraced("partial", 7, FT_UNTRACED_PARTIAL);
	else if (len == 8 && !memcmp(p, "untraced", 8))
		ft__untraced("adapter", 7, FT_UNTRACED_UNKNOWN);
	else if (len == 8 && !memcmp(p, "env-copy", 8))
		ft__env_mute(1);
	else if (len == 12 && !memcmp(p, "env-copy-end", 12))
		ft__env_mute(0);
	return 1;
}
