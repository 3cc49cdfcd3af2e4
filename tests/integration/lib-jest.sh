# lib-jest.sh - sourced, after lib.sh and fixtures/cmd-common/helpers.sh, by
# the tests/integration/t804N-jest-*.sh scripts (docs/jest.md).
#
# jest comes from the npm registry: package-lock.json of fixtures/jest-basic
# is installed with `npm ci` once per machine, into
# $FT_NPM_CACHE_DIR/jest-basic-<hash of the lockfile> (default
# ~/.cache/ftrace-test), under a lock; each test then copies that
# node_modules into its fixture copy (a copy, not hard links: ft_settle
# touches what is newer than the fixture, and a shared inode's ctime would
# change under another test's recording).  npm's own cache (~/.npm) makes
# even the first install quick after any earlier one.

command -v node >/dev/null 2>&1 || ft_skip "node not installed (scripts/install-node.sh)"
command -v npm >/dev/null 2>&1 || ft_skip "npm not installed (scripts/install-node.sh)"

# ft_jest_fixture [NAME]: ft_fixture NAME (jest-basic), with its
# package-lock.json installed.  With FT_JEST=30 (the t806N-jest30-*.sh
# scripts), fixtures/jest30/NAME's package.json and package-lock.json take
# the place of NAME's: the same tests and modules, under jest 30.
ft_jest_fixture() {
	local name=${1:-jest-basic} src hash base dir tmp lock=${1:-jest-basic}
	src=$FTRACE_SOURCE_DIR/fixtures/$name
	case ${FT_JEST:-29} in
	29) ;;
	30)
		src=$FTRACE_SOURCE_DIR/fixtures/jest30/$name lock=jest30-$name
		[ -f "$src/package-lock.json" ] || ft_fail "FT_JEST=30: no fixtures/jest30/$name"
		;;
	*) ft_fail "FT_JEST=$FT_JEST: 29 or 30" ;;
	esac
	hash=$(cat "$src/package.json" "$src/package-lock.json" | sha256sum | cut -c1-16)
	base=${FT_NPM_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ftrace-test}
	dir=$base/$lock-$hash
	mkdir -p "$base"
	(
		flock 9
		if [ ! -d "$dir/node_modules/.bin" ]; then
			tmp=$(mktemp -d "$base/.$name.XXXXXX")
			cp "$src/package.json" "$src/package-lock.json" "$tmp/"
			if ! (cd "$tmp" && npm ci --no-audit --no-fund --prefer-offline >"$tmp/npm.log" 2>&1); then
				cat "$tmp/npm.log" >&2
				rm -rf "$tmp"
				exit 77
			fi
			rm -rf "$dir"
			mv "$tmp" "$dir"
		fi
	) 9>"$base/$lock.lock" || ft_skip "npm ci of fixtures/$lock failed (no registry?)"
	ft_fixture "$name"
	if [ "$lock" != "$name" ]; then
		cp "$src/package.json" "$src/package-lock.json" .
		touch -d '2020-01-01 00:00:00' package.json package-lock.json
		git -c user.email=t@t -c user.name=t commit -qam "$lock"
	fi
	cp -a "$dir/node_modules" node_modules
	[ -x node_modules/.bin/jest ] || ft_fail "jest not installed in the fixture copy"
	case ${FT_JEST:-29} in
	30) grep -q '"version": "30\.' node_modules/jest/package.json ||
		ft_fail "FT_JEST=30, but the fixture's jest is not jest 30" ;;
	esac
	# jest's own cache (transforms, haste map, timings) per test, so
	# that what a test expects of it does not depend on other runs
	JEST_CACHE=$FT_SCRATCH/jest-cache
	export RAN_LOG=$FT_SCRATCH/ran.log
}

# jest_long_paths FILE...: each FILE's absolute path, made 1,200 bytes
# longer with ./ components: four of them are more of a command line than
# a record keeps (4 KiB, FT_ARGV_MAX), as `ftrace test`'s narrowing to
# many files is.  jest runs each file once.
jest_long_paths() {
	local pad f
	pad=$(printf './%.0s' $(seq 1 600))
	for f in "$@"; do
		printf '%s\n' "$PWD/${f%/*}/$pad${f##*/}"
	done
}

# ran_files: the files of $RAN_LOG (letters), one per line
ran_files() { cut -d' ' -f1 "$RAN_LOG" 2>/dev/null | LC_ALL=C sort -u; }

# ran_pids: how many processes ran test files
ran_pids() { cut -d' ' -f2 "$RAN_LOG" 2>/dev/null | LC_ALL=C sort -u | wc -l; }

# ft_jest_record STATUS ARGS...: ft_record STATUS -- npx jest ARGS, with
# the test's jest cache, and a fresh $RAN_LOG.
ft_jest_record() {
	local want=$1
	shift
	rm -f "$RAN_LOG"
	ft_record "$want" -- npx jest --cacheDirectory="$JEST_CACHE" "$@"
}

# ran_by_jest "test/a.test.js ..." WHAT: `ftrace affected --format jest`
# prints exactly those paths, and `npx jest --runTestsByPath` on them runs
# exactly those files (nothing when the set is empty).
ran_by_jest() {
	local files rc=0
	files=$(ft affected --format jest) || rc=$?
	[ "$rc" -eq 0 ] || ft_fail "$2: affected --format jest exited $rc"
	assert_set "$1" "$files" "$2: --format jest"
	[ -n "$files" ] || return 0
	rm -f "$RAN_LOG"
	npx jest --cacheDirectory="$JEST_CACHE" --runTestsByPath $files >/dev/null 2>&1 || true
	assert_set "$(printf '%s\n' $1 | sed 's#.*/\(.\)\.test\.js#\1#')" "$(ran_files)" \
		"$2: files jest ran"
}

# ft_js_change FILE: ft_change that keeps FILE valid JavaScript (the line
# it appends becomes a comment); ft_revert undoes it.
ft_js_change() {
	ft_change "$1"
	sed -i '$ s#^changed by the test$#// changed by the test#' "$1"
}

# ft_jest_matrix_common WHEN: the fixture's per-change sets shared by the
# in-band and worker tests (a module of one test, the shared module, a data
# file), each fed to the real jest (ran_by_jest).
ft_jest_matrix_common() {
	ft_affected_is "" "$1: right after recording"
	ran_by_jest "" "$1: no change"

	ft_change lib/only_a.js
	ft_affected_is "test/a.test.js" "$1: lib/only_a.js changed"
	ran_by_jest "test/a.test.js" "$1: lib/only_a.js changed"
	ft_revert lib/only_a.js

	ft_change lib/shared.js
	ft_affected_is "test/a.test.js test/b.test.js test/c.test.js" "$1: lib/shared.js changed"
	ran_by_jest "test/a.test.js test/b.test.js test/c.test.js" "$1: lib/shared.js changed"
	ft_revert lib/shared.js

	ft_change lib/other.js
	ft_affected_is "test/d.test.js" "$1: lib/other.js changed"
	ran_by_jest "test/d.test.js" "$1: lib/other.js changed"
	ft_revert lib/other.js

	cp data/expected.txt "$FT_SCRATCH/expected.txt"
	echo 42.0 > data/expected.txt
	ft_affected_is "test/c.test.js" "$1: data/expected.txt changed"
	ran_by_jest "test/c.test.js" "$1: data/expected.txt changed"
	cp "$FT_SCRATCH/expected.txt" data/expected.txt

	# gone since the recording: a file only jest's crawl saw is no change
	# (reader "runner-scan", t8018); a module a test file loads selects it
	rm README.md
	ft_affected_is "" "$1: README.md removed"
	git checkout -q HEAD -- README.md
	rm lib/only_a.js
	ft_affected_is "test/a.test.js" "$1: lib/only_a.js removed"
	git checkout -q HEAD -- lib/only_a.js
}
