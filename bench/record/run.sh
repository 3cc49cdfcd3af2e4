#!/usr/bin/env bash
# bench/record/run.sh - recording overhead of `ftrace run`, as ratios to the
# bare command, measured in one run (several repetitions, median).
#
# Workloads:
#   python-imports  the interpreter importing ~100 stdlib modules (and
#                   pytest when installed); aim <= 1.10x
#   files-5000      bench/record/files.c: stat+open+read 5,000 files and
#                   stat 5,000 missing paths; aim <= 1.5x
# Each is timed three ways:
#   bare      the command alone
#   preload   LD_PRELOAD=libftrace_preload.so with FTRACE_RUN_DIR set: the
#             interposer's cost alone, no ingest
#   run       `ftrace run --name bench -- <command>`: interposer + ingest +
#             database write, what a user pays
#
# Never asserts timings: it prints them (and saves them under bench/out/):
# median (the figure the aims refer to) and minimum (steadier on a busy
# machine), and a warning when the load average exceeds the core count.
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

# --- workspace: under bench/out (not /tmp, whose paths ftrace may ignore) --
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
WORK=$ROOT/bench/out/record-$STAMP
mkdir -p "$WORK/files" "$WORK/state" "$WORK/rundir"
case $WORK in *[[:space:]]*) log "the source path must not contain spaces"; exit 1 ;; esac

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
for cmd in "$PY $WORK/imports.py" "$WORK/files-bin $WORK/files"; do
	sh -c "$cmd" >/dev/null || { log "bare command failed: $cmd"; exit 1; }
	sh -c "$RESET && $PRE_ENV $cmd" >/dev/null || { log "preloaded command failed: $cmd"; exit 1; }
	"$FTRACE" run --name bench -- sh -c "exec $cmd" >/dev/null ||
		{ log "ftrace run failed: $cmd"; exit 1; }
done
[ -n "$(ls "$WORK/rundir")" ] || log "WARNING: the preload wrote nothing into FTRACE_RUN_DIR"

# time_three NAME CMD: bare, preload, run; writes $WORK/NAME.json with
# {"bare": [s...], "preload": [...], "run": [...]}.
time_three() {
	local name=$1 cmd=$2
	local c_bare="$cmd"
	local c_pre="$PRE_ENV $cmd"
	local c_run="$FTRACE run --name bench -- $cmd"
	log "timing $name ($TOOL, $RUNS runs each)"
	if [ "$TOOL" = hyperfine ]; then
		hyperfine --warmup 2 --runs "$RUNS" --prepare "$RESET" --style none \
			--export-json "$WORK/$name.hyperfine.json" \
			-n bare "$c_bare" -n preload "$c_pre" -n run "$c_run" >/dev/null
		"$HOSTPY" - "$WORK/$name.hyperfine.json" "$WORK/$name.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
json.dump({r["command"]: r["times"] for r in d["results"]}, open(sys.argv[2], "w"))
PYEOF
	else
		"$HOSTPY" "$HERE/timeloop.py" --runs "$RUNS" --warmup 2 --prepare "$RESET" \
			--out "$WORK/$name.json" bare "$c_bare" preload "$c_pre" run "$c_run"
	fi
}

time_three python-imports "$PY $WORK/imports.py"
time_three files-5000 "$WORK/files-bin $WORK/files"

# --- report -----------------------------------------------------------------
"$HOSTPY" - "$WORK" "$TOOL" "$RUNS" "$PY" "${#mods[@]}" <<'PYEOF' | tee "$WORK/summary.txt"
import json, os, statistics, sys, time
work, tool, runs, py, nmods = sys.argv[1:6]
aims = {"python-imports": 1.10, "files-5000": 1.5}
load = os.getloadavg()[0]
print(f"# bench/record {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
      f"{os.cpu_count()} cores, load average {load:.2f}, {tool}, {runs} runs")
print(f"# python: {py} ({nmods} modules)")
print(f"{'workload':<16}{'stat':<8}{'bare':>10}{'preload':>10}{'run':>10}{'preload/bare':>14}{'run/bare':>10}{'aim':>8}")
for name, aim in aims.items():
    d = json.load(open(os.path.join(work, name + ".json")))
    for stat, fn in (("median", statistics.median), ("min", min)):
        m = {k: fn(v) for k, v in d.items()}
        print(f"{name:<16}{stat:<8}{m['bare']*1000:>8.1f}ms{m['preload']*1000:>8.1f}ms{m['run']*1000:>8.1f}ms"
              f"{m['preload']/m['bare']:>13.2f}x{m['run']/m['bare']:>9.2f}x{'<=' + str(aim) + 'x':>8}")
if load > (os.cpu_count() or 1):
    print(f"# WARNING: load average {load:.2f} > {os.cpu_count()} cores: other work competed; "
          "ratios are noisy (min is the steadier estimate)")
PYEOF
log "details in $WORK"
