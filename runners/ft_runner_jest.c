/*
 * ft_runner_jest.c - see ft_runner_jest.h.  The rules, with examples, are in
 * docs/jest.md.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "ft_error.h"
#include "ft_spawn.h"
#include "ft_file.h"
#include "ft_runner_jest.h"


static const char *base(const char *p)
{
	const char *s = p ? strrchr(p, '/') : NULL;
	return s ? s + 1 : p ? p : "";
}

static void free_vec(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

void ft_jest_list_release(struct ft_jest_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->ids[i]);
		free(l->paths[i]);
	}
	free(l->ids);
	free(l->paths);
	memset(l, 0, sizeof(*l));
}

/* The first <dir>/node_modules/.bin/jest from the current directory up. */
static int find_jest(char *out, size_t cap)
{
	char dir[PATH_MAX];
	struct stat st;

	if (!getcwd(dir, sizeof(dir)))
		return -errno;
	for (;;) {
		if ((size_t)snprintf(out, cap, "%s/node_modules/.bin/jest", strcmp(dir, "/") ? dir : "") >= cap)
			return FT_ETOOLONG;
		if (stat(out, &st) == 0 && S_ISREG(st.st_mode) && access(out, X_OK) == 0)
			return 0;
		char *slash = strrchr(dir, '/');
		if (!slash || slash == dir)
			break;
		*slash = '\0';
	}
	return FT_EFORMAT;
}

/* A test file's id, as the adapter names it: its directory's real path
 * and its own name, relative to the (real) top. */
static char *jest_id(const char *path, const char *rtop)
{
	char dir[PATH_MAX], real[PATH_MAX], *slash, *out;
	size_t tl = rtop ? strlen(rtop) : 0;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return strdup(path);
	*slash = '\0';
	if (!realpath(dir, real) || strlen(real) + strlen(slash + 1) + 2 > sizeof(real))
		return strdup(path);
	if (asprintf(&out, "%s/%s", real, slash + 1) < 0)
		return NULL;
	if (tl && !strncmp(out, rtop, tl) && out[tl] == '/')
		memmove(out, out + tl + 1, strlen(out + tl + 1) + 1);
	return out;
}

/* Run argv, collecting its standard output (stderr to /dev/null). */
static int run_capture(char **argv, char **out, size_t *len)
{
	int rc = ft_spawn_capture(NULL, argv, NULL, out, len);

	if (rc > 0) {
		free(*out);
		*out = NULL;
		*len = 0;
		return FT_EFORMAT;
	}
	return rc;
}

int ft_jest_list_load(struct ft_jest_list *l, char *const *args, const char *top)
{
	char bin[PATH_MAX], rtop[PATH_MAX], **argv, *text = NULL, *line, *save = NULL;
	size_t nargs = 0, len = 0, cap;
	int rc;

	memset(l, 0, sizeof(*l));
	if ((rc = find_jest(bin, sizeof(bin))) < 0)
		return rc;
	while (args && args[nargs])
		nargs++;
	if (!(argv = calloc(nargs + 3, sizeof(*argv))))
		return -ENOMEM;
	argv[0] = bin;
	argv[1] = "--listTests";
	for (size_t i = 0; i < nargs; i++)
		argv[2 + i] = args[i];
	rc = run_capture(argv, &text, &len);
	free(argv);
	if (rc < 0)
		return rc;
	if (!top || !realpath(top, rtop))
		rtop[0] = '\0';
	cap = 1;
	for (size_t i = 0; i < len; i++)
		cap += text[i] == '\n';
	l->ids = calloc(cap + 1, sizeof(*l->ids));
	l->paths = calloc(cap + 1, sizeof(*l->paths));
	if (!l->ids || !l->paths)
		rc = -ENOMEM;
	/* one absolute path per line; anything else (a warning) is not a test */
	for (line = strtok_r(text, "\n", &save); rc >= 0 && line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] != '/')
			continue;
		l->paths[l->n] = strdup(line);
		l->ids[l->n] = jest_id(line, rtop);
		if (!l->paths[l->n] || !l->ids[l->n]) {
			free(l->paths[l->n]);
			free(l->ids[l->n]);
			rc = -ENOMEM;
			break;
		}
		l->n++;
	}
	free(text);
	if (rc >= 0 && !l->n)
		rc = FT_EFORMAT;
	if (rc < 0)
		ft_jest_list_release(l);
	return rc;
}

void ft_jest_cmd_release(struct ft_jest_cmd *jc)
{
	free_vec(jc->args);
	memset(jc, 0, sizeof(*jc));
}

/* append copies of words[0..n) to *v (NULL-terminated, *nv entries) */
static int push_words(char ***v, size_t *nv, char *const *words, size_t n)
{
	char **nvv = realloc(*v, (*nv + n + 1) * sizeof(**v));

	if (!nvv)
		return -ENOMEM;
	*v = nvv;
	for (size_t i = 0; i < n; i++) {
		if (!(nvv[*nv] = strdup(words[i]))) {
			nvv[*nv] = NULL;
			return -ENOMEM;
		}
		(*nv)++;
	}
	nvv[*nv] = NULL;
	return 0;
}

/* The scripts.<name> of the nearest package.json from here up, or NULL. */
static char *npm_script(const char *name)
{
	char dir[PATH_MAX], path[PATH_MAX + 16], *text, *out = NULL;
	size_t len = 0;
	cJSON *root;
	const cJSON *s;

	if (!getcwd(dir, sizeof(dir)))
		return NULL;
	for (;;) {
		snprintf(path, sizeof(path), "%s/package.json", strcmp(dir, "/") ? dir : "");
		if (access(path, F_OK) == 0)
			break;
		char *slash = strrchr(dir, '/');
		if (!slash || slash == dir)
			return NULL;
		*slash = '\0';
	}
	if (!(text = ft_file_read(path, 0, &len, NULL)))
		return NULL;
	root = cJSON_ParseWithLength(text, len);
	free(text);
	s = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "scripts"), name);
	if (cJSON_IsString(s))
		out = strdup(s->valuestring);
	cJSON_Delete(root);
	return out;
}

/* A script that is `jest WORD...` with plain words: its words after jest
 * into *v.  1 if so, 0 if not, or an error. */
static int script_words(const char *script, char ***v, size_t *nv)
{
	char *copy, *w, *save = NULL;
	int first = 1, rc = 1;

	if (!script || strpbrk(script, "'\"\\$`;&|<>(){}*?[]~#!\n\r"))
		return 0;
	if (!(copy = strdup(script)))
		return -ENOMEM;
	for (w = strtok_r(copy, " \t", &save); w && rc > 0; w = strtok_r(NULL, " \t", &save)) {
		if (first) {
			rc = !strcmp(base(w), "jest");
			first = 0;
		} else if (push_words(v, nv, &w, 1) < 0) {
			rc = -ENOMEM;
		}
	}
	free(copy);
	return first ? 0 : rc;
}

static int npm_cmd(char *const *cmd, struct ft_jest_cmd *jc, size_t *nv)
{
	static const char *const test_cmds[] = { "test", "t", "tst" };
	static const char *const run_cmds[] = { "run", "run-script", "rum", "urn" };
	const char *script_name = NULL;
	char *script;
	size_t k = 1;
	int rc;

	while (cmd[k] && cmd[k][0] == '-')
		k++;
	if (!cmd[k])
		return 0;
	for (size_t i = 0; i < sizeof(test_cmds) / sizeof(test_cmds[0]); i++)
		if (!strcmp(cmd[k], test_cmds[i]))
			script_name = "test";
	for (size_t i = 0; !script_name && i < sizeof(run_cmds) / sizeof(run_cmds[0]); i++)
		if (!strcmp(cmd[k], run_cmds[i])) {
			k++;
			while (cmd[k] && cmd[k][0] == '-')
				k++;
			script_name = cmd[k];
		}
	if (!script_name || !cmd[k])
		return 0;
	script = npm_script(script_name);
	rc = script_words(script, &jc->args, nv);
	free(script);
	if (rc <= 0)
		return rc;
	jc->npm = 1;
	/* npm keeps its own options before `--`, and passes other words
	 * and everything after `--` to the script */
	for (k++; cmd[k]; k++) {
		if (!strcmp(cmd[k], "--")) {
			jc->has_dashdash = 1;
			continue;
		}
		if ((jc->has_dashdash || cmd[k][0] != '-') && push_words(&jc->args, nv, &cmd[k], 1) < 0)
			return -ENOMEM;
	}
	return 1;
}

int ft_jest_cmd_parse(char *const *cmd, struct ft_jest_cmd *jc)
{
	size_t k = 0, nv = 0, n = 0;
	const char *b0;
	int rc;

	memset(jc, 0, sizeof(*jc));
	if (!cmd || !cmd[0])
		return 0;
	while (cmd[n])
		n++;
	b0 = base(cmd[0]);
	if (!strcmp(b0, "jest")) {
		k = 1;
	} else if ((!strcmp(b0, "node") || !strcmp(b0, "nodejs")) && n > 1 &&
		   (!strcmp(base(cmd[1]), "jest") || !strcmp(base(cmd[1]), "jest.js"))) {
		k = 2;
	} else if (!strcmp(b0, "npx")) {
		/* npx [--no-install|-y|...] jest ARGS; -p/--package take a
		 * value and name another package: not known to be jest */
		for (k = 1; cmd[k] && cmd[k][0] == '-'; k++)
			if (!strcmp(cmd[k], "-p") || !strcmp(cmd[k], "--package") || !strcmp(cmd[k], "-c") ||
			    !strcmp(cmd[k], "--call"))
				return 0;
		if (!cmd[k] || strcmp(cmd[k], "jest"))
			return 0;
		k++;
	} else if (!strcmp(b0, "npm")) {
		rc = npm_cmd(cmd, jc, &nv);
		if (rc <= 0)
			ft_jest_cmd_release(jc);
		return rc;
	} else {
		return 0;
	}
	if ((rc = push_words(&jc->args, &nv, cmd + k, n - k)) < 0) {
		ft_jest_cmd_release(jc);
		return rc;
	}
	return 1;
}

int ft_jest_args_choose(char *const *args)
{
	/* options that pick test files, or do something else than run them */
	static const char *const chooses[] = {
		"--runTestsByPath", "--findRelatedTests", "-o", "--onlyChanged", "--changedSince",
		"--lastCommit", "--watch", "--watchAll", "--listTests", "--onlyFailures", "-f",
		"--testPathPattern", "--testPathPatterns", "--selectProjects", "--ignoreProjects",
		"--shard", "--testMatch", "--testRegex", "--testPathIgnorePatterns", "--projects",
		"--showConfig", "--clearCache", "--init", "--version", "-v", "-h", "--help",
		"--changedFilesWithAncestor", "--roots",
	};
	/* options known to take the next word as their value */
	static const char *const valued[] = {
		"-w", "--maxWorkers", "-t", "--testNamePattern", "--testTimeout", "--reporters",
		"--cacheDirectory", "--testEnvironment", "--seed", "--outputFile",
		"--coverageDirectory", "--maxConcurrency", "--testSequencer", "--testRunner",
		"--workerIdleMemoryLimit", "--testFailureExitCode", "--coverageProvider",
		"-c", "--config", "--rootDir",
	};

	for (size_t i = 0; args && args[i]; i++) {
		char camel[128];
		const char *a = args[i];
		size_t l = strcspn(a, "="), o = 0;
		if (a[0] != '-')
			return 1; /* a path pattern */
		/* jest (yargs) takes every long option in kebab case too:
		 * --only-changed is --onlyChanged */
		if (a[1] == '-' && l > 2 && memchr(a + 2, '-', l - 2)) {
			if (l >= sizeof(camel))
				return 1; /* not known: it may choose */
			for (size_t k = 0; k < l; k++) {
				if (k > 2 && a[k] == '-' && a[k + 1] && a[k + 1] != '=')
					camel[o++] = (char)toupper((unsigned char)a[++k]);
				else
					camel[o++] = a[k];
			}
			camel[o] = '\0';
			a = camel;
			l = o;
		}
		for (size_t k = 0; k < sizeof(chooses) / sizeof(chooses[0]); k++)
			if (strlen(chooses[k]) == l && !strncmp(a, chooses[k], l))
				return 1;
		for (size_t k = 0; k < sizeof(valued) / sizeof(valued[0]); k++)
			if (strlen(valued[k]) == l && !strncmp(a, valued[k], l) && !args[i][strcspn(args[i], "=")] &&
			    args[i + 1]) {
				i++;
				break;
			}
	}
	return 0;
}
