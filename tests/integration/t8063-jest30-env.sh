#!/usr/bin/env bash
# t8063-jest30-env.sh - t8043-jest-env.sh under jest 30 (fixtures/jest30): jest 30 bundles
# jest-runner, jest-util and @jest/transform with webpack, and the adapter
# hooks their exports instead (docs/jest.md, "jest 30").  The sandbox's
# process.env comes from installCommonGlobals.
export FT_JEST=30
exec bash "$(dirname "$0")/t8043-jest-env.sh"
