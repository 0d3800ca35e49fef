"""Narrow exception types. Each message carries the offending value."""
from __future__ import annotations


class BulletinsError(Exception):
    """Base of every error the pipeline raises on purpose."""


class InputError(BulletinsError):
    """A file that cannot be turned into a document."""


class InputNotFound(InputError):
    def __init__(self, path):
        super().__init__(f"no such file: {path}")
        self.path = path


class EmptyInput(InputError):
    def __init__(self, path):
        super().__init__(f"empty file: {path}")
        self.path = path


class UnsupportedInput(InputError):
    def __init__(self, path, kind: str):
        super().__init__(f"unsupported file type {kind!r}: {path} (expected PDF, PNG, TIFF, JPEG or .txt)")
        self.path, self.kind = path, kind


class UnreadableInput(InputError):
    def __init__(self, path, reason: str):
        super().__init__(f"cannot read {path}: {reason}")
        self.path, self.reason = path, reason


class EncryptedInput(InputError):
    def __init__(self, path):
        super().__init__(f"encrypted PDF (password required): {path}")
        self.path = path


class PageError(BulletinsError):
    """One page could not be extracted; the document becomes partial."""

    def __init__(self, page: int, reason: str):
        super().__init__(f"page {page}: {reason}")
        self.page, self.reason = page, reason


class RuleError(BulletinsError):
    """A rule file is malformed (bad JSON, missing id, duplicate id, bad regex)."""


class GoldError(BulletinsError):
    """A gold file is missing a field or has a bad value."""


class SetupError(BulletinsError):
    """The machine running a task cannot do its part (it cannot see the raw folder, write the outputs or
    reach the store, or lacks the model): not a bad document, so the run stops with this one line."""
