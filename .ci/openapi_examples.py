"""Checks that every example in an OpenAPI 3.1 description matches its schema, and its shape rules.

openapi-spec-validator checks the description's structure but not its examples; this validates
each `examples.<name>.value` of a request body, a response or a parameter, and each
`examples: [...]` entry of a schema, against the schema beside it.
It also holds the description to the shape that lets generators type every answer
(.ci/clients.sh): every array schema has `items`, and every JSON answer with a `statusCode`
(each form of it, when the answer is an `anyOf`) has it as the `const` of the HTTP status, in a
schema of its own rather than an `allOf` over a shared envelope.
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

    def resolve(node):
        # Follows local references (`#/components/...`) to the node they name.
        while isinstance(node, dict) and "$ref" in node:
            target = document
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            node = target
        return node

    def arrays_have_items(node, where):
        if isinstance(node, dict):
            types = node.get("type")
            if (types == "array" or isinstance(types, list) and "array" in types) and "items" not in node:
                problems.append(f"{where}: an array schema without `items`")
            for key, child in node.items():
                arrays_have_items(child, f"{where}/{key}")
        elif isinstance(node, list):
            for i, child in enumerate(node):
                arrays_have_items(child, f"{where}/{i}")

    arrays_have_items(document, "#")
    answers = 0
    for route, item in document.get("paths", {}).items():
        for method, operation in item.items():
            for status, response in (operation.get("responses") or {}).items() if isinstance(operation, dict) else ():
                schema = resolve((resolve(response).get("content") or {}).get("application/json", {}).get("schema"))
                for form in [resolve(s) for s in schema.get("anyOf", [schema])] if schema else []:
                    if "allOf" in form:
                        problems.append(f"{method.upper()} {route} {status}: an answer narrowed by `allOf`")
                    if "statusCode" not in form.get("properties", {}):
                        continue
                    answers += 1
                    code = form["properties"]["statusCode"]
                    if code != {"type": "integer", "const": int(status)}:
                        problems.append(f"{method.upper()} {route} {status}: statusCode is {code}")
    print(f"{answers} JSON answers with their own statusCode const")

    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{checked} examples checked against their schemas, {len(problems)} mismatches")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
