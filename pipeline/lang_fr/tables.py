"""Tables read in French: what a column holds by the words of its header, which rows are totals, and
whether a heading says a table goes on from the page before. The words are data (``words.toml``:
``table_*`` lists); the functions are pure and know nothing of geometry.

    column_role("Aide accordée ($)")   -> 'amount'
    column_role("Nom de l'organisme")  -> 'org'       (the longest phrase wins: 'nom' alone is a person)
    is_total_label("Grand total")      -> True
    says_continued("AXE 3 – OUTILS (suite)") -> True
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from . import word_lists
from .numbers import fold, parse_money, parse_number

# the role of a column -> its list of header phrases in words.toml (order breaks ties)
ROLE_LISTS = {
    "amount": "table_amount_headers",
    "cost": "table_cost_headers",
    "recipient": "table_recipient_headers",
    "org": "table_org_headers",
    "project": "table_project_headers",
    "funder": "table_funder_headers",
    "programme": "table_programme_headers",
    "period": "table_period_headers",
    "date": "table_date_headers",
    "place": "table_place_headers",
    "person": "table_person_headers",
    "role": "table_role_headers",
    "since": "table_since_headers",
}
ROLES = tuple(ROLE_LISTS)

_TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*'?|[$€£]")


def tokens(text: str) -> tuple[str, ...]:
    """The words of a header as they are matched: folded (no accents, lower case), apostrophes kept on
    their article ("l'"), currency signs as words."""
    return tuple(_TOKEN.findall(fold(text)))


@lru_cache(maxsize=1)
def _phrases() -> dict[str, tuple[tuple[str, ...], ...]]:
    from . import words
    lists = {"amount": words("table_amount_headers"), "cost": words("table_cost_headers"),
             "recipient": words("table_recipient_headers"), "org": words("table_org_headers"),
             "project": words("table_project_headers"), "funder": words("table_funder_headers"),
             "programme": words("table_programme_headers"), "period": words("table_period_headers"),
             "date": words("table_date_headers"), "place": words("table_place_headers"),
             "person": words("table_person_headers"), "role": words("table_role_headers"),
             "since": words("table_since_headers")}
    order = word_lists()
    return {role: tuple(tokens(p) for p in order[ROLE_LISTS[role]] if p in lists[role]) for role in ROLES}


def _find(seq: tuple[str, ...], phrase: tuple[str, ...]) -> int:
    n = len(phrase)
    for i in range(len(seq) - n + 1):
        if seq[i:i + n] == phrase:
            return i
    return -1


def column_role(header: str) -> Optional[str]:
    """What a column holds, from its header text: one of :data:`ROLES` or None. The longest header
    phrase found anywhere in it decides ('Organisme bénéficiaire' is a recipient, 'Coût du projet' a
    cost, 'Date d'entrée en fonction' a start date); at equal length the one written first ('Montant
    de la subvention': an amount); a currency sign alone makes an amount ('$', 'Montant ($)')."""
    toks = tokens(header)
    if not toks:
        return None
    best: Optional[tuple[int, int, str]] = None      # (-length, position, role)
    for role, phrases in _phrases().items():
        for ph in phrases:
            i = _find(toks, ph)
            if i >= 0:
                cand = (-len(ph), i, role)
                if best is None or cand < best:
                    best = cand
    if best is not None:
        return best[2]
    if any(t in ("$", "€", "£") for t in toks):
        return "amount"
    return None


@lru_cache(maxsize=1)
def _totals() -> tuple[tuple[str, ...], ...]:
    from . import words
    return tuple(sorted((tokens(p) for p in words("table_total_labels")), key=len, reverse=True))


def is_total_label(text: str) -> bool:
    """A row label that makes its row a total: 'Total', 'TOTAL', 'Grand total', 'Sous-total', 'Total des
    contributions' (its first words), not 'Totalement en accord' nor 'Projet total-bois'."""
    toks = tokens(text)
    return any(toks[:len(p)] == p for p in _totals())


_RULE_LINE = re.compile(r"[-=_~*+.·•─━═—–|\s]+")


def is_rule_line(text: str) -> bool:
    """A line typed as a rule ('-------', '=====', '───'): five marks or more and nothing else; it parts
    a typed table's header from its rows or its totals, and holds no cell."""
    s = text.strip()
    return bool(s) and bool(_RULE_LINE.fullmatch(s)) and sum(not c.isspace() for c in s) >= 5


@lru_cache(maxsize=1)
def _continued() -> re.Pattern:
    from . import words
    alts = "|".join(sorted((re.escape(fold(w)) for w in words("table_continued_words")), key=len, reverse=True))
    return re.compile(rf"\(\s*(?:{alts})\s*\)|[-–—:]\s*(?:{alts})\s*\.?$")


def says_continued(text: str) -> bool:
    """A heading or first row saying its table goes on from the page before: '(suite)', '(suite et
    fin)', '— suite' at its end (not 'à la suite de' inside a sentence)."""
    return len(text.split()) <= 14 and bool(_continued().search(fold(text).strip()))


def is_amount(text: str) -> bool:
    """A cell that is an amount of money as written in French ('250 000 $', '1,2 M$', '15 000,00 $',
    '$ 75 000', '12 500 €')."""
    t = text.strip()
    return bool(re.search(r"\d", t)) and bool(re.search(r"[$€£]|\bM\$|dollars?|euros?", t)) \
        and parse_money(t) is not None and len(t) <= 40


def is_number(text: str) -> bool:
    """A cell that is a number, an amount, a percentage or a year ('247', '62 %', '2021-2022', '—' no)."""
    t = text.strip().replace("%", "").replace("$", "").replace("€", "").strip()
    if re.fullmatch(r"\d{4}\s*[-–/]\s*\d{2,4}\*?", t):
        return True
    return bool(re.fullmatch(r"[\d\s\u00a0\u202f.,]+(?:\s*(?:M|k|millions?))?", t)) and parse_number(t) is not None


def is_range(text: str) -> bool:
    """A cell that is a range or a bound of amounts, not an amount ('< 50 000 $', '50 000 $ à 100 000 $',
    '100 000 $ et plus')."""
    from . import words
    t = " " + " ".join(text.lower().split()) + " "
    return any((f" {w} " in t) if w[0].isalpha() else (w in t) for w in words("table_range_words"))


def cell_amount(text: str, header: str = "") -> Optional[dict]:
    """The amount a cell of an amount column holds: '250 000 $', '1,2 M$', '15 000,00 $', or digits alone
    under a header that names the currency ('Montant ($)': '45 000'); None for a dash, 'n/a', text or a
    range ('< 50 000 $')."""
    t = " ".join(text.split())
    if not re.search(r"\d", t) or is_range(t):
        return None
    if re.search(r"[$€£]|dollars?|euros?", t, re.I):
        return parse_money(t)
    value = parse_number(re.sub(r"\s*\*+$", "", t))
    if value is None:
        return None
    return parse_money(f"{t} {'€' if '€' in header else '£' if '£' in header else '$'}")


@lru_cache(maxsize=1)
def _caption_res() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    from . import words

    def alt(items) -> str:
        return "|".join(sorted((re.escape(w) for w in items), key=len, reverse=True))
    art = r"(?:(?:le|la|les)\s+|l['’]\s*)?"
    by = re.compile(rf"(?:^|\s)(?:{alt(words('table_caption_by'))})\s+{art}(.+)$", re.I)
    verb = re.compile(rf"^\s*{art}(.+?)\s+(?:{alt(words('table_caption_verbs'))})\b", re.I)
    noun = re.compile(rf"^\s*(?:{alt(words('table_caption_nouns'))})\s+(?:du\s+|des\s+|de\s+(?:la\s+|l['’]\s*)?|d['’]\s*)(.+)$",
                      re.I)
    # (the name stops at a stop word, a colon or a comma, a year, a day's date, a dash: '— séance du 18 septembre')
    stop = re.compile(rf"\s+(?:{alt(words('table_caption_stops'))})\b.*$|\s*[:;(,.].*$|\s+\d{{4}}.*$"
                      r"|\s+(?:le|du)\s+(?:1er|\d{1,2})\s.*$|\s+[–—-]\s.*$")
    return by, verb, noun, stop


def caption_funder(caption: Optional[str]) -> Optional[str]:
    """The funder a table's caption names: after 'par' ('Projets soutenus par le Fonds régions et
    ruralité' -> 'Fonds régions et ruralité'), before a verb of giving ('La Ville de Rimouski a soutenu les
    projets suivants :'), after a noun of funding ('Contributions du Fonds d'économie sociale'); the
    name stops at 'en 2024', 'pour', a colon, a date, a dash. None when no name is there (a name starts with a capital
    or a body's head: 'ministère de l'Économie')."""
    if not caption:
        return None
    from . import words
    heads = words("table_caption_heads")
    line = " ".join(caption.strip().splitlines()[-1].split()) if caption.strip() else ""
    by, verb, noun, stop = _caption_res()
    for rx in (by, noun, verb):
        m = rx.search(line)
        if not m:
            continue
        name = stop.sub("", m.group(1)).strip(" -–—")
        first = name.split()[0] if name.split() else ""
        if first and (first[:1].isupper() or first.lower() in heads) and len(name.split()) <= 12:
            return name
    return None


def amount_kind(header: str) -> Optional[str]:
    """The kind of funding an amount column's header names ('Subvention' -> 'subvention', 'Prêt ($)' ->
    'prêt', 'Contribution' -> 'contribution'); None for 'Montant', 'Aide accordée'."""
    from . import words
    toks = " ".join(tokens(header))
    for kind, names in (("subvention", words("table_kind_subvention")), ("prêt", words("table_kind_pret")),
                        ("contribution", words("table_kind_contribution"))):
        if any(re.search(rf"(?:^| ){re.escape(' '.join(tokens(w)))}(?: |$)", toks) for w in names):
            return kind
    return None


__all__ = ["ROLES", "is_range", "caption_funder", "amount_kind", "column_role", "is_total_label", "says_continued", "is_amount", "is_number", "cell_amount", "tokens"]
