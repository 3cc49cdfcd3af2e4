#!/usr/bin/env python3
"""ftt_jsonschema.py - validate JSON documents against ftrace's schemas in
docs/schema/ (draft 2020-12), with the standard library only: Debian's
python3-jsonschema is not guaranteed on the test machines, and a test
that skips where it is missing would prove nothing there.

    ftt_jsonschema.py SCHEMA DOC...         every DOC valid: exit 0
    ftt_jsonschema.py --strict SCHEMA DOC   also: each required key that DOC
                                            has, dropped (one at a time, at
                                            every depth), makes it invalid

The subset of 2020-12 it knows is what the schemas use: $schema, $id,
$defs, $ref (local "#/$defs/NAME"), title, description, type (a name or a
list), properties, required, additionalProperties (false or a schema),
items, enum, const, minimum, pattern, anyOf.  A schema keyword outside it
is an error, never ignored: a schema cannot look stricter than the check.
"""
import copy
import json
import re
import sys

KNOWN = {"$schema", "$id", "$defs", "$ref", "title", "description", "type", "properties",
         "required", "additionalProperties", "items", "enum", "const", "minimum", "pattern",
         "anyOf"}
TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or
               (isinstance(v, float) and v.is_integer()),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
}


class SchemaError(Exception):
    pass


def check_schema(s, where="#"):
    if isinstance(s, bool):
        return
    if not isinstance(s, dict):
        raise SchemaError("%s: a schema must be an object" % where)
    for k, v in s.items():
        if k not in KNOWN:
            raise SchemaError("%s: keyword %r is not supported by this checker" % (where, k))
        if k in ("properties", "$defs"):
            for name, sub in v.items():
                check_schema(sub, "%s/%s/%s" % (where, k, name))
        elif k in ("items", "additionalProperties"):
            check_schema(v, "%s/%s" % (where, k))
        elif k == "anyOf":
            for i, sub in enumerate(v):
                check_schema(sub, "%s/anyOf/%d" % (where, i))


def errors(root, s, v, path="$"):
    """The list of messages why v is not valid against s."""
    if s is True:
        return []
    if s is False:
        return ["%s: not allowed" % path]
    out = []
    if "$ref" in s:
        ref = s["$ref"]
        if not ref.startswith("#/$defs/"):
            raise SchemaError("only local #/$defs/ references: %r" % ref)
        out += errors(root, root["$defs"][ref[len("#/$defs/"):]], v, path)
    if "type" in s:
        types = s["type"] if isinstance(s["type"], list) else [s["type"]]
        if not any(TYPES[t](v) for t in types):
            return out + ["%s: %r is not of type %s" % (path, v, "/".join(types))]
    if "enum" in s and v not in s["enum"]:
        out.append("%s: %r is not one of %r" % (path, v, s["enum"]))
    if "const" in s and v != s["const"]:
        out.append("%s: %r is not %r" % (path, v, s["const"]))
    if "minimum" in s and TYPES["number"](v) and v < s["minimum"]:
        out.append("%s: %r is below %r" % (path, v, s["minimum"]))
    if "pattern" in s and isinstance(v, str) and not re.search(s["pattern"], v):
        out.append("%s: %r does not match %r" % (path, v, s["pattern"]))
    if "anyOf" in s and not any(not errors(root, sub, v, path) for sub in s["anyOf"]):
        out.append("%s: matches none of anyOf" % path)
    if isinstance(v, dict):
        props = s.get("properties", {})
        for k in s.get("required", []):
            if k not in v:
                out.append("%s: required key %r missing" % (path, k))
        for k, x in v.items():
            if k in props:
                out += errors(root, props[k], x, "%s.%s" % (path, k))
            elif "additionalProperties" in s:
                out += errors(root, s["additionalProperties"], x, "%s.%s" % (path, k))
    if isinstance(v, list) and "items" in s:
        for i, x in enumerate(v):
            out += errors(root, s["items"], x, "%s[%d]" % (path, i))
    return out


def required_paths(root, s, v, path=()):
    """Every (path to a dict, key) where the schema requires a key v has."""
    if not isinstance(s, dict):
        return
    if "$ref" in s:
        yield from required_paths(root, root["$defs"][s["$ref"][len("#/$defs/"):]], v, path)
    for sub in s.get("anyOf", []):
        if not errors(root, sub, v):
            yield from required_paths(root, sub, v, path)
    if isinstance(v, dict):
        for k in s.get("required", []):
            if k in v:
                yield path, k
        for k, x in v.items():
            sub = s.get("properties", {}).get(k, s.get("additionalProperties"))
            yield from required_paths(root, sub, x, path + (k,))
    if isinstance(v, list) and "items" in s:
        for i, x in enumerate(v):
            yield from required_paths(root, s["items"], x, path + (i,))


def main(argv):
    strict = argv[1:2] == ["--strict"]
    args = argv[2:] if strict else argv[1:]
    if len(args) < 2:
        print(__doc__, file=sys.stderr)
        return 64
    with open(args[0]) as f:
        schema = json.load(f)
    if schema.get("$schema") != "https://json-schema.org/draft/2020-12/schema":
        raise SchemaError("%s: not a draft 2020-12 schema" % args[0])
    check_schema(schema)
    bad = 0
    for doc in args[1:]:
        with open(doc) as f:
            v = json.load(f)
        errs = errors(schema, schema, v)
        for e in errs:
            print("%s: %s" % (doc, e), file=sys.stderr)
        bad += bool(errs)
        if strict and not errs:
            n = 0
            for path, key in list(required_paths(schema, schema, v)):
                w = copy.deepcopy(v)
                d = w
                for p in path:
                    d = d[p]
                del d[key]
                n += 1
                if not errors(schema, schema, w):
                    print("%s: still valid without %s.%s" % (doc, "".join("[%r]" % p for p in path),
                                                           key), file=sys.stderr)
                    bad += 1
            if n == 0:
                print("%s: no required key to drop" % doc, file=sys.stderr)
                bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except SchemaError as e:
        print("schema error: %s" % e, file=sys.stderr)
        sys.exit(70)
