/*
 * fuzz_config.c - `.ftrace.json` (common/ft_config.h) through
 * ft_config_load(), as `ftrace test` and `affected` read it, then the
 * lookups selection makes with what it parsed.
 *
 * Checks besides the sanitizers: a parse that fails leaves a message, and
 * one that succeeds never yields an empty command.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ft_config.h"
#include "ft_error.h"
#include "fuzz_tmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = { "src/a.c", "docs/x/y.md", "build", "", "a/b/c/d" };
	struct ft_config cfg;
	struct ft_err err;
	const char *path = fuzz_tmp_write(FT_CONFIG_FILE, data, size);
	int rc = ft_config_load(&cfg, path, &err);

	if (rc == FT_ECONFIG && (!err.why[0] || err.code != rc))
		abort(); /* an error without a message */
	if (rc == 0) {
		if (cfg.command && (!cfg.command[0] || !cfg.command[0][0]))
			abort(); /* an empty command passed the parser */
		for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
			ft_config_ignores(&cfg, paths[i]);
		for (size_t i = 0; i < cfg.nalways_run; i++)
			if (!ft_config_always(&cfg, cfg.always_run[i]))
				abort();
		for (size_t i = 0; i < cfg.nignore; i++)
			ft_config_ignores(&cfg, cfg.ignore[i]);
	}
	ft_config_release(&cfg);
	return 0;
}
