"""Locks of one process: one pure-Python, CPU-bound stage at a time; one PDFium call at a time.

Threads of one Python process share the GIL: two threads that both parse PDF pages or run spaCy do
not go faster than one, they go slower (each hands the GIL to the other every few milliseconds and
loses its caches): 50 digital bulletins took 10-20 % longer on two threads than on one. The flow's
default runner has two threads so that one document's OCR (Tesseract, outside the GIL)
overlaps another's Python work; this lock keeps the Python work itself one stage at a time. Stages
take it per page or per document, never around Tesseract, so OCR still overlaps. Dask workers
(one thread each) never wait on it.

PDFium (pypdfium2) is not thread-safe: two threads opening documents at once can crash the process
(a flow with two threads died with a segmentation fault when two tasks started together). Every use
of it (object counts, page renders for OCR and for the review page) holds ``pdfium_lock``."""
from __future__ import annotations

import threading

python_stage = threading.RLock()
pdfium_lock = threading.RLock()
