#!/usr/bin/env bash
# t1060-preload-libs.sh - what ld.so loaded without a hook seeing it: the
# executable, its interpreter, /etc/ld.so.cache and every shared library,
# and a library loaded later with dlopen (ftp_hooks direct loads libm).
# The interposer itself is not a dependency of anything.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

. "$(dirname "${BASH_SOURCE[0]}")/lib-preload.sh"

P=$FT_PROGS
traced "$P/ftp_probe"
libc=$(ldd "$P/ftp_probe" | awk '$1 ~ /^libc\.so/ { print $3 }')
interp=$(readelf -l "$P/ftp_probe" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
[ -n "$libc" ] && [ -n "$interp" ] || ft_fail "cannot find libc/interpreter of ftp_probe"
cat > "$FT_SCRATCH/expect" <<EOT
- PROC - 0 - $P/ftp_probe
- ACCESS exec 0 rx $P/ftp_probe
- ACCESS libload 0 rb /etc/ld.so.cache
- ACCESS libload 0 rb $interp
- ACCESS libload 0 rb $libc
EOT
expect_records "$FT_SCRATCH/expect"
ft records "$RUN" > "$FT_SCRATCH/records"
! grep -qF "$LIB" "$FT_SCRATCH/records" || ft_fail "the interposer recorded itself"

rm -rf "$RUN"; mkdir -p "$RUN"
"$P/ftp_hooks" setup "$FT_SCRATCH/base"
traced "$P/ftp_hooks" direct "$FT_SCRATCH/base" > /dev/null
libm=$(ft records "$RUN" | awk '$4 == "libload" && $NF ~ /libm\.so\.6$/ { print $NF }')
[ -n "$libm" ] || ft_fail "dlopen(libm.so.6) not recorded as libload"
