/*
 * ftt_bundle.c - make bundles (common/ft_bundle.h) that `ftrace export`
 * never writes, with a right checksum, for the integration tests of what
 * `ftrace import` refuses after the checksum (t6601):
 *
 *   ftt_bundle badkind IN OUT     the first dependency of the first set
 *                                 gets kind 200 (no such kind)
 *   ftt_bundle badoutcome IN OUT  the last test gets outcome 99
 *   ftt_bundle count IN           "tests sets paths runs listings flaky"
 *
 * Exits 0, or 1 with a message.
 */
#include <stdio.h>
#include <string.h>

#include "ft_bundle.h"
#include "ft_error.h"

int main(int argc, char **argv)
{
	struct ft_bundle b;
	char why[512];
	int rc;

	if (argc < 3) {
		fprintf(stderr, "usage: ftt_bundle badkind|badoutcome IN OUT | count IN\n");
		return 1;
	}
	if ((rc = ft_bundle_read(&b, argv[2], why, sizeof(why))) < 0) {
		fprintf(stderr, "ftt_bundle: %s: %s\n", argv[2], why[0] ? why : ft_strerror(rc));
		return 1;
	}
	if (!strcmp(argv[1], "count")) {
		printf("%zu %zu %zu %zu %zu %zu\n", b.ntests, b.nsets, b.npaths, b.nruns, b.nlistings,
		       b.nflaky);
		ft_bundle_release(&b);
		return 0;
	}
	if (argc < 4)
		return 1;
	if (!strcmp(argv[1], "badkind") && b.nsets && b.sets[0].n)
		b.sets[0].deps[0].kind = 200;
	else if (!strcmp(argv[1], "badoutcome") && b.ntests)
		b.tests[b.ntests - 1].outcome = 99;
	else
		return 1;
	rc = ft_bundle_write(&b, argv[3]);
	ft_bundle_release(&b);
	if (rc < 0) {
		fprintf(stderr, "ftt_bundle: %s: %s\n", argv[3], ft_strerror(rc));
		return 1;
	}
	return 0;
}
