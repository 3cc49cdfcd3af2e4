#!/usr/bin/env bash
# t8026-cargo-listings.sh - which of cargo's directory listings count
# (docs/cargo.md, "Build work is not every test's").  cargo lists tests/
# and src/bin to find targets: a new entry there is a new test, found as
# one.  Its other listings are its freshness check, and count as listings:
#  - a build script that names no rerun-if-changed runs again when any
#    file of its package is new; on a warm target directory it does not
#    run during the recording, so cargo's walk is all there is of it (a
#    probe of a real crate: a build script turning data/ into a constant
#    escaped when a file was added there);
#  - a new example is built by `cargo test`, is no test, and failing to
#    compile fails every test (it selected nothing).
# And a file a test compiles in by a path with `..` (include_str!): cargo
# stats it by its plain name, which is build work's stat of the test's own
# source, not every test's (it selected every target).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cargo-common/helpers.sh"
ft_cargo_env

ft_fixture cargo-ws
# cfx-helper gets a build script that counts helper/data, and a test of
# the count; cfx gets an example
mkdir helper/data cfx/examples
echo one >helper/data/one
cat >helper/build.rs <<'EOF'
use std::{env, fs, path::Path};
fn main() {
    let n = fs::read_dir("data").unwrap().count();
    let out = Path::new(&env::var("OUT_DIR").unwrap()).join("count.rs");
    fs::write(out, format!("pub const DATA_FILES: usize = {};", n)).unwrap();
}
EOF
cat >>helper/src/lib.rs <<'EOF'

include!(concat!(env!("OUT_DIR"), "/count.rs"));

#[cfg(test)]
mod data {
    #[test]
    fn one_data_file() {
        assert_eq!(super::DATA_FILES, 1);
    }
}
EOF
echo 'fn main() { println!("{}", cfx_helper::twice(2)); }' >cfx/examples/show.rs
cat >cfx/tests/inc.rs <<'EOF'
const INPUT: &str = include_str!("../data/input.txt");

#[test]
fn inc_input() {
    assert!(INPUT.len() > 1);
}
EOF
ALL="$CARGO_ALL cfx/test/inc"
git add -A && git -c user.email=t@t -c user.name=t commit -qm "build script, example"

cargo_record 0 cargo test
cargo_record 0 cargo test
ft_affected_is "" "recorded twice (the second with nothing to build)"

# a new file where the build script looks: cargo runs it again
echo two >helper/data/two
ft_affected_is "$ALL" "a new file in a package with a build script"
grep -q "left: 2" <<<"$(cargo test -p cfx-helper --lib 2>&1 || true)" ||
	ft_fail "the build script did not see the new file: this test proves nothing"
rm helper/data/two

# a new example that does not compile: every test of the run
echo 'fn main() { let n: u32 = "not a number"; }' >cfx/examples/broken.rs
ft_affected_is "$ALL" "a new example"
rm cfx/examples/broken.rs

# a new integration test of cfx (no build script): only it
cp cfx/tests/b.rs cfx/tests/c.rs
ft_affected_is "cfx/test/c" "a new integration test, in a package without a build script"
rm cfx/tests/c.rs
ft_affected_is "" "all back"

# the data file: the test that reads it and the one that compiles it in
ft_change cfx/data/input.txt
ft_affected_is "cfx/test/a cfx/test/inc" "a data file a test compiles in through tests/../data"
