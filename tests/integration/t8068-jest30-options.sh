#!/usr/bin/env bash
# t8068-jest30-options.sh - t8048-jest-options.sh under jest 30 (fixtures/jest30): jest 30 bundles
# jest-runner, jest-util and @jest/transform with webpack, and the adapter
# hooks their exports instead (docs/jest.md, "jest 30").  Options.
export FT_JEST=30
exec bash "$(dirname "$0")/t8048-jest-options.sh"
