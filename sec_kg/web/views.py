"""Views for people who would rather look than read: the comparison matrix (``/compare``), the network of
laws, bodies, institutions and policies (``/network/CC``, ``/network?resource=IRI``), the timeline
(``/timeline``) and charts of the statistical tables (``/charts``).

The data are computed on the server from the canned queries of ``queries/`` (bound by ``sec_kg.queries``)
plus one feature query for the matrix: a handful of queries per page, never one per row. The matrix,
timeline and charts are plain HTML and SVG; the network is drawn by Cytoscape.js (installed from npm
into ``node_modules`` like YASGUI) and also listed as a table of edges.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, abort, render_template, request, send_from_directory
from rdflib import Literal

from ..namespaces import ID, sparql_prologue
from . import WEB_DIR, context
from .queries import canned
from .view import link_of

blueprint = Blueprint("views", __name__)

CYTOSCAPE_DIR = WEB_DIR / "node_modules" / "cytoscape" / "dist"

#: rows of the comparison matrix that come from the feature query: key -> row heading
FEATURES = {
    "sec-policy": "SEC-specific policy or plan",
    "sec-body": "SEC-specific coordination body",
    "justice": "Specialised courts or child-friendly justice mechanisms",
    "code-of-conduct": "Code of conduct (travel and tourism, among others)",
    "care-state": "Care services managed by the State",
    "care-private": "Care services under private management",
    "care-mixed": "Care services under mixed management",
    "care-civil-society": "Care services run by civil society",
    "participation": "Participation mechanisms for children and adolescents",
    "prosecuted": "Data on prosecuted persons",
    "convictions": "Data on convictions or sentences",
}

_FEATURE_QUERY = """
SELECT ?feature ?state ?evidence ?evidenceLabel WHERE {
  {
    ?evidence a sec:Policy ; sec:focus <https://w3id.org/sec-kg/id/concept/focus/sec> ; sec:state ?state .
    BIND ("sec-policy" AS ?feature)
  } UNION {
    ?evidence a sec:CoordinationBody ; sec:focus <https://w3id.org/sec-kg/id/concept/focus/sec> ; sec:state ?state .
    BIND ("sec-body" AS ?feature)
  } UNION {
    ?evidence a sec:AccessToJusticeMechanism ; sec:state ?state .
    BIND ("justice" AS ?feature)
  } UNION {
    ?evidence sec:measureType <https://w3id.org/sec-kg/id/concept/measure-type/code-of-conduct> ; sec:state ?state .
    BIND ("code-of-conduct" AS ?feature)
  } UNION {
    ?evidence a sec:CareService ; sec:state ?state ; sec:managementType ?management .
    BIND (CONCAT("care-", STRAFTER(STR(?management), "/management/")) AS ?feature)
  } UNION {
    ?evidence a sec:ParticipationMechanism ; sec:state ?state .
    BIND ("participation" AS ?feature)
  } UNION {
    ?observation qb:dataSet ?evidence ; sec:refState ?state ; sec:subject ?subject .
    VALUES (?subject ?feature) {
      (<https://w3id.org/sec-kg/id/concept/subject/prosecuted-persons> "prosecuted")
      (<https://w3id.org/sec-kg/id/concept/subject/convictions> "convictions")
      (<https://w3id.org/sec-kg/id/concept/subject/sentences> "convictions")
    }
  }
  ?evidence rdfs:label ?evidenceLabel FILTER (lang(?evidenceLabel) = "en")
}"""


@dataclass
class Cell:
    """One matrix cell: what is printed in it, the resources that are its evidence, and a CSS class."""

    text: str = ""
    evidence: list = field(default_factory=list)
    kind: str = "none"


def _run(name: str, **values) -> list[dict]:
    """A canned query's rows (values bound by its typed parameters)."""
    return context().store.select(canned()[name].bind(values)).rows


def _code(state) -> str:
    return str(state).rsplit("/", 1)[1]


@blueprint.get("/compare")
def compare():
    """States as columns; rows: feature present (with links to the evidence), then each treaty cell as printed."""
    states = context().states
    rows = []
    found: dict[tuple[str, str], Cell] = {}
    for row in context().store.select(sparql_prologue() + _FEATURE_QUERY).rows:
        cell = found.setdefault((str(row["feature"]), _code(row["state"])), Cell(kind="yes"))
        item = (str(row["evidenceLabel"]), link_of(row["evidence"]))
        if item not in cell.evidence:
            cell.evidence.append(item)
    for key, heading in FEATURES.items():
        rows.append((key, heading, [found.get((key, code), Cell(text="not reported")) for code, _ in states]))
    treaties: dict[str, dict[str, Cell]] = {}
    for row in _run("ratifications"):
        status = str(row["status"]).rsplit("/", 1)[1]
        printed = str(row["printed"]) or "(blank)"
        treaties.setdefault(str(row["treatyLabel"]), {})[_code(row["state"])] = Cell(
            printed, [(printed, link_of(ID[f"ratification/{_code(row['state'])}/{_code(row['treaty'])}"]))], status)
    for label, cells in treaties.items():
        rows.append(("treaty", label, [cells.get(code, Cell()) for code, _ in states]))
    return render_template("compare.html", states=states, rows=rows)


@blueprint.get("/network")
@blueprint.get("/network/<code>")
def network(code: str | None = None):
    """A State's (or one resource's) graph of laws, bodies, institutions and policies, and the same as a table."""
    values = {"state": code} if code else {"resource": request.args.get("resource", "").strip()}
    if not any(values.values()):
        return render_template("network_index.html", states=context().states)
    if code and code.upper() not in dict(context().states):
        abort(404)  # a path that names no State
    edges = _run("network", **values)
    if not edges:
        abort(404)
    nodes = {}
    for edge in edges:
        for end in ("source", "target"):
            nodes[str(edge[end])] = {"id": str(edge[end]), "label": str(edge[end + "Label"]),
                                     "kind": str(edge[end + "Kind"]), "href": link_of(edge[end])}
    elements = [{"data": node} for node in nodes.values()] + [
        {"data": {"id": f"e{i}", "source": str(e["source"]), "target": str(e["target"]), "label": str(e["edgeLabel"])}}
        for i, e in enumerate(edges)]
    title = dict(context().states).get(code.upper(), code) if code else next(
        (n["label"] for n in nodes.values() if n["id"] == values["resource"]), values["resource"])
    return render_template("network.html", title=title, edges=edges, elements=elements, link_of=link_of,
                           cytoscape=CYTOSCAPE_DIR.is_dir(), kinds=sorted({n["kind"] for n in nodes.values()}))


@blueprint.get("/vendor/cytoscape/<path:name>")
def cytoscape(name: str):
    """Cytoscape.js, installed by ``npm ci --prefix sec_kg/web`` (never committed, never from a CDN)."""
    return send_from_directory(CYTOSCAPE_DIR, name, max_age=86400)


# --- timeline --------------------------------------------------------------------------------

FIRST_YEAR, LAST_YEAR = 1980, 2035
LEFT, YEAR_WIDTH, LANE, TOP = 120, 16, 34, 30


@dataclass
class Mark:
    """One thing on the timeline: a point (ratification, instrument) or a span (policy validity)."""

    state: str
    kind: str
    label: str
    href: str
    start: int
    end: int | None = None
    note: str = ""


def _year(term) -> int | None:
    text = str(term or "")[:4]
    return int(text) if text.isdigit() else None


def timeline_marks(state: str | None) -> list[Mark]:
    values = {"state": state} if state else {}
    marks = []
    for row in _run("ratifications", **values):
        if row.get("date") is not None:
            marks.append(Mark(_code(row["state"]), "ratification", str(row["treatyLabel"]), link_of(row["treaty"]),
                              _year(row["date"]), note=str(row["printed"])))
    seen = set()
    for row in _run("national-instruments", **values):
        year = _year(row.get("year"))
        if year and row["instrument"] not in seen:
            seen.add(row["instrument"])
            marks.append(Mark(_code(row["state"]), "instrument", str(row["instrumentLabel"]), link_of(row["instrument"]),
                              year, note=str(row["kinds"])))
    for row in _run("policies", **values):
        start, end = _year(row.get("validFrom")) or _year(row.get("adoption")), _year(row.get("validUntil"))
        if start and row["policy"] not in seen:
            seen.add(row["policy"])
            marks.append(Mark(_code(row["state"]), "policy", str(row["policyLabel"]), link_of(row["policy"]),
                              start, end or start, note=str(row.get("validityAsPrinted") or "")))
    return sorted(marks, key=lambda m: (m.state, m.start, m.kind, m.label))


def x_of(year: int) -> int:
    return LEFT + (min(max(year, FIRST_YEAR), LAST_YEAR) - FIRST_YEAR) * YEAR_WIDTH


@blueprint.get("/timeline")
def timeline():
    """Ratifications (circles), instruments (squares) and policy validity (bars), one lane per State, as SVG."""
    state = request.args.get("state") or None
    marks = timeline_marks(state)  # a bad state parameter is a 400 from the binder
    states = [(code, label) for code, label in context().states if any(m.state == code for m in marks)]
    lanes = {code: TOP + i * LANE for i, (code, _) in enumerate(states)}
    return render_template("timeline.html", marks=marks, states=states, lanes=lanes, x_of=x_of, state=state,
                           years=range(FIRST_YEAR, LAST_YEAR + 1, 5), first=FIRST_YEAR, lane=LANE, top=TOP,
                           width=x_of(LAST_YEAR) + 40, height=TOP + LANE * len(states) + 10, all_states=context().states)


# --- charts ----------------------------------------------------------------------------------

DIMENSIONS = ("sexLabel", "ageRangeLabel", "areaLabel", "caseTypeLabel")
CHART_HEIGHT, CHART_WIDTH, GAP = 240, 900, 12


@blueprint.get("/charts")
def charts():
    datasets = context().store.select(sparql_prologue() + """
        SELECT ?dataset ?label ?stateLabel WHERE {
          ?dataset a qb:DataSet ; rdfs:label ?label ; sec:state ?state . ?state rdfs:label ?stateLabel
        } ORDER BY ?stateLabel ?label""").rows
    return render_template("charts.html", datasets=[(str(d["dataset"]).rsplit("/", 1)[1], str(d["label"]),
                                                      str(d["stateLabel"])) for d in datasets])


@blueprint.get("/charts/<slug>")
def chart(slug: str):
    """A table's figures as grouped bars: one group per row value (sex, age range, region, offence), one bar
    per period; printed totals are left out so the bars compare like with like."""
    rows = _run("statistics", dataset=slug)
    if not rows:
        abort(404)
    groups: dict[str, dict[str, float]] = {}
    periods: list[str] = []
    for row in rows:
        number = row.get("count") if row.get("count") is not None else row.get("percentage") or row.get("rate")
        if number is None or row.get("isTotal") == Literal(True):
            continue
        group = " / ".join(str(row[d]) for d in DIMENSIONS if row.get(d) is not None) or str(row.get("subjectLabel"))
        if group.lower() == "total":
            continue
        period = str(row.get("period") or "")
        if period not in periods:
            periods.append(period)
        groups.setdefault(group, {})[period] = float(number.toPython())
    top = max([v for g in groups.values() for v in g.values()] or [1]) or 1
    bar_width = max(6, min(48, (CHART_WIDTH // max(len(groups), 1) - GAP) // max(len(periods), 1)))
    group_width = len(periods) * bar_width + GAP
    bars = [{"group": group, "period": period, "value": value, "x": 50 + i * group_width + periods.index(period) * bar_width,
             "height": value / top * CHART_HEIGHT}
            for i, (group, values) in enumerate(groups.items()) for period, value in values.items()]
    return render_template("chart.html", title=str(rows[0]["datasetLabel"]), state=str(rows[0]["stateLabel"]), slug=slug,
                           bars=bars, groups=list(groups), periods=periods, top=top, group_width=group_width,
                           chart_height=CHART_HEIGHT, bar_width=bar_width, canned_names=set(canned()),
                           width=140 + len(groups) * group_width, palette=PALETTE)


PALETTE = ("#0b5cad", "#e07b00", "#2a9d55", "#b8336a", "#6c4fb0", "#8a8a8a")
