#!/usr/bin/env bash
# t8064-jest30-mocks.sh - t8044-jest-mocks.sh under jest 30 (fixtures/jest30): jest 30 bundles
# jest-runner, jest-util and @jest/transform with webpack, and the adapter
# hooks their exports instead (docs/jest.md, "jest 30").  Manual mocks
# and the haste map's scan.
export FT_JEST=30
exec bash "$(dirname "$0")/t8044-jest-mocks.sh"
