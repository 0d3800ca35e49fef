"""One pure-Python, CPU-bound stage at a time in a process.

Threads of one Python process share the GIL: two threads that both parse PDF pages or run spaCy do
not go faster than one, they go slower (each hands the GIL to the other every few milliseconds and
loses its caches): 50 digital bulletins took 10-20 % longer on two threads than on one. The flow's
default runner has two threads so that one document's OCR (a Tesseract subprocess, outside the GIL)
overlaps another's Python work; this lock keeps the Python work itself one stage at a time. Stages
take it per page or per document, never around a subprocess, so OCR still overlaps. Dask workers
(one thread each) never wait on it."""
from __future__ import annotations

import threading

python_stage = threading.RLock()
