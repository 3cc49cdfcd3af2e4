# lib-automake.sh - sourced by the Automake scripts (t805x, t810x, the
# Automake oracle) after lib.sh and fixtures/cmd-common/helpers.sh.
#
# ft_am_fixture NAME [TOOL...]: skip unless autoreconf, automake, make and
# each TOOL are installed (scripts/install-deps.sh installs them); copy
# fixtures/NAME, autoreconf, configure, and run a plain `make check` once
# (check_PROGRAMS are built by it only: a program the recording itself
# built and a test then ran would be modified during the run).
ft_am_fixture() {
	local name=$1 tool
	shift
	for tool in autoreconf automake make "$@"; do
		command -v "$tool" >/dev/null || ft_skip "$tool not installed (scripts/install-deps.sh installs it)"
	done
	ft_fixture "$name"
	autoreconf -fi >/dev/null 2>&1 || ft_fail "autoreconf failed"
	./configure >/dev/null || ft_fail "configure failed"
	make check >/dev/null 2>&1 || ft_fail "plain make check failed before recording"
}

# ft_am_settle: files the build wrote are set an hour back, so make
# rebuilds nothing (ft_settle's 2020 is older than the system headers the
# objects depend on); then the clock is past every ctime (t8050).
ft_am_settle() {
	local past=@$(($(date +%s) - 3600))
	find . \( -path ./.git -o -path ./.ftrace \) -prune -o -newermt "$past" \
		-exec touch -h -d "$past" {} +
	ft_clock_past_ctime
}

# ft_am_trs_ran: the entries whose .trs exists below ., as ids
ft_am_trs_ran() { find . -name '*.trs' | sed 's#^\./##; s#\.trs$##'; }
