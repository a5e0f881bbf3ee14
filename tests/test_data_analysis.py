"""The report's own voice: concept note, enquiry form and Appendix 4 (the conclusions: test_conclusions.py).

Every test first reads what the report prints (the concept note's lists, the form's
blocks and numbered questions, the appendix entries)
and then asks the graph, or runs the canned queries, and compares.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from rdflib import URIRef

from conftest import normalise
from sec_kg.queries import parse as parse_query

ID = "https://w3id.org/sec-kg/id/"
QUERIES = Path(__file__).resolve().parent.parent / "queries"
CATEGORY = ID + "concept/category/"


# --------------------------------------------------------------------------- helpers


def fold(text: str) -> str:
    """normalise() plus accents removed, for matching headings such as MÉXICO."""
    text = unicodedata.normalize("NFKD", normalise(text))
    return "".join(c for c in text if not unicodedata.combining(c))


def index_of(lines: list[str], pattern: str, start: int = 0) -> int:
    for i in range(start, len(lines)):
        if re.search(pattern, lines[i]):
            return i
    raise AssertionError(f"no line matches {pattern!r} after line {start}")


def query_file(name: str, **params: str) -> str:
    """A canned query with its parameters (and their defaults) bound, as `sec-kg query` binds them."""
    return parse_query(QUERIES / name).bind(params)


def state_by_heading(select, heading: str) -> str:
    rows = select(
        "SELECT ?s ?n WHERE { ?s a sec:State . { ?s rdfs:label ?n } UNION { ?s skos:altLabel ?n } }"
    )
    found = {r["s"] for r in rows if fold(r["n"]) == fold(heading)}
    assert len(found) == 1, f"heading {heading!r} matches {found}"
    return found.pop()


# --------------------------------------------------------------------------- report sections


@pytest.fixture(scope="module")
def concept_note(report_lines) -> str:
    start = index_of(report_lines, r"^CONCEPT NOTE$")
    end = index_of(report_lines, r"^STATE ENQUIRY FORM$", start)
    return "\n".join(report_lines[start:end])


@pytest.fixture(scope="module")
def form_lines(report_lines) -> list[str]:
    start = index_of(report_lines, r"^STATE ENQUIRY FORM$")
    end = index_of(report_lines, r"^Appendix 3 - ", start)
    return report_lines[start:end]


@pytest.fixture(scope="module")
def printed_form(form_lines):
    """Blocks as printed ({number: heading}) and questions in printed order [(number, block)]."""
    blocks, questions = {}, []
    for line in form_lines:
        m = re.match(r"^([1-6])\. ([A-Z][A-Z ]+)$", line.strip())
        if m:
            blocks[m.group(1)] = m.group(2)
        q = re.match(r"^\s*- ([1-6])\.(\d+)\. ", line)
        if q:
            questions.append((f"{q.group(1)}.{q.group(2)}", q.group(1)))
    return blocks, questions


@pytest.fixture(scope="module")
def appendix4(report_lines) -> dict[str, list[str]]:
    """Appendix 4 entries by State heading as printed."""
    start = index_of(report_lines, r"^Appendix 4 - .*\(in Spanish\)")
    entries, current = {}, None
    for line in report_lines[start + 1:]:
        text = line.strip()
        if text == "Inter-American":
            break
        if not text:
            continue
        if re.fullmatch(r"[A-ZÁÉÍÓÚÑ ]+", text):
            current = text
            entries[current] = []
        else:
            assert current, f"entry before any State heading: {text!r}"
            entries[current].append(text)
    return entries


# --------------------------------------------------------------------------- concept note


def test_concept_links_modalities_and_scenarios(concept_note, select):
    m = re.search(r"four main modalities are recognized[^:]*: (.+?)\. Among the scenarios, the following are identified: (.+?)\s*[²⁰-⁹]*\n", concept_note)
    assert m, "modalities and scenarios sentence not found"
    modalities = [re.sub(r"[²-⁹¹⁰]+$", "", s).strip() for s in m.group(1).split(";")]
    scenarios = [re.sub(r"[²-⁹¹⁰]+$", "", s).strip() for s in m.group(2).rstrip(".").split(";")]
    assert len(modalities) == 4 and len(scenarios) == 6
    narrower = {normalise(r["l"]) for r in select(
        "SELECT ?l WHERE { <https://w3id.org/sec-kg/id/concept/frame/sec> skos:narrower ?m . ?m skos:prefLabel ?l }")}
    related = {normalise(r["l"]) for r in select(
        "SELECT ?l WHERE { <https://w3id.org/sec-kg/id/concept/frame/sec> skos:related ?m . ?m skos:prefLabel ?l }")}
    assert len(narrower) == 4 and len(related) == 6
    for label in narrower:
        assert any(normalise(p).startswith(label) for p in modalities), label
    for label in related:
        assert any(normalise(p).startswith(label) for p in scenarios), label


def test_concept_definition_and_sources(concept_note, select):
    m = re.search(r"phenomenon of (Sexual Exploitation of Children and Adolescents) \((\w+)\)", concept_note)
    rows = select("""SELECT ?p ?a ?d WHERE { <https://w3id.org/sec-kg/id/concept/frame/sec> skos:prefLabel ?p ;
        skos:altLabel ?a ; skos:definition ?d ; sec:reportSection "Appendix 2" ; prov:wasDerivedFrom ?src }""")
    assert rows
    assert {normalise(r["p"]) for r in rows} == {normalise(m.group(1))}
    assert m.group(2) in {r["a"] for r in rows}
    # the definition is in our words: not a copy of the printed sentence
    printed = re.search(r"as (the use of children .+?)\.\n", concept_note).group(1)
    assert all(normalise(printed) not in normalise(r["d"]) for r in rows)
    # three sources of information, each named in the note
    s = re.search(r"(\w+) main sources of information will be used to prepare the report: (.+?)\.\n", concept_note)
    assert s.group(1) == "Three"
    sources = select("""SELECT ?l WHERE { ?c skos:inScheme <https://w3id.org/sec-kg/id/scheme/information-source> ;
        skos:prefLabel ?l }""")
    assert len(sources) == 3
    for r in sources:
        assert normalise(r["l"]) in normalise(s.group(2))


# --------------------------------------------------------------------------- enquiry form


def test_form_questions_counted(form_lines, printed_form, select):
    blocks, questions = printed_form
    announced = re.search(r"The Form consists of (\d+) questions, organized in (\d+) blocks", "\n".join(form_lines))
    assert len(blocks) == int(announced.group(2)) == 6
    graph_questions = select("""SELECT ?n ?b WHERE { ?q a sec:EnquiryQuestion ; sec:questionNumber ?n ;
        sec:inBlock/sec:questionNumber ?b ; rdfs:label ?l ; rdfs:comment ?c }""")
    assert sorted((r["n"], r["b"]) for r in graph_questions) == sorted(questions)
    assert len({n for n, _ in questions}) == len(questions)
    if len(questions) != int(announced.group(1)):
        notes = select("SELECT ?note WHERE { <https://w3id.org/sec-kg/id/enquiry/form> sec:dataQualityNote ?note }")
        assert len(notes) == 1
        assert announced.group(1) in notes[0]["note"] and str(len(questions)) in notes[0]["note"]


def test_form_blocks_and_categories(printed_form, select):
    blocks, _ = printed_form
    rows = select("""SELECT ?n ?l ?c ?cl WHERE { ?b a sec:EnquiryBlock ; sec:questionNumber ?n ; rdfs:label ?l ;
        sec:category ?c . ?c skos:prefLabel ?cl }""")
    assert {r["n"]: r["l"] for r in rows} == blocks
    for r in rows:
        # the block heading and the category name use the same words, whatever the order
        assert set(normalise(r["l"]).split()) == set(normalise(r["cl"]).split()), r
    by_number = {r["n"]: r["c"] for r in rows}
    # the form numbers protection 3 and prevention 4, unlike the report's sections
    assert by_number["3"] == CATEGORY + "protection" and by_number["4"] == CATEGORY + "prevention"


def test_enquiry_form_query_in_printed_order(printed_form, select):
    blocks, questions = printed_form
    rows = select(query_file("enquiry-form.rq"))
    assert [r["questionNumber"] for r in rows] == [n for n, _ in questions]
    assert all(r["blockLabel"] == blocks[r["blockNumber"]] for r in rows)
    assert all(r["questionLabel"] and r["categoryLabel"] for r in rows)


# --------------------------------------------------------------------------- Appendix 4


@pytest.fixture(scope="module")
def appendix_studies(select):
    rows = select("""SELECT ?s ?state ?n WHERE { ?s a sec:Study ; sec:reportSection "Appendix 4" ; sec:state ?state .
        { ?s rdfs:label ?n } UNION { ?s skos:altLabel ?n } }""")
    studies = {}
    for r in rows:
        studies.setdefault(r["s"], {"state": r["state"], "names": set()})["names"].add(r["n"])
    for s, info in studies.items():
        info["authors"] = {r["a"] for r in select("SELECT ?a WHERE { ?s sec:authorAsPrinted ?a }", s=URIRef(s))}
        info["years"] = {r["y"] for r in select("SELECT ?y WHERE { ?s dcterms:issued ?y }", s=URIRef(s))}
    return studies


def test_appendix4_counts_per_state(appendix4, appendix_studies, select):
    assert appendix4
    for heading, entries in appendix4.items():
        state = state_by_heading(select, heading)
        assert len([s for s in appendix_studies.values() if s["state"] == state]) == len(entries), heading
    assert len(appendix_studies) == sum(len(e) for e in appendix4.values())


def test_appendix4_titles_authors_years(appendix4, appendix_studies, select):
    by_state = {state_by_heading(select, h): entries for h, entries in appendix4.items()}
    matched = set()
    for iri, info in appendix_studies.items():
        entries = by_state[info["state"]]
        hits = [e for e in entries if any(normalise(n) in normalise(e) for n in info["names"])]
        assert len(hits) == 1, f"{iri}: title found in {len(hits)} entries"
        entry = hits[0]
        matched.add(entry)
        assert any(normalise(entry).startswith(normalise(a)) for a in info["authors"]), iri
        year = re.match(r"^.+?\((\d{4}|s/f)\)", entry).group(1)
        assert info["years"] == (set() if year == "s/f" else {year}), iri
    assert matched == {e for entries in by_state.values() for e in entries}


def test_appendix4_spanish_titles(appendix4, appendix_studies, select):
    """The appendix prints titles in Spanish: each study has its printed title as an @es name."""
    by_state = {state_by_heading(select, h): entries for h, entries in appendix4.items()}
    for iri, info in appendix_studies.items():
        spanish = [r["n"] for r in select("SELECT ?n WHERE { ?s skos:altLabel ?n FILTER (LANG(?n) = 'es') }", s=URIRef(iri))]
        assert any(normalise(n) in normalise(e) for n in spanish for e in by_state[info["state"]]), iri


def test_publications_query(appendix4, select):
    for heading, entries in appendix4.items():
        state = state_by_heading(select, heading)
        rows = select(query_file("publications.rq", state=state))
        assert len(rows) == len(entries), heading
        assert all(r["studyLabel"] and r["stateLabel"] for r in rows)
    assert len(select(query_file("publications.rq"))) == sum(len(e) for e in appendix4.values())


# --------------------------------------------------------------------------- coverage


def test_coverage_query(printed_form, appendix4, select, report_text):
    blocks, _ = printed_form
    rows = select(query_file("coverage.rq"))
    eight = re.search(r"information from the \*\*(\w+) States\*\* that responded", report_text).group(1)
    assert eight == "eight"
    assert len({r["state"] for r in rows}) == 8
    assert len(rows) == 8 * len(blocks)
    assert all(int(r["resources"]) >= 0 for r in rows)
    counts = {(r["state"], r["category"]): int(r["resources"]) for r in rows}
    # Appendix 4 publications fall under diagnosis for their State
    for heading, entries in appendix4.items():
        state = state_by_heading(select, heading)
        assert counts[(state, CATEGORY + "diagnosis")] >= len(entries), heading
