"""Ecuador (EC): the graph says what the report prints, sections 1, 2.1-2.3, 3, 4.1.2, 4.2, 5 and 6.

Each test first reads the fact from the report text (a table row, a paragraph, a list
item) and then looks for it in the graph, so a fact that is missing from the Turtle or
misspelt there makes the test fail.
"""

from __future__ import annotations

import re
from functools import partial

import pytest
from rdflib import URIRef

from conftest import normalise
import printed
from printed import block, names_of, table_rows, values

EC = "https://w3id.org/sec-kg/id/state/EC"
DATASET = "https://w3id.org/sec-kg/id/dataset/ec-headline-figures"
CONCEPT = "https://w3id.org/sec-kg/id/concept/"


# --------------------------------------------------------------------------- helpers

#: Lookups by name default to this State's resources.
find_by_name = partial(printed.find_by_name, state=EC)
one_by_name = partial(printed.one_by_name, state=EC)


def line_matching(report_lines: list[str], pattern: str, first: int, last: int) -> str:
    """The report line within [first, last] (1-based) that matches `pattern`."""
    for line in report_lines[first - 1 : last]:
        if re.search(pattern, line):
            return line
    raise AssertionError(f"no line matching {pattern!r} in lines {first}-{last}")




def split_composition(cell: str) -> list[tuple[str, str]]:
    """Split a composition cell into (printed name, role) pairs.

    Group headings ("Public institutions:", "Civil society organizations:") are not members;
    ", as chair" (with anything after it) marks the chair. A comma followed by "Ministry"
    separates two names that the table joins with a comma instead of a semicolon.
    """
    text = re.sub(r"\s+", " ", cell).strip().rstrip(".")
    text = re.sub(r"\. (?=[A-Z][a-z ]+:)", "; ", text)  # "...Office. Civil society organizations: ..."
    members = []
    for part in text.split(";"):
        part = re.sub(r"^\s*[A-Z][a-z ]+:\s*", "", part).strip()  # group heading
        for piece in re.split(r",\s+(?=Ministry )", part):
            piece = piece.strip().rstrip(".")
            role = "member"
            m = re.match(r"(.*?),\s+as chair\b.*$", piece)
            if m:
                piece, role = m.group(1), "chair"
            if piece:
                members.append((piece, role))
    return members


# --------------------------------------------------------------------------- section 1


@pytest.fixture(scope="module")
def section1_paragraphs(report_lines):
    return [
        line_matching(report_lines, r"^According to data from the \*Integrated System of Prosecutorial Actions\*", 113, 280),
        line_matching(report_lines, r"^In the same sense, data from the \*Ecuadorian Automatic System", 113, 280),
        line_matching(report_lines, r"^For its part, the Ministry of Education has a \*Computerized System", 113, 280),
    ]


def test_section1_counts_and_shares(section1_paragraphs, select):
    text = " ".join(section1_paragraphs)
    counts = {
        int(n.replace(",", ""))
        for n in re.findall(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)\s+(?:reports|involved|to “|victims|cases|rulings)", text)
    }
    shares = {float(n) for n in re.findall(r"(\d+)%", text)}
    assert counts == {1443, 950, 130, 125, 980, 356, 93, 87, 100, 3141}
    rows = select(
        "SELECT ?c ?p WHERE { ?o qb:dataSet ?d ; sec:refState state:EC . "
        "OPTIONAL { ?o sec:count ?c } OPTIONAL { ?o sec:percentage ?p } }",
        d=URIRef(DATASET),
    )
    graph_counts = {int(r["c"]) for r in rows if r.get("c")}
    graph_shares = {float(r["p"]) for r in rows if r.get("p")}
    assert graph_counts == counts
    assert graph_shares == shares


def test_section1_dataset_structure(select):
    rows = select(
        "SELECT ?s ?sec ?src WHERE { ?d qb:structure ?s ; sec:reportSection ?sec ; prov:wasDerivedFrom ?src }",
        d=URIRef(DATASET),
    )
    assert {r["s"] for r in rows} == {"https://w3id.org/sec-kg/id/dsd/headline-figures"}
    assert {r["sec"] for r in rows} == {"1"}
    assert "https://w3id.org/sec-kg/id/source/ec-enquiry-response-2024" in {r["src"] for r in rows}


def test_section1_age_and_sex_dimensions(section1_paragraphs, select):
    text = " ".join(section1_paragraphs)
    assert "**93% were between 11 and 17 years old**" in text
    assert "**86% were female**" in text and "90% of victims are female" in text
    rows = select(
        "SELECT ?p ?age ?sex WHERE { ?o qb:dataSet ?d ; sec:percentage ?p ; sec:ageRange ?age ; sec:sex ?sex }",
        d=URIRef(DATASET),
    )
    by_share = {float(r["p"]): (r["age"], r["sex"]) for r in rows}
    assert by_share[93.0][0] == CONCEPT + "age/11-17"
    assert by_share[86.0][1] == CONCEPT + "sex/female"
    assert by_share[90.0][1] == CONCEPT + "sex/female"
    assert "98% of alleged aggressors are male" in text
    assert by_share[98.0][1] == CONCEPT + "sex/male"


@pytest.mark.parametrize("acronym,operator", [("SIAF", "Prosecutor’s Office"), ("SATJE", "Council of the Judiciary"), ("REDEVI", "Ministry of Education")])
def test_section1_information_systems(section1_paragraphs, select, acronym, operator):
    text = " ".join(section1_paragraphs)
    m = re.search(r"\*([^*]+)\* \(" + acronym + r"\b", text)
    assert m, acronym
    name = m.group(1)
    sentence = next(s for s in re.split(r"(?<=\.)\s", text) if acronym in s)
    assert operator in sentence
    system = one_by_name(select, name, "sec:InformationSystem")
    assert normalise(acronym) in names_of(select, system)
    operators = values(select, system, "sec:operatedBy")
    assert len(operators) == 1
    assert normalise(operator) in names_of(select, operators.pop())


def test_section1_scenarios(report_lines, select):
    line = line_matching(report_lines, r"^The State underscores border areas", 190, 230)
    expected = {
        "border areas": "border-areas",
        "tourism": "travel-tourism",
        "the extractive industries": "extractive-industries",
        "virtual environments": "digital",
    }
    for scenario in expected:
        assert scenario in line
    got = values(select, EC, "sec:reportsScenario")
    assert got == {CONCEPT + "scenario/" + code for code in expected.values()}


# --------------------------------------------------------------------------- section 2.1


@pytest.fixture(scope="module")
def coordination_rows(report_lines):
    rows = table_rows(report_lines, "STATE\tCOORDINATION AREA", "ECUADOR")
    assert len(rows) == 2, rows
    return rows


def test_bodies_of_the_table(coordination_rows, select):
    for row in coordination_rows:
        body = one_by_name(select, row[1], "sec:CoordinationBody")
        rows = select("SELECT ?l WHERE { ?b rdfs:label ?l }", b=URIRef(body))
        assert [normalise(r["l"]) for r in rows] == [normalise(row[1])], "label must be the table's name"


def test_composition_cells(coordination_rows, select):
    for row in coordination_rows:
        body = one_by_name(select, row[1], "sec:CoordinationBody")
        printed = split_composition(row[2])
        assert len(printed) >= 12
        memberships = select(
            "SELECT ?m ?member ?role ?sec WHERE { ?m a org:Membership ; org:organization ?b ; "
            "org:member ?member ; org:role ?role ; sec:reportSection ?sec }",
            b=URIRef(body),
        )
        by_member = {r["member"]: r["role"] for r in memberships}
        assert len(by_member) == len(printed), (len(by_member), printed)
        for name, role in printed:
            matches = [m for m in by_member if normalise(name) in names_of(select, m)]
            assert len(matches) == 1, f"{name!r} is not the name of one member of {body}"
            assert by_member[matches[0]] == CONCEPT + "role/" + role, name
            member = matches[0]
            assert values(select, member, "sec:sector"), f"{member} has no sector"


def test_regulations_cells(coordination_rows, select):
    for row in coordination_rows:
        body = one_by_name(select, row[1], "sec:CoordinationBody")
        created = values(select, body, "sec:createdBy")
        cell = row[3].strip()
        if cell in ("-", "No data", ""):
            assert not created
        else:
            assert len(created) == 1
            assert normalise(cell) in names_of(select, created.pop())


def test_regulation_of_trafficking_committee_is_a_decree(coordination_rows, select):
    row = next(r for r in coordination_rows if r[3].startswith("Executive Decree"))
    m = re.fullmatch(r"Executive Decree No\. (\d+) of (\d{4})", row[3])
    assert m
    decree = one_by_name(select, row[3], "sec:Decree")
    assert values(select, decree, "eli:number") == {m.group(1)}
    assert values(select, decree, "sec:year") == {m.group(2)}


def test_prose_bodies_and_leads(report_lines, select):
    lines = block(report_lines, r"^ECUADOR has two interagency coordination areas", r"^GUATEMALA has two", 285, 400)
    text = " ".join(lines)
    assert "**Interagency CSEC Collective**, led by the National Council for Intergenerational Equality (CNII" in text
    collective = one_by_name(select, "Interagency CSEC Collective", "sec:CoordinationBody")
    cnii = one_by_name(select, "CNII", "sec:Institution")
    assert normalise("National Council for Intergenerational Equality") in names_of(select, cnii)
    assert values(select, collective, "sec:ledBy") == {cnii}
    assert "Since 2018" in text
    assert values(select, collective, "sec:year") == {"2018"}
    assert "under the leadership of the Ministry of the Interior" in text
    committee = one_by_name(
        select,
        "Interagency Coordination Committee for the Prevention of Trafficking in Persons and Smuggling of Migrants and Protection of their Victims",
        "sec:CoordinationBody",
    )
    interior = one_by_name(select, "Ministry of the Interior", "sec:Institution")
    assert values(select, committee, "sec:ledBy") == {interior}
    # Technical Working Groups and Decentralized Committees are parts of the committee.
    for name in ("Technical Working Groups", "Decentralized Committees"):
        assert f"*{name}*" in text
        part = one_by_name(select, name, "sec:CoordinationBody")
        assert values(select, part, "org:subOrganizationOf") == {committee}
    # The three focal points and who leads them.
    m = re.search(r"three focal points: ([^.]+)\. The first two panels are led by the (.+?), while the last is led by the (.+?)\.", text)
    assert m
    points = [p.strip() for p in m.group(1).split(";")]
    points[-1] = re.sub(r"^and ", "", points[-1])
    leads = [m.group(2), m.group(2), m.group(3)]
    for point, lead in zip(points, leads):
        group = one_by_name(select, point, "sec:CoordinationBody")
        assert values(select, group, "org:subOrganizationOf") == {one_by_name(select, "Technical Working Groups", "sec:CoordinationBody")}
        assert values(select, group, "sec:ledBy") == {one_by_name(select, lead, "sec:Institution")}


def test_memberships_have_provenance(select):
    rows = select(
        "SELECT ?m WHERE { ?m a org:Membership ; org:organization ?b . ?b sec:state state:EC . "
        "FILTER NOT EXISTS { ?m sec:reportSection ?s ; prov:wasDerivedFrom ?src } }"
    )
    assert rows == []


# --------------------------------------------------------------------------- section 2.2


def test_policies_table_row(report_lines, select):
    rows = table_rows(report_lines, "STATE\tPOLICIES/ PLANS", "ECUADOR")
    assert len(rows) == 1
    _, name, adopted, validity = rows[0]
    policy = one_by_name(select, name, "sec:Policy")
    assert [normalise(r["l"]) for r in select("SELECT ?l WHERE { ?p rdfs:label ?l }", p=URIRef(policy))] == [normalise(name)]
    m = re.fullmatch(r"(January|February|March|April|May|June|July|August|September|October|November|December) (\d{4})", adopted)
    assert m
    month = "JanFebMarAprMayJunJulAugSepOctNovDec".index(m.group(1)[:3]) // 3 + 1
    assert values(select, policy, "sec:adoptionDate") == {f"{m.group(2)}-{month:02d}"}
    assert values(select, policy, "sec:validityAsPrinted") == {validity}
    start, end = re.fullmatch(r"(\d{4}) - (\d{4})", validity).groups()
    rows = select(
        "SELECT ?b ?e WHERE { ?p sec:validity ?i . ?i time:hasBeginning/time:inXSDgYear ?b ; time:hasEnd/time:inXSDgYear ?e }",
        p=URIRef(policy),
    )
    assert [(r["b"], r["e"]) for r in rows] == [(start, end)]


def test_policies_of_the_prose(report_lines, select):
    lines = block(report_lines, r"^ECUADOR implements an", r"^GUATEMALA reports", 400, 492)
    text = " ".join(lines)
    m = re.search(r"\*\*(Action Plan against Trafficking in Persons in Ecuador 2019-2030)\*\*,⁶³ led by the (Ministry of the Interior)", text)
    assert m
    plan = one_by_name(select, m.group(1), "sec:Policy")
    assert values(select, plan, "sec:ledBy") == {one_by_name(select, m.group(2), "sec:Institution")}
    m = re.search(r"\*(Comprehensive Protection Plan for Children and Adolescents for 2030)\*", text)
    assert m
    plan = one_by_name(select, m.group(1), "sec:Policy")
    assert values(select, plan, "prov:wasDerivedFrom") == {"https://w3id.org/sec-kg/id/source/ec-crc-report"}
    assert "Par. 36" in " ".join(report_lines[400:492])
    assert values(select, plan, "sec:sourceLocator") == {"Par. 36"}


# --------------------------------------------------------------------------- section 2.3


def test_protocols(report_lines, select):
    line = line_matching(report_lines, r"^ECUADOR has two operating protocols", 493, 536)
    names = re.findall(r"\*\*([^*]+)\*\*", line)
    assert len(names) == 2
    committee = one_by_name(
        select,
        "Interagency Coordination Committee for the Prevention of Trafficking in Persons, Smuggling of Migrants, and Protection of their Victims",
        "sec:CoordinationBody",
    )
    for name in names:
        protocol = one_by_name(select, name, "sec:InteragencyProtocol")
        assert committee in values(select, protocol, "sec:participant")
        assert "2.3" in values(select, protocol, "sec:reportSection")
    # Section 5.1 gives the year of the first one.
    recall = line_matching(report_lines, r"there is in Ecuador an \*Interagency Operating Protocol", 1205, 1296)
    m = re.search(r"\*(Interagency Operating Protocol for the Comprehensive Care and Protection of Victims of Trafficking in Persons) \((\d{4})\)\*", recall)
    assert m
    assert values(select, one_by_name(select, m.group(1), "sec:InteragencyProtocol"), "sec:year") == {m.group(2)}


# --------------------------------------------------------------------------- section 3


@pytest.fixture(scope="module")
def prevention_text(report_lines):
    return " ".join(block(report_lines, r"^In \*\*ECUADOR\*\*, various prevention actions", r"^In \*\*GUATEMALA\*\*", 565, 744))


def test_code_of_conduct_and_its_agreement(prevention_text, select):
    m = re.search(r"The (Ministry of Tourism) promulgated, by (Ministerial Agreement No\. (2022 – 014)), the “\*(Code of Conduct[^*]+)\*”", prevention_text)
    assert m
    measure = one_by_name(select, m.group(4), "sec:PreventionMeasure")
    assert values(select, measure, "sec:promotedBy") == {one_by_name(select, m.group(1), "sec:Institution")}
    agreement = one_by_name(select, m.group(2), "sec:AdministrativeAgreement")
    assert values(select, measure, "sec:legalBasis") == {agreement}
    assert values(select, agreement, "eli:number") == {m.group(3)}
    assert values(select, measure, "sec:measureType") == {CONCEPT + "measure-type/code-of-conduct"}
    assert CONCEPT + "scenario/travel-tourism" in values(select, measure, "sec:scenario")


def test_education_plan_and_protocols(prevention_text, select):
    m = re.search(
        r"The (Ministry of Education), through (Ministerial Agreement No\. ([A-Z0-9-]+)), of (\d{1,2}) (June) (\d{4}), issued a “\*([^*]+)\*”",
        prevention_text,
    )
    assert m
    plan = one_by_name(select, m.group(7), "sec:PreventionMeasure")
    ministry = one_by_name(select, m.group(1), "sec:Institution")
    assert values(select, plan, "sec:promotedBy") == {ministry}
    agreement = one_by_name(select, m.group(2), "sec:AdministrativeAgreement")
    assert values(select, plan, "sec:legalBasis") == {agreement}
    assert values(select, agreement, "eli:number") == {m.group(3)}
    assert values(select, agreement, "eli:date_document") == {f"{m.group(6)}-06-{int(m.group(4)):02d}"}
    m = re.search(r"It also adopted (Operating Protocols to address situations involving .+? National Education System),¹⁰¹", prevention_text)
    assert m
    protocol = one_by_name(select, m.group(1), "sec:InteragencyProtocol")
    assert values(select, protocol, "sec:promotedBy") == {ministry}


def test_other_prevention_measures(prevention_text, select):
    m = re.search(r"The (Ministry of Public Health) carries out .*? Of particular note is the \*(Sexuality without Mysteries)\* website", prevention_text)
    assert m
    website = one_by_name(select, m.group(2) + " website", "sec:PreventionMeasure")
    assert values(select, website, "sec:promotedBy") == {one_by_name(select, m.group(1), "sec:Institution")}
    m = re.search(r"The (Ministry for Women and Human Rights) implements “(processes involving [^”]+)”.*?¹⁰²", prevention_text)
    assert m
    processes = one_by_name(select, m.group(2), "sec:PreventionMeasure")
    assert values(select, processes, "sec:promotedBy") == {one_by_name(select, m.group(1), "sec:Institution")}
    assert "¹⁰² Seventh periodic report to be submitted by Ecuador" in prevention_text and "Par. 47" in prevention_text
    assert values(select, processes, "sec:sourceLocator") == {"Par. 47"}
    assert values(select, processes, "prov:wasDerivedFrom") == {"https://w3id.org/sec-kg/id/source/ec-crc-report"}
    m = re.search(r"The (National Directorate of Public Data Registration) \((DINARP)[^)]*\) developed an informative web space.*?aimed at children and adolescents, families and teachers", prevention_text)
    assert m
    dinarp = one_by_name(select, m.group(2), "sec:Institution")
    assert normalise(m.group(1)) in names_of(select, dinarp)
    rows = select("SELECT ?m WHERE { ?m a sec:PreventionMeasure ; sec:promotedBy ?d }", d=URIRef(dinarp))
    assert len(rows) == 1
    assert values(select, rows[0]["m"], "sec:targetAudience") == {
        CONCEPT + "audience/" + a for a in ("children", "families", "teachers")
    }


def test_prevention_measures_carry_category_and_state(select):
    rows = select(
        "SELECT ?m WHERE { ?m a sec:PreventionMeasure ; sec:state state:EC . "
        "FILTER NOT EXISTS { ?m sec:category <https://w3id.org/sec-kg/id/concept/category/prevention> ; sec:reportSection ?s } }"
    )
    assert rows == []
    assert len(select("SELECT ?m WHERE { ?m a sec:PreventionMeasure ; sec:state state:EC }")) >= 6


# --------------------------------------------------------------------------- section 4.1.2


@pytest.fixture(scope="module")
def legislation_lines(report_lines):
    start = next(i for i in range(764, 1124) if report_lines[i].strip() == "ECUADOR")
    end = next(i for i in range(start + 1, 1124) if report_lines[i].strip() == "GUATEMALA")
    return [line for line in report_lines[start:end] if line.strip()]


def test_criminal_code_offences(legislation_lines, select):
    head = next(line for line in legislation_lines if line.startswith("Comprehensive Constitutional Criminal Code"))
    m = re.fullmatch(r"(Comprehensive Constitutional Criminal Code) \((\d{4}), last amendment (\d{4})\)", head.strip())
    assert m
    code = one_by_name(select, m.group(1), "sec:Code")
    assert values(select, code, "sec:year") == {m.group(2)}
    items = [line for line in legislation_lines if re.match(r"- [^✓].*\(Art\. [\d.]+\)", line)]
    assert len(items) == 10
    for item in items:
        name, article = re.match(r"- (.+?) \(Art\. ([\d.]+)\)", item).groups()
        offences = find_by_name(select, name, "sec:Offence")
        assert len(offences) == 1, name
        provisions = values(select, offences[0], "sec:definedIn")
        assert len(provisions) == 1
        provision = provisions.pop()
        assert values(select, provision, "sec:articleNumber") == {article}
        assert values(select, provision, "eli:is_part_of") == {code}


def test_offence_names_of_section1_match_articles(section1_paragraphs, select):
    text = " ".join(section1_paragraphs[:2])
    pairs = re.findall(r"“([^”]+)”\**\s*\(Art\. (\d+)", text)
    assert len(pairs) == 9
    for name, article in pairs:
        offences = find_by_name(select, name, "sec:Offence")
        assert len(offences) == 1, name
        numbers = {n for p in values(select, offences[0], "sec:definedIn") for n in values(select, p, "sec:articleNumber")}
        assert numbers == {article}, name


def test_offence_modalities(select):
    def offence(name):
        return one_by_name(select, name, "sec:Offence")

    assert values(select, offence("Trafficking in persons"), "sec:modality") == {CONCEPT + "modality/trafficking"}
    assert values(select, offence("Pornography involving children or adolescents"), "sec:modality") == {CONCEPT + "modality/pornography"}
    assert CONCEPT + "scenario/travel-tourism" in values(select, offence("Sex tourism"), "sec:scenario")


def test_children_and_adolescents_code(legislation_lines, select):
    head = next(line for line in legislation_lines if "Children and Adolescents Code" in line)
    m = re.fullmatch(r"Act (\d+) – (Children and Adolescents Code) \((\d{4})\)", head.strip())
    assert m
    code = one_by_name(select, m.group(2), "sec:Code")
    assert values(select, code, "eli:number") == {m.group(1)}
    assert values(select, code, "sec:year") == {m.group(3)}
    start = legislation_lines.index(head)
    articles = set()
    for line in legislation_lines[start + 1 : start + 5]:
        articles |= set(re.findall(r"\(Art\. (\d+)\)", line))
    assert articles == {"69", "70", "72", "73"}
    rows = select("SELECT ?n WHERE { ?p eli:is_part_of ?c ; sec:articleNumber ?n }", c=URIRef(code))
    assert {r["n"] for r in rows} == articles


def test_civil_code_reform_and_trafficking_act(legislation_lines, select):
    head = next(line for line in legislation_lines if line.startswith("Civil Code"))
    m = re.fullmatch(r"(Civil Code) – (Official Registry Reform (\d+)) \((\d{4})\)", head.strip())
    assert m
    civil = one_by_name(select, m.group(1), "sec:Code")
    reform = one_by_name(select, m.group(2), "sec:LegalInstrument")
    assert values(select, reform, "eli:amends") == {civil}
    assert values(select, reform, "eli:number") == {m.group(3)}
    assert values(select, reform, "sec:year") == {m.group(4)}
    assert "Prohibits the marriage of persons under the age of 18." in legislation_lines
    assert values(select, reform, "sec:modality") == {CONCEPT + "modality/forced-marriage"}
    head = next(line for line in legislation_lines if line.startswith("Constitutional Act"))
    m = re.fullmatch(r"(Constitutional Act against Trafficking in Persons and Smuggling of Migrants) \((\d{4})\) and its regulations", head.strip())
    assert m
    act = one_by_name(select, m.group(1), "sec:Act")
    assert values(select, act, "sec:year") == {m.group(2)}
    rows = select("SELECT ?r WHERE { ?r a sec:Regulation ; sec:implements ?a }", a=URIRef(act))
    assert len(rows) == 1


# --------------------------------------------------------------------------- section 4.2


@pytest.fixture(scope="module")
def justice_text(report_lines):
    return " ".join(block(report_lines, r"^In \*\*ECUADOR\*\*, both the Council of the Judiciary", r"^Since 2019, \*\*GUATEMALA\*\*", 1125, 1200))


def test_judiciary_resolutions_and_tools(justice_text, select):
    m = re.search(r"by (Resolution No\. (110A-2018)) of (\d+) (Nov)\. (\d{4})", justice_text)
    assert m
    resolution = one_by_name(select, m.group(1), "sec:Resolution")
    assert values(select, resolution, "eli:date_document") == {f"{m.group(5)}-11-{int(m.group(3)):02d}"}
    judiciary = one_by_name(select, "Council of the Judiciary", "sec:Institution")
    assert values(select, resolution, "eli:passed_by") == {judiciary}
    tools = re.findall(r"\*([^*]+)\* \(adopted by (Resolution [0-9A-Z-]+)\)", justice_text)
    assert len(tools) == 2
    for name, basis in tools:
        tool = one_by_name(select, name, "sec:AccessToJusticeMechanism")
        assert values(select, tool, "sec:legalBasis") == {one_by_name(select, basis, "sec:Resolution")}
        assert values(select, tool, "sec:operatedBy") == {judiciary}
    m = re.search(r"It also prepared a “([^”]+)”", justice_text)
    assert m
    plan = one_by_name(select, m.group(1), "sec:TrainingProgramme")
    assert values(select, plan, "sec:promotedBy") == {judiciary}


def test_prosecution_tools(justice_text, select):
    prosecutor = one_by_name(select, "Prosecutor General's Office", "sec:Institution")
    assert "since 2020 the State’s Prosecutor General’s Office has been managing an online reporting channel" in justice_text
    rows = select(
        "SELECT ?j WHERE { ?j a sec:AccessToJusticeMechanism ; sec:operatedBy ?p ; sec:measureType ?t ; sec:year ?y }",
        p=URIRef(prosecutor), t=URIRef(CONCEPT + "measure-type/reporting-channel"),
        y=__import__("rdflib").Literal("2020", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear")),
    )
    assert len(rows) == 1
    m = re.search(r"in (\d{4}), it developed two tools .*?: \*([^*]+)\* and the \*([^*]+)\*", justice_text)
    assert m
    for name in m.group(2, 3):
        tool = one_by_name(select, name, "sec:AccessToJusticeMechanism")
        assert values(select, tool, "sec:year") == {m.group(1)}
        assert values(select, tool, "sec:operatedBy") == {prosecutor}
    m = re.search(r"prepared a \*(Criminal Policy of Mandatory Admission to the SPAVT[^*]+)\*", justice_text)
    assert m
    one_by_name(select, m.group(1), "sec:AccessToJusticeMechanism")


def test_prosecution_public_policies(justice_text, select):
    policies = re.findall(r"\*([^*]+)\* \((\d{4})\)", justice_text.split("Other public policies of interest")[1])
    assert len(policies) == 4
    for name, year in policies:
        policy = one_by_name(select, name, "sec:Policy")
        assert values(select, policy, "sec:adoptionDate") == {year}
        assert values(select, policy, "sec:sourceLocator") == {"Par. 3"}


# --------------------------------------------------------------------------- sections 5.1 and 5.2


def test_residential_care_units(report_lines, select):
    line = line_matching(report_lines, r"^In \*\*ECUADOR\*\*, the Undersecretary for Special Protection", 1205, 1296)
    m = re.search(r"through the (Directorate of Special Protection Services), .*? there are (three) \*\*(residential foster care units)\*\*: (.*?)\.¹", line)
    assert m
    service = one_by_name(select, m.group(3), "sec:CareService")
    assert values(select, service, "sec:numberOfCentres") == {"3"}
    assert values(select, service, "sec:operatedBy") == {one_by_name(select, m.group(1), "sec:Institution")}
    assert values(select, service, "sec:managementType") == {CONCEPT + "management/not-stated"}
    assert values(select, service, "sec:managementAsPrinted") == {m.group(4)}


def test_spavt(report_lines, select):
    line = line_matching(report_lines, r"^For its part, the State Prosecutor General's Office, through the", 1205, 1296)
    m = re.search(r"through the (National System of Protection and Assistance to Victims, Witnesses and other participants in the criminal process) \((SPAVT)", line)
    assert m
    service = one_by_name(select, m.group(1), "sec:CareService")
    assert normalise(m.group(2)) in names_of(select, service)
    assert values(select, service, "sec:operatedBy") == {one_by_name(select, "Prosecutor General's Office", "sec:Institution")}


def test_training_of_practitioners(report_lines, select):
    line = line_matching(report_lines, r"^In addition, the Interagency Coordination Committee .* coordinates training", 1297, 1336)
    committee = one_by_name(select, re.search(r"the (Interagency Coordination Committee .*?) coordinates", line).group(1), "sec:CoordinationBody")
    rows = select("SELECT ?t WHERE { ?t a sec:TrainingProgramme ; sec:promotedBy ?b }", b=URIRef(committee))
    assert len(rows) == 1
    partners = values(select, rows[0]["t"], "sec:partner")
    for acronym in re.findall(r"\((FLACSO|IOM)[,)]", line) + ["UNICEF"]:
        assert acronym in line
        assert any(normalise(acronym) in names_of(select, p) for p in partners), acronym
    line = line_matching(report_lines, r"^In \*\*ECUADOR\*\*, the Prosecutor General's Office has an annual training plan", 1297, 1336)
    prosecutor = one_by_name(select, "Prosecutor General's Office", "sec:Institution")
    assert len(select("SELECT ?t WHERE { ?t a sec:TrainingProgramme ; sec:promotedBy ?p }", p=URIRef(prosecutor))) == 1


# --------------------------------------------------------------------------- section 6


@pytest.fixture(scope="module")
def participation_text(report_lines):
    return " ".join(block(report_lines, r"^ECUADOR reports on various initiatives", r"^In \*\*GUATEMALA\*\*", 1337, 1480))


def test_advisory_councils(participation_text, select):
    m = re.search(r"Since (\d{4}), the (National Council for Cross-Generational Equality) \((CNII), in Spanish\) has established two distinct advisory councils", participation_text)
    assert m
    cnii = one_by_name(select, m.group(2), "sec:Institution")
    assert normalise(m.group(3)) in names_of(select, cnii)
    councils = re.findall(r"the \*\*(National Advisory Council for [^*]+)\*\*", participation_text)
    assert len(councils) == 2
    for name in councils:
        council = one_by_name(select, name, "sec:ParticipationMechanism")
        assert values(select, council, "sec:year") == {m.group(1)}
        assert values(select, council, "sec:establishedBy") == {cnii}
        assert values(select, council, "sec:participationLevel") == {CONCEPT + "level/national"}


def test_other_participation_mechanisms(participation_text, select):
    assert "540 students, 540 education professionals and 540 family representatives" in participation_text
    education = one_by_name(select, "Ministry of Education", "sec:Institution")
    health = one_by_name(select, "Ministry of Public Health", "sec:Institution")
    assert "in 2021 the Ministry of Public Health developed a participatory process" in participation_text
    for institution, year in ((education, None), (health, "2021")):
        rows = select("SELECT ?m WHERE { ?m a sec:ParticipationMechanism ; sec:promotedBy ?i }", i=URIRef(institution))
        assert len(rows) == 1
        if year:
            assert values(select, rows[0]["m"], "sec:year") == {year}


def test_participation_challenges(participation_text, select):
    m = re.search(r"As challenges to participation, the State identifies: ([^.]+)\.", participation_text)
    assert m
    challenges = re.split(r"; (?:and )?", m.group(1))
    assert len(challenges) == 4
    needs = re.findall(r"- ✓ ", participation_text)
    rows = select(
        "SELECT ?f ?t ?c WHERE { ?f a sec:Finding ; sec:concernsState state:EC ; sec:findingType ?t ; sec:category ?c }"
    )
    participation = [r for r in rows if r["c"].endswith("/category/participation")]
    assert len(participation) == len(challenges) + len(needs)
    assert {r["t"] for r in participation} == {CONCEPT + "finding-type/challenge"}
