#!/usr/bin/env bash
# t1011-preload-hooks-thread.sh - every hooked family, called from a second
# thread (per-thread re-entrancy guard and path buffer, shared region).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

. "$(dirname "${BASH_SOURCE[0]}")/lib-preload.sh"

P=$FT_PROGS
"$P/ftp_hooks" setup "$FT_SCRATCH/base"
traced "$P/ftp_hooks" thread "$FT_SCRATCH/base" > "$FT_SCRATCH/expect"
expect_records "$FT_SCRATCH/expect"
