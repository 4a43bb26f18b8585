"""Checks that the Python client generated from docs/openapi.yaml types every answer.

openapi-python-client falls back to `Any` for an answer it cannot type, and then still writes
the operation. For each generated operation module this reads the return annotation of
`sync_detailed` (`Response[A | B | ...]`) and fails when it has no member other than `Any` and the
error models: every operation's success answer must have a model. `GET /openapi.yaml` answers
YAML, which the generator does not parse: it is the one operation allowed to stay untyped.
Usage: python typed.py <generated package directory>
"""

import pathlib
import re
import sys

UNTYPED_ALLOWED = {"get_openapi_description"}


def members(union):
    # Splits `A | list[B | C] | D` at the top-level bars only.
    depth, start, out = 0, 0, []
    for i, c in enumerate(union):
        depth += c == "["
        depth -= c == "]"
        if c == "|" and depth == 0:
            out.append(union[start:i].strip())
            start = i + 1
    return out + [union[start:].strip()]


def main(package):
    modules = sorted(pathlib.Path(package, "api").glob("*/*.py"))
    modules = [m for m in modules if m.stem != "__init__"]
    untyped = []
    for module in modules:
        source = module.read_text(encoding="utf-8")
        found = re.search(r"def sync_detailed\(.*?\) -> Response\[(.*?)\]:\n", source, re.S)
        if not found:
            sys.exit(f"{module}: no `sync_detailed(...) -> Response[...]`")
        answers = [m for m in members(found.group(1)) if m != "Any" and not m.endswith("Error")]
        print(f"{module.stem}: {' | '.join(answers) or 'Any'}")
        if not answers and module.stem not in UNTYPED_ALLOWED:
            untyped.append(module.stem)
    if len(modules) < 11:
        sys.exit(f"only {len(modules)} operations generated")
    if untyped:
        sys.exit(f"answers typed `Any`: {', '.join(untyped)}")
    print(f"{len(modules)} operations, every answer typed but {', '.join(sorted(UNTYPED_ALLOWED))}")


if __name__ == "__main__":
    main(sys.argv[1])
