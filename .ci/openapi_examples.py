"""Checks that every example in an OpenAPI 3.1 description matches its schema.

openapi-spec-validator checks the description's structure but not its examples; this validates
each `examples.<name>.value` of a request body, a response or a parameter, and each
`examples: [...]` entry of a schema, against the schema beside it.
Usage: python openapi_examples.py docs/openapi.yaml
"""

import sys

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012


def main(path):
    with open(path, encoding="utf-8") as f:
        document = yaml.safe_load(f)
    # `#/components/...` references resolve against the whole description.
    registry = Registry().with_resource("urn:openapi", DRAFT202012.create_resource(document))
    problems = []
    checked = 0

    def validate(schema, value, where):
        nonlocal checked
        checked += 1
        validator = Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)
        for error in validator.iter_errors(value):
            problems.append(f"{where}: {error.json_path}: {error.message}")

    def absolute(schema):
        # Rewrites local references so that they resolve inside the registry's document.
        if isinstance(schema, dict):
            return {
                k: ("urn:openapi" + v if k == "$ref" and isinstance(v, str) and v.startswith("#") else absolute(v))
                for k, v in schema.items()
            }
        if isinstance(schema, list):
            return [absolute(item) for item in schema]
        return schema

    def media_examples(content, where):
        for media, item in (content or {}).items():
            schema = item.get("schema")
            for name, example in (item.get("examples") or {}).items():
                if schema is not None and "value" in example:
                    validate(absolute(schema), example["value"], f"{where} {media} example {name!r}")

    for route, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            where = f"{method.upper()} {route}"
            body = operation.get("requestBody") or {}
            media_examples(body.get("content"), f"{where} request")
            for status, response in operation["responses"].items():
                media_examples(response.get("content"), f"{where} {status}")
            for parameter in operation.get("parameters", []):
                if "$ref" in parameter:
                    continue
                for name, example in (parameter.get("examples") or {}).items():
                    validate(absolute(parameter["schema"]), example["value"], f"{where} parameter {parameter['name']} example {name!r}")
                if "example" in parameter:
                    validate(absolute(parameter["schema"]), parameter["example"], f"{where} parameter {parameter['name']} example")
    for name, schema in document.get("components", {}).get("schemas", {}).items():
        for i, example in enumerate(schema.get("examples", [])):
            validate(absolute(schema), example, f"components.schemas.{name} examples[{i}]")

    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{checked} examples checked against their schemas, {len(problems)} mismatches")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
