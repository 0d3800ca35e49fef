"""The records stage: typed annotations of a document -> records, one module per record type.

Every module of this package that defines ``SPEC = RecordSpec(...)`` is a record type (found by
:func:`specs`, in the order of ``SPEC.order``): organizations, coop_stats, funding, people, events.
The store, export, review page, ``bulletins eval``, the command-line summaries and ingestion iterate
:func:`specs`; adding a record type is adding its module (and its test), nothing else.

    build_records(annotations) -> {name: (record, ...)} in registry order
"""
from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from ..nlp.annotations import DocumentAnnotations
from .spec import Column, Evaluation, Record, RecordSpec


@lru_cache(maxsize=1)
def specs() -> tuple[RecordSpec, ...]:
    """The record types, in order."""
    found = []
    for mod in pkgutil.iter_modules(__path__):
        if mod.name in ("spec", "common"):
            continue
        spec = getattr(importlib.import_module(f"{__name__}.{mod.name}"), "SPEC", None)
        if isinstance(spec, RecordSpec):
            found.append(spec)
    names = [s.name for s in found]
    if len(set(names)) != len(names):
        raise ValueError(f"two record types share a name: {sorted(names)}")
    return tuple(sorted(found, key=lambda s: (s.order, s.name)))


def names() -> tuple[str, ...]:
    return tuple(s.name for s in specs())


def spec(name: str) -> RecordSpec:
    for s in specs():
        if s.name == name:
            return s
    raise KeyError(f"unknown record type {name!r} (expected one of {', '.join(names())})")


def build_records(annotations: DocumentAnnotations) -> dict[str, tuple]:
    """Every record type's records of one document."""
    return {s.name: tuple(s.build(annotations)) for s in specs()}


__all__ = ["specs", "names", "spec", "build_records", "RecordSpec", "Column", "Evaluation", "Record"]
