#!/usr/bin/env bash
# t8066-jest30-partial.sh - t8046-jest-partial.sh under jest 30 (fixtures/jest30): jest 30 bundles
# jest-runner, jest-util and @jest/transform with webpack, and the adapter
# hooks their exports instead (docs/jest.md, "jest 30").  jest -t.
export FT_JEST=30
exec bash "$(dirname "$0")/t8046-jest-partial.sh"
