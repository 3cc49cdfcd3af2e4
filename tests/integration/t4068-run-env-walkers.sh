#!/usr/bin/env bash
# t4068-run-env-walkers.sh - programs that take their environment in from
# memory, where no getenv hook sees a read (ingest/ft_scriptenv.h;
# docs/usage.md, "Environment variables"), and the environment read as a
# file.  Exact sets, one named test each:
#  - awk: ENVIRON["NAME"] in its program (an argument, or a -f file) reads
#    NAME; a loop over ENVIRON reads every variable; a program that names
#    no ENVIRON reads none; a program it reads from a pipe or a
#    here-document (-f /dev/stdin), which ingest cannot read, reads every
#    variable;
#  - a shell that reads its program from standard input (`sh` with no
#    command file, `bash /dev/stdin`) and `make -f -`: every variable
#    (the text came through a pipe, which ingest cannot read); a script
#    run by its "#!" line is read, and reads only the names it holds; one
#    larger than ingest scans (1 MiB), or one a test wrote, ran and
#    removed, reads every variable;
#  - perl: every variable (%ENV is built at its start, and its standard
#    library indexes it with computed keys);
#  - a Python started with -I (or -E, -S), where ftrace's sitecustomize
#    does not run and its os.environ reads go unseen: every variable; the
#    same read without the option: its name only;
#  - /proc/self/environ and /proc/<pid>/environ read: every variable,
#    under the preload and under the ptrace back end (a static program,
#    fixtures/static-ops, where this machine links one);
#  - a static program, whose libc's getenv no hook sees (as the command
#    and as a shell's child), reads every variable (t7112: a Go program
#    built before the run);
#  - the JVM (System.getenv reads a map built from environ), where java is
#    installed, and Tcl (its env array), where tclsh is: every variable.
# Before this, each of the "every variable" tests and the awk names were
# selected by nothing: a changed variable they read left them out.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

mkdir -p "$FT_SCRATCH/repo" && cd "$FT_SCRATCH/repo"
git init -q .
cat >prog.awk <<'AWK'
BEGIN { print ENVIRON[ "T4068_AWKF" ] }
AWK
printf '#!/bin/sh\necho "$T4068_SHF"\n' >run.sh
chmod +x run.sh
cat >Env.java <<'JAVA'
public class Env {
	public static void main(String[] a) {
		System.out.println(System.getenv("T4068_JAVA"));
	}
}
JAVA
{ echo 'echo "$T4068_BIG"'; head -c 1100000 /dev/zero | tr '\0' '#'; echo; } >big.sh
ft_old prog.awk run.sh big.sh Env.java .
git add -A && git -c user.email=t@t -c user.name=t commit -qm t4068

unset T4068_PL T4068_AWK T4068_AWKF T4068_NEW T4068_JAVA T4068_PY T4068_SH T4068_SHF T4068_MK T4068_BIG
ft_record 0 --name awk-one -- awk 'BEGIN { print ENVIRON["T4068_AWK"] }'
ft_record 0 --name awk-file -- awk -f prog.awk
ft_record 0 --name awk-all -- awk 'BEGIN { for (k in ENVIRON) n++; print n }'
ft_record 0 --name awk-none -- awk 'BEGIN { print 1 }'
ft_record 0 --name perl -- perl -e 'print defined $ENV{T4068_PL} ? 1 : 0'
ft_record 0 --name proc-self -- cat /proc/self/environ
ft_record 0 --name proc-pid -- sh -c 'wc -c </proc/$$/environ'
ft_record 0 --name py -- "$FT_PYTHON" -c 'import os; print(os.environ.get("T4068_PY"))'
ft_record 0 --name py-bare -- "$FT_PYTHON" -I -c 'import os; print(os.environ.get("T4068_PY"))'
ft_record 0 --name awk-stdin -- sh -c 'echo "BEGIN { print ENVIRON[\"T4068_AWK\"] }" | awk -f /dev/stdin'
# (the program text is built in Python, whose strings nothing scans: the
# name is written nowhere ingest reads)
ft_record 0 --name sh-stdin -- "$FT_PYTHON" -c \
	'import subprocess; subprocess.run(["sh"], input=b"echo $T4068" + b"_SH\n", check=True)'
ft_record 0 --name bash-devstdin -- "$FT_PYTHON" -c \
	'import subprocess; subprocess.run(["bash", "-e", "/dev/stdin"], input=b"echo $T4068" + b"_SH\n", check=True)'
ft_record 0 --name sh-file -- ./run.sh
ft_record 0 --name sh-big -- sh big.sh
ft_record 0 --name sh-gone -- "$FT_PYTHON" -c '
import os, subprocess, tempfile
d = tempfile.mkdtemp()
f = os.path.join(d, "t.sh")
with open(f, "w") as o:
    o.write("echo $T4068" + "_SH\n")
subprocess.run(["sh", f], check=True)
os.remove(f)
os.rmdir(d)'

walkers="awk-all awk-stdin perl py-bare proc-self proc-pid sh-stdin bash-devstdin sh-big sh-gone"
if command -v make >/dev/null 2>&1; then
	ft_record 0 --name make-stdin -- "$FT_PYTHON" -c \
		'import subprocess; subprocess.run(["make", "-s", "-f", "-"], input=b"all:\n\t@echo $(T4068" + b"_MK)\n", check=True)'
	walkers="$walkers make-stdin"
else
	echo "t4068: no make on this machine: make -f - not run" >&2
fi
mkdir "$FT_SCRATCH/bin"
if cc -O0 -static -o "$FT_SCRATCH/bin/ops-static" "$FTRACE_SOURCE_DIR/fixtures/static-ops/ops.c" \
	2>/dev/null; then
	ft_record 0 --name proc-ptrace -- "$FT_SCRATCH/bin/ops-static" cat /proc/self/environ
	# a static libc's getenv, which no hook sees, run as the command and
	# as a shell's child
	ft_record 0 --name static-getenv -- "$FT_SCRATCH/bin/ops-static" getenv T4068_STATIC
	ft_record 0 --name static-child -- sh -c '"$0" getenv T4068_STATIC' "$FT_SCRATCH/bin/ops-static"
	walkers="$walkers proc-ptrace static-getenv static-child"
else
	echo "t4068: cc -static does not work here: the ptrace back end's case not run" >&2
fi
if command -v java >/dev/null 2>&1; then
	ft_record 0 --name java -- java Env.java
	walkers="$walkers java"
else
	echo "t4068: no java on this machine: the JVM's case not run" >&2
fi
if command -v tclsh >/dev/null 2>&1; then
	echo 'puts [info exists env(T4068_TCL)]' >"$FT_SCRATCH/env.tcl"
	ft_record 0 --name tcl -- tclsh "$FT_SCRATCH/env.tcl"
	walkers="$walkers tcl"
else
	echo "t4068: no tclsh on this machine: Tcl's case not run" >&2
fi
ft_affected_is "" "same environment: nothing"

T4068_AWK=1 ft_affected_is "awk-one $walkers" "ENVIRON[\"T4068_AWK\"] in awk's program"
T4068_AWKF=1 ft_affected_is "awk-file $walkers" "ENVIRON[ \"T4068_AWKF\" ] in a -f file"
T4068_PL=1 ft_affected_is "$walkers" "\$ENV{T4068_PL} in perl"
T4068_PY=1 ft_affected_is "py $walkers" "os.environ.get, with and without -I"
T4068_NEW=1 ft_affected_is "$walkers" "a variable nobody names: every walker"
case " $walkers " in *" static-getenv "*)
	T4068_STATIC=1 ft_affected_is "$walkers" "getenv in a static program";;
esac
T4068_SH=1 ft_affected_is "$walkers" "\$T4068_SH in a shell's program from a pipe"
T4068_SHF=1 ft_affected_is "sh-file $walkers" "\$T4068_SHF in a script run by its #! line"
if [ "${walkers%java}" != "$walkers" ]; then
	T4068_JAVA=1 ft_affected_is "$walkers" "System.getenv in the JVM"
fi

# a variable that was set and is now unset, or changed, is seen the same way
rm -rf .ftrace
export T4068_AWK=old
ft_record 0 --name awk-one -- awk 'BEGIN { print ENVIRON["T4068_AWK"] }'
ft_record 0 --name awk-none -- awk 'BEGIN { print 1 }'
ft_record 0 --name perl -- perl -e 'print $ENV{T4068_AWK}'
ft_affected_is "" "same environment again: nothing"
T4068_AWK=new ft_affected_is "awk-one perl" "a changed value"
(unset T4068_AWK && ft_affected_is "awk-one perl" "a variable now unset")
