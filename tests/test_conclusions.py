"""The report's Conclusions as findings.

The tests read the Conclusions as printed, cut them into statements (paragraphs and
list items), find for every finding the statement it restates (the one that prints most of
its content words, within its sub-heading) and check that every statement has a
finding, of the type and with the States and concepts the statement names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from rdflib import Literal

from conftest import normalise
from test_data_analysis import index_of, query_file

ID = "https://w3id.org/sec-kg/id/"
CATEGORY = ID + "concept/category/"
FTYPE = ID + "concept/finding-type/"
REPORT = ID + "source/iin-report-2024"

#: sub-headings of the Conclusions as printed, in order
HEADINGS = ("Diagnosis", "Coordination and cooperation", "Prevention", "Protection",
            "Recovery and Reintegration", "Participation")

#: How the paragraphs that speak of the report itself open (its aim and the States that
#: answered, how the enquiry was sent, what follows, its closing hope): not findings.
ABOUT_THE_REPORT = ("The Report to the Secretary General", "The Enquiry Form was sent",
                    "Below are the main conclusions", "An exhaustive analysis", "As stated at the beginning")

#: the report's words for counting something as an advance (not "limited progress")
PROGRESS_WORDS = r"(?<!limited )\bprogress\b|\bstep forward\b|\bgood practice\b"

#: how the report counts States without naming them
COUNT_WORDS = {"no": 0, "one": 1, "two": 2, "eight": 8}
COUNTED = r"\bonly (one|two) of the States\b|\bonly (two) refer\b|\b(no) State\b(?!,)|\bThe (eight) States\b"


@dataclass
class Statement:
    heading: str  # "opening" or the sub-heading
    text: str
    lead: str = ""  # for a list item, the line that introduces the list
    findings: list = field(default_factory=list)

    @property
    def bullet(self) -> bool:
        return bool(self.lead)


def stems(text: str) -> set[str]:
    """Content words (five letters or more) cut to six letters, so that -ise/-ize and
    -isation/-ization spellings meet."""
    return {w[:6] for w in re.findall(r"[a-z]{5,}", normalise(text))}


def overlap(finding: str, statement: str) -> tuple[float, float]:
    """Share of a finding's content words that the statement prints (a finding may restate
    one clause of a long paragraph); on a tie, share of both texts' words in common."""
    wf, ws = stems(finding), stems(statement)
    return (len(wf & ws) / len(wf) if wf else 0.0), (len(wf & ws) / len(wf | ws) if wf | ws else 0.0)


def is_footnote(line: str) -> bool:
    return bool(re.match(r"^[¹²³⁴⁵⁶⁷⁸⁹⁰]+ ", line.strip()))


def cut(lines: list[str], heading: str) -> tuple[list[Statement], list[str]]:
    """Statements of one part of the Conclusions, and the paragraphs left out (about the
    report itself, or only introducing a list). A paragraph broken by a page end (no
    closing punctuation) is joined to its continuation; footnotes are dropped."""
    blocks, current = [], []
    for line in lines + [""]:
        if is_footnote(line):
            continue
        text = line.strip()
        if text.startswith("- "):
            if current:
                blocks.append(" ".join(current))
                current = []
            blocks.append(text)
        elif text:
            current.append(text)
        elif current and re.search(r"[.:;!?”\"]$", current[-1].rstrip("*_")):
            blocks.append(" ".join(current))
            current = []
    statements, framing, lead = [], [], ""
    for block in blocks:
        if block.startswith("- "):
            assert lead, f"list item without a line introducing it: {block!r}"
            statements.append(Statement(heading, block[2:].lstrip("✓ "), lead))
        elif block.endswith(":") or block.startswith(ABOUT_THE_REPORT):
            framing.append(block)
            lead = block if block.endswith(":") else ""
        else:
            statements.append(Statement(heading, block))
            lead = ""
    return statements, framing


@pytest.fixture(scope="module")
def conclusions(report_lines) -> tuple[list[Statement], list[str]]:
    """Every statement of the Conclusions, and the paragraphs that are not statements."""
    start = index_of(report_lines, r"^CONCLUSIONS$")
    end = index_of(report_lines, r"^APPENDICES$", start)
    parts, current = {"opening": []}, "opening"
    for line in report_lines[start + 1:end]:
        if line.strip() in HEADINGS:
            current = line.strip()
            parts[current] = []
        else:
            parts[current].append(line)
    assert list(parts) == ["opening", *HEADINGS]
    statements, framing = [], []
    for heading, lines in parts.items():
        s, f = cut(lines, heading)
        statements += s
        framing += f
    return statements, framing


@pytest.fixture(scope="module")
def category_of_heading(select) -> dict[str, str]:
    """Conclusions sub-heading -> Stockholm category IRI, by the category's printed name; the
    opening remarks are filed under coordination."""
    rows = select("SELECT ?c ?l WHERE { ?c skos:inScheme <https://w3id.org/sec-kg/id/scheme/category> ; skos:prefLabel ?l }")
    by_name = {r["l"].lower(): r["c"] for r in rows}
    return {"opening": CATEGORY + "coordination", **{h: by_name[h.lower()] for h in HEADINGS}}


@pytest.fixture(scope="module")
def findings(select) -> dict[str, dict]:
    """The Conclusions' findings with their type, category, statement, States and what they are about."""
    rows = select("""SELECT ?f ?t ?c ?label ?comment ?n WHERE { ?f a sec:Finding ; sec:reportSection "Conclusions" ;
        sec:findingType ?t ; sec:category ?c ; rdfs:label ?label ; rdfs:comment ?comment ;
        prov:wasDerivedFrom <https://w3id.org/sec-kg/id/source/iin-report-2024> .
        OPTIONAL { ?f sec:numberOfStates ?n } }""")
    found = {r["f"]: {**r, "singles": set(), "mentions": set(), "about": set()} for r in rows}
    assert len(found) == len(rows), "one type, category, label and statement per finding"
    for key, query in (("singles", "?f sec:singlesOut ?o"), ("mentions", "?f sec:concernsState ?o"),
                       ("about", "?f sec:about ?o")):
        for r in select(f'SELECT ?f ?o WHERE {{ ?f a sec:Finding ; sec:reportSection "Conclusions" . {query} }}'):
            found[r["f"]][key].add(r["o"])
    for f in found.values():
        f["mentions"] -= f["singles"]
    return found


@pytest.fixture(scope="module")
def matched(conclusions, findings, category_of_heading) -> list[Statement]:
    """The statements, each with the findings that restate it."""
    statements, _ = conclusions
    for f in findings.values():
        candidates = [s for s in statements if category_of_heading[s.heading] == f["c"]]
        best = max(candidates, key=lambda s: overlap(f["comment"], s.text))
        best.findings.append(f)
    return statements


@pytest.fixture(scope="module")
def state_names(select) -> dict[str, str]:
    """State IRI -> English label."""
    return {r["s"]: r["l"] for r in select("SELECT ?s ?l WHERE { ?s a sec:State ; rdfs:label ?l }")}


def test_every_statement_has_a_finding(conclusions, matched, findings):
    statements, framing = conclusions
    # what is left out is only what speaks of the report itself and the lines that introduce a list
    assert len([p for p in framing if p.startswith(ABOUT_THE_REPORT)]) == len(ABOUT_THE_REPORT)
    assert all(p.endswith(":") or p.startswith(ABOUT_THE_REPORT) for p in framing)
    missing = [s.text[:80] for s in matched if not s.findings]
    assert not missing, f"{len(missing)} of {len(statements)} statements have no finding: {missing}"
    assert len(findings) >= len(statements)


def test_every_finding_has_type_label_category_and_provenance(select):
    rows = select("""SELECT ?f (COUNT(DISTINCT ?t) AS ?types) (COUNT(DISTINCT ?c) AS ?categories)
        (COUNT(DISTINCT ?l) AS ?labels) (COUNT(DISTINCT ?s) AS ?sections) (COUNT(DISTINCT ?src) AS ?sources)
        WHERE { ?f a sec:Finding .
            OPTIONAL { ?f sec:findingType ?t . ?t skos:inScheme <https://w3id.org/sec-kg/id/scheme/finding-type> }
            OPTIONAL { ?f sec:category ?c . ?c skos:inScheme <https://w3id.org/sec-kg/id/scheme/category> }
            OPTIONAL { ?f rdfs:label ?l FILTER (LANG(?l) = "en") }
            OPTIONAL { ?f sec:reportSection ?s } OPTIONAL { ?f prov:wasDerivedFrom ?src } }
        GROUP BY ?f""")
    assert rows
    for r in rows:
        assert (r["types"], r["categories"], r["labels"]) == ("1", "1", "1"), r
        assert int(r["sections"]) >= 1 and int(r["sources"]) >= 1, r


def test_types(matched, findings):
    assert {f["t"] for f in findings.values()} == {FTYPE + t for t in ("progress", "challenge", "recommendation", "observation")}
    for s in matched:
        types = {f["t"] for f in s.findings}
        if re.search(PROGRESS_WORDS, s.text):
            assert FTYPE + "progress" in types, s.text[:80]
        if s.bullet:
            # a list item restates one finding, whose type the line introducing the list gives
            assert len(s.findings) == 1, s.text[:80]
            if s.lead.endswith("requires:"):
                expected = "recommendation"
            elif re.search(r"\bweaknesses\b|\bchallenges\b", s.lead) or re.search(r"\bchallenge\b", s.text):
                expected = "challenge"
            else:
                assert "common trends" in s.lead
                expected = "observation"
            assert types == {FTYPE + expected}, (s.text[:80], types)


def test_states_singled_out_and_mentioned_are_named_in_their_statement(matched, state_names):
    for s in matched:
        for f in s.findings:
            for state in f["singles"] | f["mentions"]:
                assert re.search(rf"\b{state_names[state]}\b", s.text), f"{f['f']}: {state_names[state]} not named in {s.text[:60]!r}"
            assert not f["singles"] & f["mentions"]
        # conversely, every State a statement names is singled out or mentioned by one of its findings
        linked = set().union(*(f["singles"] | f["mentions"] for f in s.findings))
        for state, name in state_names.items():
            if re.search(rf"\b{name}\b", s.text):
                assert state in linked, f"{name} is named but not linked: {s.text[:80]!r}"


def test_only_named_states_are_singled_out(matched, state_names):
    """"Only Canada", "only one State (Colombia)", "only Canada and Peru": those States are singled out."""
    iri = {name: state for state, name in state_names.items()}
    seen = 0
    for s in matched:
        for m in re.finditer(r"\bonly (?:one State \()?([A-Z]\w+)(?:\))?(?: and ([A-Z]\w+))?", s.text, re.I):
            names = [n for n in m.groups() if n in iri]
            if names:
                seen += 1
                assert any({iri[n] for n in names} <= f["singles"] for f in s.findings), s.text[:80]
    assert seen >= 4


def test_states_counted_without_names(matched, findings):
    counted = []
    for s in matched:
        for m in re.finditer(COUNTED, s.text):
            n = COUNT_WORDS[next(g for g in m.groups() if g).lower()]
            holders = [f for f in s.findings if f["n"] == str(n)]
            assert len(holders) == 1, (n, s.text[:80])
            assert not holders[0]["singles"], "a count without names links no State singled out"
            counted.append(holders[0]["f"])
    assert sorted(counted) == sorted(f["f"] for f in findings.values() if f["n"] is not None)
    assert len(counted) >= 4


def test_concepts_a_statement_names(matched, select):
    """A modality or scenario whose name a statement prints (several words: "travel and tourism",
    "use in/for pornography", "border areas") is one its findings are about; so is the age
    range of the victims."""
    concepts = select("""SELECT ?c ?l WHERE { ?c skos:inScheme ?s ; skos:prefLabel ?l .
        VALUES ?s { <https://w3id.org/sec-kg/id/scheme/modality> <https://w3id.org/sec-kg/id/scheme/scenario> } }""")
    linked = 0
    for s in matched:
        about = set().union(*(f["about"] for f in s.findings))
        for c in concepts:
            if " " in c["l"] and normalise(c["l"]) in normalise(s.text):
                assert c["c"] in about, (c["l"], s.text[:80])
                linked += 1
        ages = re.search(r"between the \*?\*?ages of (\d+) and (\d+)", s.text)
        if ages:
            assert ID + f"concept/age/{ages.group(1)}-{ages.group(2)}" in about
            linked += 1
    assert linked >= 6


def test_statements_are_own_words(matched):
    for s in matched:
        for f in s.findings:
            for sentence in re.split(r"(?<=[.;:])\s+", normalise(s.text)):
                if len(sentence.split()) >= 8:
                    assert sentence not in normalise(f["comment"]), f["f"]


def test_only_chile_reports_prosecuted_persons(matched, select):
    diagnosis = " ".join(s.text for s in matched if s.heading == "Diagnosis")
    name = re.search(r"only (\w+) offers information on people prosecuted", diagnosis).group(1)
    rows = select("""SELECT DISTINCT ?f WHERE { ?f a sec:Finding ; sec:reportSection "Conclusions" ;
        sec:category <https://w3id.org/sec-kg/id/concept/category/diagnosis> ;
        sec:singlesOut ?s ; sec:about ?o . ?s rdfs:label ?name .
        ?o sec:subject <https://w3id.org/sec-kg/id/concept/subject/prosecuted-persons> ; sec:refState ?s }""",
        name=Literal(name, lang="en"))
    assert len(rows) == 1


def test_unnamed_state_with_youth_organisations_is_not_guessed(matched, select):
    statement = next(s for s in matched if "youth organizations included" in s.text)
    assert re.search(r"in only one of the States", statement.text)
    rows = select("""SELECT ?f WHERE { ?f a sec:Finding ; sec:reportSection "Conclusions" ; sec:numberOfStates 1 ;
        sec:category <https://w3id.org/sec-kg/id/concept/category/coordination> .
        FILTER NOT EXISTS { ?f sec:concernsState|sec:singlesOut ?any }
        FILTER NOT EXISTS { ?f sec:about ?resource . ?resource sec:state ?state } }""")
    assert len(rows) == 1


def test_no_state_assesses_prevention_impact(matched, select):
    assert any(re.search(r"no State reports engaging in \*\*impact assessments\*\*", s.text) for s in matched)
    rows = select("""SELECT ?f WHERE { ?f a sec:Finding ; sec:reportSection "Conclusions" ; sec:numberOfStates 0 ;
        sec:category <https://w3id.org/sec-kg/id/concept/category/prevention> ;
        sec:findingType <https://w3id.org/sec-kg/id/concept/finding-type/challenge> }""")
    assert len(rows) == 1
    assert not select("SELECT ?m WHERE { ?m sec:impactAssessmentReported true }")


def test_about_targets_exist(select):
    rows = select("""SELECT ?f ?o WHERE { ?f a sec:Finding ; sec:about ?o .
        FILTER NOT EXISTS { ?o a ?type } }""")
    assert not rows, rows


def test_findings_query(findings, matched, state_names, select):
    rows = select(query_file("findings.rq"))
    assert sorted(r["finding"] for r in rows) == sorted(findings), "one row per finding of the Conclusions"
    by_finding = {r["finding"]: r for r in rows}
    for f in findings.values():
        r = by_finding[f["f"]]
        assert r["findingLabel"] == f["label"] and r["type"] == f["t"] and r["categoryLabel"]
        assert set(filter(None, (r["singlesOut"] or "").split(", "))) == {state_names[s] for s in f["singles"]}
        assert set(filter(None, (r["mentions"] or "").split(", "))) == {state_names[s] for s in f["mentions"]}
        assert r["numberOfStates"] == f["n"]
    # parameters: a category, a type by its name, a State singled out
    prevention = select(query_file("findings.rq", category="prevention"))
    assert prevention and {r["category"] for r in prevention} == {CATEGORY + "prevention"}
    recommendations = select(query_file("findings.rq", kind="recommendation"))
    assert recommendations and {r["type"] for r in recommendations} == {FTYPE + "recommendation"}
    assert len(recommendations) == len([f for f in findings.values() if f["t"] == FTYPE + "recommendation"])
    for state, name in state_names.items():
        singled = {r["finding"] for r in select(query_file("findings.rq", state=state.rsplit("/", 1)[1]))}
        assert singled == {f["f"] for f in findings.values() if state in f["singles"]}, name


def test_other_sections_findings_are_listed_by_section(select):
    rows = select(query_file("findings.rq", section="6"))
    stated = select('SELECT ?f WHERE { ?f a sec:Finding ; sec:reportSection "6" }')
    assert rows and sorted(r["finding"] for r in rows) == sorted(r["f"] for r in stated)
    assert all(r["findingLabel"] and r["typeLabel"] for r in rows)
