"""Comparing page text with a page's spec (the reading-order truth of tests/data and ../shared)."""
from __future__ import annotations

import re
from pathlib import Path


def spec_sentences(spec_path: Path) -> list[str]:
    """The sentences (three words or more) of a spec's body and sidebar blocks."""
    body = []
    for block in re.split(r"^@", spec_path.read_text(encoding="utf-8"), flags=re.M):
        head, _, rest = block.partition("\n")
        name = head.split(" ", 1)[0]
        if name in ("body", "sidebar"):
            body.append(rest)
    text = " ".join(body).replace("\n", " ")
    return [s for s in re.split(r"(?<=[.!?:])\s+", text) if len(s.split()) >= 3]


def words(s: str) -> str:
    """The words of a text, lower-case, one space apart: what 'the same sentence' compares."""
    return " ".join(re.findall(r"[\w'\-]+", s.replace("’", "'").lower()))
