/*
 * test_runner_config.c - the rows' config (runners/ft_runners.h): which
 * options of a go test or cargo command line count as the recording's
 * options, in any spelling, and which change nothing.  Two command lines
 * whose texts are equal are taken to build and run the same tests
 * (selector/pipeline_options.c), so an equal pair here must truly agree,
 * and a pair that differs in a build option must differ.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "ft_runners.h"

/* the row's text for the command line `words` (space separated; cmd=1) */
static char *text_of(const struct ft_runner_ops *row, const char *words)
{
	char *copy = strdup(words), *argv[64], *out = NULL, *save = NULL;
	int n = 0;

	assert_non_null(copy);
	for (char *w = strtok_r(copy, " ", &save); w && n < 63; w = strtok_r(NULL, " ", &save))
		argv[n++] = w;
	argv[n] = NULL;
	assert_int_equal(row->config(argv, 1, &out), 0);
	assert_non_null(out);
	free(copy);
	return out;
}

static void same(const struct ft_runner_ops *row, const char *a, const char *b)
{
	char *x = text_of(row, a), *y = text_of(row, b);

	if (strcmp(x, y))
		fail_msg("'%s' and '%s' differ: '%s' / '%s'", a, b, x, y);
	free(x);
	free(y);
}

static void differ(const struct ft_runner_ops *row, const char *a, const char *b)
{
	char *x = text_of(row, a), *y = text_of(row, b);

	if (!strcmp(x, y))
		fail_msg("'%s' and '%s' are the same: '%s'", a, b, x);
	free(x);
	free(y);
}

static void test_config__go(void **state)
{
	const struct ft_runner_ops *go = &ft_runner_go;

	(void)state;
	assert_non_null(go->config);
	/* output, pace, which tests: nothing */
	same(go, "go test ./...", "go test -v -json -count=1 -timeout 5m -p 2 -parallel 4 ./...");
	same(go, "go test ./...", "go test -run TestX -short -failfast ./pkg");
	same(go, "go test ./...", "go test -race=false -cover=0 ./...");
	/* spellings of one option */
	same(go, "go test -tags x ./...", "go test -tags=x ./...");
	same(go, "go test -tags x ./...", "go test --tags=x ./...");
	same(go, "go test -race ./...", "go test -race=true ./...");
	same(go, "go test -race ./...", "go test -race=1 ./...");
	same(go, "go test -tags a -tags b ./...", "go test -tags b ./...");   /* the last wins */
	same(go, "go test -cover ./...", "go test -coverprofile=c.out ./...");
	same(go, "go test -race -tags x ./...", "go test -tags=x -race ./...");
	/* build and run options */
	differ(go, "go test ./...", "go test -race ./...");
	differ(go, "go test ./...", "go test -tags x ./...");
	differ(go, "go test -tags x ./...", "go test -tags y ./...");
	differ(go, "go test ./...", "go test -cover ./...");
	differ(go, "go test ./...", "go test -gcflags=-N ./...");
	differ(go, "go test ./...", "go test -cpu 1,2 ./...");
	differ(go, "go test ./...", "go test -bench . ./...");
	differ(go, "go test ./...", "go test -vet=off ./...");
	differ(go, "go test ./...", "go test -exec wrapper ./...");
	/* a flag not known, and the test binary's own flags */
	differ(go, "go test ./...", "go test -newflag ./...");
	differ(go, "go test ./...", "go test ./... -args -update");
	/* not go test at all */
	differ(go, "go test ./...", "go vet ./...");
}

static void test_config__cargo(void **state)
{
	const struct ft_runner_ops *cargo = &ft_runner_cargo;

	(void)state;
	assert_non_null(cargo->config);
	same(cargo, "cargo test", "cargo test -q -j 2 --offline --locked --no-fail-fast");
	same(cargo, "cargo test", "cargo test -p cfx --lib --test a name -- --nocapture --test-threads 1");
	same(cargo, "cargo test", "cargo test -- --skip x --exact");
	same(cargo, "cargo test", "cargo +nightly test");
	same(cargo, "cargo test --release", "cargo test -r");
	same(cargo, "cargo test --features a,b", "cargo test -F b --features=a");
	same(cargo, "cargo test --features a,b", "cargo test --features b,a,a");
	same(cargo, "cargo test --release --target x", "cargo test --target=x --release");
	differ(cargo, "cargo test", "cargo test --release");
	differ(cargo, "cargo test", "cargo test --profile bench");
	differ(cargo, "cargo test --features a", "cargo test --features a,b");
	differ(cargo, "cargo test", "cargo test --all-features");
	differ(cargo, "cargo test", "cargo test --no-default-features");
	differ(cargo, "cargo test", "cargo test --target x86_64-unknown-linux-musl");
	differ(cargo, "cargo test", "cargo test --config profile.dev.opt-level=3");
	differ(cargo, "cargo test", "cargo test -- --include-ignored");
	differ(cargo, "cargo test", "cargo test --newflag");
	/* nextest: its run options, and the build profile */
	same(&ft_runner_nextest, "cargo nextest run", "cargo nextest run --no-capture --retries 2 -E x");
	differ(&ft_runner_nextest, "cargo nextest run", "cargo nextest run --cargo-profile release");
	differ(&ft_runner_nextest, "cargo nextest run", "cargo nextest run --run-ignored all");
	differ(cargo, "cargo test", "cargo build");
}

static void test_config__node(void **state)
{
	const struct ft_runner_ops *node = &ft_runner_node;

	(void)state;
	assert_non_null(node->config);
	same(node, "node --test", "node --test test/a.test.js --test-reporter tap --test-concurrency=2");
	same(node, "node --test", "node --test --test-timeout 1000 --watch --test-name-pattern x");
	same(node, "node --test --import ./s.mjs", "node --import=./s.mjs --test");
	differ(node, "node --test", "node --test --env-file=.env");
	differ(node, "node --test", "node --test --conditions dev");
	differ(node, "node --test --import a.mjs --import b.mjs", "node --test --import b.mjs --import a.mjs");
	differ(node, "node --test", "node --test --experimental-test-coverage");
	differ(node, "node --test", "node --test --newflag");
	differ(node, "node --test", "node script.js");
}

static void test_config__jest(void **state)
{
	const struct ft_runner_ops *jest = &ft_runner_jest;

	(void)state;
	assert_non_null(jest->config);
	same(jest, "npx jest", "npx jest -i --silent -w 2 --testTimeout=100 src/a.test.js");
	same(jest, "npx jest", "npx jest -t name --testPathPattern x --cacheDirectory /tmp/c");
	same(jest, "npx jest --ci", "npx jest --ci --verbose");
	same(jest, "npx jest --testEnvironment node", "npx jest --test-environment=node");
	differ(jest, "npx jest", "npx jest --ci");
	differ(jest, "npx jest", "npx jest -u");
	differ(jest, "npx jest", "npx jest --coverage");
	differ(jest, "npx jest", "npx jest --testEnvironment jsdom");
	differ(jest, "npx jest", "npx jest --newflag");
	differ(jest, "npx jest", "npx mocha");
}

/* the recorded form (the runner image's arguments after argv[0]) is read
 * as the command's */
static void test_config__recorded_args(void **state)
{
	char *argv[] = { "test", "-race", "./...", NULL }, *cmd[] = { "go", "test", "-race=true",
								      "./pkg", NULL };
	char *a = NULL, *b = NULL;

	(void)state;
	assert_int_equal(ft_runner_go.config(argv, 0, &a), 0);
	assert_int_equal(ft_runner_go.config(cmd, 1, &b), 0);
	assert_string_equal(a, b);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config__go),
		cmocka_unit_test(test_config__cargo),
		cmocka_unit_test(test_config__node),
		cmocka_unit_test(test_config__jest),
		cmocka_unit_test(test_config__recorded_args),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
