"""replay_report - a pytest plugin for bench/replay/run.py: writes, at the
end of the session, {node id: [outcome, seconds]} to the file named by
$REPLAY_REPORT (outcome "failed" if any phase failed, else "skipped" if
skipped, else "passed"; seconds summed over the phases).  Loaded with
`-p replay_report` (its directory on PYTHONPATH); without the variable it
does nothing."""

import json
import os

_PATH = os.environ.pop("REPLAY_REPORT", None)
_RESULTS = {}


def pytest_runtest_logreport(report):
    if not _PATH:
        return
    outcome, secs = _RESULTS.get(report.nodeid, ("passed", 0.0))
    if report.failed:
        outcome = "failed"
    elif report.skipped and outcome == "passed":
        outcome = "skipped"
    _RESULTS[report.nodeid] = (outcome, secs + (report.duration or 0.0))


def pytest_sessionfinish(session):
    if _PATH:
        with open(_PATH, "w") as f:
            json.dump(_RESULTS, f)
