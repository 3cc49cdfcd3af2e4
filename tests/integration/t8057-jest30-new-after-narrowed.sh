#!/usr/bin/env bash
# t8057-jest30-new-after-narrowed.sh - t8056-jest-new-after-narrowed.sh
# under jest 30 (fixtures/jest30; docs/jest.md, "jest 30"): new test files
# after a run of files by path.
export FT_JEST=30
exec bash "$(dirname "$0")/t8056-jest-new-after-narrowed.sh"
