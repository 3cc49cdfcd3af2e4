# lib-pip.sh - sourced, after lib.sh, by the scripts that need a package
# from PyPI that the machine may not have (lib-hypothesis.sh, t2034).
#
# ft_pip_site NAME MARKER SPEC...: pip install --target of SPEC... for
# $FT_PYTHON, once per machine and interpreter version, into
# $FT_PIP_CACHE_DIR (default ~/.cache/ftrace-test)/NAME-<major.minor>,
# under a lock; MARKER is a file the finished install has (a half-done
# one is never used).  Sets FT_PIP_SITE to that directory and puts it
# first on PYTHONPATH.  Without the registry the calling test is skipped.
ft_pip_site() {
	local name=$1 marker=$2 base site tmp
	shift 2
	base=${FT_PIP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ftrace-test}
	site=$base/$name-$("$FT_PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
	mkdir -p "$base"
	(
		flock 9
		if [ ! -e "$site/$marker" ]; then
			tmp=$(mktemp -d "$base/.$name.XXXXXX")
			if ! PIP_DISABLE_PIP_VERSION_CHECK=1 "$FT_PYTHON" -m pip install -q --target "$tmp" \
				"$@" >"$tmp.log" 2>&1; then
				cat "$tmp.log" >&2
				rm -rf "$tmp" "$tmp.log"
				exit 77
			fi
			rm -rf "$site" "$tmp.log"
			mv "$tmp" "$site"
		fi
	) 9>"$base/$name.lock" || ft_skip "pip install of $* failed (no registry?)"
	FT_PIP_SITE=$site
	export PYTHONPATH=$site${PYTHONPATH:+:$PYTHONPATH}
}
