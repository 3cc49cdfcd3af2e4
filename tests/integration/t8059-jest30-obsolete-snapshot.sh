#!/usr/bin/env bash
# t8059-jest30-obsolete-snapshot.sh - t8049-jest-obsolete-snapshot.sh under
# jest 30 (fixtures/jest30; docs/jest.md, "jest 30"): a run that failed
# while every test file passed.
export FT_JEST=30
exec bash "$(dirname "$0")/t8049-jest-obsolete-snapshot.sh"
