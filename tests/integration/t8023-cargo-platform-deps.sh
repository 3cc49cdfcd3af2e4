#!/usr/bin/env bash
# t8023-cargo-platform-deps.sh - a dependency of another platform that no
# build here downloaded (a Windows-only crate, as real crates' dev-
# dependencies pull in) makes `cargo metadata --offline` fail, although
# `cargo test` builds and runs.  ftrace then asks for the host's
# dependencies alone (--filter-platform, docs/cargo.md), and still names
# one test per target: before, the whole run became one test named after
# its command, and every change selected all of it.  Offline: a local
# registry whose index lists the crate and holds no .crate file.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cargo-common/helpers.sh"
ft_cargo_env

ft_fixture cargo-ws
mkdir -p .cargo registry/index/wi/no
printf '[source.crates-io]\nreplace-with = "fixture"\n\n[source.fixture]\nlocal-registry = "registry"\n' \
	>.cargo/config.toml
printf '{"name":"winonly","vers":"0.1.0","deps":[],"cksum":"%064d","features":{},"yanked":false}\n' 0 \
	>registry/index/wi/no/winonly
printf '\n[target.'"'"'cfg(windows)'"'"'.dependencies]\nwinonly = "0.1"\n' >>cfx/Cargo.toml
cargo generate-lockfile --offline >/dev/null 2>&1 || ft_fail "cargo generate-lockfile"
grep -q 'name = "winonly"' Cargo.lock || ft_fail "the lock file does not hold winonly"
# the precondition: unfiltered metadata fails here, the build does not
assert_status 101 cargo metadata --format-version 1 --offline >/dev/null 2>&1
ft_old Cargo.lock cfx/Cargo.toml .cargo .cargo/config.toml registry registry/index \
	registry/index/wi registry/index/wi/no registry/index/wi/no/winonly
git add -A && git -c user.email=t@t -c user.name=t commit -qm winonly

cargo_record 0 cargo test
grep -q "recorded 7 tests" "$FT_SCRATCH/run.err" || ft_fail "expected 7 tests: $(cat "$FT_SCRATCH/run.err")"
ft_affected_is "" "right after recording"

echo "// edit" >>cfx/tests/b.rs
ft_affected_is "cfx/test/b" "one integration test's source"
ran_by_cargo "cfx/test/b" "one integration test's source"

# `ftrace test` narrows through the same metadata
"$FTRACE_BIN" test -- cargo test >"$FT_SCRATCH/test.out" 2>&1 ||
	ft_fail "ftrace test: $(cat "$FT_SCRATCH/test.out")"
ran=$(cargo_ran <"$FT_SCRATCH/test.out" | sort | tr '\n' ' ')
assert_eq "cfx/test/b " "$ran" "ftrace test runs the one affected target"
ft_affected_is "" "after ftrace test"
