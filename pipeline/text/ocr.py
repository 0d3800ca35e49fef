"""Scanned pages: Tesseract (French) word boxes -> the same reading-order logic as digital pages.

Pages are rendered with pypdfium2 at ``DPI`` (300: Tesseract's accuracy sweet spot), turned upright,
cleaned, OCR'd by Tesseract in French (libtesseract in this process, one thread a page; pages of a
document run on all cores), and the words with their confidence are laid out by :mod:`pipeline.layout`
in PDF points.
"""
from __future__ import annotations

import io
import math
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Optional

from ..cpu import pdfium_lock, python_stage
from ..errors import SetupError, UnreadableInput
from ..lang_fr import ocr_confusions
from .cipher import Glyph, decoded, learn, pairs
from .clean import digits_misread
from .coverage import coverage
from .furniture import issue_date_of
from .layout import Word, blocks_from_page, page_text, place_tables
from .tables import erase_rules, find_tables, grid_rules, image_rules, join_pages, scan_ruled, set_offsets, typed_tables, with_captions
from ..document import Document, Furniture, Page, TextBlock

DPI = 300
LANG = "fra"
MAX_PIXELS = 120_000_000        # decompression-bomb guard: ~ an A0 sheet at 300 dpi


_KEEP_ALONE = set("$%€£«»()&")


def is_noise(text: str, conf: float) -> bool:
    """Specks read as words: a lone punctuation mark (but '$', '%', '«'...), a low-confidence word
    without a letter or digit, or a single letter Tesseract gives no confidence at all (a speck under
    a title read as 'e', conf 0, put it on a line of its own and split the title from its end)."""
    if len(text) == 1 and text.isalpha() and conf < 10:
        return True
    has_alnum = any(ch.isalnum() for ch in text)
    if text in (":", ";", "!", "?") and conf >= 50:
        return False        # French sets these apart with a space: 'non financières : 26 en habitation'
    if text in ("-", "–", "—") and conf >= 80:
        return False        # a dash read with confidence separates words: 'Adèle PLANTEUR - 06 70 55 04 72'
    if not has_alnum and not (set(text) & _KEEP_ALONE):
        return True
    return conf < 30 and not any(ch.isalpha() for ch in text) and not (set(text) & _KEEP_ALONE) and len(text) < 3


def clean_ocr_word(text: str) -> str:
    """Specks stuck to a word: a leading '‘' or '_' (French text opens quotes with « and uses ’ only
    inside words), a doubled final period ('cune..')."""
    if len(text) > 1 and text[0] in "‘_`" and text[1].isalnum():
        text = text[1:]
    if text.endswith("..") and not text.endswith("...") and text[:-2][-1:].isalpha():
        text = text[:-1]
    return text


# letters Tesseract puts on French words that have none ('sociäle'); tried only on unknown words
# (an 'ã' of a Portuguese name, 'João', 'Guimarães', is read 'ä' too: tried first, kept only when known)
_DIAERESIS = {"ä": "ãaàâ", "ö": "oô", "ü": "uùû", "ë": "eéèê", "ï": "iî", "Ä": "AÀÂ", "Ö": "OÔ", "Ë": "ÈÉÊE"}
_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+){2,}")




@lru_cache(maxsize=1)
def _compound_places() -> frozenset[str]:
    from ..gazetteers import places
    return frozenset(p for p in places() if "–" not in p)


@lru_cache(maxsize=1)
def _places_by_length() -> dict[int, list[str]]:
    from ..gazetteers import places
    out: dict[int, list[str]] = {}
    for p in places():
        if "-" in p or "–" in p:
            out.setdefault(len(p), []).append(p)
    return out


def _near_place(word: str) -> Optional[str]:
    """A compound place name with one letter misread ('Gaspésie-lles-de-la-Madeleine': Î read as l):
    the one gazetteer place of the same length one substitution away, dashes aside."""
    from rapidfuzz.distance import Hamming
    core = word.rstrip(".,;:)»")
    tail = word[len(core):]
    plain = core.replace("–", "-")
    found = [p for p in _places_by_length().get(len(core), []) if Hamming.distance(p.replace("–", "-"), plain) == 1]
    if len({p.replace("–", "-") for p in found}) != 1:
        return None              # none, or several places as near: leave the word as read
    return max(found, key=lambda p: "–" in p) + tail       # the gazetteer's en dash when it has one


def fix_ocr_word(word: str, is_word: Callable[[str], bool]) -> str:
    """A diaeresis Tesseract put on a French word that has none ('sociäle' -> 'sociale') or doubled
    with its base letter ('ovoiïde' -> 'ovoïde'), an accent on a common word that has none
    ('térritoire'); only for words the vocabulary does not know."""
    confused = ocr_confusions()      # 'dé' for 'de': lang_fr/data/ocr_confusions.tsv
    if word in confused:
        return confused[word]
    if "0" in word and re.fullmatch(r"[a-zà-ÿ]*0[a-zà-ÿ0]*-?", word) and re.search(r"[a-zà-ÿ]", word):
        return word.replace("0", "o")       # a zero among lower-case letters is an o: 's0-' + 'ciale'
    if "-" in word and word[:1].isupper():
        near = _near_place(word)
        if near is not None:
            return near
    if re.search(r"-[aA]-", word):
        # the grave accent of a compound's 'à', lost (on a capital above all): "C'EST-A-DIRE" -> "C'EST-À-DIRE"
        fixed = re.sub(r"-([aA])-", lambda m: "-" + ("À" if m.group(1) == "A" else "à") + "-", word)
        core = re.sub(r"^(?:[ldjmnstc]|qu)['’]", "", fixed.strip(".,;:!?()«»\"'’"), flags=re.I)
        if is_word(core.lower()) and not is_word(core.lower().replace("-à-", "-a-")):
            return fixed
    if not re.search(r"[^\W\d_]", word):
        return word
    # each part of the word on its own: a name's second part ('Marie-Ëve'), the word after an elision
    # ("l'economie")
    fixed = re.sub(r"[^\W\d_]{2,}", lambda m: _fix_part(m.group(0), is_word), word)
    return _undoubled(fixed, is_word) if fixed == word else fixed


def _fix_part(tok: str, is_word: Callable[[str], bool]) -> str:
    """One run of letters of an OCR word, fixed when unknown and one change away from a known word."""
    if is_word(tok) or is_word(tok.lower()):
        return tok
    cands = []
    for i, c in enumerate(tok):
        if c in _DIAERESIS:
            cands += [tok[:i] + r + tok[i + 1:] for r in _DIAERESIS[c]]
            if i and tok[i - 1] in _DIAERESIS[c]:
                cands.append(tok[:i - 1] + tok[i:])
            if i + 1 < len(tok) and tok[i + 1] in _DIAERESIS[c]:
                cands.append(tok[:i + 1] + tok[i + 2:])
            if i + 1 < len(tok) and tok[i + 1] == _plain(c):        # 'baïie': the accent read as a letter more
                cands.append(tok[:i] + tok[i + 1:])
    # a circumflex read as a grave accent or a diaeresis ('théàtralisation'), or the other way round
    swap = {"à": "â", "â": "à", "è": "ê", "ê": "è", "ù": "û", "û": "ù", "î": "ï", "ï": "î"}
    cands += [tok[:i] + swap[c] + tok[i + 1:] for i, c in enumerate(tok) if c in swap]
    if tok.islower():     # a spurious accent on a common word ('térritoire'); names keep theirs
        plain = {"é": "e", "è": "e", "ê": "e", "à": "a", "â": "a", "ù": "u", "û": "u", "î": "i", "ô": "o"}
        cands += [tok[:i] + plain[c] + tok[i + 1:] for i, c in enumerate(tok) if c in plain]
    for cand in cands:
        if is_word(cand) or is_word(cand.lower()):
            return cand
    return tok


def _plain(c: str) -> str:
    import unicodedata
    return unicodedata.normalize("NFD", c)[0]


def _undoubled(word: str, is_word: Callable[[str], bool]) -> str:
    """A letter Tesseract doubled in a title in capitals ('IMPRROVE'): the word with one of them, when
    the vocabulary knows it and not the word as read. (Only capitals: a piece of a word cut at a line's
    end, 'coopé-' or 'loppe', may be a word with a letter less, 'copé' or 'lope'.)"""
    m = re.fullmatch(r"([«(\"]?)([^\W\d_]{4,})([.,;:!?)»\"]*)", word)
    if not m or not m.group(2).isupper() or is_word(m.group(2)) or is_word(m.group(2).lower()):
        return word
    tok = m.group(2)
    for i in range(1, len(tok)):
        if tok[i] == tok[i - 1]:
            cand = tok[:i] + tok[i + 1:]
            if is_word(cand) or is_word(cand.lower()):
                return m.group(1) + cand + m.group(3)
    return word


# a century's numerals with their superscript 'e', as Tesseract reads them in a small font: an I read as a
# brace, a bar or an l, the raised e as a degree sign or an apostrophe ('XV{°' for 'XVIe'), often with no
# confidence at all
_CENTURY_WORD = re.compile(r"([IVXL]*[{}\[\]|!l1]?[IVXL]*)([°º'’e]|[{}\[\]|!l1])")
_LIKE_I = str.maketrans("{}[]|!l1", "IIIIIIII")


def century_word(text: str, next_text: str) -> Optional[str]:
    """'XVIe' for a word read before 'siècle(s)' that is a century's numerals and its raised 'e' misread
    ('XV{°', 'XIX'', 'XV{'), else None."""
    if not re.match(r"si[eè]cles?\b", next_text):
        return None
    m = _CENTURY_WORD.fullmatch(text)
    if not m or sum(c in "IVXL" for c in text) < 1:
        return None
    head, mark = m.group(1), m.group(2)
    numerals = (head + (mark if mark in "{}[]|!l1" else "")).translate(_LIKE_I)
    if not re.fullmatch(r"X{0,2}(?:IX|IV|V?I{0,3})|X{1,2}", numerals) or not numerals:
        return None
    return numerals + "e"


_CENTURY = re.compile(r"\b([IVX]{2,5})['’](?= si[eè]cles?\b)")
_FIRST = re.compile(r"\b[lI]er(?= (?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)\b)")


# one accent read for another, letter for letter: tried on words the vocabulary does not know
_SAME_LENGTH = {"à": "â", "â": "à", "è": "ê", "ê": "è", "ù": "û", "û": "ù", "î": "ï", "ï": "î", "ä": "ãaàâ",
                "ö": "oô", "ü": "uùû", "ë": "eéèê"}
_ACCENTED = re.compile(r"[^\W\d_]*[àâèêùûîïäöüë][^\W\d_]*")


def fix_accents(text: str, is_word: Callable[[str], bool]) -> str:
    """Words joined again across a line-end hyphen ('théà-' + 'tralisation') get the accent fix that
    :func:`fix_ocr_word` gives whole words: one accent read for another, letter for letter, when the
    word is unknown and the new one known. Length-preserving."""
    def fix(m: re.Match) -> str:
        tok = m.group(0)
        if len(tok) < 4 or is_word(tok) or is_word(tok.lower()):
            return tok
        for i, c in enumerate(tok):
            for r in _SAME_LENGTH.get(c, ""):
                cand = tok[:i] + r + tok[i + 1:]
                if is_word(cand) or is_word(cand.lower()):
                    return cand
        return tok
    return _ACCENTED.sub(fix, text)


# the auxiliary 'a' and its past participle, misread either way: 'à rappelé' (a speck over the a), 'a annonce'
# (the acute accent not seen); 'à côté', 'à moitié' are no participles
_AUX_GRAVE = re.compile(r"(?<![\w'’])à(?= ([^\W\d_]+)\b)")
_AUX_ACUTE = re.compile(r"(?<![\w'’])a((?: (?:aussi|déjà|également|enfin|notamment|officiellement|récemment|ainsi))? )"
                        r"([^\W\d_]{3,}e)(?= ([\w'’]+))")
_NOT_PARTICIPLES = frozenset({"côté", "moitié", "volonté", "pitié", "proximité", "gré", "satiété", "portée", "pied"})
_IRREGULAR = frozenset({"reçu", "voulu", "pu", "dû", "vu", "su", "eu", "obtenu", "retenu", "soutenu", "conclu",
                        "perdu", "vendu", "rendu", "attendu", "entendu", "répondu", "connu", "paru", "lu", "fait",
                        "dit", "pris", "mis", "écrit", "ouvert", "offert", "permis", "promis", "acquis", "remis"})


def _participle(w: str, is_word: Callable[[str], bool]) -> bool:
    """A past participle of a verb the vocabulary knows ('rappelé': 'rappeler'; 'consenti': 'consentir')."""
    if w in _NOT_PARTICIPLES or not w.islower():
        return False
    if w in _IRREGULAR or w == "été":
        return True
    return (w.endswith("é") and len(w) >= 4 and is_word(w[:-1] + "er")) or \
        (w.endswith("i") and len(w) >= 4 and is_word(w + "r") and is_word(w[:-1] + "ir"))


def auxiliary_accents(text: str, is_word: Callable[[str], bool]) -> str:
    """'à' before a past participle is the auxiliary 'a' ('Michel Fontaine à rappelé' -> 'a rappelé');
    a verb after the auxiliary 'a' (and an adverb) that reads as a present form with an accented past
    participle of its own is that participle ('a aussi annonce une' -> 'a aussi annoncé une'; not
    before 'de': 'a cause de' is 'à cause de' misread). Length-preserving."""
    text = _AUX_GRAVE.sub(lambda m: "a" if _participle(m.group(1), is_word) else "à", text)

    def acute(m: re.Match) -> str:
        w, nxt = m.group(2), m.group(3)
        cand = w[:-1] + "é"
        if nxt.lower() in ("de", "du", "des") or nxt.lower().startswith(("d'", "d’")) or not w.islower() \
                or not is_word(cand) or not is_word(w[:-1] + "er"):
            return m.group(0)
        return "a" + m.group(1) + cand
    return _AUX_ACUTE.sub(acute, text)


def correct_ocr_text(text: str, is_word: Optional[Callable[[str], bool]] = None) -> str:
    """The en dash that joins two place names when one is itself a compound, read by Tesseract as a
    hyphen: 'Saguenay-Lac-Saint-Jean' -> 'Saguenay–Lac-Saint-Jean' ('Abitibi-Témiscamingue' stays);
    a century's 'e' read as an apostrophe ('XX' siècle'), the first of a month read 'ler'; with
    ``is_word``, an accent misread in a word joined across lines (:func:`fix_accents`); letters read for
    digits inside numbers (:func:`~pipeline.text.clean.digits_misread`). Length-preserving, so block
    offsets stay valid."""
    places = _compound_places()
    if is_word is not None:
        text = auxiliary_accents(fix_accents(text, is_word), is_word)

    def fix(m: re.Match) -> str:
        parts = m.group(0).split("-")
        for i in range(1, len(parts)):
            left, right = "-".join(parts[:i]), "-".join(parts[i:])
            if left in places and right in places and ("-" in left or "-" in right):
                return f"{left}–{right}"
        return m.group(0)
    # a century's superscript 'e' read as an apostrophe: 'le XX' siècle' -> 'le XXe siècle'
    text = _CENTURY.sub(lambda m: m.group(1) + "e", text)
    # the first of a month read with an l: 'le ler octobre' -> 'le 1er octobre'
    text = _FIRST.sub("1er", text)
    # letters read for digits inside numbers: 'l986', '25O 000 $'
    return _TOKEN.sub(fix, digits_misread(text, is_word))


class TesseractUnavailable(SetupError):
    """Tesseract or its French model cannot be loaded (the message says where it was looked for): the
    machine's problem, not a page's, so a run stops with this one line instead of failing every scan."""


class _Engines:
    """Tesseract engines of this process (libtesseract through tesserocr), kept and lent out.

    An engine loads the French model once (0.13 s of CPU), where the ``tesseract`` command loads it
    for every page (0.07 s, and the page written to a file for it to read): a page is handed over
    as raw grey bytes and read with the same code and settings as the command, with the same words,
    boxes and confidences (``tesseract IMAGE - -l fra --psm 3 --dpi 300 tsv``). An engine is
    lent to one thread at a time; threads that read pages at once each get their own (pages of a
    document run on all cores), so a process keeps as many engines as it ever read pages at once (17-40 MB
    each). Tesseract runs outside the GIL; a crash inside it (never seen) would end the process, not a page."""

    def __init__(self):
        self._idle: list = []
        self._lock = threading.Lock()

    def _new(self):
        # Tesseract's OpenMP reads this when the library loads: one thread a page, pages run in parallel
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        try:
            import tesserocr
        except ImportError as e:
            raise TesseractUnavailable(f"Tesseract cannot be loaded ({e}); install the project with scripts/setup.sh") from None
        try:
            return tesserocr.PyTessBaseAPI(lang=LANG, psm=tesserocr.PSM.AUTO)
        except RuntimeError as e:
            path = os.environ.get("TESSDATA_PREFIX") or tesserocr.get_languages()[0]
            raise TesseractUnavailable(f"Tesseract cannot load its {LANG!r} model from {path!r} ({e}); "
                                       f"install Debian's tesseract-ocr-{LANG}") from None

    @contextmanager
    def lend(self):
        with self._lock:
            engine = self._idle.pop() if self._idle else None
        engine = engine or self._new()
        try:
            yield engine
        finally:
            engine.Clear()
            with self._lock:
                self._idle.append(engine)


_engines = _Engines()


def load_engine() -> None:
    """Load a Tesseract engine now, so that a long-lived process's first page does not pay for it."""
    with _engines.lend():
        pass


_TSV = ("level", "page_num", "block_num", "par_num", "line_num", "word_num", "left", "top", "width", "height", "conf", "text")


def tesseract_data(image, dpi: int, psm: int = 3) -> dict[str, list]:
    """Tesseract's reading of a PIL image (made grey) at ``dpi``, in page segmentation mode ``psm``, as
    columns: what ``tesseract IMAGE - -l fra --psm PSM --dpi DPI tsv`` prints: level, page_num,
    block_num, par_num, line_num, word_num, left, top, width, height, conf (-1 for a page, block,
    paragraph or line row) and text."""
    gray = image if image.mode == "L" else image.convert("L")
    raw = gray.tobytes()                # (Tesseract reads it without a copy: kept alive until read)
    with _engines.lend() as engine:
        engine.SetPageSegMode(psm)
        engine.SetVariable("user_defined_dpi", str(dpi))
        engine.SetImageBytes(raw, gray.size[0], gray.size[1], 1, gray.size[0])
        engine.SetSourceResolution(dpi)
        tsv = engine.GetTSVText(0)
    cols: dict[str, list] = {k: [] for k in _TSV}
    for line in tsv.splitlines():
        cells = line.split("\t", len(_TSV) - 1)
        if len(cells) < len(_TSV):
            cells += [""] * (len(_TSV) - len(cells))
        for k, v in zip(_TSV, cells):
            cols[k].append(v if k == "text" else float(v) if k == "conf" else int(v))
    return cols


def ocr_words(image, scale: float) -> tuple[list[Word], float, list[tuple], list[float]]:
    """Tesseract's words of a PIL image, boxes scaled to points, their mean confidence (0-100), and
    for each word its line id (block, paragraph, line) and its confidence."""
    data = tesseract_data(image, round(72.0 / scale))
    words, confs, keys = [], [], []
    for text, conf, x, y, w, h, b, p, l in zip(data["text"], data["conf"], data["left"], data["top"], data["width"],
                                              data["height"], data["block_num"], data["par_num"], data["line_num"]):
        text = clean_ocr_word((text or "").strip())
        c = float(conf)
        if not text or c < 0 or is_noise(text, c):
            continue
        words.append(Word(text, x * scale, y * scale, (x + w) * scale, (y + h) * scale, 0.0))
        confs.append(c)
        keys.append((b, p, l))
    return words, (sum(confs) / len(confs) if confs else 0.0), keys, confs


def _letters(text: str) -> str:
    return "".join(c for c in text if c.isalpha())


def _read_crop(gray, box: tuple, scale: float, psm: int) -> list[tuple[str, float, tuple]]:
    """Tesseract on one region of the page (``box`` in points), in a white margin (nothing of what lies
    beside the region is read with it): [(text, confidence, box in points)]."""
    from PIL import Image
    x0, y0, x1, y1 = (round(v / scale) for v in box)
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(gray.size[0], x1), min(gray.size[1], y1)    # (PIL pads with black)
    pad = 6
    crop = Image.new("L", (x1 - x0 + 2 * pad, y1 - y0 + 2 * pad), 255)
    crop.paste(gray.crop((x0, y0, x1, y1)), (pad, pad))
    data = tesseract_data(crop, round(72.0 / scale), psm)
    out = []
    for text, conf, x, y, w, h in zip(data["text"], data["conf"], data["left"], data["top"], data["width"], data["height"]):
        text = clean_ocr_word((text or "").strip())
        if text and float(conf) >= 0:
            out.append((text, float(conf), ((x0 - pad + x) * scale, (y0 - pad + y) * scale,
                                            (x0 - pad + x + w) * scale, (y0 - pad + y + h) * scale)))
    return out


def _ink_box(ink, box: tuple, scale: float) -> Optional[tuple]:
    """The box (points) of the ink inside ``box`` (points) of the page's ink mask, or None."""
    import numpy as np
    h, w = ink.shape
    x0, y0 = max(0, round(box[0] / scale)), max(0, round(box[1] / scale))
    x1, y1 = min(w, round(box[2] / scale)), min(h, round(box[3] / scale))
    if x1 <= x0 or y1 <= y0:
        return None
    sub = ink[y0:y1, x0:x1]
    cols, rows = np.flatnonzero(sub.sum(axis=0) >= 2), np.flatnonzero(sub.sum(axis=1) >= 2)
    if not len(cols) or not len(rows):
        return None
    return ((x0 + cols[0]) * scale, (y0 + rows[0]) * scale, (x0 + cols[-1] + 1) * scale, (y0 + rows[-1] + 1) * scale)


def _overlap(box: tuple, w: Word) -> float:
    """The share of ``box`` that word ``w`` covers."""
    dx = min(box[2], w.x1) - max(box[0], w.x0)
    dy = min(box[3], w.bottom) - max(box[1], w.top)
    area = (box[2] - box[0]) * (box[3] - box[1])
    return dx * dy / area if dx > 0 and dy > 0 and area > 0 else 0.0


def _cap_letter(reads: list[tuple[str, float, tuple]]) -> Optional[str]:
    """The capital a drop cap's crop was read as ('D', 'É'; 'D:' read with a speck), or None."""
    letters = _letters("".join(t for t, _, _ in reads))
    if len(letters) == 1 and letters.isupper() and max(c for _, c, _ in reads) >= 30:
        return letters
    return None


def drop_cap_words(gray, words: list[Word], keys: list[tuple], confs: list[float],
                   scale: float) -> tuple[list[Word], list[tuple], list[float]]:
    """Drop caps Tesseract's page reading misses or mangles, read again on their own. A drop cap is a
    capital two to four lines tall beside the first lines of a paragraph; Tesseract's page layout often
    leaves it out (its paragraph then starts 'u 5 au 7 mai' for 'Du 5 au 7 mai'), or reads it as one
    'word' with the text beside it ('D::' over the capital and the word 'réunis' on the line below
    its first). Found from the page: ink no word covers just left of a line's first word, as tall as
    two lines; or a tall word of one or two letters read wider than a capital. The capital is read
    with Tesseract's single-character mode, and what a mangled word covered beyond it is read again
    as a block of text; the layout then joins the capital to its word. Only a single capital letter
    read with some confidence is taken: photos, rules and vertical tabs beside a line are not."""
    if len(words) < 10:
        return words, keys, confs
    import numpy as np
    body = sorted(w.bottom - w.top for w in words)[len(words) // 2]
    ink = np.asarray(gray, dtype=np.uint8) < 128
    replaced, gone, added = _mangled_caps(gray, ink, words, keys, confs, scale, body)
    added += _unread_caps(gray, ink, words, keys, scale, body, added)
    kept = [i for i in range(len(words)) if i not in gone]
    out_w = [replaced.get(i, (words[i], confs[i]))[0] for i in kept] + [w for w, _, _ in added]
    out_k = [keys[i] for i in kept] + [k for _, k, _ in added]
    out_c = [replaced.get(i, (words[i], confs[i]))[1] for i in kept] + [c for _, _, c in added]
    return out_w, out_k, out_c


def _mangled_caps(gray, ink, words: list[Word], keys: list[tuple], confs: list[float], scale: float,
                  body: float) -> tuple[dict[int, tuple[Word, float]], set[int], list[tuple]]:
    """Drop caps read as one tall word of one or two letters, wider than a capital, with the words beside
    it. Returns the words replaced by the capital alone (when the lines beside it read no better again),
    the words whose lines were read again, and what replaces them: (word, line key, confidence)."""
    replaced: dict[int, tuple[Word, float]] = {}
    gone: set[int] = set()
    added: list[tuple] = []
    for i, w in enumerate(words):
        h = w.bottom - w.top
        if not (h > 2.0 * body and 1 <= len(_letters(w.text)) <= 2 and len(w.text) <= 4 and w.x1 - w.x0 > 1.3 * h):
            continue
        if any(keys[j] == keys[i] and j != i and o.bottom - o.top > 0.6 * h for j, o in enumerate(words)):
            continue        # a word of a title as tall as the rest of its line ('TO IMPROVE')
        sub = ink[round(w.top / scale):round(w.bottom / scale), round(w.x0 / scale):round(w.x1 / scale)]
        colink = sub.sum(axis=0) > 0
        start = int(0.3 * h / scale)
        gap = next((j for j in range(start, len(colink) - 1) if not colink[j] and not colink[j + 1]), None)
        if gap is None:
            continue
        cap_box = _ink_box(ink, (w.x0, w.top, w.x0 + gap * scale, w.bottom), scale)
        letter = _cap_letter(_read_crop(gray, cap_box, scale, 10)) if cap_box else None
        if letter is None:
            continue
        # the lines beside the capital, read again as a block from its right edge to their end, replace
        # what the page's reading made of them
        x = w.x0 + gap * scale
        beside = [j for j, o in enumerate(words) if j != i and keys[j][0] == keys[i][0] and o.x1 > x
                  and w.top - 0.3 * body <= (o.top + o.bottom) / 2 <= w.bottom + 0.3 * body]
        line_keys = sorted({keys[j] for j in beside} | {keys[i]}, key=lambda k: min(
            (words[j].top for j in range(len(words)) if keys[j] == k), default=w.top))
        region = (x, min([w.top] + [words[j].top for j in beside]), max([w.x1] + [words[j].x1 for j in beside]) + 1.0,
                  max([w.bottom] + [words[j].bottom for j in beside]))
        reads = [r for r in _read_crop(gray, region, scale, 6) if r[1] >= 30 and r[0].strip(".,:;'’")]
        if len(_letters("".join(r[0] for r in reads))) < 0.9 * len(_letters("".join(words[j].text for j in beside))):
            replaced[i] = (Word(letter, *cap_box, 0.0), max(confs[i], 50.0))     # (the capital alone)
            continue
        gone |= set(beside) | {i}
        mid = {k: min((words[j].top + words[j].bottom) / 2 for j in range(len(words)) if keys[j] == k) for k in line_keys}
        added.append((Word(letter, *cap_box, 0.0), line_keys[0], 50.0))
        for text, conf, box in reads:
            cy = (box[1] + box[3]) / 2
            added.append((Word(text, *box, 0.0), min(line_keys, key=lambda k: abs(mid[k] - cy)), conf))
    return replaced, gone, added


def _unread_caps(gray, ink, words: list[Word], keys: list[tuple], scale: float, body: float,
                 added: list[tuple]) -> list[tuple]:
    """Drop caps Tesseract left out: ink no word covers, just left of a line's first word, as tall as two
    lines, not where ``added`` already put a capital. Returns them as (word, line key, confidence)."""
    import numpy as np
    covered = np.zeros_like(ink)
    for w in words:
        covered[max(0, round(w.top / scale) - 1):round(w.bottom / scale) + 1,
                max(0, round(w.x0 / scale) - 1):round(w.x1 / scale) + 1] = True
    free = ink & ~covered
    firsts: dict[tuple, int] = {}
    for i, k in enumerate(keys):
        if k not in firsts or words[i].x0 < words[firsts[k]].x0:
            firsts[k] = i
    found: list[tuple] = []
    for k, i in firsts.items():
        w = words[i]
        if w.x0 < 2 * body:
            continue
        region = (w.x0 - 4 * body, w.top - 0.5 * body, w.x0 - 1.0, w.top + 4.5 * body)
        x0, y0 = max(0, round(region[0] / scale)), max(0, round(region[1] / scale))
        x1, y1 = round(region[2] / scale), round(region[3] / scale)
        if x1 <= x0 or free[y0:y1, x0:x1].sum() < (body / scale) ** 2 * 0.3:
            continue
        box = _ink_box(free, region, scale)
        if box is None:
            continue
        bw, bh = box[2] - box[0], box[3] - box[1]
        sub = free[round(box[1] / scale):round(box[3] / scale), round(box[0] / scale):round(box[2] / scale)]
        # twice as tall as the line (a title's first letter missed is no drop cap), its top level with
        # the line's, the capital's shape (inside the region, not a solid bar or block: a tab, a
        # photo), and no word of ours on it
        if not (1.8 * max(body, w.bottom - w.top) <= bh <= 5 * body and 0.4 * body <= bw <= 1.4 * bh
                and abs(box[1] - w.top) <= 0.8 * body
                and box[1] > region[1] + 1.0 and box[3] < region[3] - 1.0 and sub.mean() < 0.7
                and not any(o.x0 < box[2] and box[0] < o.x1 and o.top < box[3] and box[1] < o.bottom
                                                for o in words)
                and not any(box[0] < a[0].x1 and a[0].x0 < box[2] and box[1] < a[0].bottom and a[0].top < box[3]
                            for a in added + found)):
            continue
        letter = _cap_letter(_read_crop(gray, box, scale, 10))
        if letter is not None:
            found.append((Word(letter, *box, 0.0), k, 50.0))
    return found


_PUNCT = ".,;:!?()[]«»\"'’…*•-–—/"


def _known(text: str, is_word: Callable[[str], bool]) -> bool:
    """A word (its punctuation and elision aside) the vocabulary knows, whole or by its hyphenated parts;
    a token without letters counts as known."""
    core = text.strip(_PUNCT)
    if not any(c.isalpha() for c in core):
        return True
    core = re.sub(r"^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu)['’]", "", core, flags=re.I)
    parts = [p for p in core.split("-") if p]
    return is_word(core) or is_word(core.lower()) or bool(parts) and all(is_word(p) or is_word(p.lower()) for p in parts)


def with_layer_words(words: list[Word], layer: list[Word], is_word: Callable[[str], bool]) -> list[Word]:
    """Our OCR of a page that carries an earlier engine's OCR layer: each word of ours that the
    vocabulary does not know ('d’angjlais…..dont'), where the layer has known words in the same place
    spelling nearly the same letters ("d'anglais", '...dont'), takes the layer's words (each over its
    share of our box). Two readings of one image: where ours misreads, theirs may not."""
    from rapidfuzz.distance import Levenshtein
    if not layer:
        return words
    out = []
    for w in words:
        h = w.bottom - w.top
        cy = (w.top + w.bottom) / 2
        same = sorted((l for l in layer if l.top - 0.5 * h <= cy <= l.bottom + 0.5 * h
                       and w.x0 - 0.3 * h <= (l.x0 + l.x1) / 2 <= w.x1 + 0.3 * h), key=lambda l: l.x0)
        if _known(w.text, is_word):
            out.append(w)
            continue
        ours = re.sub(r"\W", "", w.text.lower())
        theirs = re.sub(r"\W", "", "".join(l.text for l in same).lower())
        if not same or not all(_known(l.text, is_word) for l in same) or \
                Levenshtein.normalized_similarity(ours, theirs) < 0.75:
            out.append(w)
            continue
        lx0, lx1 = same[0].x0, max(l.x1 for l in same)
        span = max(lx1 - lx0, 1e-6)
        for l in same:
            a = w.x0 + (l.x0 - lx0) / span * (w.x1 - w.x0)
            b = w.x0 + (l.x1 - lx0) / span * (w.x1 - w.x0)
            out.append(Word(l.text, a, w.top, max(b, a + 0.1), w.bottom, w.size))
    return out


def drop_marks(words: list[Word], keys: list[tuple], confs: list[float], is_word: Callable[[str], bool]) -> list[int]:
    """Indexes of the words to keep. Tesseract reads the accents and i-dots of a large title as words
    of their own ('L4', 'Q', 'po' over 'Des coopératives bien ancrées dans leur milieu'), on a line of
    their own that splits the title: a word at most 0.55 as tall as the tallest word of another line,
    sitting on top of one of that line's words (its centre within that word's width, from half that
    word's height above its top to a third of the way down), that is not a French word or is read
    with low confidence (< 70), is such a mark. And a word read with almost no
    confidence (< 5), unless a French word of 4 letters or more, is a guess ('pa MES' for a bold
    heading on a grey panel). A drop cap (one or two letters read) is no title word: the words of
    the lines beside it are not its marks."""
    tallest: dict[tuple, float] = {}
    for w, k in zip(words, keys):
        tallest[k] = max(tallest.get(k, 0.0), w.bottom - w.top)
    keep = []
    for i, w in enumerate(words):
        h, cx, cy = w.bottom - w.top, (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
        core = w.text.strip(".,;:!?()«»\"")
        last = re.split(r"['’]", core)[-1]          # "d'investissement": the word after the elision
        known = any(is_word(x) or is_word(x.lower()) for x in (core, last) if x)
        if confs[i] < 5 and not (known and len(last) >= 4):
            continue
        mark = (not known or confs[i] < 70) and any(
            h <= 0.55 * tallest[keys[j]] and b.x0 <= cx <= b.x1
            and b.top - 0.5 * (b.bottom - b.top) <= cy <= b.top + 0.3 * (b.bottom - b.top)
            for j, b in enumerate(words) if j != i and keys[j] != keys[i] and len(_letters(b.text)) >= 3)
        if not mark:
            keep.append(i)
    return keep


def shaded_panels(gray, scale: float) -> list[tuple[float, float, float, float]]:
    """Shaded panels (a sidebar's tinted background) of a scanned page, in points: the largest
    rectangle of light-grey background, found from column and row shares of light-grey pixels on a
    downsampled page (text and specks inside the panel do not break it)."""
    import numpy as np
    f = 8
    small = gray.reduce(f)
    a = np.asarray(small, dtype=np.float32)
    tint = (a > 205) & (a < 246)
    cols = tint.mean(axis=0)
    xs = np.flatnonzero(cols > 0.45)
    if xs.size < 0.15 * a.shape[1]:
        return []
    x0, x1 = _longest_run(xs)
    if x1 - x0 < 0.15 * a.shape[1]:
        return []
    # a panel row is tinted, or (a line of its text) has almost no white; the white leading between
    # lines of text outside the panel breaks the run
    rows = tint[:, x0:x1 + 1].mean(axis=1)
    inked = (a[:, x0:x1 + 1] < 246).mean(axis=1)
    ys = np.flatnonzero((rows > 0.45) | (inked > 0.9))
    if ys.size == 0:
        return []
    y0, y1 = _longest_run(ys)
    if y1 - y0 < 0.10 * a.shape[0]:
        return []
    k = f * scale
    return [(x0 * k, y0 * k, (x1 + 1) * k, (y1 + 1) * k)]


def _longest_run(idx) -> tuple[int, int]:
    """The longest run of consecutive integers in a sorted index array (gaps of one are bridged)."""
    best, start, prev = (int(idx[0]), int(idx[0])), int(idx[0]), int(idx[0])
    for v in idx[1:]:
        v = int(v)
        if v - prev > 2:
            start = v
        prev = v
        if prev - start > best[1] - best[0]:
            best = (start, prev)
    return best


def estimate_skew(gray, max_angle: float = 2.0, step: float = 0.1) -> float:
    """The rotation (degrees, PIL's sense: counter-clockwise) that makes text lines horizontal: the
    angle whose row profile of a downsampled, binarised page has the sharpest peaks (the largest
    variance of its steps). The profile at an angle is the ink pixels' rows once turned, counted:
    each pixel is projected, not the image turned (the angle PIL's turns gave on 86 of 87 scans, the
    other 0.1 degree apart, in a quarter of the time)."""
    import numpy as np
    small = np.asarray(gray.reduce(max(1, max(gray.size) // 900)))     # a box-filter reduction
    h, w = small.shape
    ys, xs = np.nonzero(small < 140)
    x = (xs - w / 2 + 0.5).astype(np.float32)
    y = (ys - h / 2 + 0.5).astype(np.float32)

    def score(a: float) -> float:
        r = math.radians(a)
        rows = np.floor(h / 2 + y * math.cos(r) - x * math.sin(r)).astype(np.int64)
        rows = rows[(rows >= 0) & (rows < h)]
        return float(np.var(np.diff(np.bincount(rows, minlength=h).astype(np.float32))))

    # coarse (0.5 degree) then fine (``step``) around the best coarse angle: 19 angles, not 41
    coarse = [k * 0.5 for k in range(-int(max_angle / 0.5), int(max_angle / 0.5) + 1)]
    best = max(coarse, key=score)
    n = int(round(0.5 / step))
    fine = [round(best + k * step, 3) for k in range(-n, n + 1) if abs(best + k * step) <= max_angle + 1e-9]
    return max(fine, key=score)


def _shear(a, t: float, axis: int):
    """A grey image (numpy, uint8) slid along ``axis`` by ``t`` pixels per pixel across it, read
    linearly between the two nearest pixels, white beyond the edges: ``axis=1`` (rows slide)
    ``out[y, x] = a[y, x + (y - h/2) t]``; ``axis=0`` (columns slide) ``out[y, x] = a[y + (x - w/2) t, x]``.
    Lines that share a whole shift are moved together (a page askew by a degree: some 60 bands)."""
    import numpy as np
    across = 1 - axis
    n, m = a.shape[axis], a.shape[across]
    f = (np.arange(m) - m / 2 + 0.5) * t
    whole = np.floor(f).astype(np.int64)
    part = np.round((f - whole) * 256).astype(np.uint16)
    part = part[None, :] if axis == 0 else part[:, None]
    pad = int(np.abs(whole).max()) + 2
    p = np.pad(a, ((pad, pad), (0, 0)) if axis == 0 else ((0, 0), (pad, pad)), constant_values=255).astype(np.uint16)
    out = np.empty_like(a)
    cuts = np.flatnonzero(np.diff(whole)) + 1
    for i0, i1 in zip(np.r_[0, cuts], np.r_[cuts, m]):
        s, band = whole[i0] + pad, slice(i0, i1)
        if axis == 0:
            k, lo, hi, dst = part[:, band], p[s:s + n, band], p[s + 1:s + 1 + n, band], (slice(None), band)
        else:
            k, lo, hi, dst = part[band], p[band, s:s + n], p[band, s + 1:s + 1 + n], band
        out[dst] = (lo * (256 - k) + hi * k + 128) >> 8
    return out


def turn_page(gray, angle: float):
    """A grey page turned by ``angle`` degrees about its centre, counter-clockwise as PIL's ``rotate``
    turns it, by two shears, each read linearly between two pixels: the rows slid by ``-tan(angle)``,
    then the columns by ``sin(angle)`` (white beyond the edges). That is the turn and a stretch of
    ``1 - cos(angle)`` (under a pixel for a page askew by 2 degrees); one pass across and one down,
    as PIL's bilinear turn reads: on 86 zoo scans sentences intact 0.970 against 0.969 with PIL's
    turn (8 pages better, 8 worse), in about half its time (0.02-0.08 s against 0.06-0.12 s an A4
    page at 300 dpi). A third shear (Paeth's exact turn) blurs the rows twice: 0.967."""
    import numpy as np
    from PIL import Image
    r = math.radians(angle)
    return Image.fromarray(_shear(_shear(np.asarray(gray), -math.tan(r), 1), math.sin(r), 0), mode="L")


def despeckle(gray):
    """Salt-and-pepper specks of a photocopy or scanner glass, read by Tesseract as '.', ':' or
    accents: a 3x3 median filter removes dots smaller than a stroke and keeps the letters. Computed
    exactly with numpy as the median of the three column medians' neighbourhood: each vertical triple
    is sorted once (low, middle, high), and a window's median is the median of the highest of its three
    lows, the median of its three middles and the lowest of its three highs. The same pixels as PIL's
    MedianFilter(3), about 9 times faster (23 against 212 ms a page on the zoo's scans)."""
    import numpy as np
    from PIL import Image
    a = np.asarray(gray if gray.mode == "L" else gray.convert("L"), dtype=np.uint8)
    pad = np.pad(a, 1, mode="edge")
    r0, r1, r2 = pad[:-2], pad[1:-1], pad[2:]
    lo, hi = np.minimum(r0, r1), np.maximum(r0, r1)
    mid, hi = np.minimum(hi, r2), np.maximum(hi, r2)
    lo, mid = np.minimum(lo, mid), np.maximum(lo, mid)
    def med3(x, y, z):
        return np.maximum(np.minimum(x, y), np.minimum(np.maximum(x, y), z))
    low = np.maximum(np.maximum(lo[:, :-2], lo[:, 1:-1]), lo[:, 2:])
    high = np.minimum(np.minimum(hi[:, :-2], hi[:, 1:-1]), hi[:, 2:])
    out = med3(low, med3(mid[:, :-2], mid[:, 1:-1], mid[:, 2:]), high)
    return Image.fromarray(np.ascontiguousarray(out), mode="L")


class Turn:
    """The rotation by ``angle`` degrees (PIL's sense: counter-clockwise on screen) about the page
    centre, for boxes in points: the page is deskewed before OCR, and the block boxes found in the
    deskewed frame are turned back so that they land on the page image as scanned (the review page
    draws them there)."""

    def __init__(self, angle: float, width: float, height: float):
        import math
        self.cx, self.cy = width / 2, height / 2
        self.cos, self.sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))

    def point(self, x: float, y: float, inverse: bool = False) -> tuple[float, float]:
        dx, dy, s = x - self.cx, y - self.cy, -self.sin if inverse else self.sin
        return self.cx + dx * self.cos + dy * s, self.cy - dx * s + dy * self.cos

    def envelope(self, box: tuple, inverse: bool = False) -> tuple[float, float, float, float]:
        """The upright box around a turned box (x0, top, x1, bottom)."""
        x0, y0, x1, y1 = box[:4]
        pts = [self.point(x, y, inverse) for x in (x0, x1) for y in (y0, y1)]
        return min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts)


MIN_SKEW = 0.3       # degrees: a line askew by less drifts < 6 px over a 1200 px column, a sixth of a line


def deskew(gray):
    """(the page turned so its text lines are horizontal, the angle); a page askew by less than
    ``MIN_SKEW`` is left as it is (Tesseract reads it as well, and the turn costs 0.04-0.06 s). Tesseract
    alone reads a page askew by a degree with stray accents ('là SADC', 'à rouvert') and loses lines
    at two."""
    angle = estimate_skew(gray)
    if abs(angle) < MIN_SKEW:
        return gray, 0.0
    return turn_page(gray, angle), angle


def ocr_image(image, number: int, dpi: float, is_word: Callable[[str], bool], layer: Optional[list[Word]] = None,
              glyphs: Optional[list[Glyph]] = None) -> Page:
    """A page image read by Tesseract and laid out. ``layer``: the words of an earlier OCR layer of
    the same page (in points), read where ours are no French word (:func:`with_layer_words`).
    ``glyphs``: the page's text layer of glyphs without characters, decoded with our reading and then
    read where all its glyphs are known (:mod:`pipeline.text.cipher`); the page's ``method_reason``
    says what that taught."""
    scale = 72.0 / dpi
    width, height = image.size[0] * scale, image.size[1] * scale
    gray, angle = deskew(image if image.mode == "L" else image.convert("L"))
    # a table's rules (thin long lines of the image) are found, and those of a drawn grid whited out for
    # Tesseract (lone rules stay: Tesseract reads the page as it did)
    hlines, vlines = image_rules(gray, scale)
    clean = erase_rules(despeckle(gray), scale, grid_rules(hlines, vlines))
    words, conf, keys, confs = ocr_words(clean, scale)   # Tesseract: outside the GIL and the lock
    words, keys, confs = drop_cap_words(clean, words, keys, confs, scale)
    turn = Turn(angle, width, height)

    def on_scan(b):
        return tuple(round(v, 1) for v in _clip(turn.envelope(b, inverse=True), width, height))
    with python_stage:
        for i in range(len(words) - 1):
            if keys[i] == keys[i + 1] and (c := century_word(words[i].text, words[i + 1].text)):
                w = words[i]
                words[i] = Word(c, w.x0, w.top, w.x1, w.bottom, w.size)
                confs[i] = max(confs[i], 50.0)      # read from its context: no guess to drop
        kept = drop_marks(words, keys, confs, is_word)
        keep = set(kept)
        # marks and guesses are set apart as furniture, with why: nothing Tesseract read is lost unseen
        noise = [Furniture("noise", w.text, "an accent or dot of a large title read as a word, or a word read with "
                           f"almost no confidence ({confs[i]:.0f})", on_scan((w.x0, w.top, w.x1, w.bottom)))
                 for i, w in enumerate(words) if i not in keep]
        words, keys = [words[i] for i in kept], [keys[i] for i in kept]
        words = [w if (t := fix_ocr_word(w.text, is_word)) == w.text else Word(t, w.x0, w.top, w.x1, w.bottom, w.size)
                 for w in words]
        taught = None
        if glyphs:
            if angle:       # ours are read on the page turned upright: turn the glyphs' boxes the same way
                glyphs = [Glyph(g.key, *turn.envelope((g.x0, g.top, g.x1, g.bottom))) for g in glyphs]
            paired = pairs(words, glyphs)
            cipher = learn(words, glyphs, paired)
            words, changed = decoded(words, glyphs, cipher, paired)
            taught = (f"the layer's glyphs decoded with the OCR ({len(cipher.table)} of its {cipher.kinds} glyphs "
                      f"without characters learnt; {changed} words read from the layer)")
        if layer:
            if angle:       # ours are read on the page turned upright: turn the layer's boxes the same way
                layer = [Word(l.text, *turn.envelope((l.x0, l.top, l.x1, l.bottom)), l.size) for l in layer]
            # (a word of ours replaced by the layer's words: they keep its line id)
            merged = [(n, k) for w, k in zip(words, keys) for n in with_layer_words([w], layer, is_word)]
            words, keys = [m[0] for m in merged], [m[1] for m in merged]
        # tables (ruled: the image's rules; or columns of aligned words) are read as tables, their
        # words kept out of the paragraphs
        key_of = {id(w): k for w, k in zip(words, keys)}
        found, rest = find_tables(words, is_word, scan_ruled(hlines, vlines, words), ocr=True,
                                  hrules=[(b[0], b[2], (b[1] + b[3]) / 2) for b in hlines])
        tables, grids = typed_tables(found, number, is_word)
        grids = [[[correct_ocr_text(c, is_word) for c in row] for row in g] for g in grids]
        blocks, furniture = blocks_from_page(rest, width, height, is_word, shaded_panels(gray, scale),
                                             [key_of[id(w)] for w in rest])
        blocks = place_tables(blocks, [(t.bbox, g) for t, g in zip(tables, grids)])
        text, spans = page_text(blocks, is_word)
        tables = [_turned_table(t, g, on_scan) for t, g in zip(set_offsets(tables, grids, text, spans), grids)]
        furniture = [Furniture(f.kind, f.text, f.reason, on_scan(f.bbox) if f.bbox else None) for f in furniture] + noise
        # (counted before the text's own corrections: 'ler' read is 'ler' kept, then made '1er')
        counts = coverage([w.text for w in words] + [f.text for f in noise], text, furniture)
        text = correct_ocr_text(text, is_word)
    return with_captions(Page(number=number, text=text, method="ocr", size=(width, height), confidence=round(conf, 1),
                              method_reason=taught,
                              blocks=tuple(TextBlock(page=number, start=s, end=e, kind=k, bbox=on_scan(b)) for k, s, e, b in spans),
                              furniture=tuple(furniture), tables=tuple(tables), **counts))


def _turned_table(t, grid, on_scan):
    """A table found on the deskewed page, its boxes put back on the page image as scanned and its
    cells' text as the page text has it (the OCR corrections)."""
    from dataclasses import replace
    cells = tuple(replace(c, bbox=on_scan(c.bbox) if c.bbox else None, text=grid[c.row][c.col]) for c in t.cells)
    return replace(t, bbox=on_scan(t.bbox), cells=cells)


def _clip(box: tuple, width: float, height: float) -> tuple:
    return max(0.0, box[0]), max(0.0, box[1]), min(width, box[2]), min(height, box[3])


def _only_images(page) -> bool:
    """Whether a pdfium page draws images only (a scanned page, perhaps under an invisible OCR layer)."""
    import pypdfium2.raw as pdfium_c
    n = pdfium_c.FPDFPage_CountObjects(page.raw)
    if not 0 < n <= 20000:
        return False
    images = 0
    for i in range(n):
        obj = pdfium_c.FPDFPage_GetObject(page.raw, i)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images += 1
        elif kind != pdfium_c.FPDF_PAGEOBJ_TEXT \
                or pdfium_c.FPDFTextObj_GetTextRenderMode(obj) != pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE:
            return False
    return images > 0


def _render(data: bytes, index: int):
    import pypdfium2 as pdfium
    with pdfium_lock:
        pdf = pdfium.PdfDocument(data)
        try:
            page = pdf[index]
            if _only_images(page):
                # a scan: rendered in colour and made grey by PIL, the same pixels in half the time of
                # pdfium's grey rendering (0.05 against 0.09 s a 300 dpi page)
                img = page.render(scale=DPI / 72.0).to_pil().convert("L")
            else:
                # drawn text is smoothed otherwise in grey, and Tesseract reads old-style figures better so
                img = page.render(scale=DPI / 72.0, grayscale=True).to_pil()
            page.close()
            return img
        finally:
            pdf.close()


def _ocr_pdf_page(data: bytes, number: int, is_word, layer: Optional[list[Word]] = None,
                  glyphs: Optional[list[Glyph]] = None) -> Page:
    try:
        return ocr_image(_render(data, number - 1), number, DPI, is_word, layer, glyphs)
    except SetupError:
        raise                   # (no Tesseract here: every page would fail alike)
    except Exception as e:
        return Page(number=number, text="", method="ocr", error=f"OCR failed: {type(e).__name__}: {str(e)[:200]}")


def ocr_pdf_pages(path: Path, data: bytes, numbers: Iterable[int], is_word,
                  layers: Optional[dict[int, list[Word]]] = None,
                  glyphs: Optional[dict[int, list[Glyph]]] = None) -> list[Page]:
    """Pages OCR'd (pages of a document on all cores); ``layers``: page -> the words of an earlier OCR
    layer of that page, read where ours are no French word; ``glyphs``: page -> its text layer's
    glyphs, when they have no characters (decoded with our reading)."""
    numbers = list(numbers)
    layers, glyphs = layers or {}, glyphs or {}
    workers = min(len(numbers), os.cpu_count() or 1)
    if workers <= 1:
        return [_ocr_pdf_page(data, n, is_word, layers.get(n), glyphs.get(n)) for n in numbers]
    with ThreadPoolExecutor(max_workers=workers) as pool:      # Tesseract runs outside the GIL
        return list(pool.map(lambda n: _ocr_pdf_page(data, n, is_word, layers.get(n), glyphs.get(n)), numbers))


def load_image(path: Path, data: bytes, doc_id: str) -> Document:
    from PIL import Image, ImageSequence
    from ..lang_fr.lexicon import is_word
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        img = Image.open(io.BytesIO(data))
        frames = [f.copy() for f in ImageSequence.Iterator(img)]
    except Image.DecompressionBombError as e:
        raise UnreadableInput(path, f"image too large ({e})") from None
    except Exception as e:
        raise UnreadableInput(path, f"not a readable image ({type(e).__name__})") from None
    pages = []
    for i, frame in enumerate(frames, 1):
        if frame.size[0] * frame.size[1] > MAX_PIXELS:
            raise UnreadableInput(path, f"image too large ({frame.size[0]}x{frame.size[1]} pixels)")
        dpi = float((frame.info.get("dpi") or (DPI, DPI))[0] or DPI)
        if dpi < 150:
            dpi = DPI
        try:
            pages.append(ocr_image(frame, i, dpi, is_word))
        except SetupError:
            raise
        except Exception as e:
            pages.append(Page(number=i, text="", method="ocr", error=f"OCR failed: {type(e).__name__}: {str(e)[:200]}"))
    return Document(id=doc_id, source=str(path), pages=tuple(join_pages(pages)), issue_date=issue_date_of(pages))
