"""replay_report - a pytest plugin for bench/replay/run.py and
bench/mutate/run.py: writes, at the end of the session, {node id:
[outcome, seconds]} to the file named by `--replay-report PATH` (outcome
"failed" if any phase failed, else "skipped" if skipped, else "passed";
seconds summed over the phases).  Loaded with `-p replay_report` (its
directory on PYTHONPATH); without the option it does nothing.

An option, not an environment variable: a variable a session reads is a
dependency of every test (docs/usage.md, "Environment variables"), and
each recording names another report file."""

import json

_PATH = [None]
_RESULTS = {}


def pytest_addoption(parser):
    parser.addoption("--replay-report", default=None, help="where replay_report writes the outcomes")


def pytest_configure(config):
    _PATH[0] = config.getoption("--replay-report")


def pytest_runtest_logreport(report):
    if not _PATH[0]:
        return
    outcome, secs = _RESULTS.get(report.nodeid, ("passed", 0.0))
    if report.failed:
        outcome = "failed"
    elif report.skipped and outcome == "passed":
        outcome = "skipped"
    _RESULTS[report.nodeid] = (outcome, secs + (report.duration or 0.0))


def pytest_sessionfinish(session):
    if _PATH[0]:
        with open(_PATH[0], "w") as f:
            json.dump(_RESULTS, f)
