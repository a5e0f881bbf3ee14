"""Appendix 3 (statistical tables of Chile, Colombia, Ecuador and Guatemala) as RDF Data Cube.

Every test starts from the report as printed: the tables are parsed from the
tab-separated lines of Appendix 3, the prose figures from section 1. The graph is
then asked through the canned queries of queries/statistics/ and
queries/victim-profile.rq (run on pyoxigraph, the embedded store the service
uses) or through the observations themselves, so a figure changed or dropped on
either side makes a test fail.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries" / "statistics"
ID = "https://w3id.org/sec-kg/id/"
SEC = "https://w3id.org/sec-kg/ontology#"
QB = "http://purl.org/linked-data/cube#"
STATES = {"CHILE": "CL", "COLOMBIA": "CO", "ECUADOR": "EC", "GUATEMALA": "GT"}
SECTION_1_STATES = ("CANADA", "CHILE", "COLOMBIA", "ECUADOR", "GUATEMALA", "GUYANA", "MEXICO", "PERU")


# ---------------------------------------------------------------- the report as printed


class PrintedTable:
    def __init__(self, state, title, lines, source):
        self.state, self.title, self.source = state, title, source
        rows = [line.split("\t") for line in lines]
        # header: the first line and the lines after it that open with an empty cell,
        # up to the first row whose first cell is filled (a row label)
        n = 1
        while n < len(rows) and rows[n][0] == "":
            n += 1
        self.header, self.rows = rows[:n], rows[n:]
        self.width = max(len(self._trim(r)) for r in self.rows)
        # Chile's table carries two label columns (modality, specific type)
        self.label_columns = 2 if not _is_number(self.rows[0][1]) else 1

    @staticmethod
    def _trim(row):
        row = list(row)
        while row and row[-1] == "":
            row.pop()
        return row

    def cells(self, row):
        return (row + [""] * self.width)[: self.width]

    @property
    def has_total_column(self):
        return self.header[0][-1].strip() == "Total"


def _is_number(cell):
    return re.fullmatch(r"\d{1,3}(\.\d{3})*%?|\d+%?", cell.strip()) is not None


def _value(cell):
    """A printed figure as a number: thousands are printed with a dot, percentages with %."""
    cell = cell.strip()
    if cell.endswith("%"):
        return Decimal(cell[:-1])
    return int(cell.replace(".", ""))


def appendix_3(report_lines):
    # the last heading of that name opens the appendix (the earlier ones list the appendices)
    start = max(i for i, l in enumerate(report_lines) if l.startswith("Appendix 3 - Statistical tables"))
    end = next(i for i in range(start + 1, len(report_lines)) if report_lines[i].startswith("Appendix 4 - "))
    tables, state, title, lines = [], None, None, []

    def close(source=None):
        if title and lines:
            tables.append(PrintedTable(state, title, list(lines), source))

    for line in report_lines[start + 1:end]:
        text = line.strip()
        if "\t" in line:
            lines.append(line)
        elif text in STATES:
            close()
            state, title, lines = STATES[text], None, []
        elif text.startswith(("Source:", "Fuente:")):
            close(text.split(":", 1)[1].strip())
            title, lines = None, []
        elif text == "" or text.isdigit():  # blank lines and page numbers split tables across pages
            continue
        else:
            close()
            title, lines = text, []
    close()
    return tables


@pytest.fixture(scope="module")
def printed(report_lines):
    tables = appendix_3(report_lines)
    assert len(tables) >= 20, "Appendix 3 tables not found in the report"
    return tables


# ---------------------------------------------------------------- the graph


@pytest.fixture(scope="module")
def store(graph):
    """The union graph in pyoxigraph, the embedded store of the service (rdflib is too slow for these joins)."""
    pyoxigraph = pytest.importorskip("pyoxigraph")
    st = pyoxigraph.Store()
    st.load(graph.serialize(format="nt").encode("utf-8"), pyoxigraph.RdfFormat.N_TRIPLES)
    return st


def _py(term):
    if term is None:
        return None
    value = term.value
    datatype = getattr(term, "datatype", None)
    if datatype is not None:
        dt = datatype.value
        if dt.endswith("#integer"):
            return int(value)
        if dt.endswith(("#decimal", "#double", "#float")):
            return Decimal(value)
        if dt.endswith("#boolean"):
            return value == "true"
    return value


def run(store, text):
    """Variables (in SELECT order) and rows (lists of python values) of a query."""
    result = store.query(text)
    names = [v.value for v in result.variables]
    return names, [[_py(sol[n]) for n in names] for sol in result]


def sparql(store, body):
    prologue = (f"PREFIX sec: <{SEC}>\nPREFIX qb: <{QB}>\n"
                "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
                "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n")
    names, rows = run(store, prologue + body)
    return [dict(zip(names, r)) for r in rows]


@pytest.fixture(scope="module")
def datasets(store):
    rows = sparql(store, """
        SELECT ?ds ?label ?state WHERE {
            ?ds a qb:DataSet ; sec:reportSection "Appendix 3" ; rdfs:label ?label ; sec:state ?state .
        }""")
    return {r["label"]: r for r in rows}


def _dataset_of(datasets, table):
    assert table.title in datasets, f"no qb:DataSet labelled exactly {table.title!r}"
    return datasets[table.title]


# ---------------------------------------------------------------- one data set and one query per table


def test_every_printed_table_is_one_data_set_of_its_state(printed, datasets):
    assert len(datasets) == len(printed), "one qb:DataSet per Appendix 3 table"
    for table in printed:
        ds = _dataset_of(datasets, table)
        assert ds["state"] == f"{ID}state/{table.state}"


def test_every_data_set_has_a_table_query(printed, datasets):
    slugs = {_dataset_of(datasets, t)["ds"].rsplit("/", 1)[1] for t in printed}
    files = {p.stem for p in QUERIES.glob("*.rq")}
    assert slugs == files


def test_table_queries_have_the_project_header(printed, datasets):
    for table in printed:
        slug = _dataset_of(datasets, table)["ds"].rsplit("/", 1)[1]
        lines = (QUERIES / f"{slug}.rq").read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("# title: ") and lines[1].startswith("# description: ")
        assert table.title in lines[0]


def test_source_line_names_the_source_of_the_data_set(printed, datasets, store):
    """Where a source line follows a table, the acronyms and institution it prints are the data set's sources."""
    checked = 0
    for table in printed:
        if not table.source:
            continue
        ds = _dataset_of(datasets, table)["ds"]
        names = {r["n"] for r in sparql(store, f"""
            SELECT ?n WHERE {{
                <{ds}> sec:sourceInstitution|sec:dataSource ?src .
                {{ ?src rdfs:label ?n }} UNION {{ ?src skos:altLabel ?n }}
            }}""")}
        printed_names = set(re.findall(r"\b[A-Z]{3,}\b", table.source))
        printed_names |= {n for n in ("National Police", "Public Prosecutor's Office", "Attorney General's Office",
                                      "Seduction and Blackmail") if n in table.source}
        assert printed_names, table.source
        assert printed_names <= names, (table.title, printed_names - names)
        checked += 1
    assert checked >= 8


@pytest.mark.parametrize("position", range(22))
def test_table_query_returns_the_printed_table_cell_by_cell(printed, datasets, store, position):
    table = printed[position]
    slug = _dataset_of(datasets, table)["ds"].rsplit("/", 1)[1]
    names, rows = run(store, (QUERIES / f"{slug}.rq").read_text(encoding="utf-8"))
    assert len(rows) == len(table.rows), "one result row per printed row"
    group = ""
    for printed_row, answer in zip(table.rows, rows):
        cells = table.cells(printed_row)
        k = table.label_columns
        labels, values = cells[:k], cells[k:]
        if k == 2:  # the modality is printed once per group; the query repeats it on every row
            group = labels[0] or group
            labels = [group, labels[1]]
        assert answer[:k] == labels, (labels, answer[:k])
        got = answer[k:table.width]
        assert len(got) == len(values)
        for cell, value in zip(values, got):
            if cell.strip() == "":
                assert value is None, f"{labels}: empty printed cell answered {value}"
            else:
                assert value == _value(cell), f"{table.title[:60]} / {labels}: printed {cell}, graph {value}"


def test_observations_keep_the_cell_as_printed(store):
    rows = sparql(store, """
        SELECT ?obs ?printed ?count ?pct WHERE {
            ?ds sec:reportSection "Appendix 3" .
            ?obs qb:dataSet ?ds ; sec:printedValue ?printed .
            OPTIONAL { ?obs sec:count ?count }
            OPTIONAL { ?obs sec:percentage ?pct }
        }""")
    assert len(rows) > 900
    for r in rows:
        number = r["count"] if r["count"] is not None else r["pct"]
        assert number == _value(r["printed"]), r["obs"]


def test_observation_count_equals_printed_cells(printed, store):
    cells = sum(1 for t in printed for row in t.rows for c in t.cells(row)[t.label_columns:] if c.strip())
    n = sparql(store, """
        SELECT (COUNT(?obs) AS ?n) WHERE { ?ds sec:reportSection "Appendix 3" . ?obs qb:dataSet ?ds }""")[0]["n"]
    assert n == cells


# ---------------------------------------------------------------- totals and the mismatches of the source


@pytest.fixture(scope="module")
def cube(store):
    """Every Appendix 3 observation with its dimension values, measure, total flag and note."""
    dims = sparql(store, """
        SELECT ?obs ?ds ?dim ?value WHERE {
            ?ds sec:reportSection "Appendix 3" ; qb:structure/qb:component/qb:dimension ?dim .
            ?obs qb:dataSet ?ds ; ?dim ?value .
        }""")
    facts = sparql(store, """
        SELECT ?obs ?ds ?count ?pct ?total ?qualifier ?note WHERE {
            ?ds sec:reportSection "Appendix 3" .
            ?obs qb:dataSet ?ds ; sec:isTotal ?total .
            OPTIONAL { ?obs sec:count ?count }
            OPTIONAL { ?obs sec:percentage ?pct }
            OPTIONAL { ?obs sec:qualifier ?qualifier }
            OPTIONAL { ?obs sec:dataQualityNote ?note }
        }""")
    broader = sparql(store, "SELECT ?c ?b WHERE { ?c skos:broader ?b }")
    obs = {}
    for f in facts:
        obs[f["obs"]] = dict(f, dims={})
    for d in dims:
        obs[d["obs"]]["dims"][d["dim"]] = d["value"]
    parents = defaultdict(set)
    for r in broader:
        parents[r["c"]].add(r["b"])
    return obs, parents


def _ancestors(value, parents):
    seen, todo = set(), [value]
    while todo:
        for p in parents.get(todo.pop(), ()):
            if p not in seen:
                seen.add(p)
                todo.append(p)
    return seen


def recompute_totals(obs, parents):
    """Mismatches found by adding up the parts of every printed total, per data set.

    A dimension value is a total value where every observation carrying it is a
    printed total (the Total row, column, or a subtotal). The parts of a total
    along a dimension are the count observations that agree with it on every other
    dimension and carry a non-total value there (restricted to its narrower
    concepts where the value has some).
    """
    by_ds = defaultdict(list)
    for o in obs.values():
        by_ds[o["ds"]].append(o)
    mismatches, unexplained = {}, []
    for members in by_ds.values():
        values = defaultdict(lambda: defaultdict(list))
        for o in members:
            for dim, v in o["dims"].items():
                values[dim][v].append(o["total"])
        total_values = {dim: {v for v, flags in vs.items() if all(flags)} for dim, vs in values.items()}
        counts = [o for o in members if o["count"] is not None]
        for t in counts:
            if not t["total"]:
                continue
            explained = False
            for dim, v in t["dims"].items():
                if v not in total_values[dim]:
                    continue
                children = {c for c in values[dim] if v in _ancestors(c, parents)}
                parts = [o for o in counts
                         if o["dims"][dim] not in total_values[dim]
                         and (not children or o["dims"][dim] in children)
                         and all(o["dims"][d] == t["dims"][d] for d in t["dims"] if d != dim)]
                if not parts:
                    continue
                explained = True
                computed = sum(o["count"] for o in parts)
                if computed != t["count"]:
                    mismatches.setdefault(t["obs"], []).append((dim, computed))
            if not explained:
                unexplained.append(t["obs"])
    return mismatches, unexplained


def recompute_percentages(obs, parents):
    """Printed percentages further than one point from the share computed from the counts (Chile's table)."""
    mismatches = {}
    counts = {(o["ds"], o["dims"].get(f"{SEC}caseType")): o["count"] for o in obs.values() if o["count"] is not None}
    for o in obs.values():
        if o["pct"] is None:
            continue
        case = o["dims"][f"{SEC}caseType"]
        ancestors = _ancestors(case, parents)
        if "same modality" in o["qualifier"]:
            base = next(iter(parents[case])) if not o["total"] else case
        else:
            base = next(a for a in ancestors | {case} if not parents.get(a))
        share = Decimal(100) * counts[(o["ds"], case)] / counts[(o["ds"], base)]
        if abs(share - o["pct"]) >= 1:
            mismatches[o["obs"]] = share
    return mismatches


def test_every_printed_total_is_explained_by_its_parts(cube):
    obs, parents = cube
    _, unexplained = recompute_totals(obs, parents)
    assert unexplained == []


def test_mismatches_found_are_exactly_the_observations_with_a_data_quality_note(cube):
    obs, parents = cube
    totals, _ = recompute_totals(obs, parents)
    percentages = recompute_percentages(obs, parents)
    found = set(totals) | set(percentages)
    noted = {o["obs"] for o in obs.values() if o["note"]}
    assert found == noted
    for iri, problems in totals.items():
        note = obs[iri]["note"]
        assert str(obs[iri]["count"]) in note  # the note names the printed total...
        for _dim, computed in problems:
            assert str(computed) in note  # ... and the sum it does not match


def test_mismatches_of_the_printed_tables_are_those_the_graph_records(printed, datasets, cube):
    """Recomputed from the report text alone: Total rows against the rows above, Total columns against the row."""
    obs, _ = cube
    from_report = set()
    for table in printed:
        if table.label_columns != 1:
            continue  # Chile's subtotals are checked on the graph above
        body = [table.cells(r) for r in table.rows]
        parts = [r for r in body if r[0].strip() != "Total"]
        for row in body:
            if table.has_total_column:
                numbers = [_value(c) for c in row[1:-1] if c.strip()]
                if sum(numbers) != _value(row[-1]):
                    from_report.add((table.title, row[-1]))
            if row[0].strip() == "Total":
                for j in range(1, table.width):
                    if sum(_value(p[j]) for p in parts if p[j].strip()) != _value(row[j]):
                        from_report.add((table.title, row[j]))
    labels = {v["ds"]: k for k, v in datasets.items()}
    printed_values = {}
    for o in obs.values():
        if o["note"] and o["count"] is not None:
            printed_values[o["obs"]] = (labels[o["ds"]], f"{o['count']:,}".replace(",", "."))
    # the list of the source's mismatches (shown with pytest -s)
    for title, value in sorted(from_report):
        print(f"Appendix 3 mismatch: {title!r}: printed total {value} is not the sum of its parts")
    assert from_report, "the report prints at least one total that does not add up"
    assert set(printed_values.values()) == from_report


# ---------------------------------------------------------------- victim profile against the prose


def _section_1_statements(report_lines):
    start = next(i for i, l in enumerate(report_lines) if l.strip() == "1. DIAGNOSIS")
    end = next(i for i in range(start + 1, len(report_lines)) if report_lines[i].strip() == "2.")
    state, female, ages = None, [], []
    for line in report_lines[start:end]:
        text = line.replace("**", "")
        for name in re.findall(r"\b(" + "|".join(SECTION_1_STATES) + r")\b", text):
            state = name
        for m in re.finditer(r"(\d+(?:\.\d+)?)%[^.%]{0,45}?\b(?:are|were) (?:women|female|girls)", text):
            female.append((state, Decimal(m.group(1))))
        for m in re.finditer(r"(\d+)%[^.%]{0,45}?\b(?:are|were) between (?:the ages of )?(\d+) and (\d+)", text):
            ages.append((state, m.group(2), m.group(3), Decimal(m.group(1))))
        for m in re.finditer(r"age range most affected being (\d+) to (\d+) years \((\d+)%\)", text):
            ages.append((state, m.group(1), m.group(2), Decimal(m.group(3))))
        for m in re.finditer(r"age range most affected \((\d+)%\) is between (\d+) and (\d+)", text):
            ages.append((state, m.group(2), m.group(3), Decimal(m.group(1))))
    return female, ages


@pytest.fixture(scope="module")
def victim_profile(store):
    names, rows = run(store, (ROOT / "queries" / "victim-profile.rq").read_text(encoding="utf-8"))
    assert names[:2] == ["state", "stateLabel"]
    return [dict(zip(names, r)) for r in rows]


def test_victim_profile_header():
    lines = (ROOT / "queries" / "victim-profile.rq").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# title: ") and lines[1].startswith("# description: ")


def test_victim_profile_gives_every_female_share_the_prose_states(report_lines, victim_profile):
    female, _ = _section_1_statements(report_lines)
    assert len(female) >= 8
    for state, share in female:
        rows = [r for r in victim_profile if r["stateLabel"].upper() == state
                and r["indicator"] == "share of female victims" and r["basis"] == "stated in the report"]
        assert any(r["femaleShare"] == share for r in rows), (state, share, rows)


def test_victim_profile_gives_every_age_range_the_prose_states(report_lines, victim_profile):
    _, ages = _section_1_statements(report_lines)
    assert len(ages) >= 6
    for state, low, high, share in ages:
        rows = [r for r in victim_profile if r["stateLabel"].upper() == state
                and r["indicator"] == "most affected age range" and r["basis"] == "stated in the report"]
        assert any(r["ageRangeLabel"] == f"{low} to {high} years" and r["ageRangeShare"] == share for r in rows), \
            (state, low, high, share, rows)


def test_victim_profile_every_row_has_period_and_source(victim_profile):
    assert victim_profile
    for r in victim_profile:
        assert r["period"] and r["dataset"] and r["source"] and r["sourceLabel"], r
        assert (r["femaleShare"] is None) != (r["ageRangeShare"] is None), r


def test_colombia_tables_agree_with_the_prose_on_the_victim_profile(report_lines, victim_profile):
    """The SIM tables by sex and by age give the shares the prose quotes for 2020 - April 2024."""
    female, ages = _section_1_statements(report_lines)
    computed = [r for r in victim_profile
                if r["stateLabel"] == "Colombia" and r["basis"] == "computed from an Appendix 3 table"
                and "restitution of rights" in r["datasetLabel"]]
    share = next(r["femaleShare"] for r in computed if r["femaleShare"] is not None)
    age = next(r for r in computed if r["ageRangeShare"] is not None)
    assert ("COLOMBIA", share.quantize(Decimal(1))) in female
    stated = [a for a in ages if a[0] == "COLOMBIA"]
    assert any(age["ageRangeLabel"] == f"{low} to {high} years" and age["ageRangeShare"].quantize(Decimal(1)) == pct
               for _, low, high, pct in stated)
