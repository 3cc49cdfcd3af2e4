#!/usr/bin/env bash
# t8062-jest30-npm-test.sh - t8042-jest-npm-test.sh under jest 30 (fixtures/jest30): jest 30 bundles
# jest-runner, jest-util and @jest/transform with webpack, and the adapter
# hooks their exports instead (docs/jest.md, "jest 30").  Through
# npm test's script.
export FT_JEST=30
exec bash "$(dirname "$0")/t8042-jest-npm-test.sh"
