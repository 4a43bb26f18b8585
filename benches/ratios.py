#!/usr/bin/env python3
"""Prints the ratios of issue 6 from the last criterion run (target/criterion/**/estimates.json).

Usage: python3 benches/ratios.py [target-dir]   (run `cargo bench --bench dsl` first)
Each ratio divides two point estimates of the same run; the 95% intervals are shown with them.
"""
import json
import pathlib
import sys

ROOT = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target") / "criterion"

# (group, numerator, denominator, target description, limit, limit is an upper bound)
RATIOS = [
    ("build_serialize", "fj_sourcing", "derive_owned", "<= 1.15x derive (owned strings; issue 15)", 1.15, True),
    ("build_serialize", "fj_sourcing", "json_macro", "< 1.00x json! + to_vec", 1.00, True),
    ("build_serialize", "fj_sourcing", "derive_borrowed", "(information) vs derive borrowing literals", None, True),
    ("parse", "fj_sourcing", "value", "<= 2.00x from_slice::<Value>", 2.00, True),
]


def estimate(group, bench, stat="mean"):
    path = ROOT / group / bench / "new" / "estimates.json"
    data = json.loads(path.read_text())[stat]
    ci = data["confidence_interval"]
    return data["point_estimate"], ci["lower_bound"], ci["upper_bound"]


def fmt_ns(ns):
    return f"{ns / 1000:.3f} µs" if ns >= 1000 else f"{ns:.1f} ns"


def main():
    missing = False
    for group in sorted({r[0] for r in RATIOS}):
        for bench in sorted(p.name for p in (ROOT / group).iterdir() if (p / "new").is_dir()):
            mean, lo, hi = estimate(group, bench)
            median = estimate(group, bench, "median")[0]
            print(f"{group}/{bench:<16} mean {fmt_ns(mean):>11} [{fmt_ns(lo)} .. {fmt_ns(hi)}]"
                  f"  median {fmt_ns(median)}")
    print()
    for group, num, den, target, limit, upper in RATIOS:
        try:
            n, d = estimate(group, num)[0], estimate(group, den)[0]
        except FileNotFoundError as err:
            print(f"{group}: missing {err.filename}")
            missing = True
            continue
        ratio = n / d
        verdict = "" if limit is None else ("met" if (ratio <= limit if upper else ratio >= limit) else "NOT met")
        print(f"{group}: {num} / {den} = {ratio:.2f}x   target {target}   {verdict}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
