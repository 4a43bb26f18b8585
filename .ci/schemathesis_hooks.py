"""schemathesis hooks for .ci/schemathesis.sh (loaded by .ci/schemathesis.toml).

docs/openapi.yaml says in prose (`FilterRange`, `x-fj-sandbox`) that a `RANGE` filter's
`[min, max]` must have `min <= max`: JSON Schema cannot relate two items of an array, so the
generator would call `[5, 1]` valid and the positive-data check would flag the sandbox's 400 for
it. This hook orders every generated `RANGE` pair. It changes nothing else, and no
schema-violating body becomes valid through it (an inverted pair is schema-valid already), so
every check still runs on every case.
"""

import schemathesis


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _order_ranges(node):
    if isinstance(node, dict):
        value = node.get("value")
        if (
            node.get("type") == "RANGE"
            and isinstance(value, list)
            and len(value) == 2
            and all(_is_number(bound) for bound in value)
            and value[0] > value[1]
        ):
            node["value"] = [value[1], value[0]]
        for child in node.values():
            _order_ranges(child)
    elif isinstance(node, list):
        for child in node:
            _order_ranges(child)
    return node


@schemathesis.hook
def map_body(context, body):
    return _order_ranges(body)
