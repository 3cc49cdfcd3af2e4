/*
 * bundle_hand.h - a bundle made by hand, byte by byte, in a unit test.
 *
 * ft_test_bundle_seal(buf, len) writes the payload's length and XXH3 into
 * the 32-byte header.  ft_test_bundle_check(buf, len, &text) seals and
 * parses it, and returns ft_bundle_parse()'s status; an accepted bundle
 * must encode back to exactly its bytes (the encoding is canonical: the
 * fuzz target's oracle), and with `text` non-NULL the first test's
 * py_funcs is strdup'd into it; a refused one must say why.  Include it
 * after <cmocka.h>, with XXH_STATIC_LINKING_ONLY and <xxhash.h>.
 */
#ifndef FT_TEST_BUNDLE_HAND_H
#define FT_TEST_BUNDLE_HAND_H

#include <stdlib.h>
#include <string.h>

#include "ft_bundle.h"
#include "ft_error.h"

static void ft_test_bundle_seal(unsigned char *b, size_t n)
{
	uint64_t sum = XXH3_64bits(b + FT_BUNDLE_HEADER, n - FT_BUNDLE_HEADER);

	for (int i = 0; i < 8; i++) {
		b[16 + i] = (unsigned char)((uint64_t)(n - FT_BUNDLE_HEADER) >> (8 * i));
		b[24 + i] = (unsigned char)(sum >> (8 * i));
	}
}

static int ft_test_bundle_check(unsigned char *b, size_t n, char **text)
{
	struct ft_bundle got;
	struct ft_err why;
	int rc;

	ft_test_bundle_seal(b, n);
	rc = ft_bundle_parse(&got, b, n, &why);
	if (rc == 0) {
		unsigned char *out;
		size_t len;
		assert_int_equal(ft_bundle_encode(&got, &out, &len), 0);
		assert_int_equal(len, n);
		assert_memory_equal(out, b, len);
		free(out);
		if (text)
			*text = strdup(got.tests[0].py_funcs);
		ft_bundle_release(&got);
	} else {
		assert_true(why.why[0] != '\0');
	}
	return rc;
}

#endif
