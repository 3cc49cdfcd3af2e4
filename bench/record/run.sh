#!/usr/bin/env bash
# bench/record/run.sh - recording overhead of `ftrace run`, as ratios to the
# bare command, measured in one run (several repetitions, interleaved).
#
# Workloads:
#   python-imports  the interpreter importing ~100 stdlib modules (and
#                   pytest when installed)
#   files-5000      bench/record/files.c: stat+open+read 5,000 files and
#                   stat 5,000 missing paths (~10,000 dependencies)
#   procs-500       bench/record/procs.sh 250: a shell loop of
#                   `echo | cat | wc -c`, about 500 programs started
#   true            /bin/true: the fixed cost of one `ftrace run`
# Each is timed these ways (the reference interleaved with the rest):
#   bare      the command alone
#   preload   LD_PRELOAD=libftrace_preload.so with FTRACE_RUN_DIR set: the
#             interposer's cost alone, no ingest
#   run       `ftrace run --name bench -- <command>`: interposer + ingest +
#             database write, what a user pays (into the database the
#             earlier runs of the same loop left: an existing one)
#   run-newdb files-5000 only: the same into a new database (the state
#             directory removed first, inside the timed command)
#   strace    files-5000 and procs-500 only: `strace -f --seccomp-bpf
#             -e trace=%file -o /dev/null <command>`, the reference tracer
#             (installed with apt-get when missing and possible)
# CPU time (user + sys of the children) is kept beside wall time: the
# python loop keeps it per run (median, minimum), hyperfine gives its
# mean only.
#
# Never asserts timings: it prints them (and saves them under bench/out/):
# median and minimum (steadier on a busy machine), the load average at
# start and end, and a warning when it exceeds the core count.
#
# Environment:
#   BENCH_BUILD   build tree with ftrace and libftrace_preload.so
#                 (default: build/; configured and built when missing)
#   BENCH_PYTHON  interpreter for the Python workload (default: the real
#                 executable behind the first python3 on PATH, so that a
#                 pyenv shim script is not part of what is measured)
#   BENCH_RUNS    repetitions per command (default 10, after 2 warm-ups)
#   BENCH_TOOL    hyperfine | python (default: hyperfine, installed with
#                 apt-get when missing and possible, else python)
#   BENCH_WORKLOADS  default "python-imports files-5000 procs-500 true"
#   BENCH_WORK_DIR   where the workspace (files, state and run directories)
#                 goes (default: bench/out): a directory on another file
#                 system measures that one.  Not a temporary directory
#                 (/tmp, /var/tmp, /dev/shm): ftrace does not record paths
#                 there.  The header names the file system (findmnt) and,
#                 for ext4, whether it has a journal: the per-process cost
#                 is mostly the region file's creation, and ext4 without a
#                 journal makes that slow (docs/interposer.md).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE=$ROOT/bench/record
BUILD=${BENCH_BUILD:-$ROOT/build}
RUNS=${BENCH_RUNS:-10}
TOOL=${BENCH_TOOL:-hyperfine}

log() { echo "bench: $*" >&2; }

# --- build ------------------------------------------------------------------
if [ ! -x "$BUILD/ftrace" ] || [ ! -f "$BUILD/libftrace_preload.so" ]; then
	log "building ftrace in $BUILD"
	cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build "$BUILD" --target ftrace ftrace_preload >/dev/null
fi
FTRACE=$BUILD/ftrace
PRELOAD=$BUILD/libftrace_preload.so

# --- the timing tool ----------------------------------------------------------
if [ "$TOOL" = hyperfine ] && ! command -v hyperfine >/dev/null 2>&1; then
	if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
		log "installing hyperfine"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q hyperfine >/dev/null 2>&1 ||
			{ apt-get update -q >/dev/null 2>&1 &&
			  DEBIAN_FRONTEND=noninteractive apt-get install -y -q hyperfine >/dev/null 2>&1; } || true
	fi
	command -v hyperfine >/dev/null 2>&1 || { log "no hyperfine; using the python timing loop"; TOOL=python; }
fi

PY=${BENCH_PYTHON:-$(python3 -c 'import sys; print(sys.executable)')}
# The helper scripts run with Debian's python3 if the chosen one is odd.
HOSTPY=$(command -v python3)

# --- the reference tracer ------------------------------------------------------
if ! command -v strace >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
	log "installing strace"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q strace >/dev/null 2>&1 || true
fi
STRACE=
if command -v strace >/dev/null 2>&1 && strace -f --seccomp-bpf -e trace=%file -o /dev/null true 2>/dev/null; then
	STRACE="strace -f --seccomp-bpf -e trace=%file -o /dev/null"
else
	log "no working strace --seccomp-bpf: its column is skipped"
fi
WORKLOADS=${BENCH_WORKLOADS:-python-imports files-5000 procs-500 true}
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
START=$(date -u '+%Y-%m-%d %H:%M UTC')

# --- workspace: under bench/out (not /tmp, whose paths ftrace may ignore) --
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
WORK=${BENCH_WORK_DIR:-$ROOT/bench/out}/record-$STAMP
case $WORK in *[[:space:]]*) log "the workspace path must not contain spaces: $WORK"; exit 1 ;; esac
mkdir -p "$(dirname "$WORK")"
case $(cd "$(dirname "$WORK")" && pwd -P)/ in
/tmp/*|/var/tmp/*|/dev/shm/*) log "BENCH_WORK_DIR must not be a temporary directory (ftrace does not record there)"; exit 1 ;;
esac
mkdir -p "$WORK/files" "$WORK/state" "$WORK/rundir"
# The file system the records and the database go to, and for ext4 whether
# it has a journal (jbd2 lists each journaled device under /proc/fs/jbd2).
FS=$(findmnt -n -o SOURCE,FSTYPE --target "$WORK" 2>/dev/null | tr -s ' ' || stat -f -c %T "$WORK")
case $FS in
*" ext4")
	dev=$(basename "${FS%% *}")
	if ls /proc/fs/jbd2/"$dev"-* >/dev/null 2>&1; then FS="$FS (journal)"; else FS="$FS (no journal)"; fi ;;
esac

cc -O2 -o "$WORK/files-bin" "$HERE/files.c"
"$WORK/files-bin" "$WORK/files" 5000 --create

# The import list: every module of modules.txt that imports cleanly.
mods=()
while IFS= read -r m; do
	case $m in ''|'#'*) continue ;; esac
	if "$PY" -c "import $m" >/dev/null 2>&1; then mods+=("$m"); fi
done <"$HERE/modules.txt"
printf 'import %s\n' "${mods[@]}" >"$WORK/imports.py"
log "python: $PY ($("$PY" -c 'import sys; print(sys.version.split()[0])')), ${#mods[@]} modules"

export FTRACE_DIR=$WORK/state
PRE_ENV="LD_PRELOAD=$PRELOAD FTRACE_RUN_DIR=$WORK/rundir FTRACE__PRELOAD=$PRELOAD"
RESET="rm -rf $WORK/rundir && mkdir $WORK/rundir"

# Sanity: each variant runs and exits 0 before anything is timed.
for cmd in "$PY $WORK/imports.py" "$WORK/files-bin $WORK/files" "sh $HERE/procs.sh 250" /bin/true; do
	sh -c "$cmd" >/dev/null || { log "bare command failed: $cmd"; exit 1; }
	sh -c "$RESET && $PRE_ENV $cmd" >/dev/null || { log "preloaded command failed: $cmd"; exit 1; }
	"$FTRACE" run --name bench -- sh -c "exec $cmd" >/dev/null ||
		{ log "ftrace run failed: $cmd"; exit 1; }
done
[ -n "$(ls "$WORK/rundir")" ] || log "WARNING: the preload wrote nothing into FTRACE_RUN_DIR"

# time_variants NAME CMD [EXTRA...]: bare, preload, run and EXTRA (run-newdb,
# strace); writes $WORK/NAME.json with {"bare": [s...], "preload": [...], ...}
# and $WORK/NAME.cpu.json, CPU seconds in the same form.
time_variants() {
	local name=$1 cmd=$2 v
	shift 2
	local -a pairs=(bare "$cmd" preload "$PRE_ENV $cmd" run "$FTRACE run --name bench -- $cmd")
	for v in "$@"; do
		case $v in
		run-newdb) pairs+=(run-newdb "rm -rf $WORK/newstate && FTRACE_DIR=$WORK/newstate $FTRACE run --name bench -- $cmd") ;;
		strace) [ -z "$STRACE" ] || pairs+=(strace "$STRACE $cmd") ;;
		esac
	done
	log "timing $name ($TOOL, $RUNS runs each, $(( ${#pairs[@]} / 2 )) variants)"
	if [ "$TOOL" = hyperfine ]; then
		local -a args=()
		for ((v = 0; v < ${#pairs[@]}; v += 2)); do args+=(-n "${pairs[v]}" "${pairs[v+1]}"); done
		hyperfine --warmup 2 --runs "$RUNS" --prepare "$RESET" --style none \
			--export-json "$WORK/$name.hyperfine.json" "${args[@]}" >/dev/null
		"$HOSTPY" - "$WORK/$name.hyperfine.json" "$WORK/$name.json" "$WORK/$name.cpu.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
json.dump({r["command"]: r["times"] for r in d["results"]}, open(sys.argv[2], "w"))
# hyperfine keeps the mean CPU only
json.dump({r["command"]: [r["user"] + r["system"]] for r in d["results"]}, open(sys.argv[3], "w"))
PYEOF
	else
		"$HOSTPY" "$HERE/timeloop.py" --runs "$RUNS" --warmup 2 --prepare "$RESET" \
			--out "$WORK/$name.json" --cpu-out "$WORK/$name.cpu.json" "${pairs[@]}"
	fi
}

for w in $WORKLOADS; do
	case $w in
	python-imports) time_variants python-imports "$PY $WORK/imports.py" ;;
	files-5000) time_variants files-5000 "$WORK/files-bin $WORK/files" run-newdb strace ;;
	procs-500) time_variants procs-500 "sh $HERE/procs.sh 250" strace ;;
	true) time_variants true /bin/true ;;
	*) log "unknown workload $w" ;;
	esac
done

# --- report -----------------------------------------------------------------
"$HOSTPY" - "$WORK" "$TOOL" "$RUNS" "$PY" "${#mods[@]}" "$START" "$LOAD0" "$WORKLOADS" \
	"$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')" "${STRACE:-none}" "$FS" <<'PYEOF' | tee "$WORK/summary.txt"
import json, os, statistics, sys, time
work, tool, runs, py, nmods, start, load0, workloads, commit, strace, fs = sys.argv[1:12]
load = os.getloadavg()
print(f"# bench/record, commit {commit}, {os.cpu_count()} cores, {tool}, {runs} runs")
print(f"# started {start}, load average {load0}; ended {time.strftime('%H:%M UTC', time.gmtime())}, "
      f"load average {' '.join('%.2f' % x for x in load)}")
print(f"# python: {py} ({nmods} modules); strace: {strace}")
print(f"# workspace: {work}, on {fs}")
cpu_stat = "mean" if tool == "hyperfine" else "median"


def ratio(v, base):
    # the shell's start is subtracted, so a tiny command's minimum can be 0
    return f"{v / base:.2f}x" if base > 0 else "n/a"


for name in workloads.split():
    path = os.path.join(work, name + ".json")
    if not os.path.exists(path):
        continue
    d = json.load(open(path))
    c = json.load(open(os.path.join(work, name + ".cpu.json")))
    print(f"\n{name}: wall ms (ratio to bare); CPU ms ({cpu_stat})")
    for stat, fn in (("median", statistics.median), ("min", min)):
        m = {k: fn(v) * 1000 for k, v in d.items()}
        print(f"  {stat:<7}" + "".join(f"{k} {v:.1f} ({ratio(v, m['bare'])})   " for k, v in m.items()))
        if name == "files-5000":
            deps = 10000
            print(f"  {'':<7}(run - preload) / {deps} deps: {(m['run'] - m['preload']) * 1000 / deps:.1f} us existing db"
                  + (f", {(m['run-newdb'] - m['preload']) * 1000 / deps:.1f} us new db" if 'run-newdb' in m else "")
                  + " (ingest, database and ftrace's fixed start cost together)")
        if name == "true":
            print(f"  {'':<7}fixed cost of one ftrace run: run - bare = {m['run'] - m['bare']:.1f} ms wall")
    cf = statistics.median if tool != "hyperfine" else (lambda v: v[0])
    cm = {k: cf(v) * 1000 for k, v in c.items()}
    print(f"  {'cpu':<7}" + "".join(f"{k} {v:.1f}   " for k, v in cm.items()))
    if name == "procs-500":
        print(f"  {'':<7}interposer CPU per process started: (preload - bare) / 500 = "
              f"{(cm['preload'] - cm['bare']) / 500:.2f} ms")
if load[0] > (os.cpu_count() or 1):
    print(f"# WARNING: load average {load[0]:.2f} > {os.cpu_count()} cores: other work competed; "
          "ratios are noisy (min is the steadier estimate)")
PYEOF
log "details in $WORK"
