/*
 * affected_mode.c - "only the mode changed": the note that `ftrace
 * affected --explain` gives a file dependency whose content is as the test
 * saw it and whose permission bits are not (cli/affected.h).
 *
 * A file's recorded state is its content hash seeded with its permission
 * bits (docs/internals.md, "Mode bits"), so `chmod` selects the file's
 * tests, and the reason reads "content changed".  Where that is only the
 * mode (a checkout made under another umask: 0664 against 0644), saying so
 * spares the user a hunt for an edit that is not there.  The test is
 * selected either way: this only words the reason.
 *
 * The recorded bits are not stored, so the note tries the likely ones:
 * the mode now with one permission bit flipped, and the modes a umask or
 * chmod usually gives.  Only for a regular file of at most
 * FT_MODE_NOTE_MAX bytes, opened without following a link and without
 * blocking (a FIFO swapped in): at most a few dozen hashes of it.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "affected.h"
#include "ft_state.h"

#define FT_MODE_NOTE_MAX (4u << 20)

static const unsigned common_modes[] = {
	0644, 0664, 0600, 0640, 0660, 0666, 0444, 0440, 0400,
	0755, 0775, 0700, 0750, 0770, 0777, 0555, 0500,
};

/* Is `recorded` the hash of the content of `fd` under mode `mode`? */
static int same_under(int fd, unsigned mode, uint64_t recorded)
{
	uint64_t v;

	return lseek(fd, 0, SEEK_SET) == 0 && ft_hash_fd(fd, ft_state_file_seed(mode), &v) == 0 &&
	       v == recorded;
}

const char *affected_mode_note(const char *path, uint64_t recorded, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	unsigned now, was = 0;
	struct stat sb;
	int found = 0;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || (uint64_t)sb.st_size > FT_MODE_NOTE_MAX) {
		close(fd);
		return NULL;
	}
	now = sb.st_mode & 07777u;
	/* the content with the mode now: a content change, not the mode */
	if (same_under(fd, now, recorded)) {
		close(fd);
		return NULL;
	}
	for (unsigned bit = 0; bit < 12 && !found; bit++)
		if ((found = same_under(fd, now ^ (1u << bit), recorded)))
			was = now ^ (1u << bit);
	for (size_t i = 0; i < sizeof(common_modes) / sizeof(common_modes[0]) && !found; i++)
		if (common_modes[i] != now && (found = same_under(fd, common_modes[i], recorded)))
			was = common_modes[i];
	close(fd);
	if (!found)
		return NULL;
	snprintf(buf, cap, "the content is as the test saw it; only the mode changed (was %04o, now %04o)",
		 was, now);
	return buf;
}
