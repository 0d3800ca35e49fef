"""Generated tables with their truth: funding tables and name/role tables in the bulletins' French,
drawn as digital PDFs (and scanned twins), for the tests and ``python -m bench.tables``.

    python -m bench.pages --tables 40 --out DIR [--seed 1] [--scan]

Each document draws its own table from a seed: a funding table (organisme | projet | montant accordé |
programme..., the funder in a column, in the caption above it or nowhere) or a name/role table (nom |
fonction | organisme..., the role column first or second); ruled (a grid), ruled across only (rules
above and below the header and at the end), in a box with no inner rules, shaded rows, or no rules at
all; multi-line cells (long project names wrapped in a narrow column), a merged cell (a programme
spanning the rows it funds, a header spanning two amount columns), totals rows ('Total', 'Grand
total', 'Sous-total'), amounts in every French form ('250 000 $', '1,2 M$', '15 000,00 $', digits under
'Montant ($)', thin and no-break spaces), and tables that run on to the next page (the header
repeated or not). Around the table: a title and paragraphs of prose with no amount and no person's
name, so every record of the document is the table's.

The truth (``NAME.truth.json``) holds, per table, its logical grid (header rows then body rows, one
string per column, a merged cell's text in its first row and column), its merged cells, its totals,
and the records a reader should make of it: funding rows (recipient, amount, funder, is_total,
kind) or people (name, role, organization). The scanned twin (``NAME-scan.pdf``) is the pages
rendered at 200 or 300 dpi, turned a little, blurred, speckled and JPEG-compressed.
"""
from __future__ import annotations

import io
import json
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .pages import _esc, _fonts

NBSP, THIN = "\u00a0", "\u202f"

RECIPIENTS = [
    "Coopérative de solidarité du Haut-Richelieu", "Café-coop La Brûlerie", "Centre communautaire de Saint-Zénon",
    "Coopérative d'habitation Les Trois Rivières", "Épicerie solidaire de Lac-Etchemin", "Maison des jeunes L'Envol",
    "Coopérative forestière de la Matapédia", "Corporation de développement de Sainte-Luce",
    "Les Jardins collectifs de Rimouski", "Coopérative de travail Atelier Bois-Franc", "Comptoir alimentaire de Cabano",
    "Ressourcerie des Basques", "Coop de santé des Etchemins", "Théâtre du Bic", "Fromagerie coopérative de l'Isle",
    "Association des familles de Montmagny", "Centre d'action bénévole de la Mitis", "Coopérative funéraire du Fjord",
    "Radio communautaire CKMN", "Coopérative de solidarité Le Rucher", "Marché public de Pohénégamook",
    "Corporation du patrimoine de Kamouraska", "Coopérative agricole de la Vallée", "Auberge de jeunesse du Lac",
    "Centre de formation Horizon", "Coopérative de services à domicile de Charlevoix", "Garderie coopérative Les Lucioles",
    "Société d'histoire de Matane", "Coopérative de l'école secondaire du Littoral", "Festival de la chanson de Tadoussac",
    "Regroupement des proches aidants de Bellechasse", "Coopérative de transport collectif du Granit",
    "Friperie La Seconde Main", "Musée régional de la Côte", "Cuisine collective de Trois-Pistoles",
    "Coopérative de câblodistribution de Saint-Fabien", "Entraide Pauvreté Beauce", "Ferme coopérative du Rang 4",
]
PROJECTS = [
    "Aménagement d'une cuisine collective", "Achat d'un camion réfrigéré", "Agrandissement de l'entrepôt",
    "Démarrage d'un service de livraison à domicile", "Rénovation de la salle communautaire",
    "Embauche d'une coordonnatrice", "Plan de relève des bénévoles", "Étude de faisabilité d'une serre quatre saisons",
    "Mise en marché des produits locaux", "Site Web transactionnel", "Formation des administrateurs",
    "Acquisition d'équipements de transformation", "Création d'un jardin communautaire",
    "Programmation culturelle estivale", "Réfection de la toiture et isolation du bâtiment",
    "Service de navette pour les aînés", "Campagne de recrutement de membres", "Atelier de réparation de vélos",
    "Mise aux normes de la cuisine", "Projet pilote de compostage", "Halte-garderie pour les familles",
    "Numérisation des archives", "Circuit patrimonial balisé", "Local de transformation alimentaire",
]
# (name, its article: 'soutenus par la MRC de la Matapédia', 'par Emploi-Québec')
FUNDERS = [("MRC de la Matapédia", "la"), ("Caisse Desjardins du Bic", "la"), ("Fondation Lucie-Bélanger", "la"),
           ("Ville de Rimouski", "la"), ("Centre local de développement des Basques", "le"), ("SADC de la Neigette", "la"),
           ("ministère de l'Économie", "le"), ("Conseil régional de l'environnement", "le"),
           ("Fonds coopératif régional", "le"), ("Emploi-Québec", "")]
PROGRAMMES = [("Fonds régions et ruralité", "le"), ("Programme d'aide aux initiatives locales", "le"),
              ("Fonds de développement des territoires", "le"), ("Programme Mobilisation-Diversité", "le"),
              ("Fonds d'économie sociale", "le"), ("Volet Soutien à la vitalisation", "le"),
              ("Programme Nouveaux Horizons", "le"), ("Fonds d'appui au rayonnement des régions", "le")]
FIRST = ["Marie", "Louise", "Nathalie", "Sophie", "Geneviève", "Isabelle", "Julie", "Chantal", "Annie", "Hélène",
         "Jean", "Pierre", "Luc", "François", "Mathieu", "Guy", "Réjean", "Sylvain", "Éric", "Benoît", "Maxime",
         "Karine", "Véronique", "Denis", "Stéphane", "Josée", "Martin", "Claude", "Mélanie", "Olivier"]
LAST = ["Tremblay", "Gagnon", "Bouchard", "Côté", "Lavoie", "Pelletier", "Bélanger", "Lévesque", "Morin",
        "Gauthier", "Ouellet", "Bérubé", "Fournier", "Leblanc", "Dubé", "Simard", "Caron", "Paradis", "Thibault",
        "Michaud", "Desjardins", "Lapointe", "Beaulieu", "Rioux", "St-Pierre", "Boucher-Gagné", "Dionne", "Harvey"]
ROLES = ["présidente", "président", "vice-présidente", "vice-président", "secrétaire", "trésorière", "trésorier",
         "administratrice", "administrateur", "directrice générale", "directeur général", "coordonnatrice",
         "conseillère municipale", "conseiller municipal", "mairesse", "maire", "agente de développement",
         "secrétaire-trésorière"]
ORGS = ["Coopérative de solidarité du Haut-Richelieu", "Centre d'action bénévole de la Mitis", "Ville de Matane",
        "MRC des Basques", "Caisse Desjardins du Bic", "Corporation de développement de Sainte-Luce",
        "Coopérative funéraire du Fjord", "Table de concertation des aînés"]
TITLES_FUNDING = ["Des projets structurants pour nos communautés", "Bilan des investissements de l'année",
                  "L'économie sociale soutenue dans toute la région", "Les projets retenus cette année",
                  "Appel de projets : les résultats"]
TITLES_PEOPLE = ["Le nouveau conseil d'administration", "Votre équipe pour la prochaine année",
                 "Composition du comité de direction", "Les membres du conseil municipal"]
PROSE = [
    "Le comité d'analyse s'est réuni à trois reprises au cours de l'automne afin d'étudier les demandes reçues. "
    "Chaque dossier a été évalué selon sa contribution au développement du milieu, sa viabilité et l'engagement "
    "de la communauté.",
    "Les organismes retenus disposent maintenant de douze mois pour réaliser leur projet. Un suivi sera assuré par "
    "l'équipe de développement, qui demeure disponible pour accompagner les promoteurs dans leurs démarches.",
    "Cette année encore, la qualité des dossiers présentés témoigne du dynamisme de nos collectivités. Plusieurs "
    "projets misent sur la mise en commun des ressources et sur la participation des citoyens.",
    "Les projets touchent des secteurs variés : alimentation, habitation, culture, services de proximité et "
    "environnement. Ils contribueront à maintenir des services essentiels dans les plus petites municipalités.",
    "L'assemblée générale annuelle a eu lieu en présence de nombreux membres. Les états financiers ont été "
    "présentés et adoptés, puis les membres ont élu les personnes qui siégeront au conseil pour la prochaine année.",
    "Le conseil se réunit une fois par mois. Ses membres sont bénévoles et s'engagent à représenter l'ensemble des "
    "membres de la coopérative auprès des partenaires du milieu.",
    "Nous remercions chaleureusement les personnes qui ont terminé leur mandat pour leur dévouement et leur "
    "contribution à la vie associative au cours des dernières années.",
    "Pour toute question, les citoyens peuvent communiquer avec le bureau municipal pendant les heures "
    "d'ouverture ou consulter le site Web de la municipalité.",
]
CAPTIONS_FUNDER = ["Projets soutenus par {a} {f}", "Projets financés par {a} {f} en 2024", "Aide accordée par {a} {f}",
                   "{A} {f} a soutenu les projets suivants :", "Contributions {d} {f}"]
CAPTIONS_NONE = ["Liste des projets retenus", "Répartition des sommes accordées", "Projets retenus au dernier appel"]
TOTALS = ["Total", "Grand total", "TOTAL", "Total des contributions", "Sous-total"]


@dataclass
class TableTruth:
    """One generated table and what a reader should make of it."""
    kind: str                                   # funding | people
    style: str                                  # grid | across | box | shaded | plain
    header: list[list[str]]
    body: list[list[str]]
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)   # (row, col, rowspan, colspan), header rows first
    totals: list[int] = field(default_factory=list)                         # body rows that are totals
    caption: str = ""
    split: bool = False                         # runs on to the next page
    records: list[dict] = field(default_factory=list)

    @property
    def grid(self) -> list[list[str]]:
        return self.header + self.body


@dataclass
class TableDoc:
    name: str
    paper: str
    font: str
    size: float
    title: str
    before: list[str]
    after: list[str]
    tables: list[TableTruth]
    columns: int = 1                    # 2: the table set in one column of a two-column page, prose beside it


def _amount_text(rnd: random.Random, amount: float, form: str) -> str:
    sep = rnd.choice((" ", " ", NBSP, THIN)) if form != "digits" else " "

    def grouped(v: int) -> str:
        return f"{v:,}".replace(",", sep)
    if form == "millions" and amount >= 1_000_000:
        m = amount / 1_000_000
        txt = f"{m:.1f}".replace(".", ",").replace(",0", "")
        return rnd.choice((f"{txt} M$", f"{txt} million $" if m < 2 else f"{txt} millions $"))
    if form == "cents":
        whole = int(amount)
        cents = round((amount - whole) * 100)
        return f"{grouped(whole)},{cents:02d} $"
    if form == "digits":
        return grouped(int(amount))
    if form == "euro":
        return f"{grouped(int(amount))} €"
    return f"{grouped(int(amount))} $"


def _amount(rnd: random.Random, form: str) -> float:
    if form == "millions" and rnd.random() < 0.45:
        return rnd.choice((1_200_000, 2_500_000, 1_500_000, 3_100_000, 1_800_000))
    if form == "cents":
        return round(rnd.randrange(2_000, 90_000) + rnd.choice((0, 0.5, 0.25, 0.75, 0.4)), 2)
    return float(rnd.randrange(5, 400) * 500)


def _caption(rnd: random.Random, name: str, art: str) -> str:
    d = {"le": "du", "la": "de la", "": "d'"}[art]
    text = rnd.choice(CAPTIONS_FUNDER).format(a=art, A=art.capitalize(), f=name, d=d)
    return " ".join(text.replace("d' ", "d'").split())


def funding_table(rnd: random.Random, n: int = 0) -> TableTruth:
    n = n or rnd.randrange(3, 9)
    recips = rnd.sample(RECIPIENTS, n)
    form = rnd.choice(("plain", "plain", "millions", "cents", "digits", "euro"))
    funder_in = rnd.choice(("column", "caption", "caption", "programme", "none"))
    project = rnd.random() < 0.7
    place = rnd.random() < 0.25
    two_amounts = funder_in in ("caption", "none") and rnd.random() < 0.15
    money_head = {"digits": "Montant ($)", "euro": "Montant (€)"}.get(form) or rnd.choice(
        ("Montant accordé", "Aide accordée", "Contribution", "Montant", "Subvention"))
    kind = {"Contribution": "contribution", "Subvention": "subvention"}.get(money_head)
    org_head = rnd.choice(("Organisme", "Organisme bénéficiaire", "Bénéficiaire", "Promoteur", "Nom de l'organisme"))
    cols = [org_head] + (["Projet"] if project else []) + (["Municipalité"] if place else [])
    if two_amounts:
        cols += ["Aide accordée", ""]
    else:
        cols += [money_head]
    funders = [f for f, _ in rnd.sample(FUNDERS, 3)]
    if funder_in == "column":
        cols.append(rnd.choice(("Bailleur de fonds", "Partenaire financier", "Source de financement")))
    if funder_in == "programme":
        cols.append("Programme")
    places = ["Rimouski", "Matane", "Amqui", "Sainte-Luce", "Trois-Pistoles", "Cabano", "Le Bic", "Mont-Joli"]
    body, recs, amounts = [], [], []
    spans = []
    header = [cols]
    if two_amounts:
        sub = [""] * len(cols)
        k = cols.index("Aide accordée")
        sub[k], sub[k + 1] = "Subvention", "Prêt"
        header = [cols, sub]
        spans.append((0, k, 1, 2))
        for j in range(len(cols)):
            if j not in (k, k + 1):
                spans.append((0, j, 2, 1))
    prog_groups: list[tuple[int, int, str]] = []
    if funder_in == "programme":
        # programmes merged over the rows they fund (a cell spanning two or three rows)
        i = 0
        while i < n:
            g = min(n - i, rnd.choice((1, 2, 3)))
            prog_groups.append((i, g, rnd.choice(PROGRAMMES)[0]))
            i += g
    cap_pick = rnd.choice(FUNDERS + PROGRAMMES) if funder_in == "caption" else None
    caption_funder = cap_pick[0] if cap_pick else None
    for i, r in enumerate(recips):
        row = [r]
        if project:
            row.append(rnd.choice(PROJECTS))
        if place:
            row.append(rnd.choice(places))
        if two_amounts:
            a1 = _amount(rnd, form)
            a2 = _amount(rnd, form) if rnd.random() < 0.5 else None
            row += [_amount_text(rnd, a1, form), _amount_text(rnd, a2, form) if a2 else "—"]
            amounts.append(a1 + (a2 or 0))
            for a, k_ in ((a1, "subvention"), (a2, "prêt")):
                if a:
                    recs.append({"recipient": r, "amount": a, "funder": caption_funder, "is_total": False, "kind": k_})
        else:
            a = _amount(rnd, form)
            amounts.append(a)
            row.append(_amount_text(rnd, a, form))
            funder = None
            if funder_in == "column":
                funder = rnd.choice(funders)
                row.append(funder)
            elif funder_in == "programme":
                g = next(g for g in prog_groups if g[0] <= i < g[0] + g[1])
                row.append(g[2] if g[0] == i else "")
                funder = g[2]
            elif funder_in == "caption":
                funder = caption_funder
            recs.append({"recipient": r, "amount": a, "funder": funder, "is_total": False, "kind": kind})
        body.append(row)
    hr = len(header)
    for g0, g, _ in prog_groups:
        if g > 1:
            spans.append((hr + g0, len(cols) - 1, g, 1))
    totals = []
    if rnd.random() < 0.6 and not two_amounts:
        label = rnd.choice(TOTALS)
        total = sum(amounts)
        row = [label] + [""] * (len(cols) - 1)
        row[cols.index(money_head)] = _amount_text(rnd, total, form if form != "millions" or total >= 1e6 else "plain")
        body.append(row)
        totals.append(len(body) - 1)
        recs.append({"recipient": None, "amount": total, "funder": caption_funder if funder_in == "caption" else None,
                     "is_total": True, "kind": None})
    cap = _caption(rnd, *cap_pick) if cap_pick else rnd.choice(CAPTIONS_NONE)
    return TableTruth("funding", "", header, body, spans, totals, cap, records=recs)


def people_table(rnd: random.Random, n: int = 0) -> TableTruth:
    n = n or rnd.randrange(3, 10)
    role_first = rnd.random() < 0.3
    org = rnd.random() < 0.45
    since = not org and rnd.random() < 0.3
    names = []
    while len(names) < n:
        nm = f"{rnd.choice(FIRST)} {rnd.choice(LAST)}"
        if nm not in names:
            names.append(nm)
    name_head = rnd.choice(("Nom", "Nom et prénom", "Membre", "Administrateur"))
    role_head = rnd.choice(("Fonction", "Poste", "Rôle", "Fonction au conseil"))
    cols = [role_head, name_head] if role_first else [name_head, role_head]
    if org:
        cols.append(rnd.choice(("Organisme", "Organisation", "Représente")))
    if since:
        cols.append(rnd.choice(("Depuis", "Membre depuis", "Entrée en fonction")))
    body, recs = [], []
    roles = rnd.sample(ROLES, min(n, len(ROLES)))
    for i, nm in enumerate(names):
        role = roles[i % len(roles)]
        role_cell = role[:1].upper() + role[1:] if rnd.random() < 0.6 else role
        row = [role_cell, nm] if role_first else [nm, role_cell]
        o = rnd.choice(ORGS) if org else None
        if org:
            row.append(o)
        if since:
            row.append(str(rnd.randrange(2008, 2024)))
        body.append(row)
        recs.append({"name": nm, "role": role, "organization": o})
    cap = rnd.choice(("Le conseil d'administration 2024-2025", "Composition du conseil", "Membres du comité",
                      "Les élus pour le mandat en cours"))
    if "Représente" in cols:
        pass
    return TableTruth("people", "", [cols], body, [], [], cap, records=recs)


def table_doc(seed: int) -> TableDoc:
    """The layout and content of generated table document number ``seed``."""
    rnd = random.Random(seed * 7907 + 3)
    kind = rnd.choice(("funding", "funding", "funding", "people", "people"))
    split = rnd.random() < 0.25
    n = rnd.randrange(22, 32) if split else 0
    t = funding_table(rnd, n) if kind == "funding" else people_table(rnd, n)
    t.style = rnd.choice(("grid", "grid", "across", "box", "shaded", "plain", "plain"))
    if t.spans and t.style not in ("grid",) and any(s[2] > 1 for s in t.spans if s[0] >= len(t.header)):
        t.style = "grid"                         # a programme spanning rows is drawn with rules
    t.split = split
    before = rnd.sample(PROSE[:4] if kind == "funding" else PROSE[4:], rnd.randrange(1, 3))
    after = rnd.sample(PROSE, 1)
    if split:                                   # the table starts low on page 1 and runs on to page 2
        before = before + [p for p in PROSE if p not in before][:4]
    # a narrow table (a name/role table, or two or three columns) sometimes stands in one column of a
    # two-column page, with prose in the other
    columns = 2 if not split and len(t.header[0]) <= 3 and not t.spans and rnd.random() < 0.4 else 1
    if columns == 2:
        before = before + [p for p in PROSE if p not in before][:3]
        after = after + [p for p in PROSE if p not in after][:3]
    title = rnd.choice(TITLES_FUNDING if kind == "funding" else TITLES_PEOPLE)
    return TableDoc(name=f"table-{seed:04d}", paper=rnd.choice(("letter", "a4")), font=rnd.choice(("serif", "sans")),
                    size=round(rnd.uniform(8.5, 10.5), 1), title=title, before=before, after=after, tables=[t],
                    columns=columns)


def render_table_pdf(doc: TableDoc, out: Path, seed: int = 0) -> Path:
    """Draw a table document (reportlab): title, prose, the caption, the table, more prose. A split table
    is placed low enough on page 1 to run on to page 2 (its header repeated there or not)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_JUSTIFY, TA_RIGHT
    from reportlab.lib.pagesizes import A4, letter
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import (BaseDocTemplate, Frame, PageTemplate, Paragraph, SimpleDocTemplate, Spacer, Table,
                                    TableStyle)
    _fonts()
    rnd = random.Random(doc.name)
    face, bold = ("BSerif", "BSerifB") if doc.font == "serif" else ("BSans", "BSansB")
    size = doc.size
    body = ParagraphStyle("b", fontName=face, fontSize=size, leading=size * 1.25, alignment=TA_JUSTIFY, spaceAfter=size * 0.7)
    title = ParagraphStyle("t", fontName=bold, fontSize=size * 1.9, leading=size * 2.3, spaceAfter=size)
    caption = ParagraphStyle("c", fontName=bold, fontSize=size * 1.05, leading=size * 1.3, spaceAfter=4, spaceBefore=4)
    fs = round(size - rnd.choice((0.5, 1.0, 1.5)), 1)
    cell = ParagraphStyle("cell", fontName=face, fontSize=fs, leading=fs * 1.2, splitLongWords=0)
    cell_r = ParagraphStyle("cellr", parent=cell, alignment=TA_RIGHT)
    head = ParagraphStyle("head", fontName=bold, fontSize=fs, leading=fs * 1.2, splitLongWords=0)
    pagesize = letter if doc.paper == "letter" else A4
    margin = rnd.choice((50, 60, 72))
    story = [Paragraph(_esc(doc.title), title)] + [Paragraph(_esc(p), body) for p in doc.before]
    width = pagesize[0] - 2 * margin
    gutter = rnd.choice((14, 18, 24))
    if doc.columns == 2:
        width = (width - gutter) / 2
    for t in doc.tables:
        story.append(Paragraph(_esc(t.caption), caption))
        ncol = len(t.header[0])
        money = [j for j in range(ncol) if any(_looks_money(r[j]) for r in t.body)]
        text_cols = [j for j in range(ncol) if j not in money]
        # narrow text columns wrap their long names (multi-line cells)
        tw = width * rnd.uniform(0.8, 1.0)
        weights = [1.6 if j == 0 else 0.8 if j in money else (0.95 if t.header[0][j] in ("Municipalité", "Depuis", "Membre depuis", "Entrée en fonction") else 1.3)
                   for j in range(ncol)]
        # no column narrower than its longest word (an amount is one word: it never wraps), as a
        # typesetter would set it; the rest of the width shared by weight
        from reportlab.pdfbase.pdfmetrics import stringWidth
        need = []
        for j in range(ncol):
            ws = [stringWidth(x, bold if i < len(t.header) else face, fs) for i, row in enumerate(t.grid) if row[j]
                  and not any(sp[0] == i and sp[1] == j and sp[3] > 1 for sp in t.spans)
                  for x in ([row[j]] if j in money else row[j].split())]
            need.append(max(ws, default=10) + 8 + 2)
        room = max(0.0, tw - sum(need))
        widths = [need[j] + room * weights[j] / sum(weights) for j in range(ncol)]
        data = []
        for i, row in enumerate(t.grid):
            is_head = i < len(t.header)
            data.append([Paragraph(_esc(c), head if is_head else (cell_r if j in money else cell)) if c else ""
                         for j, c in enumerate(row)])
        pad = rnd.choice((0, 2, 3, 3, 4))
        valign = rnd.choice(("TOP", "TOP", "MIDDLE", "BOTTOM"))
        style = [("VALIGN", (0, 0), (-1, -1), valign), ("TOPPADDING", (0, 0), (-1, -1), pad),
                 ("BOTTOMPADDING", (0, 0), (-1, -1), pad + 1), ("LEFTPADDING", (0, 0), (-1, -1), 4),
                 ("RIGHTPADDING", (0, 0), (-1, -1), 4)]
        hr = len(t.header)
        if t.style == "grid":
            style.append(("GRID", (0, 0), (-1, -1), 0.6, colors.black))
        elif t.style == "across":
            style += [("LINEABOVE", (0, 0), (-1, 0), 1.0, colors.black), ("LINEBELOW", (0, hr - 1), (-1, hr - 1), 0.6, colors.black),
                      ("LINEBELOW", (0, -1), (-1, -1), 1.0, colors.black)]
        elif t.style == "box":
            style += [("BOX", (0, 0), (-1, -1), 0.8, colors.black), ("LINEBELOW", (0, hr - 1), (-1, hr - 1), 0.6, colors.black)]
        elif t.style == "shaded":
            style += [("BACKGROUND", (0, 0), (-1, hr - 1), colors.Color(0.78, 0.84, 0.92)),
                      ("ROWBACKGROUNDS", (0, hr), (-1, -1), [colors.white, colors.Color(0.92, 0.94, 0.96)])]
        for r, c, rs, cs in t.spans:
            style.append(("SPAN", (c, r), (c + cs - 1, r + rs - 1)))
        for k in t.totals:
            style.append(("FONT", (0, hr + k), (-1, hr + k), bold, fs))
        tab = Table(data, colWidths=widths, repeatRows=hr if (t.split and rnd.random() < 0.6) else 0, hAlign="LEFT")
        tab.setStyle(TableStyle(style))
        story += [Spacer(1, 2), tab, Spacer(1, size)]
    story += [Paragraph(_esc(p), body) for p in doc.after]
    if doc.columns == 2:
        t = BaseDocTemplate(str(out), pagesize=pagesize, leftMargin=margin, rightMargin=margin, topMargin=margin,
                            bottomMargin=margin, title=doc.title, author="")
        h = pagesize[1] - 2 * margin
        t.addPageTemplates([PageTemplate("two", [Frame(margin, margin, width, h, 0, 0, 0, 0),
                                                 Frame(margin + width + gutter, margin, width, h, 0, 0, 0, 0)])])
        t.build(story)
        return out
    SimpleDocTemplate(str(out), pagesize=pagesize, leftMargin=margin, rightMargin=margin, topMargin=margin,
                      bottomMargin=margin, title=doc.title, author="").build(story)
    return out


def _looks_money(text: str) -> bool:
    t = text.replace(NBSP, " ").replace(THIN, " ")
    return any(ch.isdigit() for ch in t) and (t.strip().endswith(("$", "€")) or t.replace(" ", "").isdigit()
                                               and len(t.replace(" ", "")) >= 4 and not (1990 < int(t.replace(" ", "")) < 2100))


def render_table_scan(pdf: Path, out: Path, seed: int) -> tuple[Path, int]:
    """A scanned twin: 200 or 300 dpi, turned up to 0.8 degree, blurred, speckled, JPEG."""
    import img2pdf
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter
    rnd = random.Random(seed * 104729 + 11)
    dpi = rnd.choice((200, 300, 300))
    doc = pdfium.PdfDocument(str(pdf))
    pages = []
    try:
        for page in doc:
            im = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            page.close()
            im = im.rotate(rnd.uniform(-0.8, 0.8), resample=Image.BICUBIC, expand=False, fillcolor=255)
            im = im.filter(ImageFilter.GaussianBlur(rnd.uniform(0.3, 0.6) * dpi / 200))
            px = im.load()
            w, h = im.size
            for _ in range(w * h // rnd.choice((600, 1200, 2400))):
                px[rnd.randrange(w), rnd.randrange(h)] = rnd.choice((0, 90, 180))
            buf = io.BytesIO()
            im.save(buf, "JPEG", quality=rnd.randrange(55, 85), dpi=(dpi, dpi))
            pages.append(buf.getvalue())
    finally:
        doc.close()
    out.write_bytes(img2pdf.convert(pages))
    return out, dpi


def truth_json(doc: TableDoc) -> dict:
    return {"name": doc.name, "tables": [dict(asdict(t), grid=t.grid) for t in doc.tables]}


def make_tables(out: Path, n: int, seed: int = 1, scans: int = 0) -> list[tuple[TableDoc, Path, Path | None]]:
    """``n`` table documents (seeds from ``seed`` on) into ``out``: NAME.pdf, NAME.truth.json and, for
    the first ``scans`` of them, NAME-scan.pdf."""
    out.mkdir(parents=True, exist_ok=True)
    made = []
    for k in range(n):
        s = seed + k
        doc = table_doc(s)
        pdf = render_table_pdf(doc, out / f"{doc.name}.pdf", s)
        (out / f"{doc.name}.truth.json").write_text(json.dumps(truth_json(doc), ensure_ascii=False, indent=1),
                                                   encoding="utf-8")
        scan = render_table_scan(pdf, out / f"{doc.name}-scan.pdf", s)[0] if k < scans else None
        made.append((doc, pdf, scan))
    return made


# ---------------------------------------------------------------------------- scoring
def norm(text) -> str:
    """A cell or a name as compared: spaces made plain and single, typographic apostrophes and dashes
    plain (case and accents kept)."""
    import unicodedata
    t = unicodedata.normalize("NFC", str(text or ""))
    for a, b in ((NBSP, " "), (THIN, " "), ("\u2009", " "), ("’", "'"), ("–", "-"), ("—", "-")):
        t = t.replace(a, b)
    return " ".join(t.split())


def logical_tables(doc: dict) -> list[dict]:
    """The tables of a document JSON with each continuation's body rows appended to the table it
    continues (its repeated header left out; a continuation may come first in the page's list when it
    stands at the head of the next column): one grid per table as a reader sees it."""
    tables = [t for t in doc.get("tables", []) if not t.get("error") and t.get("cells")]
    by_id = {t["id"]: t for t in tables}

    def chain(t):
        out = [t["id"]]
        while t.get("continues") in by_id and t["continues"] not in out:
            t = by_id[t["continues"]]
            out.append(t["id"])
        return out
    groups: dict[str, list] = {}
    for t in tables:
        c = chain(t)
        groups.setdefault(c[-1], []).append((len(c), t))
    order = []
    for root in [t["id"] for t in tables if t["id"] in groups]:
        parts = [t for _, t in sorted(groups[root], key=lambda x: x[0])]
        first = parts[0]
        grid = [list(r) for r in first["header"]] + [list(r) for r in first["body"]]
        for t in parts[1:]:
            grid += [list(r) for r in t["body"]]
        order.append({"id": first["id"], "grid": grid, "parts": [t["id"] for t in parts], "page": first["page"],
                      "method": first["method"]})
    return order


def _row_key(row) -> str:
    return " | ".join(norm(c) for c in row)


def cell_score(truth: list[list[str]], pred: list[list[str]]) -> tuple[int, int]:
    """(cells right, cells counted) of a predicted grid against the truth: rows paired in order by
    their text (a row missed or added costs its cells), then cells by column; counted are the truth's
    non-empty cells and the predicted non-empty cells where the truth has none."""
    import difflib
    tk, pk = [_row_key(r) for r in truth], [_row_key(r) for r in pred]
    sm = difflib.SequenceMatcher(a=tk, b=pk, autojunk=False)
    pairs = []
    ia = ib = 0
    for tag, a0, a1, b0, b1 in sm.get_opcodes():
        if tag == "equal" or tag == "replace":
            for k in range(min(a1 - a0, b1 - b0)):
                pairs.append((a0 + k, b0 + k))
    paired_t = {a for a, _ in pairs}
    paired_p = {b for _, b in pairs}
    right = counted = 0
    for a, b in pairs:
        t, p = truth[a], pred[b]
        for c in range(max(len(t), len(p))):
            tc = norm(t[c]) if c < len(t) else ""
            pc = norm(p[c]) if c < len(p) else ""
            if tc:
                counted += 1
                right += tc == pc
            elif pc:
                counted += 1
    counted += sum(1 for a, r in enumerate(truth) if a not in paired_t for c in r if norm(c))
    counted += sum(1 for b, r in enumerate(pred) if b not in paired_p for c in r if norm(c))
    return right, counted


def score_tables(truth: dict, doc: dict) -> dict:
    """Cell accuracy of one document: each truth table paired with the predicted table sharing most
    cell texts; predicted tables paired with none count all their cells as wrong."""
    preds = logical_tables(doc)
    used = set()
    right = counted = 0
    found = 0
    for t in truth["tables"]:
        tgrid = t["grid"]
        tcells = {norm(c) for r in tgrid for c in r if norm(c)}
        best, best_k = None, -1
        for k, p in enumerate(preds):
            if k in used:
                continue
            overlap = len(tcells & {norm(c) for r in p["grid"] for c in r if norm(c)})
            if overlap > best_k:
                best, best_k = k, overlap
        if best is None or best_k == 0:
            counted += sum(1 for r in tgrid for c in r if norm(c))
            continue
        used.add(best)
        found += 1
        r, n = cell_score(tgrid, preds[best]["grid"])
        right += r
        counted += n
    extra = [p for k, p in enumerate(preds) if k not in used]
    counted += sum(1 for p in extra for r in p["grid"] for c in r if norm(c))
    return {"right": right, "counted": counted, "tables": len(truth["tables"]), "found": found, "extra": len(extra)}


def _same_name(a, b, fuzzy: float = 0.9) -> bool:
    from rapidfuzz import fuzz
    if a is None or b is None:
        return a is None and b is None
    x, y = norm(a).lower(), norm(b).lower()
    return x == y or fuzz.ratio(x, y) >= 100 * fuzzy


def score_records(truth: dict, doc: dict, fuzzy: float = 0.9) -> dict:
    """Row-level precision and recall of the funding and people records of a document against the
    rows its tables should give: a funding row is right when its amount, total flag, recipient and
    funder are (names compared as :func:`norm` makes them, at ``fuzzy`` similarity for OCR); a person
    when the name, role and organisation are."""
    out = {}
    for kind, key in (("funding", "funding"), ("people", "people")):
        gold = [r for t in truth["tables"] if t["kind"] == kind for r in t["records"]]
        pred = list(doc.get(key, []))
        used = set()
        tp = 0
        for g in gold:
            for k, p in enumerate(pred):
                if k in used:
                    continue
                if kind == "funding":
                    ok = abs(float(p.get("amount") or 0) - g["amount"]) < 0.01 and bool(p.get("is_total")) == g["is_total"] \
                        and _same_name(p.get("recipient"), g["recipient"], fuzzy) and _same_name(p.get("funder"), g["funder"], fuzzy)
                else:
                    ok = _same_name(p.get("name"), g["name"], fuzzy) and _same_name((p.get("role") or "").lower() or None,
                                                                                   g["role"], fuzzy) \
                        and _same_name(p.get("organization"), g["organization"], fuzzy)
                if ok:
                    used.add(k)
                    tp += 1
                    break
        out[kind] = {"tp": tp, "gold": len(gold), "pred": len(pred)}
    return out


__all__ = ["TableTruth", "TableDoc", "table_doc", "render_table_pdf", "render_table_scan", "make_tables",
           "truth_json", "funding_table", "people_table", "norm", "logical_tables", "cell_score", "score_tables",
           "score_records"]
