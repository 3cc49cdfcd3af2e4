/*
 * test_watch_build.c - when the watch daemon builds
 * (watch/ft_watch_build_sched.c, rules in watch/ft_watch_build.h), and
 * which events are build triggers (ft_watch_set_trigger, ws->hits).
 *
 * The case behind the rules: a build that always rewrites a recorded test
 * binary (`cc -o build/t_calc`) must not build for ever, and a source
 * saved while a build runs must still get one more build.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <sys/inotify.h>

#include "ft_watch_build.h"
#include "ft_watch_set.h"

#define Q FT_WATCH_BUILD_QUIET_MS

/* no command: nothing is ever due */
static void test_watch_build__none_configured(void **state)
{
	struct ft_watch_build b;

	(void)state;
	ft_watch_build_init(&b, NULL, "/repo");
	assert_int_equal(ft_watch_build_trigger(&b, "/repo/a.c", 0), 0);
	assert_int_equal(ft_watch_build_due(&b, 10000), -1);
	ft_watch_build_init(&b, "", "/repo");
	assert_null(b.cmd);
	ft_watch_build_release(&b);
}

/* a burst of saves: one build, once quiet for Q ms after the last */
static void test_watch_build__debounce(void **state)
{
	struct ft_watch_build b;

	(void)state;
	ft_watch_build_init(&b, "make", "/repo");
	assert_int_equal(ft_watch_build_due(&b, 0), -1);
	ft_watch_build_trigger(&b, "/repo/a.c", 1000);
	assert_int_equal(ft_watch_build_due(&b, 1000), Q);
	ft_watch_build_trigger(&b, "/repo/b.c", 1000 + Q - 1);
	assert_int_equal(ft_watch_build_due(&b, 1000 + Q), Q - 1);
	assert_int_equal(ft_watch_build_due(&b, 1000 + 2 * Q), 0);
	ft__watch_build_started(&b, 1000 + 2 * Q);
	assert_int_equal(b.runs, 1);
	assert_int_equal(ft_watch_build_due(&b, 99999), -1);   /* one at a time */
	ft__watch_build_ended(&b, 5000);
	assert_int_equal(ft_watch_build_due(&b, 99999), -1);   /* nothing queued */
	ft_watch_build_release(&b);
}

/* the build's own write of a recorded binary queues one more build the
 * first time, never after; a user's save during a build queues one */
static void test_watch_build__own_writes_do_not_loop(void **state)
{
	struct ft_watch_build b;

	(void)state;
	ft_watch_build_init(&b, "make", "/repo");
	ft_watch_build_trigger(&b, "/repo/a.c", 0);
	ft__watch_build_started(&b, Q);
	ft_watch_build_trigger(&b, "/repo/build/t_calc", Q + 10);
	ft_watch_build_trigger(&b, "/repo/build/t_calc", Q + 11);
	ft__watch_build_ended(&b, Q + 20);
	assert_int_equal(ft_watch_build_due(&b, Q + 20), Q - 10); /* quiet after the write that queued it */
	assert_int_equal(ft_watch_build_due(&b, 3 * Q), 0);
	ft__watch_build_started(&b, 3 * Q);
	ft_watch_build_trigger(&b, "/repo/build/t_calc", 3 * Q + 10); /* its own, known */
	ft__watch_build_ended(&b, 3 * Q + 20);
	assert_int_equal(ft_watch_build_due(&b, 99999), -1);
	assert_int_equal(b.ignored, 2); /* the second write of build 1, the write of build 2 */
	assert_int_equal(b.runs, 2);

	/* a save during a build: exactly one more, however many saves */
	ft_watch_build_trigger(&b, "/repo/a.c", 10000);
	ft__watch_build_started(&b, 10000 + Q);
	ft_watch_build_trigger(&b, "/repo/build/t_calc", 10000 + Q + 1);
	ft_watch_build_trigger(&b, "/repo/b.c", 10000 + Q + 2);
	ft_watch_build_trigger(&b, "/repo/c.c", 10000 + Q + 3);
	ft__watch_build_ended(&b, 10000 + Q + 4);
	assert_int_equal(ft_watch_build_due(&b, 20000), 0);
	ft__watch_build_started(&b, 20000);
	ft__watch_build_ended(&b, 20001);
	assert_int_equal(ft_watch_build_due(&b, 99999), -1);
	assert_int_equal(b.runs, 4);

	/* b.c, learned during a build, saved while none runs: a source
	 * again, so a save of it during the next build queues one more */
	ft_watch_build_trigger(&b, "/repo/b.c", 30000);
	ft__watch_build_started(&b, 30000 + Q);
	ft_watch_build_trigger(&b, "/repo/b.c", 30000 + Q + 1);
	ft__watch_build_ended(&b, 30000 + Q + 2);
	assert_int_equal(ft_watch_build_due(&b, 99999), 0);
	ft_watch_build_release(&b);
}

/* an overflow: a build when none runs, ignored during one */
static void test_watch_build__overflow(void **state)
{
	struct ft_watch_build b;

	(void)state;
	ft_watch_build_init(&b, "make", "/repo");
	ft_watch_build_trigger(&b, NULL, 0);
	assert_int_equal(ft_watch_build_due(&b, Q), 0);
	ft__watch_build_started(&b, Q);
	ft_watch_build_trigger(&b, NULL, Q + 1);
	ft__watch_build_ended(&b, Q + 2);
	assert_int_equal(ft_watch_build_due(&b, 99999), -1);
	ft_watch_build_release(&b);
}

/* ws->hits: trigger paths an event reached (the daemon asks the
 * scheduler only then) */
static void test_watch_build__set_hits(void **state)
{
	struct ft_watch_set ws = FT_WATCH_SET_INIT;
	uint32_t src, a, lib;
	int added;

	(void)state;
	assert_int_equal(ft_watch_set_dir(&ws, "/repo/src", &src, &added), 0);
	assert_int_equal(ft_watch_set_wd(&ws, src, 1), 0);
	assert_int_equal(ft_watch_set_path(&ws, "/repo/src/a.c", &a), 0);
	assert_int_equal(ft_watch_set_path(&ws, "/repo/src/lib.so", &lib), 0);
	assert_in_range(ft_watch_set_key(&ws, src, "a.c", a), 0, 100);
	assert_in_range(ft_watch_set_key(&ws, src, "lib.so", lib), 0, 100);
	ft_watch_set_trigger(&ws, a);
	assert_int_equal(ft_watch_set_event(&ws, 1, IN_MODIFY, "lib.so"), 0);
	assert_int_equal(ws.hits, 0);
	assert_int_equal(ft_watch_set_event(&ws, 1, IN_MODIFY, "a.c"), 0);
	assert_int_equal(ws.hits, 1);
	/* dirty already: still a hit (every save builds) */
	assert_int_equal(ft_watch_set_event(&ws, 1, IN_CLOSE_WRITE, "a.c"), 0);
	assert_int_equal(ws.hits, 1);
	assert_int_equal(ft_watch_set_event(&ws, 1, IN_MODIFY, "other"), 0);
	assert_int_equal(ws.hits, 0);
	ft_watch_set_release(&ws);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_watch_build__none_configured),
		cmocka_unit_test(test_watch_build__debounce),
		cmocka_unit_test(test_watch_build__own_writes_do_not_loop),
		cmocka_unit_test(test_watch_build__overflow),
		cmocka_unit_test(test_watch_build__set_hits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
