/*
 * ftp_probe - the program the exec/spawn tests start: it stats each PATH
 * argument (absent paths are fine) and exits with --exit N (default 0).
 * Its stat records prove that the child process was traced.
 *
 *   --many N PREFIX   stat PREFIX0 .. PREFIX<N-1> (region rollover tests)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int main(int argc, char **argv)
{
	struct stat st;
	int status = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--exit") && i + 1 < argc) {
			status = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--many") && i + 2 < argc) {
			int n = atoi(argv[++i]);
			const char *prefix = argv[++i];
			char path[4096];
			for (int k = 0; k < n; k++) {
				snprintf(path, sizeof(path), "%s%d", prefix, k);
				stat(path, &st);
			}
		} else
		{
			stat(argv[i], &st);
		}
	}
	return status;
}
