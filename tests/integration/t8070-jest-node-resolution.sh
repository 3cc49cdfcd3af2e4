#!/usr/bin/env bash
# t8070-jest-node-resolution.sh - a babel preset that babel.config.js names
# is resolved by node's require once per jest worker, during its first
# test file (babel caches its configuration), and node keeps what it found
# for the process's life: the path (Module._pathCache), the package.json
# and the realpath.  Each of these, changed, failed every test file, yet
# selected only the first file of each worker (a probe of luxon, whose
# @babel/preset-env this is: 57 escapes of 58):
#  - the package's package.json: its "main" names a file that throws;
#  - a file that now shadows the package (babel-preset-t8070.js beside
#    its directory: node tries it first);
#  - the package's symlink pointed at another copy (npm link, pnpm).
# The adapter notes each package name node looks up and looks it up again
# in every test file (adapters/jest/ftrace_jest.js, replayNode;
# docs/jest.md).  Each case is checked to fail every file in a full run;
# in band and with two workers.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-jest.sh"

ft_jest_fixture
ALL="test/a.test.js test/b.test.js test/c.test.js test/d.test.js"
P=node_modules/babel-preset-t8070
echo 'module.exports = { presets: ["babel-preset-t8070"] };' >babel.config.js
ft_old babel.config.js
git add babel.config.js && git -c user.email=t@t -c user.name=t commit -qm preset

# preset DIR: a preset package (an empty one) in DIR
preset() {
	mkdir -p "$1"
	printf '{ "name": "babel-preset-t8070", "version": "1.0.0", "main": "./index.js" }\n' >"$1/package.json"
	echo 'module.exports = function () { return { plugins: [] }; };' >"$1/index.js"
}

# whole_run_fails WHAT: a full jest run fails every test file now
whole_run_fails() {
	rm -f "$RAN_LOG"
	if npx jest --cacheDirectory="$FT_SCRATCH/jest-cache-check" -i >"$FT_SCRATCH/check.out" 2>&1; then
		ft_fail "$1: jest passed: the case shows nothing"
	fi
	grep -q "4 failed" "$FT_SCRATCH/check.out" || ft_fail "$1: not every file failed: $(tail -5 "$FT_SCRATCH/check.out")"
	rm -rf "$FT_SCRATCH/jest-cache-check"
}

for how in "-i" "-w 2"; do
	rm -rf .ftrace "$JEST_CACHE" "$P"
	preset "$P"
	rm -f "$JEST_CACHE"/perf-cache-*
	# shellcheck disable=SC2086
	ft_jest_record 0 $how
	ft_affected_is "" "$how: right after recording"

	# its package.json's "main" names another file
	echo 'throw new Error("the new main");' >"$P/broken.js"
	printf '{ "name": "babel-preset-t8070", "version": "1.0.0", "main": "./broken.js" }\n' >"$P/package.json"
	ft_affected_is "$ALL" "$how: the preset's package.json names another main"
	[ "$how" = "-i" ] && whole_run_fails "another main"
	preset "$P" && rm "$P/broken.js"
	ft_affected_is "" "$how: package.json back"

	# a file that shadows the package: node tries NAME.js before NAME/
	echo 'throw new Error("a shadow");' >"$P.js"
	ft_affected_is "$ALL" "$how: babel-preset-t8070.js shadows the package"
	[ "$how" = "-i" ] && whole_run_fails "a shadow"
	rm "$P.js"
	ft_affected_is "" "$how: the shadow gone"
done

# the package reached through a symlink, then pointed at another copy
rm -rf .ftrace "$JEST_CACHE" "$P"
preset node_modules/.links/good
preset node_modules/.links/bad
echo 'throw new Error("the other copy");' >node_modules/.links/bad/index.js
ln -s .links/good "$P"
ft_jest_record 0 -i
ft_affected_is "" "symlinked: right after recording"
ln -sfn .links/bad "$P"
ft_affected_is "$ALL" "the package's symlink pointed at another copy"
whole_run_fails "another copy"
ln -sfn .links/good "$P"
ft_affected_is "" "the symlink back"
