"""The record store and what reads it: SQLAlchemy tables for documents, pages, mentions, one table per
record type of the registry and the review audit trail (:mod:`.db`); the exports (:mod:`.export`).

    store = Store("sqlite:///extracted/bulletins.db")      # or postgresql+psycopg://...
"""
from .db import (Base, DocumentRow, InvalidReview, KEY_FIELDS, MODELS, PageRow, RECORD_TYPES, STATUSES, Store, StoreConflict,
                 StoreError, StoreUnavailable, default_url, record_id)
from .queue import Filters, SORTS, VIEWS
from . import resolved  # noqa: F401  (its tables: entities, entity_variants, entity_decisions, record_links, document_links)

__all__ = ["Store", "StoreError", "StoreConflict", "InvalidReview", "StoreUnavailable", "Filters", "SORTS", "VIEWS", "record_id", "default_url", "STATUSES", "RECORD_TYPES",
           "KEY_FIELDS", "MODELS", "Base", "DocumentRow", "PageRow"]
