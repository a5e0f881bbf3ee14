"""International cooperation (section 2.4, footnotes 88-90) and the role of the private
sector (section 2.5): the graph says what the report prints.

Every test first reads the fact from the report text (a paragraph or a footnote) and then
looks for it in the graph, so a fact missing from or misspelt in the Turtle fails.
"""

from __future__ import annotations

import re

import pytest
from rdflib import URIRef

from conftest import normalise

ID = "https://w3id.org/sec-kg/id/"
GARA = ID + "institution/int/gara"
CODE_OF_CONDUCT = ID + "concept/measure-type/code-of-conduct"
TRAVEL_TOURISM = ID + "concept/scenario/travel-tourism"
TRAFFICKING = ID + "concept/modality/trafficking"


# --- helpers ---------------------------------------------------------------------------


def block(report_lines, start: str, end: str) -> str:
    """The report text from the line starting with `start` up to the line starting with `end`."""
    i = next(n for n, line in enumerate(report_lines) if line.startswith(start))
    j = next(n for n, line in enumerate(report_lines) if n > i and line.startswith(end))
    return "\n".join(report_lines[i:j])


def split_list(text: str) -> list[str]:
    """'A, B, the C and the D' -> ['A', 'B', 'C', 'D']."""
    items = [i.strip() for i in text.split(",") if i.strip()]
    items[-1:] = [i.strip() for i in items[-1].rsplit(" and ", 1)]
    return [re.sub(r"^the\s+", "", i) for i in items]


def plain(text: str) -> str:
    """normalise() and drop articles, to compare a name printed in running prose."""
    return re.sub(r"\bthe\s+", "", normalise(text))


def names(select, iri: str) -> set[str]:
    rows = select("SELECT ?n WHERE { ?x rdfs:label|skos:altLabel ?n }", x=URIRef(iri))
    return {normalise(r["n"]) for r in rows}


def values(select, iri: str, prop: str) -> set[str]:
    rows = select(f"SELECT ?v WHERE {{ ?x {prop} ?v }}", x=URIRef(iri))
    return {r["v"] for r in rows}


def party_names(select, iri: str) -> set[str]:
    rows = select("SELECT ?n WHERE { ?x sec:party/rdfs:label ?n }", x=URIRef(iri))
    return {normalise(r["n"]) for r in rows}


def agreement_named(select, name: str) -> str:
    rows = select("SELECT DISTINCT ?x ?n WHERE { ?x a sec:CooperationAgreement ; rdfs:label|skos:altLabel ?n }")
    found = sorted({r["x"] for r in rows if normalise(r["n"]) == normalise(name)})
    assert len(found) == 1, f"expected one agreement named {name!r}, found {found}"
    return found[0]


def resource_named(select, cls: str, name: str) -> str:
    rows = select(f"SELECT DISTINCT ?x ?n WHERE {{ ?x a/rdfs:subClassOf* {cls} ; rdfs:label|skos:altLabel ?n }}")
    found = sorted({r["x"] for r in rows if normalise(r["n"]) == normalise(name)})
    assert len(found) == 1, f"expected one {cls} named {name!r}, found {found}"
    return found[0]


@pytest.fixture(scope="module")
def sec_2_4(report_lines) -> str:
    return block(report_lines, "2.4. Multilateral agreements", "2.5. Role of the private sector")


@pytest.fixture(scope="module")
def sec_2_5(report_lines) -> str:
    return block(report_lines, "2.5. Role of the private sector", "3. PREVENTION")


def paragraph(text: str, start: str) -> str:
    return next(p for p in text.split("\n") if p.startswith(start))


# --- Countries ---------------------------------------------------------------------------


def test_countries_have_one_iso_code(select):
    rows = select("SELECT ?c (COUNT(?code) AS ?n) (SAMPLE(?code) AS ?code1) WHERE { ?c a sec:Country ; skos:notation ?code } GROUP BY ?c")
    assert rows
    codes = [r["code1"] for r in rows]
    for row in rows:
        assert row["n"] == "1", row
        assert re.fullmatch(r"[A-Z]{2}", row["code1"]), row
        assert row["c"].endswith("/" + row["code1"]), row
    assert len(codes) == len(set(codes))


# --- Canada (footnotes 88 and 89) --------------------------------------------------------


def test_five_country_ministerial_parties(select, sec_2_4):
    text = paragraph(sec_2_4, "CANADA has entered")
    name = re.search(r"member States of \*(.+?)\*⁸⁸", text).group(1)
    note = re.search(r"^⁸⁸ Strategic Partnership for Coordination and Cooperation between (.+?)\.$", sec_2_4, re.M)
    members = {normalise(n) for n in split_list(note.group(1))}
    assert len(members) == 5
    agreement = agreement_named(select, name)
    assert party_names(select, agreement) == members
    assert "internet" in normalise(text) and ID + "concept/scenario/digital" in values(select, agreement, "sec:scenario")


def test_canada_us_agreement_and_footnote_89(select, sec_2_4):
    text = paragraph(sec_2_4, "CANADA has entered")
    assert "cooperation agreements with the United States for assistance to victims of trafficking" in text
    rows = select("""
        SELECT DISTINCT ?a WHERE {
            ?a a sec:CooperationAgreement ; sec:party state:CA , ?us ; sec:modality ?m .
            ?us rdfs:label "United States"@en .
        }""", m=URIRef(TRAFFICKING))
    assert len(rows) == 1
    agreement = rows[0]["a"]
    assert party_names(select, agreement) == {"canada", "united states"}
    # footnote 89: Canada's periodic report to the Committee, January 2019
    note = re.search(r"^⁸⁹ (.+)$", sec_2_4, re.M).group(1)
    assert note.startswith("Report of the State of Canada to the Committee on the Rights of the Child")
    month = re.search(r"(January) (\d{4})", note)
    rows = select("""
        SELECT ?d WHERE { ?a prov:wasDerivedFrom ?s . ?s a sec:CRCPeriodicReport ; sec:state state:CA ; sec:dateReceived ?d }""",
                  a=URIRef(agreement))
    assert [r["d"][:7] for r in rows] == [f"{month.group(2)}-01"]


# --- GARA (footnote 90), Chile and Mexico --------------------------------------------------


@pytest.fixture(scope="module")
def footnote_90(sec_2_4):
    m = re.search(r"National Tourism Administrations of (\d+) States: (.+?); together with the (.+?) and (.+?) as Observers\.",
                  sec_2_4)
    assert m
    return int(m.group(1)), split_list(m.group(2)), [m.group(3), m.group(4)]


def gara_members(select, role: str) -> list[str]:
    rows = select("""
        SELECT ?n WHERE {
            ?m a org:Membership ; org:organization ?gara ; org:role ?role ; org:member/rdfs:label ?n .
        }""", gara=URIRef(GARA), role=URIRef(ID + "concept/role/" + role))
    return [normalise(r["n"]) for r in rows]


def test_gara_names(select, sec_2_4):
    m = re.search(r"Regional Action Group of the Americas \((\w+), in Spanish\)", sec_2_4)
    assert {normalise("Regional Action Group of the Americas"), normalise(m.group(1))} <= names(select, GARA)


def test_gara_sixteen_members(select, footnote_90):
    count, states, _ = footnote_90
    assert count == len(states) == 16
    members = gara_members(select, "member")
    assert len(members) == count
    assert sorted(members) == sorted(normalise(s) for s in states)


def test_gara_members_among_the_eight_are_states(select, footnote_90):
    _, states, _ = footnote_90
    eight = {normalise(r["n"]) for r in select("SELECT ?n WHERE { ?s a sec:State ; rdfs:label ?n }")}
    rows = select("""
        SELECT ?n ?isState WHERE {
            ?m org:organization ?gara ; org:member ?c .
            ?c rdfs:label ?n .
            BIND (EXISTS { ?c a sec:State } AS ?isState)
        }""", gara=URIRef(GARA))
    seen = {normalise(r["n"]): r["isState"] == "true" for r in rows}
    for state in states:
        assert seen[normalise(state)] == (normalise(state) in eight), state


def test_gara_observers(select, footnote_90):
    _, _, observers = footnote_90
    assert sorted(gara_members(select, "observer")) == sorted(normalise(o) for o in observers)


def test_chile_mexico_gara_agreements(select, sec_2_4):
    text = paragraph(sec_2_4, "CHILE and **MEXICO**")
    m = re.match(r"(\w+) and \*\*(\w+)\*\* underscore their (agreements as members of the Regional Action Group of the Americas)", text)
    agreement = agreement_named(select, m.group(3))
    printed = {normalise(m.group(1)), normalise(m.group(2))}
    assert party_names(select, agreement) == printed
    assert GARA in values(select, agreement, "sec:participant")
    assert TRAVEL_TOURISM in values(select, agreement, "sec:scenario")
    assert printed <= set(gara_members(select, "member"))


# --- Colombia ------------------------------------------------------------------------------


def test_colombia_us_cpc(select, sec_2_4):
    text = paragraph(sec_2_4, "COLOMBIA refers to")
    m = re.search(r"\*(Interstate cooperation agreement with the Government of the (United States) for the Protection of Children) \((\w+)\)\*", text)
    period = re.search(r"for the period (\d{4}-\d{4})", text).group(1)
    agreement = agreement_named(select, m.group(1))
    assert normalise(m.group(3)) in names(select, agreement)
    assert party_names(select, agreement) == {"colombia", normalise(m.group(2))}
    assert values(select, agreement, "sec:validityAsPrinted") == {period}
    start, end = period.split("-")
    assert values(select, agreement, "sec:validity/time:hasBeginning/time:inXSDgYear") == {start}
    assert values(select, agreement, "sec:validity/time:hasEnd/time:inXSDgYear") == {end}


def test_colombia_ecuador_memorandum(select, sec_2_4):
    text = paragraph(sec_2_4, "In addition, a *Memorandum")
    m = re.search(r"\*(Memorandum of Understanding .+?)\* has been in force between \*\*(\w+)\*\* and \*\*(\w+)\*\* since (\d{4})", text)
    agreement = agreement_named(select, m.group(1))
    assert party_names(select, agreement) == {normalise(m.group(2)), normalise(m.group(3))}
    assert values(select, agreement, "sec:year") == {m.group(4)}


# --- Ecuador and Peru ------------------------------------------------------------------------


def test_ecuador_peru_binational_agreements(select, sec_2_4):
    text = paragraph(sec_2_4, "ECUADOR, too,")
    m = re.search(r"through coordination between the (.+?) of Peru and the (.+?) of Ecuador\.", text)
    agreement = agreement_named(select, "binational cooperation agreements")
    assert party_names(select, agreement) == {"ecuador", "peru"}
    rows = select("""
        SELECT ?b ?st WHERE { ?a sec:participant ?b . ?b a sec:CoordinationBody ; sec:state ?st }""", a=URIRef(agreement))
    by_state = {r["st"].rsplit("/", 1)[1]: r["b"] for r in rows}
    assert sorted(by_state) == ["EC", "PE"] and len(rows) == 2
    # Peru's body: the printed name, articles aside, is one of its names.
    assert plain(m.group(1)) in {plain(n) for n in names(select, by_state["PE"])}
    # Ecuador's body: 2.4 prints a name found nowhere else; the note keeps it as printed.
    notes = " ".join(values(select, agreement, "sec:dataQualityNote"))
    assert normalise(m.group(2)) in normalise(notes)


def test_binational_immediate_response_teams(select, sec_2_4):
    text = paragraph(sec_2_4, "ECUADOR, too,")
    m = re.search(r"\*(Binational Immediate Response Teams)\* \((\w+), in Spanish\) have been implemented between both States since (\d{4})", text)
    agreement = agreement_named(select, m.group(1))
    assert normalise(m.group(2)) in names(select, agreement)
    assert party_names(select, agreement) == {"ecuador", "peru"}
    assert values(select, agreement, "sec:year") == {m.group(3)}


# --- Guatemala ---------------------------------------------------------------------------------


def test_guatemala_agreements_and_campaign(select, sec_2_4):
    text = paragraph(sec_2_4, "GUATEMALA points to")
    m = re.search(r"multilateral agreements with \**([A-Z ]+?)\** and \**([A-Z ]+?)\** in relation to human trafficking", text)
    campaign = re.search(r"awareness campaign \W*\*(.+?)\*", text).group(1)
    measure = resource_named(select, "sec:PreventionMeasure", campaign)
    assert values(select, measure, "sec:state") == {ID + "state/GT"}
    agreements = values(select, measure, "sec:implements")
    assert len(agreements) == 1
    agreement = agreements.pop()
    assert party_names(select, agreement) == {"guatemala", normalise(m.group(1)), normalise(m.group(2))}
    assert TRAFFICKING in values(select, agreement, "sec:modality")


def test_every_agreement_of_2_4_names_its_parties(select):
    rows = select("""
        SELECT ?a (COUNT(DISTINCT ?p) AS ?n) WHERE {
            ?a a sec:CooperationAgreement ; sec:reportSection "2.4" .
            OPTIONAL { ?a sec:party ?p }
        } GROUP BY ?a""")
    assert len(rows) >= 8
    assert all(int(r["n"]) >= 2 for r in rows), rows


# --- Section 2.5: private sector ---------------------------------------------------------------


def test_fewest_responses_finding(select, sec_2_5, report_lines):
    assert "received the fewest responses" in sec_2_5
    # the item is the enquiry-form question on the private sector (Appendix 2)
    number = next(re.match(r"- (\d\.\d)\. ", l).group(1) for l in report_lines
                  if re.match(r"- \d\.\d\. What is the role of the \*\*private sector\*\* in addressing", l))
    rows = select("""
        SELECT ?f ?q WHERE {
            ?f a sec:Finding ; sec:reportSection "2.5" ; sec:category ?cat ; sec:findingType ?t ;
               sec:about ?about .
            ?about sec:questionNumber ?q .
        }""", cat=URIRef(ID + "concept/category/coordination"))
    assert [r["q"] for r in rows] == [number]


def test_agreements_answer_the_cooperation_question(select, report_lines):
    number = next(re.match(r"- (\d\.\d)\. ", l).group(1) for l in report_lines
                  if re.match(r"- \d\.\d\. Does the State have \*\*multilateral and/or international cooperation agreements\*\*", l))
    rows = select("""
        SELECT DISTINCT ?q WHERE {
            ?a a sec:CooperationAgreement ; sec:reportSection "2.4" ; sec:answersQuestion/sec:questionNumber ?q .
        }""")
    assert [r["q"] for r in rows] == [number]


def test_codes_of_conduct_of_the_five_states(select, sec_2_5):
    m = re.search(r"\*\*([A-Z, ]+ and [A-Z]+)\*\* have a \*(Code of Conduct for the prevention of SEC in the context of travel and tourism)\*", sec_2_5)
    printed = {normalise(s) for s in split_list(m.group(1))}
    assert len(printed) == 5
    rows = select("""
        SELECT DISTINCT ?m ?state ?section WHERE {
            ?m a sec:PreventionMeasure ; sec:measureType ?code ; sec:scenario ?tt ; sec:state/rdfs:label ?state ;
               sec:reportSection ?section .
        }""", code=URIRef(CODE_OF_CONDUCT), tt=URIRef(TRAVEL_TOURISM))
    assert printed <= {normalise(r["state"]) for r in rows}
    # Codes first described in section 2.5 carry its printed title and belong to the five.
    from_2_5 = [r for r in rows if r["section"] == "2.5"]
    assert from_2_5
    for row in from_2_5:
        assert normalise(row["state"]) in printed
        assert normalise(m.group(2)) in names(select, row["m"])


def test_canada_technology_agreements(select, sec_2_5):
    text = paragraph(sec_2_5, "For its part, **CANADA**")
    agreement_name = re.search(r"reports (agreements with technology companies .+?)\.", text).group(1)
    m = re.search(r"\*([^*]+)\* enters into agreements with companies to adhere to \*([^*]+)\*", text)
    agreement = agreement_named(select, agreement_name)
    measure = resource_named(select, "sec:PreventionMeasure", m.group(2))
    promoters = values(select, measure, "sec:promotedBy")
    assert len(promoters) == 1
    promoter = promoters.pop()
    assert normalise(m.group(1)) in names(select, promoter)
    assert values(select, promoter, "sec:state") == {ID + "state/CA"}
    assert values(select, agreement, "sec:party") == {promoter}
    assert values(select, agreement, "sec:implements") == {measure}
