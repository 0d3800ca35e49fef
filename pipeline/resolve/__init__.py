"""Across documents: the same body or person whatever the spelling (:mod:`.entities`), the same text in
two files (:mod:`.documents`), the same fact stated in several documents (:mod:`.facts`).

Pure functions over plain values (names, texts, record values), deterministic, each link with the rule
that made it; :mod:`pipeline.store.resolved` reads the store, runs them and writes what they found.
"""
from .documents import DocLink, near_duplicates
from .entities import Decision, Entity, Mention, resolve_entities
from .facts import Fact, FactRecord, group_facts

__all__ = ["DocLink", "near_duplicates", "Decision", "Entity", "Mention", "resolve_entities", "Fact", "FactRecord",
           "group_facts"]
