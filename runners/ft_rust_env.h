/*
 * ft_rust_env.h - does Rust source text read the whole environment?
 *
 * `std::env::vars()` and `vars_os()` iterate the environment in memory:
 * no getenv, so no hook sees which variables a test looked at (a config
 * crate's prefix scan, a test that copies the environment).  A test whose
 * own sources name them depends on every variable ("$=",
 * common/ft_envdep.h).  Matched on the raw text, over-approximately: `env`
 * then `::` (blanks allowed around it) then `vars` or `vars_os` as a whole
 * word, `*`, or a `{...}` list holding either word (`use std::env::{self,
 * vars};`).  Comments and strings are not skipped: a match there only
 * costs a selection when the environment changes; a lexer that misread a
 * lifetime as a character literal could hide code, this cannot.
 *
 * Pure; never reads past `len`.
 */
#ifndef FT_RUST_ENV_H
#define FT_RUST_ENV_H

#include <stddef.h>

/* 1 if `text` (len bytes, any bytes) names env::vars, env::vars_os or
 * env::* as above, else 0. */
int ft_rust_env_whole(const char *text, size_t len);

#endif
