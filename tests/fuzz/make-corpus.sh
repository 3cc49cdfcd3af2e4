#!/usr/bin/env bash
# make-corpus.sh - regenerate the fuzz targets' seed corpus in
# tests/fuzz/corpus/<target>/ from real recordings of the fixtures
# (docs/fuzzing.md).
#
#   reclog   region files (r-*.rec) of `ftrace run --keep-records` over
#            fixtures/pytest-basic (pytest) and a plain shell command; each
#            is cut to the bytes its writers used (its header's size field
#            follows), so a seed is a few KiB instead of a sparse 1 MiB;
#            one still over 64 KiB (pytest's own process) is left out, as
#            mutating large inputs slows every run
#   adapter  the pytest adapter's side files (adapter-pytest-*.json) of the
#            same runs
#   trs      the .trs files of fixtures/automake-basic's `make check`
#   depinfo  the rustc dep-info files (target/debug/deps/*.d) of
#            fixtures/cargo-ws (skipped without cargo)
#   runner_json  `ctest --show-only=json-v1` of fixtures/ctest-basic and
#            `cargo metadata --format-version 1` of fixtures/cargo-ws
#   config   .ftrace.json files in the documented forms (docs/hooks.md);
#            there is no recording of a config, so they are written here
#   bundle   `ftrace export` of a plain command's recording
#
# Scratch paths are rewritten to /repo in the text seeds, so regenerating
# gives the same text.  Needs a plain build (FTRACE_BIN, default
# build/ftrace).  Replaces the seeds it generates; keeps files whose name
# starts with "regress-" (inputs that once crashed a target: they must
# stay).  Runs in under a minute.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FTRACE_BIN=${FTRACE_BIN:-$ROOT/build/ftrace}
OUT=$ROOT/tests/fuzz/corpus
PY=$(command -v python3)
[ -x "$FTRACE_BIN" ] || { echo "make-corpus: no $FTRACE_BIN (build first, or set FTRACE_BIN)" >&2; exit 1; }

unset FTRACE_DIR
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/ftrace-corpus.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
log() { echo "make-corpus: $*" >&2; }

# fresh TARGET: empty corpus/TARGET of generated seeds
fresh() {
	mkdir -p "$OUT/$1"
	find "$OUT/$1" -maxdepth 1 -type f ! -name 'regress-*' -delete
}

# fixture NAME: a scratch git copy of fixtures/NAME; prints its path
fixture() {
	local d=$SCRATCH/$1
	cp -a "$ROOT/fixtures/$1" "$d"
	find "$d" -name __pycache__ -prune -exec rm -rf {} +
	(cd "$d" && git init -q . && git add -A && git -c user.email=t@t -c user.name=t commit -qm fixture)
	echo "$d"
}

# text SRC DEST REPO: copy a text seed with the scratch path REPO as /repo
text() { sed "s#$3#/repo#g" "$1" >"$2"; }

# shrink SRC DEST: a region file cut to header + used bytes (8-aligned),
# with the header's size field set to the new length
shrink() {
	"$PY" - "$1" "$2" <<'PYEOF'
import struct, sys
b = open(sys.argv[1], 'rb').read()
hdr_size, = struct.unpack_from('<I', b, 12)
used, = struct.unpack_from('<Q', b, 24)
n = min(len(b), (hdr_size + used + 7) & ~7)
b = bytearray(b[:n])
struct.pack_into('<I', b, 16, n)
open(sys.argv[2], 'wb').write(b)
PYEOF
}

# harvest_run REPO TAG: region and side files of REPO's newest kept run
harvest_run() {
	local repo=$1 tag=$2 run i=0 f
	run=$(ls -d "$repo"/.ftrace/runs/*/ | tail -1)
	for f in "$run"r-*.rec; do
		[ -f "$f" ] || continue
		shrink "$f" "$OUT/reclog/$tag-$i.rec"
		if [ "$(stat -c %s "$OUT/reclog/$tag-$i.rec")" -gt 65536 ]; then
			rm "$OUT/reclog/$tag-$i.rec"
			continue
		fi
		i=$((i + 1))
	done
	i=0
	for f in "$run"adapter-pytest-*.json; do
		[ -f "$f" ] || continue
		text "$f" "$OUT/adapter/$tag-$i.json" "$repo"
		# and a small one, every list cut to 2 entries: a side file of
		# 40 KiB runs at a hundred inputs a second
		"$PY" - "$OUT/adapter/$tag-$i.json" "$OUT/adapter/$tag-$i-small.json" <<'PYEOF'
import json, sys
def cut(v):
    if isinstance(v, list):
        return [cut(x) for x in v[:2]]
    if isinstance(v, dict):
        return {k: cut(x) for k, x in list(v.items())[:2]}
    return v
doc = json.load(open(sys.argv[1]))
json.dump({k: cut(x) for k, x in doc.items()}, open(sys.argv[2], 'w'), indent=1, sort_keys=True)
PYEOF
		i=$((i + 1))
	done
	# two workers' files in one input (fuzz_adapter.c splits at a form feed)
	if [ -f "$OUT/adapter/$tag-0-small.json" ]; then
		{ cat "$OUT/adapter/$tag-0-small.json"; printf '\f'
		  sed 's/"doctest_modules": false/"doctest_modules": true/' "$OUT/adapter/$tag-0-small.json"
		} >"$OUT/adapter/$tag-xdist.json"
	fi
}

fresh reclog
fresh adapter
log "pytest-basic: ftrace run --keep-records -- python3 -m pytest -q"
repo=$(fixture pytest-basic)
(cd "$repo" && "$FTRACE_BIN" run -q --keep-records -- "$PY" -m pytest -q -p no:cacheprovider >/dev/null 2>&1) ||
	log "pytest-basic: the run failed (its records are used all the same)"
harvest_run "$repo" pytest-basic
log "cmd-common: a shell command that reads, lists, stats and misses"
repo=$(fixture cmd-common)
(cd "$repo" && "$FTRACE_BIN" run -q --keep-records --name sh-test -- \
	sh -c 'cat helpers.sh >/dev/null; ls . >/dev/null; test -e absent; mkdir -p d; echo x >d/f; rm d/f' \
	>/dev/null 2>&1) || log "cmd-common: the run failed"
harvest_run "$repo" cmd

fresh trs
if command -v autoreconf >/dev/null && command -v make >/dev/null; then
	log "automake-basic: make check"
	repo=$(fixture automake-basic)
	(cd "$repo" && autoreconf -fi && ./configure && make check) >/dev/null 2>&1 || true
	i=0
	while IFS= read -r f; do
		text "$f" "$OUT/trs/automake-$i.trs" "$repo"
		i=$((i + 1))
	done < <(find "$repo" -name '*.trs' | sort)
else
	log "no autoreconf/make: trs seeds skipped"
fi

fresh runner_json
if command -v cmake >/dev/null && command -v ctest >/dev/null; then
	log "ctest-basic: ctest --show-only=json-v1"
	repo=$(fixture ctest-basic)
	if (cd "$repo" && cmake -S . -B build -G Ninja && cmake --build build) >/dev/null 2>&1; then
		(cd "$repo/build" && ctest --show-only=json-v1) >"$SCRATCH/ctest.json" 2>/dev/null &&
			text "$SCRATCH/ctest.json" "$OUT/runner_json/ctest-basic.json" "$repo"
	else
		log "ctest-basic: the build failed"
	fi
fi

fresh depinfo
if command -v cargo >/dev/null || [ -x "${CARGO_HOME:-$HOME/.cargo}/bin/cargo" ]; then
	log "cargo-ws: cargo test --no-run"
	repo=$(fixture cargo-ws)
	(cd "$repo" && PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH" CARGO_NET_OFFLINE=true \
		cargo test --no-run) >/dev/null 2>&1 || log "cargo-ws: the build failed"
	(cd "$repo" && PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH" \
		cargo metadata --format-version 1 --offline) >"$SCRATCH/cargo.json" 2>/dev/null &&
		"$PY" -m json.tool "$SCRATCH/cargo.json" >"$SCRATCH/cargo-pretty.json" &&
		text "$SCRATCH/cargo-pretty.json" "$OUT/runner_json/cargo-ws-metadata.json" "$repo"
	i=0
	while IFS= read -r f; do
		text "$f" "$OUT/depinfo/cargo-ws-$i.d" "$repo"
		i=$((i + 1))
	done < <(find "$repo/target/debug/deps" -name '*.d' 2>/dev/null | sort)
else
	log "no cargo: depinfo seeds skipped"
fi

fresh config
log "config: the documented forms"
printf '{}\n' >"$OUT/config/empty.json"
cat >"$OUT/config/full.json" <<'JSON'
{
  "command": ["python3", "-m", "pytest"],
  "always_run": ["tests/test_smoke.py::test_boot"],
  "ignore": ["docs", "*.md", "build/*"],
  "granularity": "function"
}
JSON
cat >"$OUT/config/shell.json" <<'JSON'
{ "command": "make check", "granularity": "auto" }
JSON
cat >"$OUT/config/bad-key.json" <<'JSON'
{
  "command": "true",

  "alwys_run": ["reader"]
}
JSON
printf '{\n  "always_run": ["reader",\n}\n' >"$OUT/config/malformed.json"

# bundles: `ftrace export` of a plain command's recording (a pytest
# suite's is over 64 KiB; its paths in the repository are relative, so a
# seed holds no scratch path)
fresh bundle
d=$SCRATCH/bundle-cmd
mkdir -p "$d" && (cd "$d" && git init -q . && echo one >a.txt &&
	git add -A && git -c user.email=t@t -c user.name=t commit -qm one &&
	"$FTRACE_BIN" run --name t-a -- cat a.txt >/dev/null 2>&1 &&
	"$FTRACE_BIN" export "$OUT/bundle/cmd.ftb" 2>/dev/null)

# a function-granularity pytest recording (the Python rows, as format 3
# shares their strings and lists), trimmed by ftt_bundle to two tests and
# a few rows of each kind (whole, it is over 64 KiB).  regress-v1-cmd.ftb
# is cmd.ftb as format 1 wrote it, regress-v2-pyfunc.ftb pyfunc.ftb as
# format 2 did: the reader still takes those versions, and encodes them
# back as they were.
TRIM=$(dirname "$FTRACE_BIN")/tests/tools/ftt_bundle
if [ -x "$TRIM" ] && "$PY" -m pytest --version >/dev/null 2>&1; then
	d=$(fixture pytest-funcs)
	(cd "$d" && "$FTRACE_BIN" run -q --granularity=function -- "$PY" -m pytest -q \
		-p no:cacheprovider >/dev/null 2>&1 &&
		"$FTRACE_BIN" export "$SCRATCH/pyfunc-whole.ftb" 2>/dev/null &&
		"$TRIM" trim "$SCRATCH/pyfunc-whole.ftb" "$OUT/bundle/pyfunc.ftb") ||
		log "bundle: no pyfunc.ftb (the function-granularity recording failed)"
else
	log "bundle: no pyfunc.ftb (needs $TRIM and pytest)"
fi
# a recording whose leaky test handed sets on (format 5's shares), by
# file: two tests.  regress-v4-pyfunc.ftb is pyfunc.ftb as format 4 wrote it.
if "$PY" -m pytest --version >/dev/null 2>&1; then
	d=$(fixture pytest-subset-leak)
	(cd "$d" && "$FTRACE_BIN" run -q --granularity=file -- "$PY" -m pytest -q \
		-p no:cacheprovider >/dev/null 2>&1 &&
		"$FTRACE_BIN" export "$OUT/bundle/shares.ftb" 2>/dev/null) ||
		log "bundle: no shares.ftb (the recording failed)"
fi

for t in reclog adapter trs runner_json depinfo config bundle; do
	log "$t: $(find "$OUT/$t" -type f | wc -l) seeds, $(du -sk "$OUT/$t" | cut -f1) KiB"
done
