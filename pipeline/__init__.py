"""Bulletins: French-language regional bulletins -> clean, reviewable records.

    from pipeline import extract_text, extract_file

Both return the document JSON of CONTRACT.md. The library never imports Prefect.
"""
__version__ = "0.1.0"
# Bumped whenever rules or extraction change what a document yields, so ingestion re-extracts.
PIPELINE_VERSION = "5"      # 5: tables (their cells, and funding and people read from their rows)


def extract_text(text: str, issue_date: str | None = None) -> dict:
    from .extract import extract_text as _extract_text
    return _extract_text(text, issue_date)


def extract_file(path) -> dict:
    from .extract import extract_file as _extract_file
    return _extract_file(path)


__all__ = ["extract_text", "extract_file", "__version__", "PIPELINE_VERSION"]
