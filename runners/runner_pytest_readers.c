/*
 * runner_pytest_readers.c - the readers pytest's row declares
 * (ft_reader.h): pytest's collector and Python's import system, whose
 * listings the adapter marks (FT_CONTEXT_COLLECT, FT_CONTEXT_IMPORT) and
 * ingest stores as LISTs (and entry TYPEs) of FT_READER_COLLECT and
 * FT_READER_IMPORT; and pytest's start-up, whose configuration files
 * (pyproject.toml, tox.ini, setup.cfg that nothing else read:
 * FT_CONTEXT_STARTUP_END) ingest stores as FILEs of FT_READER_CONFIG.
 * docs/selection.md, "Listings only pytest's collector read" and
 * "Import-system listings", and docs/pytest.md, "Shared config files",
 * say why each rule holds.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ft_pytest_root.h"
#include "ft_reader.h"
#include "ft_record.h"
#include "ft_runners.h"

/*
 * May Python's import system make anything of a directory entry named
 * `name`?  FileFinder looks up `<module>` (a package, a namespace portion)
 * and `<module><suffix>`, where <module> holds no dot and the suffixes are
 * .py, .pyc and the extension modules' .so ones (the adapter opens no
 * import window for a finder with other suffixes); importlib.metadata's
 * search looks at *.dist-info and *.egg-info, and at "egg-info" inside an
 * *.egg directory.  So 1 for a name without a dot or with one of those
 * endings (or .egg), in any case; 0 for every other name, such as
 * "pre-commit.yaml" or ".gitignore".
 */
static int importable(const char *name)
{
	static const char *const endings[] = {
		".py", ".pyc", ".so", ".dist-info", ".egg-info", ".egg",
	};
	size_t n = strlen(name);

	if (!strchr(name, '.'))
		return 1;
	for (size_t i = 0; i < sizeof(endings) / sizeof(endings[0]); i++) {
		size_t l = strlen(endings[i]);
		if (n >= l && !strcasecmp(name + n - l, endings[i]))
			return 1;
	}
	return 0;
}

/*
 * Does the adapter note every lookup of the import system in `dir`
 * (ftrace_pysite._noted_dir, which must say the same)?  Not in an
 * installation's directories: no component is site-packages,
 * dist-packages, lib-dynload, lib-python or lib_pypy, or starts with
 * "python" and a digit (lib/python3.12: the standard library) or "pypy".
 */
static int noted_dir(const char *dir)
{
	static const char *const installed[] = {
		"site-packages", "dist-packages", "lib-dynload", "lib-python", "lib_pypy",
	};
	const char *p = dir;

	if (*p != '/')
		return 0;
	while (*p) {
		const char *e;
		size_t n;
		while (*p == '/')
			p++;
		e = strchr(p, '/');
		n = e ? (size_t)(e - p) : strlen(p);
		for (size_t i = 0; i < sizeof(installed) / sizeof(installed[0]); i++)
			if (n == strlen(installed[i]) && !memcmp(p, installed[i], n))
				return 0;
		if ((n > 6 && !memcmp(p, "python", 6) && p[6] >= '0' && p[6] <= '9') ||
		    (n >= 4 && !memcmp(p, "pypy", 4)))
			return 0;
		p += n;
	}
	return 1;
}

/* A module's name: no dot (a package, a namespace portion), or one
 * FileFinder's loaders end with (exactly: FileFinder is case-sensitive
 * here), not a distribution's (*.dist-info, which importlib.metadata's
 * enumeration of every distribution sees without a lookup by name). */
static int module_name(const char *name)
{
	static const char *const endings[] = { ".py", ".pyc", ".so" };
	size_t n = strlen(name);

	if (!strchr(name, '.'))
		return 1;
	for (size_t i = 0; i < sizeof(endings) / sizeof(endings[0]); i++) {
		size_t l = strlen(endings[i]);
		if (n > l && !strcmp(name + n - l, endings[i]))
			return 1;
	}
	return 0;
}

/*
 * The import system: a name it cannot use, added or removed, anywhere.
 * And, in a directory where pytest collects (scope), whose every run's
 * adapter noted every lookup (scope->lookups: "noted": ["lookups"]; an
 * older ftrace's recording did not), and whose lookups the adapter notes
 * (noted_dir), a module's name: the import system finds a
 * module only by a lookup of its name, and each lookup there, found or
 * not, stats every name it could take (ftrace_pysite._note_lookup) in the
 * context that made it, so a test that looked the name up depends on
 * those names themselves, and one that did not cannot see the entry
 * (docs/selection.md, "Import-system listings").  A new test file there
 * is the collector's listing's to find (its own LIST state).
 */
static int import_neutral(const struct ft_listing_change *c)
{
	const struct ft_pytest_root *r = c->scope;

	return !importable(c->name) || (r && r->lookups && module_name(c->name) && noted_dir(c->dir));
}

/*
 * The collector, where pytest collects (scope: the rootdir): a name gone
 * that it ignored (a regular file's name it does not collect, with only
 * pytest's own hooks; a norecursedirs directory's).  An added name is the
 * new-test walk's to judge (FT_READER_COLLECTS: selector/newtests.c looks
 * at what the entry is).  Without a scope nothing is neutral.
 */
static int collect_neutral(const struct ft_listing_change *c)
{
	const struct ft_pytest_root *r = c->scope;
	size_t a, b;
	char *p;
	int ign;

	if (!r || c->added)
		return 0;
	a = strlen(c->dir);
	b = strlen(c->name);
	if (!(p = malloc(a + b + 2)))
		return 0; /* when in doubt, it counts */
	memcpy(p, c->dir, a);
	p[a] = '/';
	memcpy(p + a + 1, c->name, b + 1);
	ign = ft_pytest_root_ignores(r, p, c->name) || (r->plain && ft_pytest_root_skip_dir(r, c->name));
	free(p);
	return ign;
}

static const struct ft_reader pytest_collect = {
	.id = FT_READER_COLLECT,
	.name = "pytest-collect",
	.list_name = "collected-list",
	.type_name = "collected-type",
	.flags = FT_READER_COLLECTS | FT_READER_GONE_TYPE,
	.listing_neutral = collect_neutral,
};

static const struct ft_reader python_import = {
	.id = FT_READER_IMPORT,
	.name = "python-import",
	.list_name = "import-list",
	.flags = FT_READER_EVERYWHERE,
	.listing_neutral = import_neutral,
};

/* pytest's start-up: only the file's pytest section matters, which
 * selection cannot tell (it needs Python's TOML and INI parsers): a
 * content change is a reason (one per version a test saw), which
 * python/ft_pyconf.c's filter takes back where the section pytest read
 * from that version is the section now. */
static const struct ft_reader pytest_config = {
	.id = FT_READER_CONFIG,
	.name = "pytest-config",
	.file_name = "pytest-config",
};

const struct ft_reader *const ft_pytest_readers[] = {
	&pytest_collect, &python_import, &pytest_config, NULL,
};
