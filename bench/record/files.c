/*
 * files.c - the file-heavy workload of bench/record/run.sh.
 *
 * usage: files DIR [N]
 * For i in 0..N-1 (N = 5000): stat DIR/f<i>, open it, read it to the end,
 * close it; then stat DIR/missing<i>, which does not exist.  That is N
 * present and N absent paths, each seen once, as a build or a test suite
 * probing many files would.  `files DIR N --create` makes the N files.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int create_files(const char *dir, long n)
{
	char path[4096], body[64];

	for (long i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/f%ld", dir, i);
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0) {
			perror(path);
			return 1;
		}
		int len = snprintf(body, sizeof(body), "file %ld\n", i);
		if (write(fd, body, (size_t)len) != len) {
			perror(path);
			close(fd);
			return 1;
		}
		close(fd);
	}
	return 0;
}

int main(int argc, char **argv)
{
	char path[4096], buf[4096];
	struct stat st;
	long n = 5000, bytes = 0, missing = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: files DIR [N] [--create]\n");
		return 2;
	}
	if (argc > 2)
		n = strtol(argv[2], NULL, 10);
	if (argc > 3 && !strcmp(argv[3], "--create"))
		return create_files(argv[1], n);

	for (long i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/f%ld", argv[1], i);
		if (stat(path, &st) != 0) {
			perror(path);
			return 1;
		}
		int fd = open(path, O_RDONLY);
		if (fd < 0) {
			perror(path);
			return 1;
		}
		ssize_t r;
		while ((r = read(fd, buf, sizeof(buf))) > 0)
			bytes += r;
		close(fd);
	}
	for (long i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/missing%ld", argv[1], i);
		if (stat(path, &st) != 0 && errno == ENOENT)
			missing++;
	}
	if (missing != n) {
		fprintf(stderr, "files: %ld of %ld missing paths exist\n", n - missing, n);
		return 1;
	}
	printf("%ld files, %ld bytes, %ld missing\n", n, bytes, missing);
	return 0;
}
