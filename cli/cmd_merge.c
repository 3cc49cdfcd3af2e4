/*
 * cmd_merge.c - `ftrace merge [--force] OUT A B ...`: shard bundles of one
 * repository into one (common/ft_bundle.h, ft_bundle_merge; docs/usage.md,
 * "Sharing a recording").  No database is opened: this runs anywhere the
 * bundles are, a CI job with no checkout included.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_bundle.h"
#include "ft_cmd.h"
#include "ft_error.h"
#include "share.h"

static const char usage_text[] =
"usage: ftrace merge [--force] OUT BUNDLE...\n"
"\n"
"Combine bundles that `ftrace export` wrote for one repository (the shards of\n"
"a suite recorded on several machines, or recordings of several commits) into\n"
"OUT.  A test in several keeps the recording whose run finished last (a tie:\n"
"the later BUNDLE on the command line); flaky marks are united.  OUT is\n"
"replaced atomically, and may be one of the BUNDLEs.\n"
"\n"
"options:\n"
"  --force      merge bundles of different repositories (root commits\n"
"               differ, and so do their HEAD commits)\n"
"  -h, --help   this text\n"
"\n"
"exit status: 0 written; 2 a BUNDLE is corrupt, truncated, not a bundle, of a\n"
"newer format or of another repository (OUT untouched); 64 bad usage; 70 OUT\n"
"cannot be written.\n";

static int merge_main(int argc, char **argv, struct ft_bundle **in, size_t *nin, struct ft_bundle *out)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt, force = 0, status, rc;
	const char *repo0 = NULL, *head0 = NULL;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'f': force = 1; break;
		case 'h': fputs(usage_text, stdout); return FT_EXIT_OK;
		default: fputs(usage_text, stderr); return FT_EXIT_USAGE;
		}
	}
	if (argc - optind < 2) {
		ft_cmd_error("merge: OUT and at least one BUNDLE are needed");
		fputs(usage_text, stderr);
		return FT_EXIT_USAGE;
	}
	for (int i = optind + 1; i < argc; i++) {
		const char *repo, *head;
		if ((status = ft_share_read("merge", &(*in)[*nin], argv[i])) != 0)
			return status;
		repo = ft_bundle_meta(&(*in)[*nin], FT_BUNDLE_FP_REPO);
		head = ft_bundle_meta(&(*in)[(*nin)++], FT_BUNDLE_FP_HEAD);
		if (!repo)
			repo = "";
		if (!head)
			head = "";
		if (!repo0) {
			repo0 = repo;
			head0 = head;
		}
		/* the same roots, or shards of one commit (shallow clones of one
		 * HEAD may see different boundaries as roots) */
		if (strcmp(repo, repo0) && !(head[0] && !strcmp(head, head0)) && !force) {
			ft_cmd_error("merge: %s was exported from another repository (root commit %s) "
				     "than %s (%s); `ftrace merge --force` merges them anyway", argv[i],
				     repo[0] ? repo : "none", argv[optind + 1], repo0[0] ? repo0 : "none");
			return FT_EXIT_UNKNOWN;
		}
	}
	{
		const struct ft_bundle **v = malloc(*nin * sizeof(*v));
		if (!v)
			return FT_EXIT_SOFTWARE;
		for (size_t i = 0; i < *nin; i++)
			v[i] = &(*in)[i];
		rc = ft_bundle_merge(out, v, *nin);
		free(v);
	}
	if (rc < 0) {
		ft_cmd_error("merge: %s", ft_strerror(rc));
		return FT_EXIT_SOFTWARE;
	}
	if ((rc = ft_bundle_write(out, argv[optind])) < 0) {
		ft_cmd_error("merge: cannot write %s: %s", argv[optind], ft_strerror(rc));
		return FT_EXIT_SOFTWARE;
	}
	fprintf(stderr, "ftrace: merge: %zu tests from %zu bundles written to %s\n", out->ntests,
		*nin, argv[optind]);
	return FT_EXIT_OK;
}

int ft_cmd_merge(int argc, char **argv)
{
	struct ft_bundle *in = calloc(argc > 0 ? (size_t)argc : 1, sizeof(*in)), out = { 0 };
	size_t nin = 0;
	int status;

	if (!in)
		return FT_EXIT_SOFTWARE;
	status = merge_main(argc, argv, &in, &nin, &out);
	for (size_t i = 0; i < nin; i++)
		ft_bundle_release(&in[i]);
	free(in);
	ft_bundle_release(&out);
	return status;
}
