"""Gazetteers kept as data: Quebec bodies with their acronyms and kinds (``organizations.tsv``), and
places: regions, MRCs, municipalities (``places.txt``). Read by the NLP stage (entity rules) and by
OCR (a compound place name with one letter misread)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..errors import RuleError

HERE = Path(__file__).parent
ORGANIZATIONS = HERE / "organizations.tsv"
PLACES = HERE / "places.txt"


def read_organizations(path: Path = ORGANIZATIONS) -> list[dict]:
    """[{name, acronym, kind, aliases}] of ``organizations.tsv`` (name, acronym, kind, aliases by '|')."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 3:
            raise RuleError(f"{path}:{n}: expected name, acronym, kind: {line!r}")
        name, acronym, kind = cols[0].strip(), cols[1].strip() or None, cols[2].strip()
        aliases = [a.strip() for a in cols[3].split("|")] if len(cols) > 3 and cols[3].strip() else []
        out.append({"name": name, "acronym": acronym, "kind": kind, "aliases": aliases})
    return out


def read_places(path: Path = PLACES) -> list[str]:
    return [l.strip() for l in path.read_text(encoding="utf-8").splitlines() if l.strip() and not l.startswith("#")]


@lru_cache(maxsize=1)
def places() -> tuple[str, ...]:
    return tuple(read_places())


__all__ = ["read_organizations", "read_places", "places"]
