/*
 * treehelp.h - the unit tests' files in a temp tree: P("rel") is
 * <root>/rel (eight buffers in turn, so a call may take several), and
 * write_file writes one.  Include it after defining `static char root[]`,
 * the tree's path, and after <cmocka.h>.
 */
#ifndef FT_TEST_TREEHELP_H
#define FT_TEST_TREEHELP_H

static char *P(const char *rel)
{
	static char bufs[8][PATH_MAX];
	static int i;
	char *b = bufs[i++ % 8];
	snprintf(b, PATH_MAX, "%s/%s", root, rel);
	return b;
}

static void write_file(const char *rel, const char *content)
{
	FILE *f = fopen(P(rel), "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

#endif
