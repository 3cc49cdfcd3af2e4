#!/bin/sh
# procs.sh N - a shell pipeline that starts many processes: N iterations of
# `echo | cat | wc -c`, so 2N programs executed (cat, wc) and N forked
# shells (the echo), plus seq.  bench/record's "procs-500" runs it with
# N=250: about 500 process starts, what a build or test script's shell
# glue does.
for i in $(seq "${1:-250}"); do
	echo "$i" | cat | wc -c
done >/dev/null
