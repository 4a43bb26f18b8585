#!/usr/bin/env python3
"""Writes the downstream crates of issue 6, measurement 5 (compile cost of the typestate).

    python3 benches/compile/gen.py [OUT_DIR]     (default: target/compile-bench)

OUT_DIR becomes a small workspace (never committed; it lives under target/):
  typed/  50 functions, each one `Session::builder()` chain of 10 filters ending in `build()`
  json/   the same 50 requests written with `serde_json::json!`
  empty/  the same dependencies and one trivial function: the fixed cost of `cargo check`
  check/  a test asserting that every typed request serializes to its json! twin
All three measured crates depend on both fj-sourcing and serde_json, so they differ only in
their source.
"""
import pathlib
import shutil
import sys

REPO = pathlib.Path(__file__).resolve().parents[2]
OUT = pathlib.Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else REPO / "target" / "compile-bench"

CHAINS = 50
FILTERS_PER_CHAIN = 10  # nine filters and the skills filter

# (setter, wire key, wire operator, value kind) for every filter but skills, in the reference's order.
FILTERS = [
    ("country_region_matches", "country_region", "(.)", "strings"),
    ("open_to_cards_eq", "open_to_cards", "=", "strings"),
    ("current_title_in", "current_employers.title", "IN", "strings"),
    ("experience", "years_of_experience_raw", "RANGE", "range"),
    ("current_function_in", "current_employers.function_category", "IN", "strings"),
    ("current_seniority_in", "current_employers.seniority_level", "IN", "strings"),
    ("current_company_in", "current_employers.name", "IN", "strings"),
    ("years_at_company_in", "current_employers.years_at_company", "IN", "strings"),
    ("region_in", "region", "IN", "strings"),
    ("industry_in", "all_employers.company_industries", "IN", "strings"),
    ("school_in", "education_background.institute_name", "IN", "strings"),
    ("field_of_study_in", "education_background.field_of_study", "IN", "strings"),
    ("degree_in", "education_background.degree_name", "IN", "strings"),
    ("past_company_in", "past_employers.name", "IN", "strings"),
    ("past_title_in", "past_employers.title", "IN", "strings"),
    ("company_type_in", "current_employers.company_type", "IN", "strings"),
    ("company_hq_location_in", "current_employers.company_hq_location", "IN", "strings"),
    ("company_description_in", "current_employers.description", "IN", "strings"),
    ("funding_stage_in", "funding_stage", "IN", "strings"),
    ("headcount_growth", "headcount_growth", "RANGE", "range"),
    ("company_headcount", "current_employers.company_headcount_latest", "RANGE", "range"),
    ("annual_revenue_eq", "annual_revenue", "=", "strings"),
    ("total_funding_eq", "total_funding", "=", "strings"),
    ("year_founded", "year_founded", "RANGE", "range"),
    ("recently_funded_eq", "recently_funded", "=", "strings"),
    ("certification_in", "certifications.name", "IN", "strings"),
    ("honor_in", "honors.title", "IN", "strings"),
    ("geo_distance_eq", "geo_distance", "=", "strings"),
    ("employment_type_in", "current_employers.employment_type", "IN", "strings"),
    ("company_headcount_range_in", "current_employers.company_headcount_range", "IN", "strings"),
]
assert len(FILTERS) == 30


def rust_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def chain(i):
    """The filters of request `i`: nine distinct ones, rotating through the table, plus skills."""
    picked = [FILTERS[(i * 7 + k) % len(FILTERS)] for k in range(FILTERS_PER_CHAIN - 1)]
    filters = []
    for n, (setter, key, op, kind) in enumerate(picked):
        if kind == "range":
            value = (i + n, i + n + 5)
        else:
            value = [f"{key} {i}.{j}" for j in range(1 + (i + n) % 3)]
        filters.append((setter, key, op, value))
    skills = [f"skill {i}.{j}" for j in range(2)]
    return filters, skills


def typed_fn(i):
    filters, skills = chain(i)
    lines = [f"pub fn request_{i:02}() -> Result<SessionRequest, BuildError> {{", "    Session::builder()"]
    for setter, _key, op, value in filters:
        if op == "RANGE":
            lines.append(f"        .{setter}({value[0]}..={value[1]})")
        else:
            lines.append(f"        .{setter}([{', '.join(rust_str(v) for v in value)}])")
    lines.append(f"        .mandatory_skills([{', '.join(rust_str(s) for s in skills)}])")
    lines += ["        .build()", "}", ""]
    return "\n".join(lines)


def json_fn(i):
    filters, skills = chain(i)
    lines = [f"pub fn request_{i:02}() -> Value {{", '    json!({', '        "queries": {']
    for _setter, key, op, value in filters:
        if op == "RANGE":
            rendered = f"[{value[0]}, {value[1]}]"
        else:
            rendered = f"[{', '.join(rust_str(v) for v in value)}]"
        lines.append(f'            {rust_str(key)}: {{ "type": {rust_str(op)}, "value": {rendered} }},')
    lines.append('            "skills": { "type": "IN", "value": {')
    lines.append(f'                "mandatory": [{", ".join(rust_str(s) for s in skills)}], "core": [], "secondary": []')
    lines += ["            } }", "        }", "    })", "}", ""]
    return "\n".join(lines)


def manifest(name, extra=""):
    return f"""[package]
name = "{name}"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
fj-sourcing = {{ path = {rust_str(str(REPO))} }}
serde_json = "1"
{extra}"""


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def main():
    for crate in ("typed", "json", "empty", "check"):
        shutil.rmtree(OUT / crate, ignore_errors=True)
    write(OUT / "Cargo.toml", """[workspace]
members = ["typed", "json", "empty", "check"]
resolver = "3"

# As in fj-sourcing's own manifest: no debug info for dependencies.
[profile.dev.package."*"]
debug = false
""")
    # Same dependency versions as the crate itself.
    shutil.copyfile(REPO / "Cargo.lock", OUT / "Cargo.lock")

    header = "//! Generated by benches/compile/gen.py; do not edit.\n\n"
    write(OUT / "typed" / "Cargo.toml", manifest("typed"))
    write(OUT / "typed" / "src" / "lib.rs", header + "use fj_sourcing::{BuildError, Session, SessionRequest};\n\n"
          + "\n".join(typed_fn(i) for i in range(CHAINS)))
    write(OUT / "json" / "Cargo.toml", manifest("json"))
    write(OUT / "json" / "src" / "lib.rs", header + "use serde_json::{Value, json};\n\n"
          + "\n".join(json_fn(i) for i in range(CHAINS)))
    write(OUT / "empty" / "Cargo.toml", manifest("empty"))
    write(OUT / "empty" / "src" / "lib.rs", header + "pub fn nothing() -> usize {\n    0\n}\n")

    write(OUT / "check" / "Cargo.toml", manifest("check", 'typed = { path = "../typed" }\njson = { path = "../json" }\n'))
    calls = "\n".join(
        f"    assert_eq!(serde_json::to_value(typed::request_{i:02}().expect(\"valid\")).unwrap(), json::request_{i:02}());"
        for i in range(CHAINS))
    write(OUT / "check" / "src" / "lib.rs", header + "#[test]\nfn typed_and_json_requests_are_the_same() {\n" + calls + "\n}\n")
    print(f"wrote {OUT}: {CHAINS} chains x {FILTERS_PER_CHAIN} filters (typed, json), empty, check")


if __name__ == "__main__":
    main()
