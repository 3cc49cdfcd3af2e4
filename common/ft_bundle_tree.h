/*
 * ft_bundle_tree.h - version 4's Python texts, inside the bundle code
 * (ft_bundle.c reads them, ft_bundle_write.c writes them; nothing else).
 *
 * Version 3 (ft_bundle_py.h) shared the texts of three shapes and kept
 * every other text whole: a fingerprint's `names` (`{"refs": {...},
 * "stmts": [[digest, kind, [names], [names]], ...]}`) went as it was,
 * a fifth of a real suite's bundle.  Version 4 codes any JSON text as a
 * tree over the same tables (pystrs, pylists; version 4 writes the
 * strings front-coded, a digest as its bytes: ft_bundle.h):
 *
 *   u8 0                  none (NULL)
 *   u8 1, str text        the text as it is: one no tree codes
 *   u8 2 + kind, node     a tree whose root is of `kind`:
 *
 *   kind 0 null, 1 false, 2 true      nothing follows
 *   kind 3 an integer                 u32: its zigzag coding (an int32)
 *   kind 4 a string                   idx pystr
 *   kind 5 an array of strings        idx pylist (`[]` too)
 *   kind 6 any other array            u32 n (>= 1), n x (u8 kind, node)
 *   kind 7 an object                  u32 n, n x (idx pystr key, u8 kind, node)
 *
 * (u32 and idx as version 4 codes integers: ft_bundle_rd.h).  A text is
 * coded as a tree only when printing the tree back the way the reader
 * prints it (cJSON, unformatted) gives the text's exact bytes, its
 * numbers are integers that fit an int32, and it nests no deeper than
 * FT_BUNDLE_TREE_DEPTH arrays and objects; else it goes whole (tag 1).
 *
 * Canonical, as the rest of the bundle: the tables' entries are numbered
 * by first use in the order of the file (an object's key before its
 * value, a list's strings before the list); an array whose members are
 * all strings is a list (kind 5), never kind 6; a text kept whole is one
 * no tree codes.  The reader refuses anything else, and bounds what it
 * rebuilds as version 3 does (FT_BUNDLE_PY_MAX bytes in all).
 */
#ifndef FT_BUNDLE_TREE_H
#define FT_BUNDLE_TREE_H

#include "ft_bundle_py.h"

struct ft_bundle_rd;

#define FT_BUNDLE_TREE_DEPTH 64

/* Code `text` (NULL: none) into *v: NONE, RAW (v->raw borrows text), or
 * TREE (v->code, interning into `tab`).  0 or -ENOMEM. */
int ft__bundle_tree_code(struct ft_bundle_pytab *tab, const char *text, struct ft_bundle_pyval *v);

/* Would `text` be coded as a tree? */
int ft__bundle_tree_codable(const char *text);

/* Read a tree whose root is of `kind` (its tag byte, 2 + kind, already
 * read) at `r` into *out (malloc'd; NULL on damage, which `r` records).
 * Sets *nomem without memory. */
void ft__bundle_tree_get(struct ft_bundle_rd *r, struct ft_bundle_pyread *py, unsigned kind,
			 char **out, int *nomem);

#endif
