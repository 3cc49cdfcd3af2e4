/*
 * test_ptrace_trust.c - which code's system calls the preload sees
 * (tracer/ptrace_trust.c).  The case that broke: a cgo test binary
 * (dynamic, preloaded) whose Go runtime read testdata/Cargo.toml with its
 * own `syscall` instruction; the tracer had stopped decoding the image
 * once the preload opened its region, so nothing was recorded (t7200).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ptrace_trust.h"

static const char maps[] =
	"00400000-00401000 r--p 00000000 08:01 11 /tmp/go-build1/b001/decode.test\n"
	"00401000-00700000 r-xp 00001000 08:01 11 /tmp/go-build1/b001/decode.test\n"
	"7f0000000000-7f0000028000 r--p 00000000 08:01 22 /usr/lib/x86_64-linux-gnu/libc.so.6\n"
	"7f0000028000-7f000019d000 r-xp 00028000 08:01 22 /usr/lib/x86_64-linux-gnu/libc.so.6\n"
	"7f0000200000-7f0000210000 r-xp 00002000 08:01 33 /work/build/libftrace_preload.so\n"
	"7f0000300000-7f0000310000 r-xp 00000000 08:01 44 /usr/lib/x86_64-linux-gnu/libfoo.so.1\n"
	"7f0000400000-7f0000401000 rwxp 00000000 00:00 0 \n"
	"7f0000500000-7f0000520000 r-xp 00001000 08:01 55 /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2\n"
	"7ffd00000000-7ffd00002000 r-xp 00000000 00:00 0 [vdso]";

static void test_ptrace_trust__libc_ldso_and_preload_only(void **state)
{
	struct ft_ptrace_trust t = { 0 };

	(void)state;
	assert_int_equal(ft_ptrace_trust_parse(&t, maps, strlen(maps)), 3);
	/* libc's text (the ip is past the 2-byte instruction) */
	assert_true(ft_ptrace_trust_has(&t, 0x7f0000028002));
	assert_true(ft_ptrace_trust_has(&t, 0x7f000019cfff + 1));
	assert_true(ft_ptrace_trust_has(&t, 0x7f0000200010));
	assert_true(ft_ptrace_trust_has(&t, 0x7f0000500010));
	/* the Go runtime in the executable, another library, a JIT page, libc's
	 * read-only part, the vDSO: not seen by the preload */
	assert_false(ft_ptrace_trust_has(&t, 0x00401010));
	assert_false(ft_ptrace_trust_has(&t, 0x7f0000300010));
	assert_false(ft_ptrace_trust_has(&t, 0x7f0000400010));
	assert_false(ft_ptrace_trust_has(&t, 0x7f0000000010));
	assert_false(ft_ptrace_trust_has(&t, 0x7ffd00000010));
	/* a syscall instruction in the last two bytes before libc's text */
	assert_false(ft_ptrace_trust_has(&t, 0x7f0000028001));
}

static void test_ptrace_trust__names(void **state)
{
	(void)state;
	assert_true(ft_ptrace_trust_name("libc.so.6"));
	assert_true(ft_ptrace_trust_name("libc-2.31.so"));
	assert_true(ft_ptrace_trust_name("ld-linux-x86-64.so.2"));
	assert_true(ft_ptrace_trust_name("libftrace_preload.so"));
	assert_false(ft_ptrace_trust_name("liburing.so.2"));
	assert_false(ft_ptrace_trust_name("libcrypto.so.3"));
	assert_false(ft_ptrace_trust_name("decode.test"));
}

static void test_ptrace_trust__full_table_keeps_decoding(void **state)
{
	struct ft_ptrace_trust t = { 0 };
	char line[128];

	(void)state;
	for (int i = 0; i < FT_PTRACE_TRUST_MAX + 4; i++) {
		int n = snprintf(line, sizeof(line), "%x000-%x800 r-xp 0 0:0 1 /lib/libc.so.6\n", 0x100 + i,
				 0x100 + i);
		ft_ptrace_trust_parse(&t, line, (size_t)n);
	}
	assert_int_equal(t.n, FT_PTRACE_TRUST_MAX);
	assert_false(ft_ptrace_trust_has(&t, 0x100000 + (FT_PTRACE_TRUST_MAX + 1) * 0x1000 + 0x10));
}

static void test_ptrace_trust__load_own_maps(void **state)
{
	struct ft_ptrace_trust t = { 0 };

	(void)state;
	/* this test program is dynamic: libc and ld.so are mapped */
	assert_true(ft_ptrace_trust_load(&t, getpid()) >= 2);
	assert_true(ft_ptrace_trust_has(&t, (uint64_t)(uintptr_t)&memcpy + 2) ||
		    ft_ptrace_trust_has(&t, (uint64_t)(uintptr_t)&getpid + 2));
	assert_true(ft_ptrace_trust_load(&t, 0x7ffffff0) < 0);
	assert_int_equal(t.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ptrace_trust__libc_ldso_and_preload_only),
		cmocka_unit_test(test_ptrace_trust__names),
		cmocka_unit_test(test_ptrace_trust__full_table_keeps_decoding),
		cmocka_unit_test(test_ptrace_trust__load_own_maps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
