/*
 * pyhelper.c - see ft_pyhelper.h.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "ft_error.h"
#include "ft_pyhelper.h"
#include "ft_spawn.h"

int ft_pyhelper_start(const char *python, const char *dir, const char *module,
		      const cJSON *files, struct ft_spawn *sp)
{
	size_t n = (size_t)cJSON_GetArraySize(files), i = 0;
	char **argv = calloc(n + 7, sizeof(*argv)), *code = NULL;
	const cJSON *e;
	int rc;

	sp->pid = -1;
	if (!argv || asprintf(&code, "import sys; sys.path.insert(0, sys.argv.pop(1)); "
			      "from %s import main; sys.exit(main(sys.argv))", module) < 0) {
		free(argv);
		return -ENOMEM;
	}
	argv[i++] = (char *)python;
	argv[i++] = "-I";
	argv[i++] = "-S";
	argv[i++] = "-c";
	argv[i++] = code;
	argv[i++] = (char *)dir;
	cJSON_ArrayForEach(e, files)
		argv[i++] = e->valuestring;
	argv[i] = NULL;
	rc = ft_spawn_start(NULL, argv, NULL, sp);
	free(argv);
	free(code);
	return rc;
}

int ft_pyhelper_finish(struct ft_spawn *sp, cJSON **out)
{
	char *buf = NULL;
	size_t len = 0;
	int rc = ft_spawn_finish(sp, &buf, &len);

	*out = NULL;
	if (rc == 0) {
		*out = cJSON_ParseWithLength(buf, len);
		if (!cJSON_IsObject(*out)) {
			cJSON_Delete(*out);
			*out = NULL;
			rc = FT_EINTERNAL;
		}
	} else if (rc > 0) {
		rc = FT_EINTERNAL;
	}
	free(buf);
	return rc;
}
