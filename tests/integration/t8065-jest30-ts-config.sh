#!/usr/bin/env bash
# t8065-jest30-ts-config.sh - t8045-jest-ts-config.sh under jest 30 (fixtures/jest30): jest 30 bundles
# jest-runner, jest-util and @jest/transform with webpack, and the adapter
# hooks their exports instead (docs/jest.md, "jest 30").  ts-jest
# 29.4 and TypeScript 5.9: the tsconfig and what it extends.
export FT_JEST=30
exec bash "$(dirname "$0")/t8045-jest-ts-config.sh"
