/*
 * ftp_die MODE DIR - record, then die without running exit handlers:
 *   kill    raise(SIGKILL)
 *   _exit   _exit(7)
 * The records written before must survive (the region is a shared file
 * mapping; a buffer in process memory would be lost).  A test started in
 * the process gets no TEST_END when it is killed (ingest: not passed), and
 * TEST_END "failed" from _exit(7): _exit is a normal, if abrupt, exit with
 * a status (dash leaves that way).
 */
#include <signal.h>
#include <unistd.h>
#include <sys/stat.h>

#include "ftp_common.h"

int main(int argc, char **argv)
{
	struct stat st;
	char *path;

	if (argc != 3)
		return 2;
	path = malloc(strlen(argv[2]) + 32);
	sprintf(path, "%s/%s.before", argv[2], argv[1]);
	stat(path, &st);
	ftp_expect("stat", ENOENT, "s", path);
	if (!strcmp(argv[1], "kill"))
		raise(SIGKILL);
	else
		_exit(7);
	return 1;
}
