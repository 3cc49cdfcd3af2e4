/*
 * fuzz_bundle.c - a bundle (common/ft_bundle.h) through ft_bundle_parse(),
 * the reader `ftrace import` and `ftrace merge` run on files from other
 * machines.
 *
 * Checks against the format's own rule: the encoding is canonical (fixed
 * widths, one meaning per byte, nothing after the last section), so a
 * bundle the reader accepts encodes back to exactly its bytes.  Anything
 * else accepted would be bytes the reader skipped or misread.  A rejected
 * input must say why.  The header's length and checksum are written over
 * the input's first (a mutation almost never gets an XXH3 right): the
 * fuzzer's time goes to the payload's reader; the header's own checks
 * are tests/unit/test_bundle.c's.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

#include "ft_bundle.h"
#include "ft_error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ft_bundle b;
	unsigned char *in, *out;
	struct ft_err why;
	size_t len;
	uint64_t sum;
	int rc;

	if (!(in = malloc(size ? size : 1)))
		return 0;
	memcpy(in, data, size);
	if (size >= FT_BUNDLE_HEADER && in[0] == 'F') {
		sum = XXH3_64bits(in + FT_BUNDLE_HEADER, size - FT_BUNDLE_HEADER);
		for (int i = 0; i < 8; i++) {
			in[16 + i] = (unsigned char)((uint64_t)(size - FT_BUNDLE_HEADER) >> (8 * i));
			in[24 + i] = (unsigned char)(sum >> (8 * i));
		}
	}
	rc = ft_bundle_parse(&b, in, size, &why);
	if (rc < 0) {
		if (rc != -ENOMEM && (!why.why[0] || why.code != rc))
			abort();
		free(in);
		return 0;
	}
	if (ft_bundle_encode(&b, &out, &len) < 0)
		abort();
	if (len != size || memcmp(out, in, size))
		abort();
	free(out);
	free(in);
	ft_bundle_release(&b);
	return 0;
}
