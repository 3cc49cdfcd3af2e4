#!/usr/bin/env bash
# t1013-preload-hooks-ctor.sh - every hooked family, called from a constructor
# of the program (it runs before main, after the interposer's; a constructor
# of a library initialized before ours exercises the lazy init path).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

. "$(dirname "${BASH_SOURCE[0]}")/lib-preload.sh"

P=$FT_PROGS
"$P/ftp_hooks" setup "$FT_SCRATCH/base"
FTP_CTOR_BASE=$FT_SCRATCH/base traced "$P/ftp_hooks" ctor "$FT_SCRATCH/base" > "$FT_SCRATCH/expect"
expect_records "$FT_SCRATCH/expect"
