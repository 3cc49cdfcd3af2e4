/*
 * ftp_threads DIR NTHREADS NPATHS - NTHREADS threads each stat NPATHS
 * distinct absent paths DIR/t<thread>.<i>, all at the same time.
 *
 * Exercises the lock-free parts of the interposer under contention: the
 * atomic reservation in a shared region, the CAS that publishes a new
 * region when one fills up (paths are long, so several regions fill), and
 * the dedup table's CAS-claimed slots.  The script checks that every path
 * appears exactly once and that no region is damaged.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *dir;
static int npaths;
static char pad[201];

static void *ftp_worker(void *arg)
{
	long t = (long)arg;
	char path[4096];
	struct stat st;

	for (int i = 0; i < npaths; i++) {
		snprintf(path, sizeof(path), "%s/%s.t%ld.%d", dir, pad, t, i);
		stat(path, &st);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th[64];
	int n;

	if (argc != 4)
		return 2;
	dir = argv[1];
	n = atoi(argv[2]);
	npaths = atoi(argv[3]);
	if (n < 1 || n > 64)
		return 2;
	memset(pad, 'p', sizeof(pad) - 1);
	for (long t = 0; t < n; t++)
		pthread_create(&th[t], NULL, ftp_worker, (void *)t);
	for (int t = 0; t < n; t++)
		pthread_join(th[t], NULL);
	return 0;
}
