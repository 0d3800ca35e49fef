"""``python -m bench.recognizers [SPEC_DIR] [--verbose]``: Microsoft Recognizers-Text's French specs
through the pipeline's figure rules; prints the share right per suite (the suites: :mod:`testkit.recognizers`)."""
from __future__ import annotations

import sys
from pathlib import Path

from testkit.recognizers import DEFAULT_DIR, Tally, currency, date_extraction, dates, durations, numbers


def run(spec_dir: Path = DEFAULT_DIR) -> dict[str, Tally]:
    absolute, relative = dates(spec_dir)
    return {"currency": currency(spec_dir), "dates (absolute)": absolute, "dates (relative)": relative,
            "date extraction": date_extraction(spec_dir), "durations (years)": durations(spec_dir),
            "numbers (integers)": numbers(spec_dir)}


def main(argv: list[str]) -> int:
    spec_dir = Path(next((a for a in argv if not a.startswith("-")), DEFAULT_DIR))
    results = run(spec_dir)
    print("| suite | right | cases | share |\n|---|---|---|---|")
    for name, t in results.items():
        print(f"| {name} | {t.right} | {t.total} | {t.share:.1%} |")
    if "--verbose" in argv:
        for name, t in results.items():
            for m in t.misses:
                print(f"  {name}: {m}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
