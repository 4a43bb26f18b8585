"""schemathesis hooks for .ci/schemathesis.sh (loaded by .ci/schemathesis.toml).

Some rules of the sandbox cannot be stated in JSON Schema (an inverted `[min, max]` range, no
skill at all, an Autocomplete `filter_type` the sandbox does not know): a request that breaks
one is valid by its schema, the sandbox answers it 400, and schemathesis's positive-data check
would call that a refusal of valid data. docs/openapi.yaml names these rules in `x-fj-rules`.
.ci/schemathesis.sh runs every check but the built-in `positive_data_acceptance`, and this file
registers it again with exactly those cases left out: a case that breaks none of the named rules
goes to the built-in check unchanged, and every other check runs on every case.
"""

from pathlib import Path

import schemathesis
import yaml
from schemathesis.specs.openapi.checks import positive_data_acceptance

DESCRIPTION = yaml.safe_load((Path(__file__).resolve().parent.parent / "docs/openapi.yaml").read_text(encoding="utf-8"))

# The `filter_type` values the reference promises: the parameter's examples in the description.
PROMISED_FILTER_TYPES = {
    example["value"]
    for parameter in DESCRIPTION["paths"]["/sourcing-session/filters/autocomplete"]["get"]["parameters"]
    if parameter["name"] == "filter_type"
    for example in parameter["examples"].values()
}


def _filters(node):
    """Every `{type, value}` filter object in a request body, at any depth."""
    if isinstance(node, dict):
        if "type" in node and "value" in node:
            yield node
        for child in node.values():
            yield from _filters(child)
    elif isinstance(node, list):
        for child in node:
            yield from _filters(child)


def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _inverted_range(case):
    return any(
        f["type"] == "RANGE" and isinstance(f["value"], list) and len(f["value"]) == 2
        and all(_number(bound) for bound in f["value"]) and f["value"][0] > f["value"][1]
        for f in _filters(case.body)
    )


def _no_skills(case):
    queries = case.body.get("queries") if isinstance(case.body, dict) else None
    skills = queries.get("skills") if isinstance(queries, dict) else None
    buckets = skills.get("value") if isinstance(skills, dict) else None
    return isinstance(buckets, dict) and not any(
        isinstance(bucket, list) and bucket for bucket in buckets.values()
    )


def _unknown_filter_type(case):
    filter_type = (case.query or {}).get("filter_type")
    return (
        case.operation.definition.raw.get("operationId") == "filters-autocomplete"
        and isinstance(filter_type, str)
        and filter_type not in PROMISED_FILTER_TYPES
    )


RULES = {
    "inverted_range": _inverted_range,
    "no_skills": _no_skills,
    "unknown_filter_type": _unknown_filter_type,
}
# The rules left out here are exactly the ones the description names.
assert set(RULES) == set(DESCRIPTION["x-fj-rules"]), (set(RULES), set(DESCRIPTION["x-fj-rules"]))


@schemathesis.check
def positive_data_acceptance_but_named_rules(ctx, response, case):
    """`positive_data_acceptance`, except for a case that breaks a rule of `x-fj-rules`."""
    if any(breaks(case) for breaks in RULES.values()):
        return None
    return positive_data_acceptance(ctx, response, case)
