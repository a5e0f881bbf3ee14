"""Views for people who would rather look than read: the comparison matrix (``/compare``), the network of
laws, bodies, institutions and policies (``/network/CC``, ``/network?resource=IRI``), the timeline
(``/timeline``) and charts of the statistical tables (``/charts``).

The data are computed on the server from the canned queries of ``queries/`` (bound by ``sec_kg.queries``)
plus one feature query for the matrix and one count query for the home page's map (``MEASURES``): a
handful of queries per page, never one per row. The matrix,
timeline and charts are plain HTML and SVG; the network is drawn by Cytoscape.js with the fcose layout
(installed from npm into ``node_modules`` like YASGUI) and also listed as a table of edges. docs/site.md
describes what each view shows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from flask import Blueprint, abort, render_template, request, send_from_directory
from flask_babel import format_decimal, lazy_gettext as _
from rdflib import Literal

from ..namespaces import ID, sparql_prologue
from . import NODE_MODULES, context
from .queries import canned
from .view import link_of

blueprint = Blueprint("views", __name__)

CYTOSCAPE_DIR = NODE_MODULES / "cytoscape" / "dist"
D3_DIR = NODE_MODULES / "d3-geo" / "dist"
ATLAS_DIR = NODE_MODULES / "world-atlas"

#: rows of the comparison matrix that come from the feature query: key -> row heading
FEATURES = {
    "sec-policy": _("SEC-specific policy or plan"),
    "sec-body": _("SEC-specific coordination body"),
    "justice": _("Specialised courts or child-friendly justice mechanisms"),
    "code-of-conduct": _("Code of conduct (travel and tourism, among others)"),
    "care-state": _("Care services managed by the State"),
    "care-private": _("Care services under private management"),
    "care-mixed": _("Care services under mixed management"),
    "care-civil-society": _("Care services run by civil society"),
    "participation": _("Participation mechanisms for children and adolescents"),
    "prosecuted": _("Data on prosecuted persons"),
    "convictions": _("Data on convictions or sentences"),
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


#: the matrix's cell kinds (its CSS classes) and what each means, for its legend
LEGEND = {
    "yes": _("reported: the cell lists the resources that are its evidence"),
    "none": _("not reported: the graph holds nothing of that kind for the State"),
    "ratified": _("treaty ratified: the date as printed"),
    "acceded": _("accession: the date as printed, marked \"a\""),
    "not-party": _("not party: printed \"-\""),
    "not-stated": _("blank in the report's table"),
}


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


def feature_rows() -> list[tuple[str, str, list[Cell]]]:
    """The matrix's feature rows: (key, heading, one cell per State in the order of ``context().states``)."""
    found: dict[tuple[str, str], Cell] = {}
    for row in context().store.select(sparql_prologue() + _FEATURE_QUERY).rows:
        cell = found.setdefault((str(row["feature"]), _code(row["state"])), Cell(kind="yes"))
        item = (str(row["evidenceLabel"]), link_of(row["evidence"]))
        if item not in cell.evidence:
            cell.evidence.append(item)
    return [(key, heading, [found.get((key, code), Cell(text=_("not reported"))) for code, _name in context().states])
            for key, heading in FEATURES.items()]


#: what the home page's map can colour the States by: key -> what is counted
MEASURES = {
    "treaties": _("Treaties ratified or acceded to"),
    "bodies": _("Coordination bodies"),
    "policies": _("Policies and plans"),
    "statistics": _("Statistical tables"),
}

_MEASURE_QUERY = """
SELECT ?state ?measure (COUNT(DISTINCT ?r) AS ?n) WHERE {
  ?state a sec:State .
  {
    ?r a sec:Ratification ; sec:state ?state ; sec:ratificationStatus ?status .
    VALUES ?status { <https://w3id.org/sec-kg/id/concept/ratification-status/ratified>
                     <https://w3id.org/sec-kg/id/concept/ratification-status/acceded> }
    BIND ("treaties" AS ?measure)
  } UNION {
    ?r a sec:CoordinationBody ; sec:state ?state . BIND ("bodies" AS ?measure)
  } UNION {
    ?r a sec:Policy ; sec:state ?state . BIND ("policies" AS ?measure)
  } UNION {
    ?r a qb:DataSet ; sec:state ?state . BIND ("statistics" AS ?measure)
  }
} GROUP BY ?state ?measure"""


def state_measures() -> dict[str, dict[str, int]]:
    """Each measure of ``MEASURES`` per State code (0 where the graph holds nothing), from one query, read once."""
    cache = context().cache
    if "measures" not in cache:
        counts = {key: {code: 0 for code, _name in context().states} for key in MEASURES}
        for row in context().store.select(sparql_prologue() + _MEASURE_QUERY).rows:
            counts[str(row["measure"])][_code(row["state"])] = int(row["n"])
        cache["measures"] = counts
    return cache["measures"]


@blueprint.get("/compare")
def compare():
    """States as columns; rows: feature present (with links to the evidence), then each treaty cell as printed."""
    states = context().states
    rows = feature_rows()
    treaties: dict[str, dict[str, Cell]] = {}  # in the order of the table's columns (the query's order)
    for row in _run("ratifications"):
        status = str(row["status"]).rsplit("/", 1)[1]
        printed = str(row["printed"]) or _("(blank)")
        treaties.setdefault(str(row["treatyLabel"]), {})[_code(row["state"])] = Cell(
            printed, [(printed, link_of(ID[f"ratification/{_code(row['state'])}/{_code(row['treaty'])}"]))], status)
    for label, cells in treaties.items():
        rows.append(("treaty", label, [cells.get(code, Cell()) for code, _name in states]))
    return render_template("compare.html", states=states, rows=rows, legend=LEGEND)


#: the network's kinds of node (the query's ?sourceKind / ?targetKind), for its legend and filters
NODE_KINDS = {"law": _("law or other legal instrument"), "body": _("coordination body"), "institution": _("institution"),
              "policy": _("policy or plan"), "other": _("other")}
#: the network's kinds of link: the property's local name, or ``membership`` for a member's role on a body
LINK_KINDS = {"createdBy": _("created by"), "regulatedBy": _("regulated by"), "amends": _("amends"),
              "subOrganizationOf": _("part of"), "ledBy": _("led by"), "followsUp": _("follows up"),
              "legalBasis": _("legal basis"), "operatedBy": _("operated by"), "promotedBy": _("promoted by"),
              "implements": _("implements"), "membership": _("member of a body (any role)")}


def link_kind(edge) -> str:
    return "membership" if "/concept/role/" in str(edge) else str(edge).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@blueprint.get("/network")
@blueprint.get("/network/<code>")
def network(code: str | None = None):
    """A State's (or one resource's) graph of laws, bodies, institutions and policies, and the same as a table;
    ``?focus=IRI`` (by default the resource itself) brings one node and its neighbours to the front."""
    values = {"state": code} if code else {"resource": request.args.get("resource", "").strip()}
    if not any(values.values()):
        return render_template("network_index.html", states=context().states)
    if code and code.upper() not in dict(context().states):
        abort(404)  # a path that names no State
    edges = _run("network", **values)
    if not edges:
        abort(404)
    focus = request.args.get("focus", "").strip() or values.get("resource", "")
    nodes = {}
    for edge in edges:
        edge["linkKind"] = link_kind(edge["edge"])
        for end in ("source", "target"):
            nodes[str(edge[end])] = {"id": str(edge[end]), "label": str(edge[end + "Label"]),
                                     "kind": str(edge[end + "Kind"]), "href": link_of(edge[end]),
                                     "focus": str(edge[end]) == focus}
    elements = [{"data": node} for node in nodes.values()] + [
        {"data": {"id": f"e{i}", "source": str(e["source"]), "target": str(e["target"]), "label": str(e["edgeLabel"]),
                  "kind": e["linkKind"]}}
        for i, e in enumerate(edges)]
    title = dict(context().states).get(code.upper(), code) if code else next(
        (n["label"] for n in nodes.values() if n["id"] == values["resource"]), values["resource"])
    node_counts = {k: sum(n["kind"] == k for n in nodes.values()) for k in NODE_KINDS}
    link_counts = {k: sum(e["linkKind"] == k for e in edges) for k in LINK_KINDS}
    return render_template("network.html", title=title, edges=edges, elements=elements, link_of=link_of,
                           cytoscape=CYTOSCAPE_DIR.is_dir(), node_kinds=NODE_KINDS, link_kinds=LINK_KINDS,
                           node_counts=node_counts, link_counts=link_counts,
                           focus=nodes.get(focus), focus_missing=bool(focus) and focus not in nodes)


#: npm packages the pages load, each served from its directory in node_modules
VENDOR = {"cytoscape": CYTOSCAPE_DIR, "layout-base": NODE_MODULES / "layout-base", "cose-base": NODE_MODULES / "cose-base",
          "cytoscape-fcose": NODE_MODULES / "cytoscape-fcose", "d3-array": NODE_MODULES / "d3-array" / "dist",
          "d3-geo": D3_DIR, "topojson-client": NODE_MODULES / "topojson-client" / "dist", "world-atlas": ATLAS_DIR}


@blueprint.get("/vendor/<package>/<path:name>")
def vendor(package: str, name: str):
    """Cytoscape.js and its fcose layout, and the home map's d3-geo, topojson-client and Natural Earth
    boundaries, installed by ``npm ci --prefix sec_kg/web`` (never committed, never from a CDN)."""
    if package not in VENDOR:
        abort(404)
    return send_from_directory(VENDOR[package], name, max_age=86400)


# --- timeline --------------------------------------------------------------------------------

FIRST_YEAR, LAST_YEAR = 1980, 2035
LEFT, YEAR_WIDTH, ROW, TOP, GAP_PX = 120, 16, 14, 30, 6

#: the timeline's kinds of mark, as its table names them
MARK_KINDS = {"ratification": _("ratification or accession"), "instrument": _("legal instrument"),
              "policy": _("policy or plan")}


@dataclass
class Mark:
    """One thing on the timeline: a point (ratification, instrument) or a span (policy validity); ``note`` is
    what the report prints for it (the treaty-table cell, the instrument's name, the policy's validity)."""

    state: str
    kind: str
    label: str
    href: str
    start: int
    end: int | None = None
    note: str = ""
    row: int = 0

    def extent(self) -> tuple[int, int]:
        """The pixels the mark covers on its row, with a margin so that neighbours stay apart."""
        if self.kind == "policy":
            return x_of(self.start), max(x_of(self.end or self.start), x_of(self.start) + 4) + GAP_PX
        return x_of(self.start) - 5, x_of(self.start) + 5 + GAP_PX


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
                              year, note=str(row.get("printedName") or row["instrumentLabel"])))
    for row in _run("policies", **values):
        start, end = _year(row.get("validFrom")) or _year(row.get("adoption")), _year(row.get("validUntil"))
        if start and row["policy"] not in seen:
            seen.add(row["policy"])
            marks.append(Mark(_code(row["state"]), "policy", str(row["policyLabel"]), link_of(row["policy"]),
                              start, end or start, note=str(row.get("validityAsPrinted") or "")))
    return sorted(marks, key=lambda m: (m.state, m.start, m.kind, m.label))


def stack(marks: list[Mark]) -> dict[str, int]:
    """Puts each State's marks on rows so that no two overlap (first row with room, marks taken by start):
    overlapping policy periods end up one above the other. Returns each State's number of rows."""
    ends: dict[str, list[int]] = {}
    for mark in sorted(marks, key=lambda m: (m.state, m.kind != "policy", m.extent())):
        left, right = mark.extent()
        rows = ends.setdefault(mark.state, [])
        mark.row = next((i for i, end in enumerate(rows) if end <= left), len(rows))
        if mark.row == len(rows):
            rows.append(right)
        rows[mark.row] = right
    return {state: len(rows) for state, rows in ends.items()}


def x_of(year: int) -> int:
    return LEFT + (min(max(year, FIRST_YEAR), LAST_YEAR) - FIRST_YEAR) * YEAR_WIDTH


@blueprint.get("/timeline")
def timeline():
    """Ratifications (circles), instruments (squares) and policy validity (bars), one band per State with as
    many rows as its overlapping marks need, as SVG."""
    state = request.args.get("state") or None
    marks = timeline_marks(state)  # a bad state parameter is a 400 from the binder
    rows = stack(marks)
    states = [(code, label) for code, label in context().states if code in rows]
    bands, y = {}, TOP
    for code, _label in states:
        bands[code] = (y, rows[code])
        y += rows[code] * ROW + 12
    return render_template("timeline.html", marks=marks, states=states, bands=bands, x_of=x_of, state=state,
                           years=range(FIRST_YEAR, LAST_YEAR + 1, 5), first=FIRST_YEAR, row_height=ROW, top=TOP,
                           width=x_of(LAST_YEAR) + 40, height=y + 10, all_states=context().states, kinds=MARK_KINDS)


# --- charts ----------------------------------------------------------------------------------

DIMENSIONS = ("sexLabel", "ageRangeLabel", "areaLabel", "caseTypeLabel")
CHART_HEIGHT, CHART_WIDTH, GAP = 240, 900, 12


@blueprint.get("/charts")
def charts():
    """The statistical tables, of every State or of ``?state=CC``."""
    state = request.args.get("state", "").upper()
    if state and state not in dict(context().states):
        abort(404)
    datasets = context().store.select(sparql_prologue() + """
        SELECT ?dataset ?label ?stateLabel ?code WHERE {
          ?dataset a qb:DataSet ; rdfs:label ?label ; sec:state ?state . ?state rdfs:label ?stateLabel ; skos:notation ?code
        } ORDER BY ?stateLabel ?label""").rows
    return render_template("charts.html", state=dict(context().states).get(state),
                           datasets=[(str(d["dataset"]).rsplit("/", 1)[1], str(d["label"]), str(d["stateLabel"]))
                                     for d in datasets if not state or str(d["code"]) == state])


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
    ticks = axis_ticks(max([v for g in groups.values() for v in g.values()] or [1]))
    top = ticks[-1]
    bar_width = max(6, min(48, (CHART_WIDTH // max(len(groups), 1) - GAP) // max(len(periods), 1)))
    group_width = len(periods) * bar_width + GAP
    bars = [{"group": group, "period": period, "value": value,
             "x": CHART_LEFT + i * group_width + periods.index(period) * bar_width, "height": value / top * CHART_HEIGHT}
            for i, (group, values) in enumerate(groups.items()) for period, value in values.items()]
    longest = max(len(g) for g in groups) if groups else 0
    return render_template("chart.html", title=str(rows[0]["datasetLabel"]), state=str(rows[0]["stateLabel"]), slug=slug,
                           bars=bars, groups=list(groups), periods=periods, ticks=ticks, top=top, group_width=group_width,
                           chart_height=CHART_HEIGHT, chart_top=CHART_TOP, left=CHART_LEFT, bar_width=bar_width,
                           canned_names=set(canned()), palette=PALETTE, tick_label=format_decimal,
                           width=CHART_LEFT + len(groups) * group_width + longest * LABEL_CHAR * 0.77 + 20,
                           height=CHART_TOP + CHART_HEIGHT + longest * LABEL_CHAR * 0.64 + 30)


CHART_LEFT, CHART_TOP, LABEL_CHAR = 70, 16, 6  # LABEL_CHAR: a 10px label's mean character width, in pixels


def axis_ticks(largest: float, wanted: int = 5) -> list[float]:
    """Round values from 0 past ``largest`` (steps of 1, 2, 2.5 or 5 times a power of ten), about ``wanted``
    of them, so that the y axis reads like a ruler."""
    largest = largest if largest > 0 else 1
    power = 10 ** math.floor(math.log10(largest / wanted))
    step = next(power * m for m in (1, 2, 2.5, 5, 10) if largest / (power * m) <= wanted)
    count = math.ceil(largest / step - 1e-9)
    return [round(i * step, 10) for i in range(count + 1)]


PALETTE = ("#0b5cad", "#e07b00", "#2a9d55", "#b8336a", "#6c4fb0", "#8a8a8a")
