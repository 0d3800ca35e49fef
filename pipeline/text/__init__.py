"""The text stage: a file -> a :class:`~pipeline.document.Document` of pages of clean reading-order text.

    load(path)                      -> Document   (kind told by the bytes: PDF, image, .txt)
    document_from_text(text, ...)   -> Document   (a string as one page)

Modules: ``sources`` (file kinds), ``pdf`` (text layer, per page, or OCR when it is unusable), ``ocr``
(Tesseract), ``layout`` (word boxes -> lines -> columns -> blocks), ``clean`` (Unicode, line joining,
French de-hyphenation, plain-text blocks). It never loads the NLP stage: the French vocabulary it
needs comes from :mod:`pipeline.lang_fr.lexicon`.
"""
from __future__ import annotations

from .plain import document_from_text
from .sources import load

__all__ = ["load", "document_from_text"]
