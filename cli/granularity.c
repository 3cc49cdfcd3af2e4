/*
 * granularity.c - the Python granularity of `ftrace run`, `affected` and
 * `test`: its spelling, its default, and how the pytest plugin is told
 * (see ft_cmd.h).
 */
#include <stdlib.h>
#include <string.h>

#include "ft_cmd.h"
#include "ft_config.h"

int ft_cmd_granularity_parse(const char *s)
{
	if (!strcmp(s, "file"))
		return FT_GRAN_FILE;
	if (!strcmp(s, "function"))
		return FT_GRAN_FUNCTION;
	if (!strcmp(s, "auto"))
		return FT_GRAN_AUTO;
	return -1;
}

int ft_cmd_granularity_default(int cfg_gran)
{
	const char *env;
	int gran;

	if (cfg_gran == FT_CONFIG_GRAN_FUNCTION)
		return FT_GRAN_FUNCTION;
	if (cfg_gran == FT_CONFIG_GRAN_FILE)
		return FT_GRAN_FILE;
	if (cfg_gran == FT_CONFIG_GRAN_AUTO)
		return FT_GRAN_AUTO;
	env = getenv("FTRACE_GRANULARITY");
	if (!env || !*env)
		return FT_GRAN_AUTO;
	if ((gran = ft_cmd_granularity_parse(env)) < 0)
		ft_cmd_error("FTRACE_GRANULARITY must be 'file', 'function' or 'auto', not '%s'", env);
	return gran;
}

void ft_cmd_granularity_set(int gran)
{
	if (gran == FT_GRAN_FUNCTION)
		setenv("FTRACE_GRANULARITY", "function", 1);
	else if (gran == FT_GRAN_AUTO)
		setenv("FTRACE_GRANULARITY", "auto", 1);
	else
		unsetenv("FTRACE_GRANULARITY");
}
