#!/usr/bin/env bash
# ts-jest's language service keeps one program per worker: the global
# declarations (a .d.ts the tsconfig includes and no test imports),
# @types packages, the lib files and every .d.ts an import reaches are
# read, listed and probed once, in the worker's first test file, and every
# later file compiles with them.  A probe of a real project: a global
# declaration added under src/ failed 40 test files and selected 1 of
# each worker.  The adapter wraps TypeScript's ts.sys and has each test
# file repeat what it read, probed and listed so far (docs/jest.md).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-jest.sh"

ft_jest_fixture jest-ts

# a global interface (no import) that one small test file uses
printf 'interface Box { w: number }\n' > src/box.d.ts
printf 'const b: Box = { w: 1 };\ntest("d", () => expect(b.w).toBe(1));\n' > test/d.test.ts
ft_old src/box.d.ts test/d.test.ts
ALL="test/a.test.ts test/b.test.ts test/c.test.ts test/d.test.ts"

for workers in -i "-w 2"; do
	ft_jest_record 0 $workers
	ft_affected_is "" "$workers: nothing changed"

	# a new global declaration merges into Box: d.test.ts no longer compiles
	printf 'interface Box { h: number }\n' > src/zz.d.ts
	ft_affected_is "$ALL" "$workers: a new .d.ts the tsconfig includes"
	rm src/zz.d.ts
	ft_affected_is "" "$workers: removed again"

	ft_change src/box.d.ts
	ft_affected_is "$ALL" "$workers: the global .d.ts, read once per worker"
	ft_revert src/box.d.ts

	ft_change node_modules/@types/jest/index.d.ts
	ft_affected_is "$ALL" "$workers: @types/jest, read once per worker"
	ft_revert node_modules/@types/jest/index.d.ts
done

# and the type error is real: uncached, jest fails d.test.ts with it
printf 'interface Box { h: number }\n' > src/zz.d.ts
rc=0
npx jest -i --no-cache > "$FT_SCRATCH/nocache.out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] && grep -q "TS2741" "$FT_SCRATCH/nocache.out" ||
	ft_fail "the merged Box should fail d.test.ts uncached (rc $rc)"
