/*
 * ft_runner_jest.h - jest's side of ftrace outside the recording
 * (docs/jest.md): the test files jest would run here, and which commands
 * run jest, for `ftrace affected --format jest` and `ftrace test`.
 *
 *  - Test list: `<jest> --listTests ARGS` run in the current directory,
 *    with <jest> the first node_modules/.bin/jest from here upward.  Each
 *    file is named as the adapter names its test (adapters/jest): its real
 *    path relative to the repository top, absolute outside it.
 *  - Commands that run jest: `jest ARGS`, `node PATH/jest ARGS` (also
 *    jest.js), `npx [OPTS] jest ARGS`, and `npm test|t|tst [-- ARGS]` or
 *    `npm run|run-script NAME [-- ARGS]` whose script in ./package.json is
 *    `jest` followed by plain words (no quotes, variables or shell
 *    operators: anything else is not known to be jest).
 *
 * Ownership: every vector and string returned is malloc'd; the matching
 * _release()/ft_runner_argv_free() frees it.
 * Errors: negative FT_E* / -errno; FT_EFORMAT when jest cannot list its
 * tests here (not installed, failed, or printed no test file).
 */
#ifndef FT_RUNNER_JEST_H
#define FT_RUNNER_JEST_H

#include <stddef.h>

struct ft_jest_list {
	char **ids;      /* relative to the top, or absolute */
	char **paths;    /* absolute, as jest printed them; same order */
	size_t n;
};

/* `jest --listTests ARGS` here (args: jest's own arguments, NULL-terminated,
 * or NULL). */
int ft_jest_list_load(struct ft_jest_list *l, char *const *args, const char *top);
void ft_jest_list_release(struct ft_jest_list *l);

/* A command that runs jest, split. */
struct ft_jest_cmd {
	char **args;     /* jest's own arguments (script words, then the user's) */
	int npm;         /* through npm: the selection goes after a `--` */
	int has_dashdash;/* ... which the command already has (npm) */
};

/* 1 and *jc filled when cmd runs jest (above), 0 when it does not, or a
 * negative error. */
int ft_jest_cmd_parse(char *const *cmd, struct ft_jest_cmd *jc);
void ft_jest_cmd_release(struct ft_jest_cmd *jc);

/* Do jest's arguments choose the test files themselves (a path pattern,
 * --runTestsByPath, -o, --findRelatedTests, --watch, ...), or hold a word
 * we cannot tell apart from a path pattern?  Then a selection must not be
 * added to them. */
int ft_jest_args_choose(char *const *args);

#endif
