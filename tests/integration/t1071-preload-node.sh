#!/usr/bin/env bash
# t1071-preload-node.sh - Node 20's libuv calls statx through syscall(), not
# through the statx wrapper: without the syscall() hook statSync is invisible.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

. "$(dirname "${BASH_SOURCE[0]}")/lib-preload.sh"

command -v node > /dev/null || ft_skip "no node"
cd "$FT_SCRATCH"
traced node -e "try { require('fs').statSync('x') } catch (e) { if (e.code !== 'ENOENT') throw e }"
echo "- ACCESS stat ENOENT s $FT_SCRATCH/x" > "$FT_SCRATCH/expect"
expect_records "$FT_SCRATCH/expect"
