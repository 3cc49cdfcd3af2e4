#!/usr/bin/env bash
# t1080-preload-regions.sh - the transport under load: a path seen many
# times is written once per context (dedup), a process that fills its 1 MiB
# region continues in r-<pid>-1.rec whose first record names the context
# again, and 8 threads recording at once through several region switches
# lose nothing and write nothing twice.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

. "$(dirname "${BASH_SOURCE[0]}")/lib-preload.sh"

P=$FT_PROGS
# dedup: the same absent path 50 times is one record
args=()
for i in $(seq 50); do args+=("$FT_SCRATCH/same"); done
traced "$P/ftp_probe" "${args[@]}"
assert_eq 1 "$(ft records "$RUN" | grep -c " $FT_SCRATCH/same\$")" "records of a path stat'ed 50 times"

# rollover: 20000 distinct paths need more than one region
rm -rf "$RUN"; mkdir -p "$RUN"
FTRACE_TEST_ID=t-many traced "$P/ftp_probe" --many 20000 "$FT_SCRATCH/many-path-with-a-long-enough-name-"
[ -f "$(ls "$RUN"/r-*-1.rec)" ] || ft_fail "no second region"
ft records "$RUN" > "$FT_SCRATCH/records"
assert_eq 20000 "$(grep -c "t-many ACCESS stat ENOENT s $FT_SCRATCH/many-path" "$FT_SCRATCH/records")" "records across regions"
pid=$(ls "$RUN" | sed -n 's/^r-\([0-9]*\)-1\.rec$/\1/p')
second=$(ft records "$RUN" | awk -v p="$pid" '$1 == p && $3 == "CONTEXT" { print $7 }' | sed -n 2p)
assert_eq t-many "$second" "the second region opens with the test's context"

# threads: 8 x 3000 paths of ~230 bytes, about 6 regions
rm -rf "$RUN"; mkdir -p "$RUN"
traced "$P/ftp_threads" "$FT_SCRATCH" 8 3000
ft records "$RUN" > "$FT_SCRATCH/records" # exits 2 if any region is damaged
n=$(grep -c "ACCESS stat ENOENT s $FT_SCRATCH/p*\.t[0-9]*\.[0-9]*\$" "$FT_SCRATCH/records")
assert_eq 24000 "$n" "records from 8 threads"
dups=$(grep "ACCESS stat ENOENT s $FT_SCRATCH/p*\.t" "$FT_SCRATCH/records" | cut -d' ' -f7 | sort | uniq -d | wc -l)
assert_eq 0 "$dups" "paths recorded twice"
[ "$(ls "$RUN" | wc -l)" -ge 4 ] || ft_fail "expected several regions, got $(ls "$RUN" | wc -l)"
