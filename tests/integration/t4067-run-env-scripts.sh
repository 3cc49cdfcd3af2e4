#!/usr/bin/env bash
# t4067-run-env-scripts.sh - the variables a shell or make reads are the
# test's dependencies, found in the text it runs (ingest/ft_scriptenv.h;
# docs/usage.md, "Environment variables"): a shell takes its environment
# in at its start and expands $NAME from memory, and make makes each
# variable a make variable, so no hook sees the read.  Exact sets, one
# test each: a script's $NAME, a file it sources (${NAME:-x}), `sh -c`'s
# text, a script's `~` (HOME), a makefile's $(NAME), and a script and a
# makefile that name none; the names each reads whatever its text says
# (PS4 for a shell, CFLAGS for make); a variable nobody names.  And env
# and printenv, which walk the environment too: listing it (env with no
# command, printenv with no name) depends on all of it, printenv NAME on
# NAME.  A shell listing its variables (`export -p`, `set` alone) reads
# them all, and `${!P*}` those whose names begin with P.  Names built at
# run time: a shell's eval, ${!REF}, `local -n` and `. <(...)` read every
# variable; make's $(P$(V)) those that begin with P, and ifdef, ifndef,
# $(value N) and $(origin N) read N.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

mkdir -p "$FT_SCRATCH/repo" && cd "$FT_SCRATCH/repo"
git init -q .
cat >reads.sh <<'SH'
#!/bin/sh
if [ -n "$T4067_FLAG" ]; then echo flag; fi
. ./lib.sh
SH
cat >lib.sh <<'SH'
echo "${T4067_LIB:-none}"
SH
cat >none.sh <<'SH'
#!/bin/sh
echo plain
SH
cat >tilde.sh <<'SH'
#!/bin/sh
ls -d ~ >/dev/null
SH
cat >reads.mk <<'MK'
show:
	@echo $(T4067_MK) $$T4067_RECIPE
MK
cat >none.mk <<'MK'
show:
	@echo plain
MK
chmod +x reads.sh none.sh tilde.sh
ft_old reads.sh lib.sh none.sh tilde.sh reads.mk none.mk .
git add -A && git -c user.email=t@t -c user.name=t commit -qm t4067

unset T4067_FLAG T4067_LIB T4067_C T4067_MK T4067_RECIPE T4067_NOBODY CFLAGS
ft_record 0 --name sh-reads -- ./reads.sh
ft_record 0 --name sh-none -- ./none.sh
ft_record 0 --name sh-c -- sh -c 'echo "$T4067_C"'
ft_record 0 --name sh-tilde -- ./tilde.sh
ft_record 0 --name make-reads -- make -s -f reads.mk show
ft_record 0 --name make-none -- make -s -f none.mk show
ft_affected_is "" "same environment: nothing"

T4067_FLAG=1 ft_affected_is "sh-reads" "\$T4067_FLAG in the script"
T4067_LIB=1 ft_affected_is "sh-reads" "\${T4067_LIB:-none} in a file it sources"
T4067_C=1 ft_affected_is "sh-c" "\$T4067_C in sh -c's text"
HOME=$FT_SCRATCH/elsewhere ft_affected_is "sh-tilde" "a script's ~ reads HOME"
T4067_MK=1 ft_affected_is "make-reads" "\$(T4067_MK) in a makefile"
# $$T4067_RECIPE is the recipe shell's: its sh -c text names it
T4067_RECIPE=1 ft_affected_is "make-reads" "\$\$T4067_RECIPE in a recipe"
T4067_NOBODY=1 ft_affected_is "" "a variable no text names"
# (PS4, not IFS: IFS set for the helper would split its own words)
# (make-none's recipe holds nothing for a shell: make runs it directly)
PS4='++ ' ft_affected_is "sh-reads sh-none sh-c sh-tilde make-reads" \
	"PS4: every shell's, and a recipe's shell"
CFLAGS=-O9 ft_affected_is "make-reads make-none" "CFLAGS: make's built-in rules'"

# env and printenv walk the environment in memory: env with no command and
# printenv with no name list all of it (any variable set since selects),
# printenv NAME reads NAME; env running a command lists nothing
rm -rf .ftrace
unset T4067_ANY T4067_PE
ft_record 0 --name env-list -- sh -c 'env >/dev/null'
ft_record 0 --name env-list-opts -- sh -c 'env -0 -u T4067_GONE T4067_SET=1 >/dev/null'
ft_record 0 --name printenv-all -- sh -c 'printenv >/dev/null'
ft_record 0 --name printenv-one -- sh -c 'printenv T4067_PE; true'
ft_record 0 --name env-cmd -- env T4067_SET=1 true
ft_affected_is "" "env and printenv, same environment: nothing"
T4067_ANY=1 ft_affected_is "env-list env-list-opts printenv-all" "a new variable: every listing"
T4067_PE=1 ft_affected_is "env-list env-list-opts printenv-all printenv-one" "printenv's name"

# a shell that lists its variables (export -p, set alone) reads them all;
# ${!P*} reads those whose names begin with P; `set -e` lists nothing
rm -rf .ftrace
unset T4067_PX T4067_OTHER
ft_record 0 --name sh-export-p -- sh -c 'export -p >/dev/null'
ft_record 0 --name sh-set -- bash -c 'set >/dev/null'
ft_record 0 --name sh-prefix -- bash -c 'echo ${!T4067_P*}'
ft_record 0 --name sh-set-e -- sh -c 'set -e; true'
ft_affected_is "" "listings, same environment: nothing"
T4067_OTHER=1 ft_affected_is "sh-export-p sh-set" "a new variable: every listing"
T4067_PX=1 ft_affected_is "sh-export-p sh-set sh-prefix" "a new variable of the prefix"

# names built at run time, each a read the text does not name (before
# this, each test below but the ones that name T4067_NAMED was selected
# by nothing when only the variable its value names changed):
#  - a shell's eval, ${!REF} where REF's value comes from outside, a name
#    reference (local -n), and text it sources from a pipe (`. <(...)`):
#    every variable; ${!REF} where the text gives REF a value that begins
#    with P (pyenv's shims): every variable whose name begins with P;
#  - make's computed name $(P$(V)): every variable whose name begins
#    with P; ifdef and ifndef, $(value N), $(origin N): N
rm -rf .ftrace
unset T4067_T T4067_IND_x T4067_P_x T4067_SUF T4067_DEF T4067_NDEF T4067_VAL T4067_ORIG T4067_OTHER
cat >built.mk <<'MK'
ifdef T4067_DEF
X := def
endif
ifndef T4067_NDEF
X += ndef
endif
show:
	@echo $(X) $(T4067_P_$(T4067_SUF)) $(value T4067_VAL) $(origin T4067_ORIG)
MK
ft_old built.mk
ft_record 0 --name sh-eval -- sh -c 'n=T4067_T; eval "echo \$$n"'
ft_record 0 --name sh-indirect -- bash -c 'n=$0; echo "${!n}"' T4067_T
ft_record 0 --name sh-indirect-prefix -- bash -c 'n="T4067_IND_$0"; echo "${!n}"; unset n' x
ft_record 0 --name sh-nameref -- bash -c 'f() { local -n r=$1; echo "$r"; }; f T4067_T'
ft_record 0 --name sh-source-pipe -- bash -c '. <(echo "echo \$T4067""_T")'
ft_record 0 --name sh-named -- sh -c 'echo "$T4067_NAMED"'
ft_record 0 --name make-built -- make -s -f built.mk show
ft_affected_is "" "names built at run time, same environment: nothing"
built="sh-eval sh-indirect sh-nameref sh-source-pipe"
T4067_T=1 ft_affected_is "$built" "a variable only a built name reads"
T4067_OTHER=1 ft_affected_is "$built" "any new variable: every built name"
T4067_NAMED=1 ft_affected_is "$built sh-named" "a named variable"
T4067_IND_x=1 ft_affected_is "$built sh-indirect-prefix" "\${!n} where n is given T4067_IND_..."
T4067_SUF=x ft_affected_is "$built make-built" "\$(T4067_SUF) in make's computed name"
T4067_P_x=1 ft_affected_is "$built make-built" "a variable make's computed name may be"
T4067_DEF=1 ft_affected_is "$built make-built" "ifdef"
T4067_NDEF=1 ft_affected_is "$built make-built" "ifndef"
T4067_VAL=1 ft_affected_is "$built make-built" "\$(value ...)"
T4067_ORIG=1 ft_affected_is "$built make-built" "\$(origin ...)"
