/*
 * ft_cargo_config.h - the options of a `cargo test` or `cargo nextest run`
 * command line that can change what its tests do or whether they pass:
 * the runner rows' config (runners/ft_runners.h has the contract).
 *
 * Kept: --release (-r), --profile, --cargo-profile, nextest's -P, the
 * features (-F, --features: one sorted set; --all-features,
 * --no-default-features), --target, -Z, --config, --run-ignored, libtest's
 * options after `--` that are not known (--include-ignored, --ensure-time,
 * a flag only the harness reads), and any option not known, as written.
 * Left out: what only changes the output or the pace (-q, -v, --jobs,
 * --test-threads, --nocapture, --color, --message-format, ...), where
 * (--target-dir, --offline, --locked), and which targets or tests run
 * (package and target options, name filters, --skip, --exact, --ignored,
 * -E: a run in part is the row's `partial`).  A leading `+toolchain` is
 * rustup's: the toolchain's files are dependencies of their own.
 *
 * The text: one option per line ("--release", "--features=a,b",
 * "--target=x86_64-unknown-linux-gnu"), lines sorted; "?" for a command
 * that is neither.  *out malloc'd; 0 or -ENOMEM.
 */
#ifndef FT_CARGO_CONFIG_H
#define FT_CARGO_CONFIG_H

int ft_cargo_config(char *const *argv, int cmd, char **out);

#endif
