/*
 * ft_cargo_plan.h - `ftrace test -- cargo test ...` and `ftrace test --
 * cargo nextest run ...`: the command narrowed to the affected and new
 * tests (ft_runner_argv.h has the contract and enum ft_runner_plan).
 *
 *  - cargo test: the selection's `-p PKG --lib --test T ...` inserted
 *    after `test`, over the targets `cargo metadata` lists here.  When it
 *    takes more than one cargo invocation (several packages, or doc-tests
 *    with other targets), `-p A -p B`: every target of those packages.
 *  - cargo nextest run: `-E FILTERSET` inserted after `run`, over the tests
 *    `cargo nextest list` lists here.
 * A command that already chooses tests (target or package options, a
 * test-name filter, -E) runs as given, as does one whose list cannot be
 * had.
 */
#ifndef FT_CARGO_PLAN_H
#define FT_CARGO_PLAN_H

#include <stddef.h>

struct ft_err;
struct ft_selection;

/* kind: FT_RUNNER_CARGO or FT_RUNNER_NEXTEST.  Returns an enum
 * ft_runner_plan, or -ENOMEM. */
int ft_cargo_plan(char *const *cmd, int kind, const struct ft_selection *sel,
		  const struct ft_selection *all, char ***out, size_t *nsel, struct ft_err *e);

/* 1 if the words cmd[from..] (after `test`, or nextest's `run`) are only
 * options that leave the set of tests alone, in any spelling cargo accepts
 * (`-j2`, `-j 2`, `--jobs=2`, `-qv`); 0 if any word chooses tests or is not
 * known (the command then runs as given).  nextest: its run options too. */
int ft_cargo_args_keep_tests(char *const *cmd, int from, int nextest);

#endif
