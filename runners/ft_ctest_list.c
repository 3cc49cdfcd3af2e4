/*
 * ft_ctest_list.c - ctest's test list (`ctest --show-only=json-v1`), see
 * ft_runner.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ft_error.h"
#include "ft_runner.h"
#include "ft_spawn.h"

static void free_argv(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

void ft_ctest_list_release(struct ft_ctest_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->tests[i].name);
		free_argv(l->tests[i].argv);
		free(l->tests[i].workdir);
	}
	free(l->tests);
	memset(l, 0, sizeof(*l));
}

static int parse_test(struct ft_ctest_test *t, const cJSON *jt)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(jt, "name");
	const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(jt, "command");
	const cJSON *props = cJSON_GetObjectItemCaseSensitive(jt, "properties");
	const cJSON *e;
	size_t n = 0;

	if (!cJSON_IsString(name))
		return FT_EFORMAT;
	if (!(t->name = strdup(name->valuestring)))
		return -ENOMEM;
	/* a test without a command (NOT_AVAILABLE, a missing executable) has
	 * no process to match: it stays in the prelude */
	if (cJSON_IsArray(cmd)) {
		t->argv = calloc((size_t)cJSON_GetArraySize(cmd) + 1, sizeof(char *));
		if (!t->argv)
			return -ENOMEM;
		cJSON_ArrayForEach(e, cmd) {
			if (!cJSON_IsString(e))
				return FT_EFORMAT;
			if (!(t->argv[n++] = strdup(e->valuestring)))
				return -ENOMEM;
		}
	}
	cJSON_ArrayForEach(e, props) {
		const cJSON *pn = cJSON_GetObjectItemCaseSensitive(e, "name");
		const cJSON *pv = cJSON_GetObjectItemCaseSensitive(e, "value");
		if (cJSON_IsString(pn) && !strcmp(pn->valuestring, "WORKING_DIRECTORY") &&
		    cJSON_IsString(pv) && !t->workdir && !(t->workdir = strdup(pv->valuestring)))
			return -ENOMEM;
	}
	return 0;
}

int ft_ctest_list_parse(struct ft_ctest_list *l, const char *json, size_t len)
{
	cJSON *root = cJSON_ParseWithLength(json, len);
	const cJSON *tests, *jt;
	int rc = 0;

	memset(l, 0, sizeof(*l));
	if (!root)
		return FT_EFORMAT;
	tests = cJSON_GetObjectItemCaseSensitive(root, "tests");
	if (!cJSON_IsArray(tests)) {
		cJSON_Delete(root);
		return FT_EFORMAT;
	}
	l->tests = calloc((size_t)cJSON_GetArraySize(tests) + 1, sizeof(*l->tests));
	if (!l->tests)
		rc = -ENOMEM;
	cJSON_ArrayForEach(jt, tests) {
		if (rc < 0)
			break;
		rc = parse_test(&l->tests[l->n++], jt);
	}
	cJSON_Delete(root);
	if (rc < 0)
		ft_ctest_list_release(l);
	return rc;
}

int ft_ctest_list_load(struct ft_ctest_list *l, char *const *args)
{
	return ft_ctest_list_load_at(l, NULL, args);
}

int ft_ctest_list_load_at(struct ft_ctest_list *l, const char *dir, char *const *args)
{
	char **argv, *buf = NULL;
	size_t n = 0, nargs = 0;
	int rc;

	memset(l, 0, sizeof(*l));
	while (args && args[nargs])
		nargs++;
	if (!(argv = calloc(nargs + 3, sizeof(*argv))))
		return -ENOMEM;
	argv[0] = "ctest";
	argv[1] = "--show-only=json-v1";
	for (size_t i = 0; i < nargs; i++)
		argv[2 + i] = args[i];
	rc = ft_spawn_capture(dir, argv, NULL, &buf, &n);
	free(argv);
	if (rc < 0)
		return rc;
	rc = rc == 0 ? ft_ctest_list_parse(l, buf, n) : FT_EFORMAT;
	free(buf);
	return rc;
}

