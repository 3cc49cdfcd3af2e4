#!/usr/bin/env bash
# t8069-jest30-verify.sh - t6105-verify-jest.sh under jest 30 (fixtures/jest30): jest 30 bundles
# jest-runner, jest-util and @jest/transform with webpack, and the adapter
# hooks their exports instead (docs/jest.md, "jest 30").  Each file's
# own outcome, for ftrace verify.
export FT_JEST=30
exec bash "$(dirname "$0")/t6105-verify-jest.sh"
