/*
 * ft_pyfunc_names.h - a skeleton change that only changes module-level
 * names (docs/python-functions.md, "Namespace changes").
 *
 * A skeleton change selects every test whose import closure holds the
 * file.  Some skeleton changes only add, remove or re-sign a plain
 * function; add, remove or change a plain class (no decorators, no base
 * but one built-in class or unittest's TestCase, a body of methods
 * without decorators but the builtin staticmethod, classmethod or
 * property, and literal attributes: "class", "tclass"); add, remove or
 * change a plain assignment (`A = B = value`, the value built of
 * constants only, no dunder the recorder does not note reads of, no
 * other binder: "assign"; with an annotation in a module that postpones
 * its annotations, "ann:<digest of the annotation>", as long as the
 * module's annotated assignments, kinds and names, are the same sequence
 * in both versions, so that its __annotations__ is the same) or a derived one (the value built of earlier
 * "assign" and "derive" names and known-pure builtins, which the tool
 * evaluated: "derive"; "derive:re" when it compiled a regular expression,
 * which counts only when the recorded sessions' standard library, in->std,
 * is the tool's, the fingerprint's "std"; after an annotation,
 * "ann:<digest>:derive[:re]"; a "derive" statement now that mentions a changed
 * name has its names changed too, a closure over the statements); change
 * the names of a `from M import ...` of a standard-library module that is
 * no package (a name gained must be one M has, below), or add or remove
 * one of a module every session had loaded from the standard library at
 * its start-up (in->stdlib); or add or remove an
 * `import M` of such a module that every pytest session has loaded before
 * the project's code ("import:M", ftrace_fingerprint._PRELOADED) or that
 * every recorded session had loaded at its start-up ("stdimport:M",
 * in->loaded).  Each such statement can do nothing but bind its names, so
 * the change is a change of those names, and only code that reads them
 * can see it:
 *   - the module's own functions that mention them (their "refs"), as
 *     bodies: the tests that ran them;
 *   - any code reading them as attributes of the module, which the
 *     recorder notes per test ("@N", "@*" for the whole namespace);
 *   - skeleton code mentioning them: then no narrowing at all.
 *
 * `old` and `now` are the "names" objects of ftrace_fingerprint.py (the
 * version a test saw, and the file now): {"stmts": [[hash, kind, bind,
 * ment], ...], "refs": {key: [names]}}.
 *
 * ft_pyfunc_names_diff() returns 1 if the change is such a change: every
 * statement that differs (by a longest common subsequence of the hashes)
 * is a "def" (or "wrap"), a "class" or "tclass", an "assign", "ann:" or "derive", an "import:M", a
 * "stdimport:M" of loaded modules, or a "from:M" paired with a differing
 * old one of the same kind, both listing the names they import (the
 * (name, alias) pairs on one side only are changed names), or added or
 * removed with M in in->stdlib; each (name, alias) pair gained must be
 * one the fingerprint tool found M has (the statement's sixth element),
 * under the "std" of `now` equal to in->std, with M in in->stdlib; every changed name
 * (with the closure's) is bound by at most one statement on each side and mentioned by no
 * statement now but a "derive" one; no statement
 * now reads the namespace as a whole ("*").  Then res->names is a new
 * array of the changed names and res->keys a new array of the body keys
 * that can see them: the keys now whose refs mention one or "*", the changed defs'
 * own names and the methods of the changed classes ("C.m", "C.Inner.m");
 * res->classes a new array of the names the changed "class" statements bind
 * (old or new); res->wraps a new array of the docstring keys ("N#doc") of the
 * changed "wrap" functions, whose decorator read them at import into the
 * wrapper that the name N then holds (a read the name change covers).
 * Returns 0 (nothing allocated) with *why, a static text, if
 * not; -ENOMEM when out of memory.  The caller frees the arrays of `res`.
 *
 * `in->tmod`: the file is a test module that pytest's own collector read
 * (docs/python-functions.md, "Test modules").  Then a "mark" statement (a
 * test function decorated by pytest marks that run nothing; "mark:M,N" if
 * they read standard-library modules M and N, which every recorded
 * session must have had loaded from the standard library at its start-up,
 * `stdlib`) is allowed as a "def" is, and a changed name may be mentioned by such a statement
 * (its marks are its own test's): one that did not change itself is then
 * changed with the name (its parametrize table, say, now holds other
 * values); a changed name that pytest looks up itself (setup*, teardown*,
 * setUp*, tearDown*, pytest*) is not allowed.  res->marks is a new array
 * of the names the changed "mark" statements bind, those changed with a
 * name included (empty when `tmod` is 0).
 *
 * Also when `tmod`: a from-import of a project module, without aliases or
 * a star ("pimport:...,M,?M.a,?M.b" mentioning exactly a and b), added or
 * paired with an old one of the same module M, binds only its names: the
 * names on one side only are changed names, and res->attrs gets each
 * "?M.a" entry the statement gained or lost.  That holds only if getting
 * `a` from M runs no code and cannot fail, and `a` is nothing pytest takes
 * from a test module by itself (a fixture, an autouse one included), which
 * the module's fingerprint in the session that loaded it must show (M
 * binds `a` by a plain statement):
 * the caller judges it per test, over its run's prelude
 * (ft__pyfunc_attrs_unsure), and takes the change for a skeleton change
 * where it cannot.  A from-import removed whole stays
 * a skeleton change (M may no longer be loaded).  res->attrs is empty
 * otherwise.
 */
#ifndef FT_PYFUNC_NAMES_H
#define FT_PYFUNC_NAMES_H

#include <cjson/cJSON.h>

struct ft_pyfunc_names_in {
	int tmod;                 /* a test module pytest's own collector read */
	char *const *loaded;      /* top-level modules every recorded session */
	size_t nloaded;           /* had loaded at its start-up */
	char *const *stdlib;      /* those of `loaded` that every recorded */
	size_t nstdlib;           /* session had from the standard library */
	const char *std;          /* the standard library of every recorded
				   * session (ftrace_fingerprint.std_identity),
				   * or NULL */
};

struct ft_pyfunc_names_out {
	cJSON *names, *keys, *wraps, *marks, *classes, *attrs;
};

int ft_pyfunc_names_diff(cJSON *old, cJSON *now, const struct ft_pyfunc_names_in *in,
			 struct ft_pyfunc_names_out *res, const char **why);

/* Can the change from `old` to `now` (the "names" objects above) alter
 * what the module's import does outside its own namespace, by the form of
 * its statements (docs/python-functions.md, "Import-time effects")?  1
 * when a statement of kind "other" (one that acts by its form: a bare
 * call, a store into an object, an augmented assignment, a star import;
 * or a kind this ftrace does not know; or "leaves", a statement holding
 * the body of a function that may store outside the module, which a test
 * running it can leave to every later test) is on one side only (by a longest
 * common subsequence of the hashes, as ft_pyfunc_names_diff matches
 * them), or when one on both sides mentions a name that a statement on
 * one side only binds or mentions (it runs with another value now), or
 * when either list cannot be read or is too large to compare: *why says
 * which (static text).  0 when every statement on one side only is of a
 * plain kind, "doc", "bind" (binds what its decorators, bases or value
 * make) or "pimport:E,..." (an import; its entries go to `imports`, which
 * the caller checks against what each session had loaded).  `bound` (may
 * be NULL) receives the names those statements bind (and, for "bind" and
 * "pimport:", mention), for the caller to look up among the recorded
 * reads.  A statement of kind "leaves:T,..." on one side only (a function
 * that stores into the modules T only: ftrace_pystate.leaving) puts its
 * entries into `leaves`, for the caller to widen to the tests that load
 * those modules; with `leaves` NULL it acts.  -ENOMEM when out of memory. */
int ft_pyfunc_names_effects(cJSON *old, cJSON *now, cJSON *bound, cJSON *imports,
			    cJSON *leaves, const char **why);

/* Is `kind` a plain function's ("def", or "wrap": decorated by one of the
 * fingerprint's pure decorators, which reads its docstring at import)? */
int ft_pyfunc_names_is_def(const char *kind);

/* Is `kind` a plain assignment's ("assign": names bound to a value built
 * of constants only, ftrace_fingerprint._plain_assign; "ann:<digest>",
 * the same with a postponed annotation, _ann_one) or a derived one's
 * ("derive", "derive:re", "ann:<digest>:derive[:re]": _derived_value)? */
int ft_pyfunc_names_is_assign(const char *kind);

/* Is a statement of kind `kind` a class pytest collects by its name
 * (python_classes) when it matches: "class", "mclass" or "mclass:M,N" (a
 * class whose methods have pytest marks)? */
int ft_pyfunc_names_is_pyclass(const char *kind);


#endif
