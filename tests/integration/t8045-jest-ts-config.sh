#!/usr/bin/env bash
# t8045-jest-ts-config.sh - ts-jest parses tsconfig.json, and what it
# extends, once per jest worker and keeps it for the worker's life
# (TsJestTransformer._cachedConfigSets): only the first test file of a
# worker read them.  A probe found an edit of tsconfig.json selecting one
# test file of each worker, while it broke every .ts file.  The adapter
# reads the configs of ts-jest's cached sets again at each later test file
# (docs/jest.md), so an edit of either file selects every test file, and
# nothing else does.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-jest.sh"

ft_jest_fixture jest-ts

ALL="test/a.test.ts test/b.test.ts test/c.test.ts"

# -i: one process runs the three files, one ts-jest config set for them all
ft_jest_record 0 -i
ft_affected_is "" "nothing changed"
ft_change src/area.ts
ft_affected_is "$ALL" "the module every test file imports"
ft_revert src/area.ts

sed -i 's/"types": \["jest"\]/"types": ["jest"], "noUnusedLocals": true/' tsconfig.json
ft_affected_is "$ALL" "tsconfig.json: a check every test file fails"
# and it does fail them all: a real change, not a guess
ft_jest_record 1 -i
git checkout -q tsconfig.json
ft_jest_record 0 -i
ft_affected_is "" "tsconfig.json put back, recorded again"

sed -i 's/"strict": true,/"strict": true, "noUnusedLocals": true,/' tsconfig.base.json
ft_affected_is "$ALL" "tsconfig.base.json, which tsconfig.json extends"
git checkout -q tsconfig.base.json
ft_affected_is "" "tsconfig.base.json put back"

# two workers: the second file of a worker relies on its first's parse
ft_jest_record 0 -w 2
sed -i 's/"strict": true,/"strict": true, "noUnusedLocals": true,/' tsconfig.base.json
ft_affected_is "$ALL" "tsconfig.base.json, recorded with two workers"
git checkout -q tsconfig.base.json
