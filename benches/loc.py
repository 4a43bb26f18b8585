#!/usr/bin/env python3
"""Counts the non-test code lines of the library crates: `src/` and `crates/*/src` (issue 21).

Usage: python3 benches/loc.py [REPO] [--files]

A line counts when it holds code: it is neither blank nor only comments (`//`, `///`, `//!`,
and `/* */` block comments, nested as Rust nests them), and it is outside a `#[cfg(test)]`
item. Such an item runs from its attribute to the `;` that ends it or to the `}` closing its
first `{` (braces matched, ignoring those in strings, characters and comments). A line of a
multi-line string literal is code. `--files` also lists each file's count.
"""
import pathlib
import re
import sys

CFG_TEST = re.compile(r"#\s*\[\s*cfg\s*\(\s*test\s*\)\s*\]")


def classify(text):
    """Per character: 'c' for code, 's' for the inside of a string or character literal,
    ' ' for comments. Strings keep their quotes as code, so a line with one is code."""
    kind = [" "] * len(text)
    i, n = 0, len(text)

    def ident(ch):
        return ch.isalnum() or ch == "_"

    while i < n:
        ch = text[i]
        if text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif text.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
        elif ch == "r" and (i == 0 or not ident(text[i - 1]) or (
                text[i - 1] in "bc" and (i < 2 or not ident(text[i - 2])))) \
                and re.match(r'r#*"', text[i:i + 300]):
            hashes = len(re.match(r"r(#*)", text[i:]).group(1))
            start = i + 2 + hashes
            end = text.find('"' + "#" * hashes, start)
            end = n if end < 0 else end
            kind[i:start] = "c" * (start - i)
            kind[start:end] = "s" * (end - start)
            i = min(n, end + 1 + hashes)
            kind[end:i] = "c" * (i - end)
        elif ch == '"':
            kind[i] = "c"
            i += 1
            while i < n and text[i] != '"':
                step = 2 if text[i] == "\\" else 1
                kind[i:i + step] = "s" * step
                i += step
            if i < n:
                kind[i] = "c"
            i += 1
        elif ch == "'" and (text.startswith("\\", i + 1) or text[i + 2:i + 3] == "'"):
            # A character literal ('x', '\n', '\u{1F600}'); otherwise a lifetime or label.
            end = text.find("'", i + 2 if text[i + 1] != "\\" else i + 3)
            end = n if end < 0 else end
            kind[i] = "c"
            if end < n:
                kind[end] = "c"
            kind[i + 1:end] = "s" * (end - i - 1)
            i = end + 1
        else:
            if not ch.isspace():
                kind[i] = "c"
            i += 1
    return kind


def count(text):
    kind = classify(text)
    # Code with string contents blanked, so that braces and attributes in strings are ignored.
    code = "".join(ch if k == "c" else (" " if ch != "\n" else "\n")
                   for ch, k in zip(text, kind))
    test = [False] * len(text)
    for match in CFG_TEST.finditer(code):
        depth, i, end = 0, match.end(), len(code)
        nest = 0
        while i < len(code):
            ch = code[i]
            if ch in "([":
                nest += 1
            elif ch in ")]":
                nest -= 1
            elif ch == ";" and depth == 0 and nest == 0:
                end = i + 1
                break
            elif ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    end = i + 1
                    break
            i += 1
        # `use a::{b, c};` ends at its `;`, after the braces.
        while end < len(code) and code[end] in " \t;":
            end += 1
        test[match.start():end] = [True] * (end - match.start())
    lines, start = 0, 0
    for line in text.split("\n"):
        stop = start + len(line)
        if any(kind[j] != " " and not test[j] for j in range(start, stop)):
            lines += 1
        start = stop + 1
    return lines


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    root = pathlib.Path(args[0] if args else ".")
    files = sorted(root.glob("src/**/*.rs")) + sorted(root.glob("crates/*/src/**/*.rs"))
    total = 0
    for path in files:
        lines = count(path.read_text(encoding="utf-8"))
        total += lines
        if "--files" in sys.argv:
            print(f"{lines:6} {path.relative_to(root)}")
    print(f"{total} non-test code lines in {len(files)} files (src/, crates/*/src)")


if __name__ == "__main__":
    main()
