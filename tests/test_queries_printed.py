"""Names as printed: the canned queries give, beside a resource's label, the name the report prints for
it where a reader compares the answer with the report (a cell of the section 2.1 table, a chair, a
section 4.1.2 heading, the words of section 2.4), and the variant names the report does not equate stay
apart, linked as possibly the same. Checked against the report text."""

import re

import pytest
from rdflib import Literal, URIRef

from conftest import normalise
from printed import FOOTNOTE_DIGITS, STATE_CODES, name_forms, printed_rows
from sec_kg.queries import catalogue


@pytest.fixture(scope="module")
def queries(project):
    return catalogue(project.queries_dir)


@pytest.fixture(scope="module")
def table(report_lines):
    """The section 2.1 table's rows (State, body, composition, regulations) and the section's text."""
    start = report_lines.index("2.1. Interagency Coordination Areas")
    end = report_lines.index("2.2. Interagency public policies to address SEC")
    rows = printed_rows(report_lines, "STATE\tCOORDINATION AREA\tCOMPOSITION", 4)
    return rows, normalise(" ".join(report_lines[start:end]))


def _cell(rows, names, state, body):
    matches = [composition for code, name, composition, _ in rows if state.endswith("/" + code) and name_forms(name) & names[body]]
    assert len(matches) == 1, body
    return normalise(matches[0])


def test_members_come_with_the_name_the_table_cell_prints(queries, select, table, names):
    """Where the cell prints a member under a name other than its label, the query gives that name."""
    rows, _ = table
    members = select(queries["body-members"].bind({"table": "true"}))
    printed = [r for r in members if r["printedName"]]
    assert len(printed) >= 14
    for row in members:
        cell = _cell(rows, names, row["state"], row["body"])
        if any(name in cell for name in names[row["member"]] | {normalise(row["printedName"] or "")} - {""}):
            assert normalise(row["printedName"] or row["memberLabel"]) in cell, (row["bodyLabel"], row["memberLabel"])
    for row in printed:
        assert normalise(row["printedName"]) != normalise(row["memberLabel"])


def test_chairs_come_with_the_name_the_report_prints(queries, select, table, names):
    rows, section = table
    bodies = select(queries["coordination-bodies"].bind({"table": "true"}))
    chairs = [r for r in bodies if r["chair"]]
    assert sum(bool(r["chairPrintedName"]) for r in chairs) >= 2
    for row in chairs:
        cell = _cell(rows, names, row["state"], row["body"])
        name = normalise(row["chairPrintedName"] or row["chairLabel"])
        assert name in cell or name in section, (row["bodyLabel"], name)


def headings(report_lines):
    """(State code, heading) of the instruments section 4.1.2 lists, each heading without its trailing
    parentheses (year, citation, note) and footnote marks."""
    start = report_lines.index("4.1.2. National Legislation")
    end = next(i for i, line in enumerate(report_lines) if line.startswith("4.2. "))
    state, found = None, []
    for line in report_lines[start + 1:end]:
        bare = line.strip().rstrip(FOOTNOTE_DIGITS)
        if bare in STATE_CODES:
            state = STATE_CODES[bare]
        elif state and bare and not bare.startswith(("-", "✓")) and bare[0] not in FOOTNOTE_DIGITS and len(bare) < 200:
            heading = re.sub(f"[{FOOTNOTE_DIGITS}]", "", bare).rstrip(".")
            while re.search(r"\s*\([^()]*\)$", heading):
                heading = re.sub(r"\s*\([^()]*\)$", "", heading)
            found.append((state, heading))
    return found


def test_instruments_come_with_their_heading_where_it_differs(queries, select, report_lines, names):
    """A heading "NUMBER – TITLE" that begins with one of the instrument's names and differs from its
    label is the instrument's printed name."""
    listed = headings(report_lines)
    assert len(listed) > 40
    rows = select(queries["national-instruments"].bind({}))
    with_heading = [r for r in rows if r["printedName"]]
    assert len(with_heading) >= 6
    for row in with_heading:
        code = row["state"].rsplit("/", 1)[1]
        assert (code, row["printedName"]) in listed, row["printedName"]
    for row in rows:
        code = row["state"].rsplit("/", 1)[1]
        for state, heading in listed:
            first = re.split(r" [–-] ", heading, maxsplit=1)[0]
            if state == code and first != heading and normalise(first) in names[row["instrument"]] \
                    and normalise(heading) != normalise(row["instrumentLabel"]):
                assert row["printedName"] == heading, (row["instrumentLabel"], heading)


def test_agreements_come_with_the_words_section_2_4_names_them_by(queries, select, report_lines):
    start = next(i for i, line in enumerate(report_lines) if line.startswith("2.4. Multilateral agreements"))
    end = next(i for i, line in enumerate(report_lines) if line.startswith("2.5. Role of the private sector"))
    text = normalise(" ".join(report_lines[start:end]))
    rows = select(queries["agreements"].bind({"section": "2.4"}))
    for row in rows:
        assert normalise(row["printedName"] or row["agreementLabel"]) in text, row["agreementLabel"]


def test_printed_names_are_printed(select, report_text):
    text = normalise(report_text)
    rows = select("SELECT ?s ?name WHERE { ?s sec:printedName ?name }")
    assert len(rows) >= 14 + 6 + 3
    for row in rows:
        assert normalise(row["name"]) in text, row["name"]


def test_search_finds_a_member_by_the_name_the_table_prints(queries, select):
    rows = select(queries["search"].bind({"text": "National Institute of Women"}))
    assert [r["resourceLabel"] for r in rows] == ["National Women’s Institute"]


def test_names_the_report_does_not_equate_stay_apart(queries, select, report_text):
    """One merge policy for every State: no name is both one resource's label and another's alternative
    name in the same State, and each pair kept apart is linked as possibly the same, with its reason."""
    rows = select("""SELECT ?state ?name (COUNT(DISTINCT ?s) AS ?n) WHERE {
        ?s a sec:Institution ; sec:state ?state ; rdfs:label|skos:altLabel ?l . BIND (LCASE(STR(?l)) AS ?name)
    } GROUP BY ?state ?name HAVING (COUNT(DISTINCT ?s) > 1)""")
    assert rows == []
    pairs = select(queries["possibly-same"].bind({}))
    states = {r["stateLabel"] for r in pairs}
    assert {"Colombia", "Ecuador", "Mexico"} <= states
    text = normalise(report_text)
    for row in pairs:
        assert normalise(row["resourceLabel"]) in text and normalise(row["otherLabel"]) in text
        assert row["reason"] and row["sections"]
    assert len({frozenset((r["resource"], r["other"])) for r in pairs}) == len(pairs), "each pair once"
    ecuador = {frozenset((r["resourceLabel"], r["otherLabel"])) for r in pairs if r["stateLabel"] == "Ecuador"}
    assert {"Public Prosecutor's Office", "Prosecutor General's Office"} in ecuador
    # international organisations have no State: listed with every State, not with one
    assert any(r["state"] is None for r in pairs)
    assert all(r["state"] for r in select(queries["possibly-same"].bind({"state": "GT"})))


# Names the merge policy keeps apart although they may denote one thing: the report prints both, never
# equates them (no "name (other name" form), and they are not one name in another form.
APART = [
    ("UNICEF", "United Nations Children's Fund"),
    ("Intersectoral Commission to Prevent, Combat and Punish Crimes Involving Trafficking in Persons and to "
     "Protect and Assist Victims of these Crimes",
     "Inter-Ministerial Commission to Prevent, Punish and Eradicate Crimes in the Field of Trafficking in Persons "
     "and for the Protection and Assistance of Victims of these Crimes"),
    ("Interagency Working Group on Sexual Exploitation of Children",
     "Interdepartmental Working Group on Child Sexual Exploitation on the Internet"),
    ("Select Committee on the Sexual Exploitation of Minors", "Select Committee on Child Sexual Exploitation on the Internet"),
    ("state prosecutors’ offices", "Prosecutors' Offices of the 32 federal entities"),
    ("Attorney General's Office", "Office of the Prosecutor General"),
    ("Public Ministry", "Public Prosecutor's Office"),
    ("SE SIPINNA", "Executive Secretariat of SIPINNA"),
    ("CNDH", "National Human Rights Commission"),
    ("SNDIF National System", "National System for the Comprehensive Development of the Family"),
    ("PJ", "Judiciary"),
    ("ICT Ministry", "Ministry of Information and Communication Technologies"),
    ("COIP", "Comprehensive Constitutional Criminal Code"),
    ("LGPSEDMTP", "General Act to Prevent, Punish and Eradicate Crimes Involving Trafficking in Persons and to Protect "
     "and Assist Victims of these Crimes"),
]


@pytest.mark.parametrize("names", APART, ids=lambda names: names[0][:30])
def test_names_kept_apart_are_printed_and_linked(select, report_text, names):
    text = normalise(report_text)
    for name in names:
        assert normalise(name) in text, name
    for name, other in (names, names[::-1]):
        assert normalise(f"{name} ({other}") not in text
    rows = select("""SELECT DISTINCT ?a ?b ?note WHERE {
        ?a rdfs:label ?la . ?b rdfs:label ?lb . FILTER (LCASE(STR(?la)) = ?na && LCASE(STR(?lb)) = ?nb)
        ?a sec:possiblySameAs|^sec:possiblySameAs ?b .
        ?note a sec:PossibleIdentity ; sec:candidate ?a , ?b ; rdfs:comment ?reason ; sec:reportSection ?section .
        FILTER NOT EXISTS { ?a skos:altLabel|rdfs:label ?same . FILTER (LCASE(STR(?same)) = ?nb) } }""",
                  na=Literal(names[0].lower()), nb=Literal(names[1].lower()))
    assert {(r["a"], r["b"]) for r in rows}, names


def test_every_possible_identity_note_links_printed_names(select, report_text):
    """Each note's candidates are printed in the report under their labels, and each is linked as possibly
    the same as another candidate of the note, whether or not it belongs to a State."""
    text = normalise(report_text)
    rows = select("""SELECT ?note ?c ?label (COUNT(DISTINCT ?o) AS ?links) WHERE {
        ?note a sec:PossibleIdentity ; sec:candidate ?c . ?c rdfs:label ?label .
        OPTIONAL { ?note sec:candidate ?o . ?c sec:possiblySameAs|^sec:possiblySameAs ?o }
    } GROUP BY ?note ?c ?label""")
    assert len({r["note"] for r in rows}) >= 10
    for row in rows:
        assert normalise(row["label"]) in text, row["label"]
        assert int(row["links"]) >= 1, (row["note"], row["label"])


# One name in another form (words left out, word order), where the State has no other body it could mean.
MERGED = [
    ("CL", "NGO Corporation Raíces", "NGO Raíces"),
    ("PE", "Ministry of Justice and Human Rights", "Ministry of Justice"),
    ("CA", "Federal agencies and departments", "federal departments and agencies"),
]


@pytest.mark.parametrize("state, name, other", MERGED, ids=[m[0] for m in MERGED])
def test_one_name_in_another_form_is_one_resource(select, report_text, state, name, other):
    text = normalise(report_text)
    assert normalise(name) in text and normalise(other) in text
    rows = select("""SELECT DISTINCT ?s WHERE { ?s sec:state ?state ; rdfs:label|skos:altLabel ?l .
        FILTER (LCASE(STR(?l)) IN (?a, ?b)) }""", state=URIRef(f"https://w3id.org/sec-kg/id/state/{state}"),
                  a=Literal(name.lower()), b=Literal(other.lower()))
    assert len(rows) == 1, rows
