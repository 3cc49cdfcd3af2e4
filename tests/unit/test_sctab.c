/*
 * test_sctab.c - the one syscall table (common/ft_sctab.c) agrees with the
 * kernel's numbers, with itself, and with what each back end builds from
 * it: the seccomp filter traps exactly the rows the tracer decodes, and the
 * preload's syscall() wrapper decodes exactly the calls it always did.
 * Each case fails when a row drifts from the others.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include <cmocka.h>

#include "ft_record.h"
#include "ft_sctab.h"
#include "ptrace_seccomp.h"

#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452 /* Linux 6.6, as in common/ft_sctab.c */
#endif

struct known {
	const char *name;
	long nr;
	int syscall_wrapper; /* the preload's syscall() decodes it */
};

/* The numbers from <sys/syscall.h>, by name: written out here, apart from
 * the table, so that a row whose name and number disagree shows. */
#define K(n, pre) { #n, SYS_##n, pre }
static const struct known known[] = {
	K(open, 1), K(openat, 1), K(openat2, 1), K(creat, 1), K(stat, 1), K(lstat, 1),
	K(newfstatat, 1), K(statx, 1), K(access, 1), K(faccessat, 1), K(faccessat2, 1),
	K(readlink, 1), K(readlinkat, 1), K(execve, 0), K(execveat, 0), K(getdents64, 1),
	K(getdents, 1), K(chdir, 1), K(fchdir, 0), K(rename, 0), K(renameat, 0),
	K(renameat2, 0), K(unlink, 0), K(unlinkat, 0), K(rmdir, 0), K(mkdir, 0),
	K(mkdirat, 0), K(link, 0), K(linkat, 0), K(symlink, 0), K(symlinkat, 0),
	K(truncate, 0), K(chmod, 1), K(fchmod, 1), K(fchmodat, 1), K(fchmodat2, 1), K(chown, 1),
	K(fchown, 1), K(lchown, 1), K(fchownat, 1), K(utime, 1), K(utimes, 1), K(futimesat, 1),
	K(utimensat, 1),
};
#undef K
#define NKNOWN (sizeof(known) / sizeof(known[0]))

static const struct known *known_by_name(const char *name)
{
	for (size_t i = 0; i < NKNOWN; i++)
		if (!strcmp(known[i].name, name))
			return &known[i];
	return NULL;
}

static void test_sctab__rows_match_sys_syscall_h(void **s)
{
	(void)s;
	assert_int_equal(ft_sctab_count(), NKNOWN);
	for (size_t i = 0; i < ft_sctab_count(); i++) {
		const struct ft_sc *sc = ft_sctab_at(i);
		const struct known *k = known_by_name(sc->name);

		assert_non_null(k);
		assert_int_equal(sc->nr, k->nr);
		assert_ptr_equal(ft_sctab_find(sc->nr), sc); /* one row per number */
	}
	assert_null(ft_sctab_at(ft_sctab_count()));
	assert_null(ft_sctab_find(SYS_read));
	assert_null(ft_sctab_find(SYS_io_uring_setup));
}

/* Argument indexes within the six, and the columns that go together. */
static void test_sctab__rows_are_well_formed(void **s)
{
	(void)s;
	for (size_t i = 0; i < ft_sctab_count(); i++) {
		const struct ft_sc *sc = ft_sctab_at(i);
		const signed char idx[] = { sc->dirfd, sc->path, sc->fd, sc->flags, sc->how,
					    sc->atflags, sc->dirfd2, sc->path2 };

		for (size_t j = 0; j < sizeof(idx); j++)
			assert_true(idx[j] >= FT_SC_NONE && idx[j] < 6);
		assert_true(sc->op > FT_OP__NONE && sc->op < FT_OP__COUNT);
		assert_true((sc->path >= 0) != (sc->fd >= 0)); /* names a path or an fd */
		assert_true(sc->who != 0);
		if (sc->at_bit) {
			assert_true(sc->atflags >= 0);
			assert_true(sc->at_op > FT_OP__NONE && sc->at_op < FT_OP__COUNT);
		}
		assert_int_equal(sc->op2 != FT_OP__NONE, sc->path2 >= 0);
		assert_false(sc->flags >= 0 && sc->how >= 0);
	}
}

/*
 * The preload's wrapper decodes the calls it decoded before the tables were
 * merged, no more (a new one is a new record: add it with a t1xxx test and
 * here), and each of them the tracer decodes too, so a static build of a
 * program records what its dynamic build does.  The wrapper records one
 * path per call.
 */
static void test_sctab__syscall_wrapper_rows(void **s)
{
	(void)s;
	for (size_t i = 0; i < ft_sctab_count(); i++) {
		const struct ft_sc *sc = ft_sctab_at(i);
		const struct known *k = known_by_name(sc->name);

		assert_int_equal((sc->who & FT_SC_SYSCALL) != 0, k->syscall_wrapper);
		if (sc->who & FT_SC_SYSCALL) {
			assert_true(sc->who & FT_SC_PTRACE);
			assert_true(sc->path2 < 0);
		}
	}
}

/* Run a classic BPF program of the kinds the filter uses on `d`. */
static uint32_t bpf_run(const struct sock_filter *p, int n, const struct seccomp_data *d)
{
	uint32_t acc = 0;

	for (int pc = 0; pc < n; pc++) {
		const struct sock_filter *f = &p[pc];

		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			assert_true(f->k + 4 <= sizeof(*d));
			memcpy(&acc, (const char *)d + f->k, 4);
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			pc += acc == f->k ? f->jt : f->jf;
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			pc += acc >= f->k ? f->jt : f->jf;
			break;
		case BPF_RET | BPF_K:
			return f->k;
		default:
			fail_msg("unexpected BPF instruction %#x at %d", f->code, pc);
		}
	}
	fail_msg("the program ran off its end");
	return 0;
}

/* The filter traps a number exactly when the tracer has a row to decode
 * it with; io_uring_setup is refused; every other call runs untrapped. */
static void test_sctab__filter_traps_exactly_the_decoded_rows(void **s)
{
	struct sock_filter prog[64];
	struct seccomp_data d;
	int n = ft_ptrace_seccomp_build(prog, sizeof(prog) / sizeof(prog[0]));

	(void)s;
	assert_true(n > 0);
	memset(&d, 0, sizeof(d));
	d.arch = AUDIT_ARCH_X86_64;
	for (int nr = 0; nr < 1024; nr++) {
		const struct ft_sc *sc = ft_sctab_find(nr);
		uint32_t want = SECCOMP_RET_ALLOW;

		if (sc && (sc->who & FT_SC_PTRACE))
			want = SECCOMP_RET_TRACE;
		else if (nr == SYS_io_uring_setup)
			want = SECCOMP_RET_ERRNO | ENOSYS;
		d.nr = nr;
		assert_int_equal(bpf_run(prog, n, &d), want);
	}
	/* other ABIs stop, to be marked untraced: the table cannot decode them */
	d.nr = 0x40000000 | SYS_openat;
	assert_int_equal(bpf_run(prog, n, &d), SECCOMP_RET_TRACE);
	d.nr = SYS_read;
	d.arch = AUDIT_ARCH_I386;
	assert_int_equal(bpf_run(prog, n, &d), SECCOMP_RET_TRACE);
}

/* The class rules the table's columns carry, for both back ends. */
static void test_sctab__class_from_columns(void **s)
{
	uint64_t a[6] = { (uint64_t)AT_FDCWD, 0, 0, 0, 0, 0 };
	enum ft_op op;
	uint32_t cls;

	(void)s;
	ft_sctab_class(ft_sctab_find(SYS_statx), a, 0, &op, &cls);
	assert_int_equal(op, FT_OP_STAT);
	assert_int_equal(cls, FT_AC_STAT);
	a[2] = AT_SYMLINK_NOFOLLOW;
	ft_sctab_class(ft_sctab_find(SYS_statx), a, 0, &op, &cls);
	assert_int_equal(op, FT_OP_LSTAT);
	assert_int_equal(cls, FT_AC_STAT | FT_AC_NOFOLLOW);
	/* AT_SYMLINK_NOFOLLOW is not unlinkat's bit: AT_REMOVEDIR is */
	ft_sctab_class(ft_sctab_find(SYS_unlinkat), a, 0, &op, &cls);
	assert_int_equal(op, FT_OP_UNLINK);
	/* link()'s source is a content read, followed or not; a chmod or
	 * chown changes the mode (FT_AC_ATTR), whatever its flags */
	ft_sctab_class(ft_sctab_find(SYS_link), a, 0, &op, &cls);
	assert_int_equal(op, FT_OP_LINK_SRC);
	assert_int_equal(cls, FT_AC_READ);
	assert_int_equal(ft_sctab_find(SYS_link)->op2, FT_OP_LINK_DST);
	ft_sctab_class(ft_sctab_find(SYS_fchmodat), a, 0, &op, &cls);
	assert_int_equal(op, FT_OP_CHMOD);
	assert_int_equal(cls, FT_AC_ATTR);
	a[4] = AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH;
	ft_sctab_class(ft_sctab_find(SYS_fchownat), a, 0, &op, &cls);
	assert_int_equal(op, FT_OP_CHOWN);
	assert_int_equal(cls, FT_AC_ATTR);
	a[4] = 0;
	/* the utime family sets times (FT_AC_ATTR), whatever its flags */
	a[3] = AT_SYMLINK_NOFOLLOW;
	ft_sctab_class(ft_sctab_find(SYS_utimensat), a, 0, &op, &cls);
	assert_int_equal(op, FT_OP_UTIME);
	assert_int_equal(cls, FT_AC_ATTR);
	a[3] = 0;
	assert_int_equal(ft_sctab_find(SYS_fchmod)->fd, 0);
	assert_int_equal(ft_sctab_find(SYS_fchown)->fd, 0);
	/* openat2 whose struct open_how could not be read: a plain open */
	ft_sctab_class(ft_sctab_find(SYS_openat2), a, 0, &op, &cls);
	assert_int_equal(op, FT_OP_OPEN);
	assert_int_equal(cls, FT_AC_READ);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sctab__rows_match_sys_syscall_h),
		cmocka_unit_test(test_sctab__rows_are_well_formed),
		cmocka_unit_test(test_sctab__syscall_wrapper_rows),
		cmocka_unit_test(test_sctab__filter_traps_exactly_the_decoded_rows),
		cmocka_unit_test(test_sctab__class_from_columns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
