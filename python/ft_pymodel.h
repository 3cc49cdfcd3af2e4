/*
 * ft_pymodel.h - the Python wing's boundary: what the strings the pytest
 * plugin and the fingerprint helper hand to C mean, decoded in one place
 * (docs/python-sidefiles.md is the written spec of both channels).
 *
 * Keys.  A test's or a prelude's list of one file ("funcs", "prelude" in
 * pyfunc_tests, pyfunc_runs and pyfunc_fps) holds keys, each one string,
 * stored in the database exactly as the plugin wrote them (no migration
 * decodes them; this header does, when they are read):
 *
 *   "f", "C.m", "f.<locals>.g"   code of that qualname ran   FT_PYKEY_CODE
 *   "<module>"                   the module body ran          FT_PYKEY_MODULE
 *   "C.m#doc"                    C.m.__doc__ was read          FT_PYKEY_DOC
 *   "C.m#ann"                    C.m.__annotations__ was read  FT_PYKEY_ANN
 *   "@name"                      the module's `name` was read  FT_PYKEY_NAME
 *   "@*"                         its whole namespace was read  FT_PYKEY_ALL
 *   "@+"                         every read of its names seen  FT_PYKEY_SEEN
 *   "@-"                         some read of them not seen    FT_PYKEY_UNSEEN
 *   "@%"                         pytest's collector read it    FT_PYKEY_TMOD
 *   "@="                         loaded by a session by file  FT_PYKEY_FILE
 *   "@+__"                       reads of its dunders noted   FT_PYKEY_DUNDERS
 *   "@+__2"                      and of `__all__` too          FT_PYKEY_DUNDERS
 *                                (but ftrace_fingerprint.UNNOTED_DUNDERS':
 *                                beside "@+" or "@%", a changed dunder
 *                                name may be narrowed)
 *   "@%name", "@%*"              a read by that collector      FT_PYKEY_COLLECT
 *                                (no rule matches it: "@%" keeps the
 *                                module's tests, docs/python-functions.md)
 *   "@>N\tA\tG"                  G's top-level code ran        FT_PYKEY_FORWARD
 *                                `from <this> import N as A`
 *
 * Fingerprint bodies ({key: fingerprint}) are keyed the same way: a body
 * key is a qualname, a nested function's too ("f.<locals>.g", whose body
 * the fingerprint cuts out of "f"'s, but in a stateful "f"), or a
 * qualname with FT_PYFUNC_DOC/FT_PYFUNC_ANN.  A qualname counts for each
 * of its cuts before a ".<locals>" that is a body key, and for itself if
 * it is one (ft_pykey_body_next): a lambda or class body in "f" for "f",
 * code of "g" for "f.<locals>.g" (and for "f" of a fingerprint that kept
 * it whole: an older one, or a stateful "f").
 *
 * Nothing here allocates or fails except as stated; every function takes
 * any string (an unknown or malformed key is classified, never trusted:
 * a malformed re-export key decodes to 0, and its callers then keep the
 * test).
 */
#ifndef FT_PYMODEL_H
#define FT_PYMODEL_H

#include <stddef.h>

struct cJSON;

/* The longest key part the decoders copy out (longer: not decoded). */
#define FT_PYKEY_MAX 4096

#define FT_PYKEY_S_MODULE "<module>"
#define FT_PYKEY_S_ALL "@*"
#define FT_PYKEY_S_SEEN "@+"
#define FT_PYKEY_S_UNSEEN "@-"
#define FT_PYKEY_S_TMOD "@%"
#define FT_PYKEY_S_FORWARD "@>"
#define FT_PYKEY_S_DUNDERS "@+__"
/* Beside it: reads of the dunders the list stopped leaving out in its
 * second version (FT_PYNAME_DUNDERS2: `__all__`, read through the module's
 * type by a star import) were noted too.  A recording without it (an
 * older ftrace) noted none of them. */
#define FT_PYKEY_S_DUNDERS2 "@+__2"
/* In a run's prelude only (pyfunc_runs, python/ft_pyfunc_rec.c): the
 * file's bytes were read outside an import window, as data. */
#define FT_PYKEY_S_DATA "@!"
/* In a run's prelude only: a session without function data (file
 * granularity) loaded the file; which of its code ran, and which of its
 * names were read, is not known.  python/ft_pyfunc_rec.c,
 * record_file_doc; python/pyfunc_widen.c. */
#define FT_PYKEY_S_FILE "@="

enum ft_pykey_kind {
	FT_PYKEY_CODE,
	FT_PYKEY_MODULE,
	FT_PYKEY_DOC,
	FT_PYKEY_ANN,
	FT_PYKEY_NAME,
	FT_PYKEY_ALL,
	FT_PYKEY_SEEN,
	FT_PYKEY_UNSEEN,
	FT_PYKEY_TMOD,
	FT_PYKEY_COLLECT,
	FT_PYKEY_FORWARD,   /* also a malformed one: ft_pykey_forward() says */
	FT_PYKEY_DUNDERS,
	FT_PYKEY_DATA,
	FT_PYKEY_FILE,
};

/* What `key` is (the table above).  "@" alone is FT_PYKEY_NAME of "". */
enum ft_pykey_kind ft_pykey_kind(const char *key);

/* Is `name` a dunder ("__x__")?  Its reads are noted only where the
 * prelude has FT_PYKEY_S_DUNDERS for the file. */
int ft_pyname_is_dunder(const char *name);

/* Is `name` one of the dunders whose reads are noted only where the
 * prelude has FT_PYKEY_S_DUNDERS2 too ("__all__")? */
int ft_pyname_is_dunder2(const char *name);

/* Is `key` a name read or a marker ("@...": no code ran)? */
static inline int ft_pykey_is_mark(const char *key)
{
	return key[0] == '@';
}

/* A read key (FT_PYKEY_DOC or FT_PYKEY_ANN): the length of its qualname;
 * 0 for any other key. */
size_t ft_pykey_read_len(const char *key);

/* Is `key` an annotations read (FT_PYKEY_ANN)? */
int ft_pykey_is_ann(const char *key);

/* The body keys `qual` may count for, one a call, shortest first: its
 * cut before each ".<locals>", then `qual` itself when it has one ("f",
 * "f.<locals>.g", "f.<locals>.g.<locals>.h" for the last; "C.m" alone for
 * "C.m").  `*pos` is 0 before the first call.  1 and the key in `out`
 * (`cap` bytes), 0 when there are no more, -1 for one that does not fit
 * (the next call goes on). */
int ft_pykey_body_next(const char *qual, size_t *pos, char *out, size_t cap);

/* "@name", the key of a read of `name`, into `out`.  1, or 0 if it does
 * not fit. */
int ft_pykey_name_read(const char *name, char *out, size_t cap);

/* A re-export key "@>N\tA\tG" decoded: `name` N (the name imported from
 * the file whose key this is), `alias` A (what the importer binds), and
 * `importer` G (the absolute path of the importing module). */
struct ft_pyforward {
	char name[FT_PYKEY_MAX];
	char alias[FT_PYKEY_MAX];
	char importer[FT_PYKEY_MAX];
};

/* Decode re-export key `key` into `f`: 1, or 0 if it is none, a part is
 * empty or too long, or G is not absolute (the caller keeps the test). */
int ft_pykey_forward(const char *key, struct ft_pyforward *f);

/*
 * Recordings, parsed once where they are read (the store's JSON columns,
 * ft_pyfunc.h): a list of strings (keys of one file, or .py paths) and a
 * map from file to its keys.  The parsers are strict: anything but what
 * the recorder writes (an array of strings; an object whose every value
 * is such an array) is malformed, and a malformed recording is never
 * used, so the test it describes keeps its file-granularity selection.
 */
struct ft_pystrs {
	char **v;
	size_t n;
};

struct ft_pyfile {
	char *path;
	struct ft_pystrs keys;
};

struct ft_pyfiles {
	struct ft_pyfile *v;
	size_t n;
};

/* Does `s` (NULL: empty) hold `x`? */
int ft_pystrs_has(const struct ft_pystrs *s, const char *x);
/* Append a copy of `x` unless `s` holds it: 0, or -ENOMEM. */
int ft_pystrs_add(struct ft_pystrs *s, const char *x);
void ft_pystrs_release(struct ft_pystrs *s);

/* The keys of `path` (the first entry if the map held it twice), or NULL
 * if the map has none: "none" and "an empty list" differ (a file the
 * session made but ran nothing of). */
const struct ft_pystrs *ft_pyfiles_get(const struct ft_pyfiles *m, const char *path);
void ft_pyfiles_release(struct ft_pyfiles *m);

/* The strings of the JSON array `arr` into `out` (zeroed first): 0,
 * -EINVAL if it is no array of strings, -ENOMEM. */
int ft_pystrs_from_json(const struct cJSON *arr, struct ft_pystrs *out);

/* Parse `json` (NULL: no value) into `out` (zeroed first).  0; -EINVAL
 * if it is NULL, not JSON (truncated, or followed by anything but its
 * end), or not of the form; -ENOMEM.  On error `out` holds nothing.
 * Strings are taken as bytes: no UTF-8 check (a path is bytes). */
int ft_pystrs_parse(const char *json, struct ft_pystrs *out);
int ft_pyfiles_parse(const char *json, struct ft_pyfiles *out);

/*
 * Fingerprints of one version of a file: the helper's output for a file
 * (its object, docs/python-sidefiles.md), or a stored version's bodies
 * (pyfunc_fps.bodies).  `names` stays the helper's JSON for now
 * (ft_pyfunc_names.h has the format): python/pyfunc_names.c diffs it,
 * and the namespace rules read its statements (binder_kind() in
 * pyfunc_version.c; bound_now() and forward_sees() in pyfunc_reexport.c).
 */
struct ft_pybody {
	char *key;               /* a body key (see "Keys" above) */
	char *fp;                /* its fingerprint */
};

struct ft_pyfp {
	char *skeleton;          /* NULL: none, or not a string */
	struct ft_pybody *bodies;
	size_t nbodies;
	int has_bodies;          /* 0: no "bodies", or malformed */
	struct cJSON *names;     /* borrowed from the parsed object; NULL: none */
};

/* The fingerprint of body `key`, or NULL if `fp` (NULL: none) has none. */
const char *ft_pyfp_body(const struct ft_pyfp *fp, const char *key);

/* The fingerprints of the helper's object `obj` into `out` (zeroed first):
 * 0 (a part that is missing or of the wrong type is left empty: skeleton
 * NULL, has_bodies 0), -EINVAL if `obj` is no object, -ENOMEM.  `out`
 * borrows obj's "names". */
int ft_pyfp_from_json(const struct cJSON *obj, struct ft_pyfp *out);

/* Parse stored bodies (`{key: fingerprint}`, every value a string) into
 * `out`'s bodies: 0 (has_bodies 1), -EINVAL (has_bodies 0), -ENOMEM. */
int ft_pyfp_bodies_parse(const char *json, struct ft_pyfp *out);

void ft_pyfp_release(struct ft_pyfp *fp);

#endif
