/*
 * ftp_die MODE DIR - record, then die without running exit handlers:
 *   kill    raise(SIGKILL)
 *   _exit   _exit(7)
 * The records written before must survive (the region is a shared file
 * mapping; a buffer in process memory would be lost), and no TEST_END is
 * written (ingest then counts the test as not passed).
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
