#!/usr/bin/env bash
# t8025-cargo-home.sh - cargo's bookkeeping in its home is not a dependency
# (docs/cargo.md, "Cargo's home").  Every cargo command that uses the
# registry reads and writes $CARGO_HOME/.global-cache, an SQLite database
# of when each downloaded crate was last used (for `cargo clean gc`), and
# its journals.  Recorded as a dependency, a cargo command in any other
# project changed it, and every cargo test here was selected (found when a
# second cargo ran beside this suite).  Its sources, toolchain and the
# variables it reads still select as before.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cargo-common/helpers.sh"
ft_cargo_env

ft_fixture cargo-ws
# A home of its own, inside the repository: not a temporary directory
# (ftrace records nothing there), and not the user's.  Through a link, so
# that the real path and the name the variable gives differ.
mkdir .home-real
ln -s .home-real .home
echo "/.home*" >>.git/info/exclude
export CARGO_HOME=$PWD/.home

cargo_record 0 cargo test
cargo_record 0 cargo test
[ -f .home/.global-cache ] || ft_skip "this cargo ($(cargo --version)) keeps no global cache tracker"
ft_affected_is "" "recorded twice, nothing changed"

# what another cargo command does to the tracker: a write, and a journal
# that appears (the database stays valid for the next cargo)
"$FT_PYTHON" - "$PWD/.home/.global-cache" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("CREATE TABLE IF NOT EXISTS ftrace_t8025 (x)")
db.execute("INSERT INTO ftrace_t8025 VALUES (1)")
db.commit()
db.close()
EOF
: >.home/.global-cache-journal
touch .home/.package-cache
ft_affected_is "" "cargo's global cache tracker and lock changed"
rm -f .home/.global-cache-journal

# the home's other contents still count: a config file cargo reads
cat >.home/config.toml <<'EOF'
[build]
rustflags = ["--cfg", "ftrace_t8025"]
EOF
ft_affected_is "$CARGO_ALL" "a config.toml in cargo's home"
rm .home/config.toml
cargo_record 0 cargo test

# a source edit still selects its tests
echo "// edited" >>cfx/tests/b.rs
ft_clock_past_ctime
ft_affected_is "cfx/test/b" "an integration test's source"

