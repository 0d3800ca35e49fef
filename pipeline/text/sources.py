"""Loading a file into a Document: the kind is told by the bytes, not only the name.

.txt -> one page of plain text (.plain, .clean); PDF -> text layer per page, OCR for pages without
a usable one (.pdf, .ocr); PNG/TIFF/JPEG -> OCR per frame.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import EmptyInput, InputNotFound, UnreadableInput, UnsupportedInput
from ..document import Document

IMAGE_MAGIC = {b"\x89PNG": "png", b"\xff\xd8\xff": "jpeg", b"II*\x00": "tiff", b"MM\x00*": "tiff"}


def sniff(path: Path, head: bytes) -> str:
    """'pdf', 'png', 'jpeg', 'tiff' or 'text' from the first bytes; UnsupportedInput otherwise."""
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    for magic, kind in IMAGE_MAGIC.items():
        if head.startswith(magic):
            return kind
    if path.suffix.lower() in (".txt", ".text", ".md"):
        controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
        if b"\x00" in head or controls > len(head) * 0.05:
            raise UnsupportedInput(path, "binary data in a .txt file")
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as e:
            if e.start < len(head) - 4:       # not just a character cut by the 4 KiB window
                try:
                    head.decode("cp1252")
                except UnicodeDecodeError:
                    raise UnsupportedInput(path, "binary data in a .txt file") from None
        return "text"
    suffix = path.suffix.lower() or "(no extension)"
    raise UnsupportedInput(path, suffix)


def read_text_file(path: Path, data: bytes) -> str:
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise UnreadableInput(path, "not UTF-8 or Windows-1252 text")


def load(path) -> Document:
    path = Path(path)
    if not path.exists():
        raise InputNotFound(path)
    if path.is_dir():
        raise UnsupportedInput(path, "directory")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise UnreadableInput(path, e.strerror or str(e)) from None
    if not data.strip():
        raise EmptyInput(path)
    kind = sniff(path, data[:4096])
    doc_id = hashlib.sha256(data).hexdigest()
    if kind == "text":
        from .plain import document_from_text
        text = read_text_file(path, data)
        if not text.strip():
            raise EmptyInput(path)
        return document_from_text(text, source=str(path), doc_id=doc_id)
    if kind == "pdf":
        from .pdf import load_pdf
        return load_pdf(path, data, doc_id)
    from .ocr import load_image
    return load_image(path, data, doc_id)
