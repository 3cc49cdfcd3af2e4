# lib-hypothesis.sh - sourced, after lib.sh, by the scripts that run
# hypothesis (t2033, t9029).
#
# ft_hypothesis: hypothesis 6.170.15 installed from PyPI (lib-pip.sh);
# sets HYPOTHESIS_SITE to its directory, first on PYTHONPATH.  Without the
# registry the calling test is skipped.
. "$(dirname "${BASH_SOURCE[0]}")/lib-pip.sh"

ft_hypothesis() {
	ft_pip_site hypothesis-6.170.15 _hypothesis_pytestplugin.py \
		hypothesis==6.170.15 'sortedcontainers>=2.1.0,<3'
	HYPOTHESIS_SITE=$FT_PIP_SITE
}
