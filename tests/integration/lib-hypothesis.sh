# lib-hypothesis.sh - sourced, after lib.sh, by the scripts that run
# hypothesis (t2033, t9029).
#
# ft_hypothesis: hypothesis 6.170.15 installed from PyPI with pip --target,
# once per machine and interpreter version, into $FT_PIP_CACHE_DIR (default
# ~/.cache/ftrace-test), under a lock; sets HYPOTHESIS_SITE to that
# directory and puts it first on PYTHONPATH.  Without the registry the
# calling test is skipped.
ft_hypothesis() {
	local base site tmp
	base=${FT_PIP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ftrace-test}
	site=$base/hypothesis-6.170.15-$("$FT_PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
	mkdir -p "$base"
	(
		flock 9
		if [ ! -f "$site/_hypothesis_pytestplugin.py" ]; then
			tmp=$(mktemp -d "$base/.hypothesis.XXXXXX")
			if ! PIP_DISABLE_PIP_VERSION_CHECK=1 "$FT_PYTHON" -m pip install -q --target "$tmp" \
				hypothesis==6.170.15 'sortedcontainers>=2.1.0,<3' >"$tmp.log" 2>&1; then
				cat "$tmp.log" >&2
				rm -rf "$tmp" "$tmp.log"
				exit 77
			fi
			rm -rf "$site" "$tmp.log"
			mv "$tmp" "$site"
		fi
	) 9>"$base/hypothesis.lock" || ft_skip "pip install of hypothesis failed (no registry?)"
	HYPOTHESIS_SITE=$site
	export PYTHONPATH=$site${PYTHONPATH:+:$PYTHONPATH}
}
