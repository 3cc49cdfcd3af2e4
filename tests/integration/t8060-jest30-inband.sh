#!/usr/bin/env bash
# t8060-jest30-inband.sh - t8040-jest-inband.sh under jest 30 (fixtures/jest30): jest 30 bundles
# jest-runner, jest-util and @jest/transform with webpack, and the adapter
# hooks their exports instead (docs/jest.md, "jest 30").  In band, each
# file is marked through the TestRunner's events.
export FT_JEST=30
exec bash "$(dirname "$0")/t8040-jest-inband.sh"
