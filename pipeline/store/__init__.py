"""The record store and what reads it: SQLAlchemy tables for documents, pages, mentions, one table per
record type of the registry and the review audit trail (:mod:`.db`); the exports (:mod:`.export`).

    store = Store("sqlite:///extracted/bulletins.db")      # or postgresql+psycopg://...
"""
from .db import (Base, DocumentRow, KEY_FIELDS, MODELS, PageRow, RECORD_TYPES, STATUSES, Store, StoreError,
                 StoreUnavailable, default_url, record_id)

__all__ = ["Store", "StoreError", "StoreUnavailable", "record_id", "default_url", "STATUSES", "RECORD_TYPES",
           "KEY_FIELDS", "MODELS", "Base", "DocumentRow", "PageRow"]
