/*
 * ft_bundle_py.h - version 3's shared Python texts, inside the bundle code
 * (ft_bundle.c reads them, ft_bundle_write.c writes them; nothing else).
 *
 * The Python texts of a recording repeat the same names and whole lists:
 * a test's function lists (py_funcs, `{file: [keys]}`), own files (py_own)
 * and lazily imported files (py_lazy, both `[files]`) from test to test
 * (in a 911-test suite, 132,223 keys of which 1,805 distinct, in 10,630
 * (test, file) lists of which 2,156 distinct), a run's prelude (`{file:
 * [keys]}`), and a fingerprint's prelude (`[keys]`) and bodies (`{key:
 * digest}`) the same keys.  Version 3 writes each string and each list
 * once, in two sections before the runs:
 *
 *   pystrs    str                      the distinct strings
 *   pylists   u32 n, n x idx pystr      the distinct lists of strings
 *
 * and each of those texts (a run's py_prelude; a test's py_funcs, py_own,
 * py_lazy; a fingerprint row's bodies, prelude, names) as a tagged value:
 *
 *   u8 0                                none (NULL)
 *   u8 1, str text                      the text as it is
 *   u8 2, u32 n, n x (idx key, idx list)  an object of string lists
 *   u8 3, idx list                      an array of strings
 *   u8 4, u32 n, n x (idx key, idx str)   an object of strings (n >= 1:
 *                                       `{}` is tag 2's)
 *
 * Tags 2-4 are written only when the value, printed back the way the
 * reader prints it (cJSON, unformatted), gives the text's exact bytes: a
 * text of another shape, or one another writer formatted, goes as tag 1.
 * So a text reads back byte for byte, whatever it holds.
 *
 * The encoding is canonical, as the rest of the bundle's (the fuzz
 * target's oracle): strings and lists are numbered in the order of their
 * first use, walking the texts in the order of the file (the runs', the
 * tests', the fingerprints'), an object's pairs in order, a pair's key
 * before its value, a list's strings before the list itself; every entry
 * is used, none is there twice; a text kept as it is (tag 1) is one that
 * could not be coded.  The reader refuses anything else.
 *
 * The reader's output is bounded: the texts it rebuilds, summed, may not
 * exceed FT_BUNDLE_PY_MAX bytes (what a version-2 bundle, read whole,
 * could hold), checked before each one is made.
 */
#ifndef FT_BUNDLE_PY_H
#define FT_BUNDLE_PY_H

#include <stddef.h>
#include <stdint.h>

#include "ft_map.h"

#define FT_BUNDLE_PY_NONE 0
#define FT_BUNDLE_PY_RAW 1
#define FT_BUNDLE_PY_OBJ 2
#define FT_BUNDLE_PY_LIST 3
#define FT_BUNDLE_PY_STRS 4
#define FT_BUNDLE_PY_TREE 5          /* version 4 (ft_bundle_tree.h); not a byte of the file */

#define FT_BUNDLE_PY_MAX ((uint64_t)UINT32_MAX)

/* One text as version 3 codes it.  RAW: `raw` (borrowed); OBJ: `ids` holds
 * n pairs (key string, list); STRS: n pairs (key string, string); LIST:
 * ids[0] the list.  Version 4: RAW, or TREE with `code`, the bytes as
 * they go in the file (ft_bundle_tree.h). */
struct ft_bundle_pyval {
	uint8_t tag;
	uint32_t n;
	uint32_t *ids;
	const char *raw;
	unsigned char *code;          /* FT_BUNDLE_PY_TREE: the bytes to write */
	size_t ncode;
};

/* The tables being written: strings and lists interned (a list's key is
 * its string indices' bytes). */
struct ft_bundle_pytab {
	struct ft_map strs, lists;
};

struct cJSON;

/* An array of strings (a cJSON array whose members are all strings) as a
 * list, its strings interned first, then the list: *list its index.  0 or
 * -ENOMEM.  And the test for such an array. */
int ft__bundle_py_code_list(struct ft_bundle_pytab *tab, const struct cJSON *arr, uint32_t *list);
int ft__bundle_py_is_string_array(const struct cJSON *a);

/* `text` parsed (cJSON), when accept(the value, arg) says it is coded and
 * the reader's print of the value (cJSON, unformatted) is the text
 * itself, byte for byte; else NULL.  The caller deletes it. */
struct cJSON *ft__bundle_py_parse_exact(const char *text,
					int (*accept)(const struct cJSON *, void *), void *arg);

/* Code `text` (NULL: none) into *v, interning into `tab`.  0 or -ENOMEM. */
int ft__bundle_py_code(struct ft_bundle_pytab *tab, const char *text, struct ft_bundle_pyval *v);

void ft__bundle_pyval_release(struct ft_bundle_pyval *v);
void ft__bundle_pytab_release(struct ft_bundle_pytab *tab);

/* The tables being read. */
struct ft_bundle_pylist {
	uint32_t n;
	uint32_t *ids;
	uint64_t bound;               /* the bytes it prints as, at most */
};
struct ft_bundle_pyread {
	char **strs;                  size_t nstrs, cstrs;
	struct ft_bundle_pylist *lists; size_t nlists, clists;
	uint64_t made;                /* bytes of text rebuilt so far */
	uint32_t next_str, next_list; /* the next ones a first use may name */
};

/* Would version 3 code `text` (tag 2 or 3)? */
int ft__bundle_py_codable(const char *text);

/* A coded value read (indices checked against the tables): does it name
 * strings and lists new to the walk in their order?  0 or FT_ECORRUPT. */
int ft__bundle_py_first_use(struct ft_bundle_pyread *rd, const struct ft_bundle_pyval *v);

/* The bound of a list just read (its indices checked): each string
 * escaped at six bytes a byte ("\u00XX"), its quotes and comma; the
 * brackets. */
void ft__bundle_py_bound(struct ft_bundle_pyread *rd, struct ft_bundle_pylist *l);

/* The text of an OBJ, STRS or LIST value (indices already checked against the
 * tables) into *out, malloc'd.  0, -ENOMEM, FT_ECORRUPT (the texts would
 * pass FT_BUNDLE_PY_MAX). */
int ft__bundle_py_text(struct ft_bundle_pyread *rd, const struct ft_bundle_pyval *v, char **out);

void ft__bundle_pyread_release(struct ft_bundle_pyread *rd);

/* Is s[0..n) lowercase hexadecimal of an even length, not empty?  Version
 * 4 writes such a string (a digest) as its bytes, half its length
 * (ft_bundle.h). */
int ft__bundle_is_hex(const char *s, size_t n);

/* Pieces of the above for version 4's trees (ft_bundle_tree.h).  A
 * string or list named (index checked): is it old, or the next new one?
 * 0 or FT_ECORRUPT (a new list's strings are its first uses too). */
int ft__bundle_py_use_str(struct ft_bundle_pyread *rd, uint32_t s);
int ft__bundle_py_use_list(struct ft_bundle_pyread *rd, uint32_t l);
/* The bytes string `i` prints as, at most, quotes included. */
uint64_t ft__bundle_py_str_bound(const struct ft_bundle_pyread *rd, uint32_t i);
/* List `l` as a cJSON array; NULL without memory. */
struct cJSON *ft__bundle_py_make_list(const struct ft_bundle_pyread *rd,
				      const struct ft_bundle_pylist *l);

#endif
