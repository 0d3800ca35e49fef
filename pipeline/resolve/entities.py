"""One organisation or person across documents, whatever the spelling: rules first, then string similarity
with stated thresholds, then the reviewers' decisions. Deterministic: the same mentions and decisions give
the same entities; every link says which rule made it.

An organisation's identity is ``core @ place``:

1. the name's words folded (:func:`~pipeline.lang_fr.names.body_key`: accents, case, a leading article,
   'Coop' / 'Co-op' / 'Coopérative', 'Caisse populaire (Desjardins)' -> 'Caisse Desjardins', 'St-'); the
   identity leaves out articles and 'de' / 'du' / 'des' ('COOP Saint-Fidèle' is 'Coop de Saint-Fidèle');
2. an acronym at its head ('CRÉ Mauricie', 'CLD de Maskinongé', 'CRÉ-Mauricie') is read as its long form:
   the gazetteer's, else the long form the documents define ('Centre local de développement (CLD)', a
   record's ``acronym``: the words whose initials spell it); what follows it is the place;
3. a name that begins with a known long form (gazetteer names and other forms, long forms defined in the
   text) is that body, what follows is the place: 'Conférence régionale des élus de la Mauricie' ->
   ``conference regionale des elus @ mauricie``; 'Caisse Desjardins de Rimouski' -> ``mouvement desjardins
   @ rimouski`` (the gazetteer's 'Caisse Desjardins' is a form of 'Mouvement Desjardins');
4. the place is part of the identity: CRÉ Mauricie is not CRÉ Abitibi, a Caisse Desjardins of one town
   not another's, nor 'Mouvement Desjardins' (no place);
5. an acronym alone ('la CRÉ'), or a local body's head alone ('la caisse populaire'), is, in its own
   document, the one body with that core and a place named in the document; with none or several it stays
   ``core @ ?`` (place not stated).

Then two identities whose words differ in one word only, that word alike (rapidfuzz ratio >= 80, both 4
letters or more) and the whole alike (ratio >= 90), are one body (a letter misread by OCR, a typo):
'MAMR0T', 'Mauricle'. A person's identity is the name folded without honorifics
(:func:`~pipeline.lang_fr.names.person_key`); a surname alone is, in its document, the one person of the
document with that surname; the same one-word similarity applies.

Reviewers' decisions come last, by spelling (``variant``: the body or person key of a name), so they hold
at every later run: ``split`` a spelling off into its own entity (no automatic link), ``merge`` the
entities of two spellings.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Optional

from rapidfuzz.fuzz import ratio

from ..gazetteers import read_organizations
from ..lang_fr import is_acronym
from ..lang_fr.names import body_key, fold_words, person_key

KINDS = ("organization", "person")
WORD_RATIO = 80        # one differing word: rapidfuzz ratio of the two words, at least
WHOLE_RATIO = 90       # ... and of the two identities
MIN_WORD = 4           # ... both words this long at least
UNKNOWN_PLACE = "?"
# the head of a local body named without its place ('la caisse populaire', 'la Caisse Desjardins'): read like
# an acronym alone (the one its document places, else place not stated), never the network it belongs to
LOCAL_HEADS = frozenset({"caisse desjardins", "caisses desjardins"})
_STOP = {"de", "des", "du", "d", "la", "le", "les", "l", "et", "en", "pour", "a", "au", "aux", "sur"}
_PLACE_LEAD = re.compile(r"^(?:(?:de|du|des|d'|de la|de l'|la|le|les|l')\s*)+")
_PAREN_ACRONYM = re.compile(r"\s*\(([A-ZÀ-Þ][A-ZÀ-Þ0-9&\-]{1,9})\)\s*")


@dataclass(frozen=True)
class Mention:
    """A name as a record gives it: ``ref`` says which record and field ('funding:ab12…:funder')."""
    kind: str
    name: str
    doc_id: str
    ref: str
    acronym: Optional[str] = None


@dataclass(frozen=True)
class Decision:
    """A reviewer's decision on spellings (variant keys): merge ``a`` and ``b``, or split ``a`` off."""
    action: str
    kind: str
    a: str
    b: Optional[str] = None


@dataclass(frozen=True)
class Entity:
    id: str
    kind: str
    name: str                                   # the spelling shown: the most frequent full spelling
    key: str                                    # the identity: 'conference regionale des elus @ mauricie'
    variants: tuple[tuple[str, int], ...]       # (spelling, mentions), most frequent first
    documents: tuple[str, ...]
    refs: tuple[str, ...]
    why: tuple[str, ...]                        # the rules that joined its spellings


def variant(kind: str, name: str) -> str:
    """The key a reviewer's decision names a spelling by."""
    return person_key(name) if kind == "person" else body_key(_PAREN_ACRONYM.sub(" ", name or "").strip())


# -- acronyms and long forms --------------------------------------------------------------------------
@lru_cache(maxsize=1)
def gazetteer_forms() -> tuple[dict[str, str], dict[str, str]]:
    """(acronym folded -> long core, form key -> long core) of the gazetteer: every name and other form of a
    body leads to the key of its main name."""
    acronyms, forms = {}, {}
    for row in read_organizations():
        core = body_key(row["name"])
        for form in (row["name"], *row["aliases"]):
            if is_acronym(form):
                acronyms.setdefault(fold_words(form), core)
            else:
                forms.setdefault(body_key(form), core)
        if row["acronym"]:
            acronyms.setdefault(fold_words(row["acronym"]), core)
    return acronyms, forms


def long_core(acronym: str, name_key: str) -> Optional[str]:
    """The words of ``name_key`` whose initials spell ``acronym`` (articles and prepositions skipped):
    ('CLD', 'centre local de developpement de maskinonge') -> 'centre local de developpement'."""
    want = fold_words(acronym).replace(" ", "").replace("'", "")
    words = name_key.split()
    letters = ""
    for i, w in enumerate(words):
        for part in w.split("'"):
            if part and part not in _STOP:
                letters += part[0]
        if letters == want:
            return " ".join(words[:i + 1])
        if not want.startswith(letters):
            return None
    return None


_FUNCTION = re.compile(r"(?:(?<=\s)|^)(?:de|du|des|la|le|les)(?=\s|$)|\b[dl]'")


def _compact(key: str) -> str:
    """A key without its articles and 'de': 'COOP Saint-Fidèle' and 'Coop de Saint-Fidèle' are one name,
    'Caisse Desjardins du Bic' and '... de Bic'."""
    out = re.sub(r"\s+", " ", _FUNCTION.sub(" ", key)).strip()
    return out or key


def _place(rest: str) -> Optional[str]:
    p = _PLACE_LEAD.sub("", rest.strip()).strip()
    return p or None


class _Reader:
    """Reads the identity of organisation names with the acronyms and long forms known to the corpus."""

    def __init__(self, mentions: list[Mention]):
        gaz_acr, gaz_forms = gazetteer_forms()
        self.acronyms = dict(gaz_acr)
        self.sources = {a: "gazetteer" for a in gaz_acr}
        # long forms the documents define: a document's own definition first, then the gazetteer's, then
        # the one definition of the corpus (an acronym two documents define differently is left as it is)
        self.in_doc: dict[tuple[str, str], str] = {}
        defined: dict[str, Counter] = defaultdict(Counter)
        per_doc: dict[tuple[str, str], Counter] = defaultdict(Counter)
        for m in mentions:
            name, acr = self.split_acronym(m.name, m.acronym)
            if acr and not is_acronym(name.split()[0] if name.split() else ""):
                core = long_core(acr, body_key(name))
                if core:
                    core = gaz_forms.get(core, core)              # 'conférences régionales des élus (CRÉ)'
                    defined[fold_words(acr)][core] += 1
                    per_doc[(m.doc_id, fold_words(acr))][core] += 1
        for key, cores in per_doc.items():
            self.in_doc[key] = max(cores.items(), key=lambda kv: (kv[1], kv[0]))[0]
        for acr, cores in sorted(defined.items()):
            if acr not in self.acronyms and len(cores) == 1:
                self.acronyms[acr], self.sources[acr] = next(iter(cores)), "the text"
        self.forms = dict(gaz_forms)
        for core in [*self.acronyms.values(), *self.in_doc.values()]:
            self.forms.setdefault(core, core)
        self.prefixes = sorted(self.forms, key=len, reverse=True)

    def near_acronym(self, acr: str) -> Optional[str]:
        """A known acronym one letter from an unknown one of 5 letters or more (OCR: 'MAMR0T')."""
        if len(acr) < 5:
            return None
        near = [a for a in self.acronyms if len(a) == len(acr) and sum(x != y for x, y in zip(a, acr)) == 1]
        return near[0] if len(near) == 1 else None

    @staticmethod
    def split_acronym(name: str, acronym: Optional[str]) -> tuple[str, Optional[str]]:
        m = _PAREN_ACRONYM.search(name or "")
        if m:
            return (name[:m.start()] + " " + name[m.end():]).strip(), acronym or m.group(1)
        return (name or "").strip(), acronym

    def identity(self, name: str, acronym: Optional[str], doc_id: str = "") -> tuple[str, Optional[str], str, bool]:
        """(core, place or None, the rule, whether it is an acronym alone)."""
        name, acronym = self.split_acronym(name, acronym)
        whole = body_key(name)
        if whole in LOCAL_HEADS and whole in self.forms:                     # 'la caisse populaire': a local one
            return self.forms[whole], None, f"{whole}: a local body, its place not stated", True
        if whole in self.forms and not is_acronym(name.strip()):                # a known name as it is
            core = self.forms[whole]
            return core, None, "known form" if whole == core else f"form of {core}", False
        words = name.split()
        while len(words) > 1 and words[0].lower() in ("la", "le", "les"):       # 'la CRÉ'
            words = words[1:]
        if words and re.match(r"^[lL][’']\w", words[0]):                        # "l'UPA"
            words[0] = words[0][2:]
        head = words[0] if words else ""
        parts = re.split(r"[-–]", head, maxsplit=1)
        if words and is_acronym(parts[0]) and body_key(parts[0]) == fold_words(parts[0]):   # 'COOP' is a word
            acr = fold_words(parts[0])
            rest = " ".join(([parts[1]] if len(parts) > 1 else []) + words[1:])
            place = _place(body_key(rest)) if rest else None
            if (doc_id, acr) in self.in_doc:
                core = self.in_doc[(doc_id, acr)]
                return core, place, f"acronym {parts[0]} = {core} (defined in its document)", place is None
            core = self.acronyms.get(acr)
            if core is None:
                near = self.near_acronym(acr)
                if near is None:
                    return acr, place, "acronym", place is None
                return self.acronyms[near], place, f"acronym {parts[0]} read as {near.upper()} (one letter apart)", \
                    place is None
            return core, place, f"acronym {parts[0]} = {core} ({self.sources.get(acr, 'gazetteer')})", place is None
        k = body_key(name)
        for form in self.prefixes:
            if k == form or k.startswith(form + " "):
                core = self.forms[form]
                why = "known form" if form == core else f"form of {core}"
                return core, _place(k[len(form):]), why, False
        return k, None, "same words", False


# -- clustering -----------------------------------------------------------------------------------
class _Union:
    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        return True


def one_word_apart(a: str, b: str) -> Optional[str]:
    """Why two identities are one (one word differs, alike: see the module), or None."""
    wa, wb = a.split(), b.split()
    if len(wa) != len(wb) or a == b:
        return None
    diff = [(x, y) for x, y in zip(wa, wb) if x != y]
    if len(diff) != 1:
        return None
    x, y = diff[0]
    if min(len(x), len(y)) < MIN_WORD or x in ("@",) or y in ("@",):
        return None
    r, whole = ratio(x, y), ratio(a, b)
    if r >= WORD_RATIO and whole >= WHOLE_RATIO:
        return f"one word differs: {x} / {y} (ratio {r:.0f} >= {WORD_RATIO}, whole {whole:.0f} >= {WHOLE_RATIO})"
    return None


def _similar_pairs(keys: Iterable[str]) -> list[tuple[str, str, str]]:
    """Pairs of identities one word apart, found through their one-word-masked signatures (no all-pairs)."""
    buckets: dict[tuple, list[str]] = defaultdict(list)
    for k in sorted(set(keys)):
        w = k.split()
        for i in range(len(w)):
            buckets[(len(w), i, tuple(w[:i]), tuple(w[i + 1:]))].append(k)
    out = []
    for ks in buckets.values():
        if len(ks) < 2 or len(ks) > 200:
            continue
        for i, a in enumerate(ks):
            for b in ks[i + 1:]:
                why = one_word_apart(a, b)
                if why:
                    out.append((a, b, why))
    return out


def _identities(kind: str, mentions: list[Mention]) -> tuple[list[str], dict[str, set]]:
    """Each mention's identity (in order), and why each identity was read so."""
    whys: dict[str, set] = defaultdict(set)
    out: list[str] = []
    if kind == "person":
        keys = [person_key(m.name) for m in mentions]
        by_doc: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
        for m, k in zip(mentions, keys):
            if len(k.split()) >= 2:
                by_doc[m.doc_id][k.split()[-1]].add(k)
        for m, k in zip(mentions, keys):
            if len(k.split()) == 1 and len(by_doc[m.doc_id].get(k, ())) == 1:
                full = next(iter(by_doc[m.doc_id][k]))
                whys[full].add(f"surname alone in its document: {k} = {full}")
                k = full
            out.append(k)
            whys[k].add("same words")
        return out, whys
    reader = _Reader(mentions)
    read = [reader.identity(m.name, m.acronym, m.doc_id) for m in mentions]
    read = _place_acronyms(read)
    placed: dict[tuple[str, str], set] = defaultdict(set)
    with_place = set()
    for m, (core, place, _, _) in zip(mentions, read):
        if place:
            placed[(m.doc_id, core)].add(place)
            with_place.add(core)
    for m, (core, place, why, alone) in zip(mentions, read):
        if alone and core in with_place:
            places = placed.get((m.doc_id, core), set())
            if len(places) == 1:
                place = next(iter(places))
                why = f"{why}; alone in its document, which names it with {place}"
            else:
                place = UNKNOWN_PLACE
        key = f"{_compact(core)} @ {_compact(place)}" if place else _compact(core)
        out.append(key)
        whys[key].add(why)
    return out, whys


def _place_acronyms(read: list[tuple]) -> list[tuple]:
    """A place written as the initials of the one other place of the same body in the corpus is that place:
    'CRÉ VHSL' and 'CRÉ de la Vallée-du-Haut-Saint-Laurent' are one body."""
    places: dict[str, set] = defaultdict(set)
    for core, place, _, _ in read:
        if place:
            places[core].add(place)
    swap = {}
    for core, ps in places.items():
        for p in ps:
            if " " in p or not 2 <= len(p) <= 6:
                continue
            spelled = [q for q in ps if q != p and long_core(p, q) == q]
            if len(spelled) == 1:
                swap[(core, p)] = spelled[0]
    return [(c, swap.get((c, p), p), w + (f"; {p.upper()} = {swap[(c, p)]}" if (c, p) in swap else ""), a)
            for c, p, w, a in read]


def resolve_entities(kind: str, mentions: list[Mention], decisions: Iterable[Decision] = (),
                     previous: Optional[dict[str, str]] = None) -> tuple[list[Entity], dict[str, str]]:
    """The entities of one kind and, for each mention's ``ref``, its entity id. ``previous`` (variant ->
    entity id of the last run) keeps ids stable: a cluster takes the id most of its spellings had."""
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r} is not one of {KINDS}")
    mentions = [m for m in mentions if m.kind == kind and (m.name or "").strip()]
    decisions = [d for d in decisions if d.kind == kind]
    splits = {d.a for d in decisions if d.action == "split"}
    idents, whys = _identities(kind, mentions)
    variants = [variant(kind, m.name) for m in mentions]
    nodes = [f"split:{v}" if v in splits else i for v, i in zip(variants, idents)]
    uf = _Union()
    links: dict[str, list[str]] = defaultdict(list)
    for n in nodes:
        uf.find(n)
    for a, b, why in _similar_pairs(n for n in nodes if not n.startswith("split:")):
        uf.union(a, b)
        links[a].append(why)
    nodes_of_variant: dict[str, set] = defaultdict(set)
    for v, n in zip(variants, nodes):
        nodes_of_variant[v].add(n)
    for d in decisions:
        if d.action == "merge" and d.b and nodes_of_variant.get(d.a) and nodes_of_variant.get(d.b):
            ends = sorted(nodes_of_variant[d.a] | nodes_of_variant[d.b])
            for n in ends[1:]:
                uf.union(ends[0], n)
            links[ends[0]].append(f"reviewer merged {d.a} and {d.b}")
    clusters: dict[str, list[int]] = defaultdict(list)
    for i, n in enumerate(nodes):
        clusters[uf.find(n)].append(i)
    # stable ids: the biggest clusters choose first among the ids their spellings had
    order = sorted(clusters.values(), key=lambda ix: (-len(ix), min(nodes[i] for i in ix)))
    taken: set = set()
    entities, of_ref = [], {}
    for ix in order:
        keys = sorted({nodes[i] for i in ix})
        eid = None
        if previous:
            votes = Counter(previous[variants[i]] for i in ix if variants[i] in previous)
            for cand, _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0])):
                if cand not in taken:
                    eid = cand
                    break
        if eid is None:
            eid = kind[:3] + "-" + hashlib.sha256("\x1f".join([kind, keys[0]]).encode("utf-8")).hexdigest()[:16]
            n = 1
            while eid in taken:
                eid = kind[:3] + "-" + hashlib.sha256(f"{kind}\x1f{keys[0]}\x1f{n}".encode("utf-8")).hexdigest()[:16]
                n += 1
        taken.add(eid)
        spellings = Counter(mentions[i].name.strip() for i in ix)
        name = max(spellings.items(), key=lambda kv: (not is_acronym(kv[0].split()[0]) or len(kv[0].split()) > 1,
                                                       kv[1], len(kv[0]), kv[0]))[0]
        why = sorted({w for k in keys for w in (list(whys.get(k.removeprefix("split:"), ())) + links.get(k, [])) if w}
                     | ({"reviewer split"} if any(k.startswith("split:") for k in keys) else set()))
        ent = Entity(id=eid, kind=kind, name=name, key=keys[0].removeprefix("split:"),
                     variants=tuple(sorted(spellings.items(), key=lambda kv: (-kv[1], kv[0]))),
                     documents=tuple(sorted({mentions[i].doc_id for i in ix})),
                     refs=tuple(mentions[i].ref for i in ix), why=tuple(why))
        entities.append(ent)
        for i in ix:
            of_ref[mentions[i].ref] = eid
    return entities, of_ref


def variant_ids(entities: Iterable[Entity]) -> dict[str, str]:
    """variant -> entity id, what the next run's ``previous`` is: a spelling two entities share (an acronym
    alone, read in its document) goes to the one with most of its mentions."""
    best: dict[str, tuple[int, str]] = {}
    for e in entities:
        counts: Counter = Counter()
        for name, n in e.variants:
            counts[variant(e.kind, name)] += n
        for v, n in counts.items():
            if v not in best or (n, e.id) > best[v]:
                best[v] = (n, e.id)
    return {v: i for v, (_, i) in best.items()}


__all__ = ["Mention", "Decision", "Entity", "resolve_entities", "variant", "variant_ids", "long_core",
           "one_word_apart", "gazetteer_forms", "WORD_RATIO", "WHOLE_RATIO", "MIN_WORD"]
