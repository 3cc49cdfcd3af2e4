/*
 * fuzz_golog.c - the texts ftrace reads environment variable names from
 * (docs/usage.md, "Environment variables"): a Go test binary's test log
 * through ft_goexec_log() (tracer/ft_goexec.h), as the tracer reads it
 * when the binary ends; the same bytes as Go source through
 * ft_go_env_names() (ingest/ft_go_envnames.h), as ingest scans the
 * module's .go files; and as a shell script, a makefile and an awk
 * program through ft_script_env_names() (ingest/ft_scriptenv.h).
 *
 * Checks besides the sanitizers: every name either gives is non-empty and
 * within its bounds, holds no newline (a log line) and, from the source
 * scan, no '=', NUL or brace; the log is removed once read.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ft_go_envnames.h"
#include "ft_goexec.h"
#include "ft_scriptenv.h"
#include "fuzz_tmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int log_name(void *arg, const char *name, size_t len)
{
	(void)arg;
	if (!len || memchr(name, '\n', len))
		abort();
	return 0;
}

static int src_name(void *arg, const char *name, size_t len)
{
	(void)arg;
	if (len == 1 && name[0] == '=')
		return 0; /* the whole environment */
	if (!len || len > FT_GO_ENVNAME_MAX)
		abort();
	/* a literal's or a template's name: no '=', newline, NUL or brace */
	for (size_t i = 0; i < len; i++)
		if (name[i] == '=' || name[i] == '\n' || !name[i] || name[i] == '}')
			abort();
	return 0;
}

static int script_name(void *arg, const char *name, size_t len)
{
	(void)arg;
	if (len == 1 && name[0] == '=')
		return 0; /* every variable: a listing, make's .VARIABLES */
	if (len >= 2 && name[len - 1] == '=')
		len--;    /* a prefix: ${!P*} */
	if (!len || len > FT_SCRIPT_NAME_MAX)
		abort();
	for (size_t i = 0; i < len; i++)
		if (!((name[i] >= 'A' && name[i] <= 'Z') || (name[i] >= 'a' && name[i] <= 'z') ||
		      (name[i] >= '0' && name[i] <= '9') || name[i] == '_'))
			abort();
	return 0;
}

/* awk's ENVIRON["NAME"]: a string literal's bytes, none of them a quote, a
 * backslash, a '=', a newline or a NUL; or "=" */
static int awk_name(void *arg, const char *name, size_t len)
{
	(void)arg;
	if (len == 1 && name[0] == '=')
		return 0;
	if (!len || len > FT_SCRIPT_NAME_MAX)
		abort();
	for (size_t i = 0; i < len; i++)
		if (name[i] == '"' || name[i] == '\\' || name[i] == '=' || name[i] == '\n' || !name[i])
			abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_tmp_write(FT_GOTESTLOG_PREFIX "1", data, size);
	char dir[4096];
	char *copy;

	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	(void)ft_goexec_log(dir, 1, log_name, NULL);
	if (access(path, F_OK) == 0)
		abort(); /* read, so removed */
	/* an exact-size copy: a read past the end is ASan's to see */
	if (!(copy = malloc(size ? size : 1)))
		return 0;
	memcpy(copy, data, size);
	(void)ft_go_env_names(copy, size, src_name, NULL);
	(void)ft_script_env_names(FT_SCRIPT_SHELL, copy, size, script_name, NULL);
	(void)ft_script_env_names(FT_SCRIPT_MAKE, copy, size, script_name, NULL);
	(void)ft_script_env_names(FT_SCRIPT_AWK, copy, size, awk_name, NULL);
	free(copy);
	return 0;
}
