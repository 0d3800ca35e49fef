"""A generated corpus of bulletins that repeat facts across issues and come as digital + scan twins, with
its truth: which spelling names which body or person, and the distinct grants.

    truth = make_corpus(out_dir, issues=6, seed=1)     # issue-NN.pdf, issue-NN-scan.pdf, one re-issued file
    scores = score(store, truth)                       # pairwise F1 of entity clusters, funding rows vs grants

Every body is written in several spellings a bulletin uses (acronym and long form, 'Coop' and
'Coopérative', 'Caisse populaire Desjardins', 'St-', with or without its place), with traps: two CRÉ of
different regions, two caisses of different towns and the Desjardins movement, two co-operatives whose
names differ by a place, two people with the same surname. Each grant is printed in one to three issues,
each time in other words and spellings; every issue is rendered as a digital PDF and its scan
(:mod:`testkit.pages`), and one digital file is re-issued one byte apart.
"""
from __future__ import annotations

import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

# truth id -> (article form for a subject, spellings)
BODIES = {
    "mamrot": ("le", ["MAMROT", "ministère des Affaires municipales, des Régions et de l'Occupation du territoire"]),
    "cre-maur": ("la", ["CRÉ de la Mauricie", "Conférence régionale des élus de la Mauricie", "CRÉ Mauricie"]),
    "cre-abt": ("la", ["CRÉ de l'Abitibi-Témiscamingue", "Conférence régionale des élus de l'Abitibi-Témiscamingue",
                       "CRÉ Abitibi-Témiscamingue"]),
    "caisse-rim": ("la", ["Caisse Desjardins de Rimouski", "Caisse populaire Desjardins de Rimouski"]),
    "caisse-bic": ("la", ["Caisse Desjardins du Bic", "Caisse populaire Desjardins du Bic"]),
    "desjardins": ("le", ["Mouvement Desjardins", "Mouvement des caisses Desjardins"]),
    "dec": ("", ["Développement économique Canada", "Développement économique Canada pour les régions du Québec"]),
    "ftq": ("le", ["Fonds de solidarité FTQ", "Fonds de solidarité de la FTQ"]),
    "cld-mask": ("le", ["CLD de Maskinongé", "Centre local de développement de Maskinongé"]),
    "sadc-neig": ("la", ["SADC de la Neigette", "Société d'aide au développement des collectivités de la Neigette"]),
}
COOPS = {
    "coop-fidele": ["Coopérative de solidarité de Saint-Fidèle", "Coop de solidarité de Saint-Fidèle",
                    "Coopérative de solidarité de St-Fidèle"],
    "coop-rucher": ["Coopérative de solidarité Le Rucher", "Coop de solidarité Le Rucher"],
    "coop-forest": ["Coopérative forestière du Haut-Saint-Maurice", "Coop forestière du Haut-Saint-Maurice"],
    "coop-elzear": ["Coopérative de solidarité de Saint-Élzéar", "Coop de solidarité de Saint-Elzéar"],
    "coop-eloi": ["Coopérative de solidarité de Saint-Éloi", "Coop de solidarité de Saint-Éloi"],
    "coop-pignons": ["Coopérative d'habitation Les Pignons", "Coop d'habitation Les Pignons"],
    "coop-funer": ["Coopérative funéraire de la Mauricie", "Coop funéraire de la Mauricie"],
    "coop-sante": ["Coopérative de santé Robert-Cliche", "Coop de santé Robert-Cliche"],
}
# truth id -> (spellings, role, organisation)
PEOPLE = {
    "bellemare": (["Nathalie Bellemare", "Mme Nathalie Bellemare"], "directrice générale", "coop-forest"),
    "cote": (["Jean-Guy Côté", "M. Jean-Guy Côté"], "président", "coop-fidele"),
    "tremblay-me": (["Marie-Ève Tremblay", "Mme Marie-Ève Tremblay"], "coordonnatrice", "cre-maur"),
    "tremblay-l": (["Louise Tremblay", "Mme Louise Tremblay"], "présidente", "coop-pignons"),
    "gagnon": (["Claude Gagnon", "M. Claude Gagnon"], "directeur général", "cld-mask"),
    "lavoie": (["Sylvie Lavoie", "Mme Sylvie Lavoie"], "présidente", "coop-sante"),
    "paquette": (["Denis Paquette", "M. Denis Paquette"], "agent de développement", "cre-abt"),
}
# bodies a bulletin names by their acronym alone once it has named them in full ('la CRÉ', 'le CLD'): which
# one it is depends on the issue (the trap: the two CRÉ)
ALONE = {"cre-maur": "CRÉ", "cre-abt": "CRÉ", "cld-mask": "CLD", "sadc-neig": "SADC"}
PURPOSES = ["pour agrandir son épicerie", "pour moderniser ses équipements", "pour l'achat d'un camion",
            "pour la rénovation de son immeuble", "pour lancer un service de livraison", "pour former ses membres"]


@dataclass(frozen=True)
class Grant:
    id: str
    funder: str
    recipient: str
    amount: int
    years: int


GRANTS = [Grant("g1", "mamrot", "coop-fidele", 45000, 0), Grant("g2", "cre-maur", "coop-forest", 120000, 3),
          Grant("g3", "cre-abt", "coop-elzear", 60000, 0), Grant("g4", "caisse-rim", "coop-pignons", 15000, 0),
          Grant("g5", "caisse-bic", "coop-eloi", 8000, 0), Grant("g6", "desjardins", "coop-sante", 250000, 5),
          Grant("g7", "dec", "coop-forest", 450000, 3), Grant("g8", "ftq", "coop-funer", 300000, 0),
          Grant("g9", "cld-mask", "coop-rucher", 25000, 0), Grant("g10", "sadc-neig", "coop-pignons", 35000, 0),
          Grant("g11", "cre-maur", "coop-funer", 20000, 0), Grant("g12", "mamrot", "coop-sante", 75000, 2)]


@dataclass
class Truth:
    names: dict = field(default_factory=dict)        # kind -> {spelling: truth id}
    grants: list = field(default_factory=list)
    files: list = field(default_factory=list)
    statements: int = 0                              # grant statements printed in all issues
    context: dict = field(default_factory=dict)      # 'issue number|acronym' -> body named by it alone there

    def to_json(self) -> str:
        return json.dumps({"names": self.names, "grants": [g.__dict__ for g in self.grants], "files": self.files,
                           "statements": self.statements, "context": self.context}, ensure_ascii=False, indent=1)


def money(n: int) -> str:
    return f"{n:,}".replace(",", " ") + " $"


YEARS = {2: "deux", 3: "trois", 5: "cinq"}


def _subject(body: str, name: str) -> str:
    """'Le MAMROT', 'La CRÉ Mauricie', 'Développement économique Canada'."""
    art = BODIES[body][0]
    return f"{art.capitalize()} {name}" if art else name


def _from(body: str, name: str) -> str:
    """'du MAMROT', 'de la CRÉ Mauricie', 'de Développement économique Canada'."""
    return {"le": f"du {name}", "la": f"de la {name}", "": f"de {name}"}[BODIES[body][0]]


def grant_sentence(g: Grant, rnd: random.Random) -> str:
    funder = rnd.choice(BODIES[g.funder][1])
    recipient = rnd.choice(COOPS[g.recipient])
    period = f" sur {YEARS[g.years]} ans" if g.years else ""
    purpose = rnd.choice(PURPOSES)
    form = rnd.randrange(3)
    if form == 0:
        return f"{_subject(g.funder, funder)} accorde une subvention de {money(g.amount)}{period} à la {recipient} {purpose}."
    if form == 1:
        return f"La {recipient} a reçu une aide financière de {money(g.amount)}{period} {_from(g.funder, funder)} {purpose}."
    return f"{_subject(g.funder, funder)} a versé {money(g.amount)}{period} à la {recipient} {purpose}."


def person_sentence(pid: str, rnd: random.Random, named: set = frozenset()) -> tuple[str, str | None]:
    """The sentence, and the acronym alone it names the person's body by (when the issue named it in full)."""
    names, role, org = PEOPLE[pid]
    name = rnd.choice(names)
    alone = ALONE.get(org) if org in named and rnd.random() < 0.7 else None
    if alone:
        where = _from(org, alone)
    else:
        where = _from(org, rnd.choice(BODIES[org][1])) if org in BODIES else f"de la {rnd.choice(COOPS[org])}"
    quote = rnd.choice(["Ce projet change la vie du village", "Nos membres attendaient ce jour depuis longtemps",
                        "La région y gagne une entreprise solide"])
    return f"« {quote} », souligne {name}, {role} {where}.", alone


def make_issue_specs(issues: int = 6, seed: int = 1) -> tuple[list[str], int, dict]:
    """The page specs of the issues (each grant in 1 to 3 of them), how many grant statements they print,
    and the truth of the acronyms named alone: {(issue number, acronym): body}."""
    rnd = random.Random(seed)
    placed: dict[int, list] = defaultdict(list)
    for g in GRANTS:
        for i in rnd.sample(range(issues), k=min(issues, rnd.choice((1, 2, 2, 3)))):
            placed[i].append(g)
    people = list(PEOPLE)
    specs, statements, context = [], 0, {}
    months = ["janvier", "mars", "mai", "juillet", "septembre", "novembre"]
    for i in range(issues):
        paras = []
        for g in sorted(placed[i], key=lambda g: rnd.random()):
            paras.append(grant_sentence(g, rnd))
            statements += 1
        named = {g.funder for g in placed[i]} | {g.recipient for g in placed[i]}
        fits = [p for p in people if PEOPLE[p][2] in named and PEOPLE[p][2] in ALONE]
        chosen = (fits[:1] + rnd.sample([p for p in people if p not in fits[:1]], k=2))[:3]
        for pid in chosen:
            sentence, alone = person_sentence(pid, rnd, named)
            paras.append(sentence)
            if alone:
                context[(i + 1, alone)] = PEOPLE[pid][2]
        year = 2012 + i // len(months)
        specs.append("\n".join([
            f"@page {i + 1}", f"@header INFO-COOP RÉGIONS — {months[i % len(months)].upper()} {year}",
            f"@title Des nouvelles de nos coopératives (numéro {i + 1})", "@byline par LA RÉDACTION",
            "@role Bulletin des coopératives en région", "@body", "\n\n".join(paras), "@footer INFO-COOP RÉGIONS"]))
    return specs, statements, context


def make_corpus(out: Path, issues: int = 6, seed: int = 1, scans: bool = True, dpi: int = 200) -> Truth:
    from .pages import Layout, parse_spec, render_pdf, render_scan
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    specs, statements, context = make_issue_specs(issues, seed)
    truth = Truth(statements=statements, grants=list(GRANTS),
                  context={f"{n}|{acr}": body for (n, acr), body in context.items()})
    truth.names["organization"] = {n: b for b, (_, ns) in BODIES.items() for n in ns}
    truth.names["organization"].update({n: c for c, ns in COOPS.items() for n in ns})
    truth.names["person"] = {n: p for p, (ns, _, _) in PEOPLE.items() for n in ns}
    for i, spec in enumerate(specs, 1):
        pdf = render_pdf(parse_spec(spec), out / f"issue-{i:02d}.pdf", Layout(columns=2, sidebar="none"))
        (out / f"issue-{i:02d}.spec").write_text(spec, encoding="utf-8")
        truth.files.append(pdf.name)
        if scans:
            truth.files.append(render_scan(pdf, out / f"issue-{i:02d}-scan.pdf", dpi, seed + i).name)
    again = out / "issue-01-reissued.pdf"                    # the same file, one byte apart
    again.write_bytes((out / "issue-01.pdf").read_bytes() + b"\n")
    truth.files.append(again.name)
    (out / "truth.json").write_text(truth.to_json(), encoding="utf-8")
    return truth


# -- scoring --------------------------------------------------------------------------------------
def _truth_of(kind: str, name: str, truth: Truth, source: str = "") -> str | None:
    """The truth id of an extracted name: the body an acronym alone names in its issue (``source``: the file),
    the spelling it is (words folded), else the nearest spelling when it is a near-exact reading (rapidfuzz
    ratio >= 92: a letter or two misread by OCR)."""
    import re
    from rapidfuzz.fuzz import ratio
    from pipeline.lang_fr.names import body_key, person_key
    m = re.search(r"issue-(\d+)", source or "")
    if kind == "organization" and m:
        from pipeline.lang_fr.names import fold_words
        alone = fold_words(re.sub(r"^(?:la|le|l')\s*", "", name.strip(), flags=re.I))
        ctx = {(n, fold_words(a)): b for n, _, a in (k.partition("|") for k in truth.context)
               for b in [truth.context[f"{n}|{a}"]]}
        if (m.group(1).lstrip("0"), alone) in ctx:
            return ctx[(m.group(1).lstrip("0"), alone)]
    k = person_key if kind == "person" else body_key
    table = {k(n): t for n, t in truth.names[kind].items()}
    key = k(name)
    if key in table:
        return table[key]
    best = max(table, key=lambda x: ratio(x, key))
    return table[best] if ratio(best, key) >= 92 else None


def pairwise(pred: list[str], gold: list[str]) -> dict:
    tp = fp = fn = 0
    for i, j in combinations(range(len(pred)), 2):
        same_p, same_g = pred[i] == pred[j], gold[i] == gold[j]
        tp += same_p and same_g
        fp += same_p and not same_g
        fn += same_g and not same_p
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "pairs_true": tp + fn}


def grant_of(funder, recipient, amount: float, truth: Truth):
    """The truth grant a funding row states: funder, recipient and amount; a row read without its recipient
    (or funder) states the one grant of that funder (recipient) and amount, if one."""
    f = _truth_of("organization", funder, truth) if funder else None
    r = _truth_of("organization", recipient, truth) if recipient else None
    fits = [g for g in truth.grants if g.amount == amount and (g.funder == f or f is None and funder is None)
            and (g.recipient == r or r is None and recipient is None)]
    return fits[0].id if len(fits) == 1 and (f or r) else None


def score(store, truth: Truth) -> dict:
    """Pairwise precision / recall / F1 of the entity clusters over the extracted mentions whose name is a
    truth spelling (the others counted as ``unmatched``), and the funding rows an export of every status
    gives against the distinct grants: ``repeats`` (rows beyond the first of a grant), ``lost_by_dedup``
    (a grant some record states that no row states), ``never_extracted`` (a grant no record states: the
    extraction's miss, not this stage's), ``other_rows`` (rows that are no grant of the truth)."""
    from pipeline.records import specs
    from pipeline.store.export import table
    from pipeline.store.resolved import entities, links
    out = {}
    ent_names = {e["id"]: e["name"] for e in entities(store)}
    sources = {d["id"]: d["source"] for d in store.documents()}
    for kind in ("organization", "person"):
        pred, gold, unmatched = [], [], []
        for sp in specs():
            fields = [f for f, k in sp.entities.items() if k == kind]
            if not fields:
                continue
            lk = links(store, sp.name)
            for r in store.records(sp.name):
                for f in fields:
                    name = r.get(f)
                    eid = (lk.get(r["id"]) or {}).get("entities", {}).get(f)
                    if not name or not eid:
                        continue
                    t = _truth_of(kind, name, truth, sources.get(r["doc_id"], ""))
                    if t is None:
                        unmatched.append(name)
                        continue
                    pred.append(eid)
                    gold.append(t)
        out[kind] = dict(pairwise(pred, gold), mentions=len(pred), unmatched=len(unmatched),
                         unmatched_names=sorted(set(unmatched)))
    df = table(store, "funding", "all")
    # a total is no grant of the truth (a row the extraction read as a total is one of its misreadings)
    rows = [(r.funder if isinstance(r.funder, str) else None, r.recipient if isinstance(r.recipient, str) else None,
             float(r.amount), bool(r.is_total)) for r in df.itertuples()]
    in_rows = [None if t else grant_of(f, r, a, truth) for f, r, a, t in rows]
    in_records = {grant_of(r.get("funder"), r.get("recipient"), float(r["amount"]), truth)
                  for r in store.records("funding") if not r.get("is_total")} - {None}
    seen = defaultdict(int)
    for g in in_rows:
        if g:
            seen[g] += 1
    out["funding"] = {"rows": len(df), "grants": len(truth.grants), "statements": truth.statements,
                      "records": len(store.records("funding")),
                      "rows_of_a_grant": sum(1 for g in in_rows if g), "repeats": sum(n - 1 for n in seen.values()),
                      "grants_in_rows": len(seen), "grants_in_records": len(in_records),
                      "lost_by_dedup": sorted(in_records - set(seen)),
                      "never_extracted": sorted(g.id for g in truth.grants if g.id not in in_records),
                      "other_rows": [f"{f} -> {r}: {a:.0f}{' (total)' if t else ''}"
                                     for (f, r, a, t), g in zip(rows, in_rows) if g is None]}
    out["entities"] = len(ent_names)
    return out


__all__ = ["make_corpus", "make_issue_specs", "score", "pairwise", "Truth", "GRANTS", "BODIES", "COOPS", "PEOPLE"]
