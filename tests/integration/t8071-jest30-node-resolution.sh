#!/usr/bin/env bash
# t8071-jest30-node-resolution.sh - t8070-jest-node-resolution.sh under
# jest 30 (fixtures/jest30).
export FT_JEST=30
exec bash "$(dirname "$0")/t8070-jest-node-resolution.sh"
