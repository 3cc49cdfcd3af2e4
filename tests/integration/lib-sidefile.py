"""lib-sidefile.py - a pytest side file read as ingest reads it: the
compact shape the plugin writes (ftrace_pytest.py, _compact) given back
its full one (ingest/ft_adapter.c, expand_keys and expand_users), so that
a test script can assert on "functions"["tests"] and "leaky_scoped" by
test id and key.  It checks the compact shape on the way: a file still in
the full shape, or an index that names nothing, fails the caller.

    sys.path.insert(0, os.path.join(os.environ["FTRACE_SOURCE_DIR"], "tests", "integration"))
    side = importlib.import_module("lib-sidefile")
    doc = side.load(path)
"""

import json


def load(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as fh:
        doc = json.load(fh)
    fn = doc.get("functions")
    if isinstance(fn, dict) and fn.get("complete") is True:
        assert "tests" not in fn, "functions.tests in the full shape: %s" % path
        keys = fn.pop("keys")
        fn["tests"] = {tid: {ph: [keys[i] for i in ix] for ph, ix in phases.items()}
                       for tid, phases in fn.pop("tests_keyed").items()}
    ids = [t["id"] for t in doc.get("tests", ())]
    if isinstance(doc.get("leaky_scoped"), dict):
        doc["leaky_scoped"] = {lid: [ids[u] if isinstance(u, int) else u for u in users]
                               for lid, users in doc["leaky_scoped"].items()}
    return doc
