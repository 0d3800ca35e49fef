"""Store URLs as they travel: made absolute before they leave this process, and never shown with their
password.

    absolute_url("sqlite:///extracted/bulletins.db")      -> "sqlite:////home/me/bulletins/extracted/bulletins.db"
    redact("postgresql+psycopg://me:s3cret@db:5432/b")    -> "postgresql+psycopg://me:***@db:5432/b"
    redact_text("... s3cret ...", url)                     -> every occurrence of the password replaced
    where("postgresql+psycopg://me:s3cret@db:5432/b")     -> "db:5432" (what a one-line error names)

A relative SQLite path means "relative to where the command runs"; a Dask worker started in another
directory would resolve it against its own, so the command resolves it once, here, and hands the
absolute URL to every task. Plain string work: no SQLAlchemy engine, no connection.
"""
from __future__ import annotations

import os
import re
from typing import Optional
from urllib.parse import unquote

MASK = "***"
# scheme://[user[:password]@]rest : the password is what lies between the first ':' after '//' and
# the last '@' before the host (a password may itself hold '@' or ':' when not percent-encoded)
_CREDENTIALS = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)(?P<user>[^:@/]*):(?P<password>.*)@(?P<rest>[^@]*)$")


def password(url: Optional[str]) -> Optional[str]:
    """The password written in ``url`` (as written, and None when there is none)."""
    if not url:
        return None
    m = _CREDENTIALS.match(url)
    if not m or not m.group("password") or m.group("password") == MASK:
        return None
    return m.group("password")


def redact(url: Optional[str]) -> Optional[str]:
    """``url`` with its password replaced by ``***`` (unchanged when it has none)."""
    if not url:
        return url
    m = _CREDENTIALS.match(url)
    if not m or not m.group("password"):
        return url
    return f"{m.group('scheme')}{m.group('user')}:{MASK}@{m.group('rest')}"


def redact_text(text: str, *urls: Optional[str]) -> str:
    """``text`` with the password of each URL (as written and percent-decoded) and each URL replaced by
    its redacted form."""
    for url in urls:
        secret = password(url)
        if not secret:
            continue
        text = text.replace(url, redact(url))
        for s in {secret, unquote(secret)}:
            if len(s) >= 1:
                text = text.replace(s, MASK)
    return text


def is_redacted(url: Optional[str]) -> bool:
    m = _CREDENTIALS.match(url or "")
    return bool(m and m.group("password") == MASK)


def absolute_url(url: str, cwd: Optional[str] = None) -> str:
    """A SQLite URL with a relative path made absolute (against ``cwd``, default this process's); any
    other URL unchanged. ``sqlite://`` and ``sqlite:///:memory:`` stay in memory."""
    m = re.match(r"^(sqlite(?:\+\w+)?):///(.*)$", url)
    if not m:
        return url
    path, _, query = m.group(2).partition("?")
    if not path or path == ":memory:" or path.startswith("/") or path.startswith("file:"):
        return url
    full = os.path.abspath(os.path.join(cwd or os.getcwd(), path))
    return f"{m.group(1)}:///{full}" + (f"?{query}" if query else "")


def where(url: str) -> str:
    """What a one-line error about reaching the store names: host:port for a server, the file for
    SQLite (never the password)."""
    m = re.match(r"^(sqlite(?:\+\w+)?):///(.*)$", url)
    if m:
        return m.group(2).partition("?")[0] or ":memory:"
    m = _CREDENTIALS.match(url)
    rest = m.group("rest") if m else url.split("://", 1)[-1].rsplit("@", 1)[-1]
    return rest.split("/", 1)[0] or rest
