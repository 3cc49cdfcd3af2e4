#!/usr/bin/env bash
# t8067-jest30-ts-globals.sh - t8047-jest-ts-globals.sh under jest 30 (fixtures/jest30): jest 30 bundles
# jest-runner, jest-util and @jest/transform with webpack, and the adapter
# hooks their exports instead (docs/jest.md, "jest 30").  ts-jest
# 29.4 and TypeScript 5.9: the program's global declarations.
export FT_JEST=30
exec bash "$(dirname "$0")/t8047-jest-ts-globals.sh"
