#!/usr/bin/env bash
# t8073-jest30-orphan-snapshot.sh - t8072-jest-orphan-snapshot.sh under
# jest 30 (fixtures/jest30; docs/jest.md, "jest 30"): an orphan snapshot
# file fails the run, and selects every test.
export FT_JEST=30
exec bash "$(dirname "$0")/t8072-jest-orphan-snapshot.sh"
