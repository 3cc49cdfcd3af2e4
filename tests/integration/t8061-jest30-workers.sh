#!/usr/bin/env bash
# t8061-jest30-workers.sh - t8041-jest-workers.sh under jest 30 (fixtures/jest30): jest 30 bundles
# jest-runner, jest-util and @jest/transform with webpack, and the adapter
# hooks their exports instead (docs/jest.md, "jest 30").  With
# workers, through testWorker.js's worker().
export FT_JEST=30
exec bash "$(dirname "$0")/t8041-jest-workers.sh"
