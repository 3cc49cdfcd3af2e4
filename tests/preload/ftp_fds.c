/*
 * ftp_fds DIR - a program that closes every descriptor above 2 and reuses
 * the numbers for its own files, while it keeps being traced.
 *
 * Real-world case: daemons and test runners call closefrom(3) /
 * close_range(3, ~0U, 0) and then open their own files, which get fd 3, 4
 * back.  A tracer that keeps writing to "its" fd 3 would write records into
 * the program's file.  Checks: the program's files hold exactly what it
 * wrote, and the records after close_range are all there.
 */
#include <fcntl.h>
#include <unistd.h>
#include <linux/close_range.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "ftp_common.h"

int main(int argc, char **argv)
{
	const char *dir = argv[1];
	char *out1 = ftp_join(dir, "fds.out1"), *out2 = ftp_join(dir, "fds.out2");
	char buf[64], path[4096];
	struct stat st;
	int fd1, fd2;
	ssize_t n;

	if (argc != 2)
		return 2;
	snprintf(path, sizeof(path), "%s/fds.before", dir);
	stat(path, &st);
	ftp_expect("stat", ENOENT, "s", path);
	if (syscall(SYS_close_range, 3, ~0U, 0) != 0) {
		perror("close_range");
		return 1;
	}
	fd1 = open(out1, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	fd2 = open(out2, O_RDWR | O_CREAT | O_TRUNC, 0644);
	ftp_expect("open", 0, "wct", out1);
	ftp_expect("open", 0, "rwct", out2);
	if (fd1 != 3 || fd2 != 4) {
		fprintf(stderr, "ftp_fds: expected fds 3 and 4, got %d and %d\n", fd1, fd2);
		return 1;
	}
	write(fd1, "one\n", 4);
	for (int i = 0; i < 300; i++) {   /* many records while fd 3 and 4 are ours */
		snprintf(path, sizeof(path), "%s/fds.after.%d", dir, i);
		stat(path, &st);
		ftp_expect("stat", ENOENT, "s", path);
	}
	write(fd2, "two\n", 4);
	close(fd1);
	close(fd2);
	fd1 = open(out1, O_RDONLY);
	n = read(fd1, buf, sizeof(buf));
	close(fd1);
	if (n != 4 || memcmp(buf, "one\n", 4)) {
		fprintf(stderr, "ftp_fds: %s corrupted (%zd bytes)\n", out1, n);
		return 1;
	}
	fd2 = open(out2, O_RDONLY);
	n = read(fd2, buf, sizeof(buf));
	close(fd2);
	if (n != 4 || memcmp(buf, "two\n", 4)) {
		fprintf(stderr, "ftp_fds: %s corrupted (%zd bytes)\n", out2, n);
		return 1;
	}
	return 0;
}
