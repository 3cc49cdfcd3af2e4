/*
 * fuzz_depinfo.c - a rustc dep-info file (`target/PROFILE/deps/NAME.d`,
 * runners/ft_depinfo.h) through ft_depinfo_read(), as the cargo runner
 * reads it after `cargo test`.
 *
 * Two rounds per input.  First the bytes as a dep-info file.  Then the
 * input's lines as source file names, written the way rustc writes them
 * (each space escaped as "\ ", every other byte as it is, the names joined
 * by single spaces: checked against rustc 1.x with `a\b.txt`, `c d.txt`,
 * `e#f.txt`), and the reader must give back exactly those names.  A name
 * read back as another is a dependency lost: editing the real file would
 * select nothing.  Names rustc itself cannot write unambiguously (ending in
 * a backslash, holding a newline or a NUL) are left out.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_depinfo.h"
#include "fuzz_tmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_BASE "/work/ws"

/* Round two: returns the dep-info text for the usable lines of `data`
 * (malloc'd) and their number in *n; their joined names in *names. */
static char *fuzz_depinfo_write(const uint8_t *data, size_t size, char ***names, size_t *n)
{
	char *out = malloc(2 * size + 32), *o = out;
	size_t i = 0;

	*names = calloc(size + 1, sizeof(char *));
	*n = 0;
	if (!out || !*names)
		abort();
	o += sprintf(o, "out.d:");
	while (i < size) {
		const uint8_t *nl = memchr(data + i, '\n', size - i);
		size_t end = nl ? (size_t)(nl - data) : size, len = end - i;

		if (len && !memchr(data + i, '\0', len) && data[end - 1] != '\\') {
			(*names)[(*n)++] = strndup((const char *)data + i, len);
			*o++ = ' ';
			for (size_t k = i; k < end; k++) {
				if (data[k] == ' ')
					*o++ = '\\';
				*o++ = (char)data[k];
			}
		}
		i = end + 1;
	}
	*o++ = '\n';
	*o = '\0';
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ft_depinfo d = FT_DEPINFO_INIT;
	const char *path = fuzz_tmp_write("lib-x.d", data, size);
	char **names, *text;
	size_t n;

	ft_depinfo_read(&d, path, FUZZ_BASE);
	for (size_t i = 0; i < d.n; i++)
		if (d.srcs[i][0] != '/')
			abort(); /* a source that is not absolute */
	if (d.n && (!d.first || !d.first[0]))
		abort();
	ft_depinfo_release(&d);

	text = fuzz_depinfo_write(data, size, &names, &n);
	path = fuzz_tmp_write("lib-y.d", (const uint8_t *)text, strlen(text));
	if (ft_depinfo_read(&d, path, FUZZ_BASE) < 0)
		abort();
	/* every name, in order, each once (the reader keeps duplicates once) */
	for (size_t i = 0, j = 0; i < n; i++) {
		char *want;
		int dup = 0;
		for (size_t k = 0; k < i; k++)
			dup |= !strcmp(names[k], names[i]);
		if (names[i][0] == '/')
			want = strdup(names[i]);
		else if (asprintf(&want, "%s/%s", FUZZ_BASE, names[i]) < 0)
			want = NULL;
		if (!want)
			abort();
		/* a relative name equal to an absolute one after joining is kept once too */
		for (size_t k = 0; k < j && !dup; k++)
			dup = !strcmp(d.srcs[k], want);
		if (!dup && (j >= d.n || strcmp(d.srcs[j++], want)))
			abort(); /* a source read back as another path, or lost */
		free(want);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(text);
	ft_depinfo_release(&d);
	return 0;
}
