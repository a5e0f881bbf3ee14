"""Guatemala (GT): the graph says what the report prints, sections 1, 2.1-2.3, 3, 4.1.2, 4.2, 5 and 6.

Every test reads the fact from the report text first (a table row, a paragraph) and then
looks for it in the graph, so a fact missing from or misspelt in the Turtle fails.
"""

from __future__ import annotations

import re

import pytest

from conftest import normalise
from printed import names_of, table_rows

GT = "https://w3id.org/sec-kg/id/state/GT"
ROLE_SUFFIXES = {
    "as chair": "chair",
    "technical secretariat": "technical-secretariat",
    "permanent guests": "permanent-guest",
    "with voice, but without vote": "voice-without-vote",
}


# --------------------------------------------------------------------------- helpers


def _uri(iri: str):
    from rdflib import URIRef

    return URIRef(iri)


def find_by_name(select, name: str, cls: str) -> list[str]:
    """Resources of class `cls` (prefixed name) with `name` as label or altLabel."""
    rows = select(
        f"SELECT DISTINCT ?s ?n WHERE {{ ?s a {cls} . {{ ?s rdfs:label ?n }} UNION {{ ?s skos:altLabel ?n }} }}"
    )
    wanted = normalise(name)
    return sorted({r["s"] for r in rows if normalise(r["n"]) == wanted})


def split_acronym(name: str) -> tuple[str, str | None]:
    m = re.fullmatch(r"(.*?)\s*\(([A-Z][A-Za-z]+)\)", name.strip())
    return (m.group(1), m.group(2)) if m else (name.strip(), None)


def paragraph(report_lines: list[str], start_pattern: str, first_line: int, last_line: int) -> str:
    """The report line within [first_line, last_line] (1-based) that matches `start_pattern`."""
    for line in report_lines[first_line - 1 : last_line]:
        if re.search(start_pattern, line):
            return line
    raise AssertionError(f"no line matching {start_pattern!r} in lines {first_line}-{last_line}")


@pytest.fixture(scope="module")
def coordination_rows(report_lines):
    rows = table_rows(report_lines, "STATE\tCOORDINATION AREA", "GUATEMALA")
    assert len(rows) == 2, rows
    return rows


def body_for(select, printed_name: str) -> str:
    name, acronym = split_acronym(printed_name)
    bodies = find_by_name(select, name, "sec:CoordinationBody")
    assert len(bodies) == 1, f"no single body named {name!r}: {bodies}"
    if acronym:
        assert normalise(acronym) in names_of(select, bodies[0]), f"{acronym} not an altLabel of {bodies[0]}"
    return bodies[0]


# --------------------------------------------------------------------------- section 1


def test_section1_figures_in_dataset(report_lines, select):
    text = " ".join(
        [
            paragraph(report_lines, r"^According to data from the Public Prosecutor's Office, over the \*\*period 2023", 113, 280),
            paragraph(report_lines, r"^In addition, 149 complaints", 113, 280),
        ]
    )
    counts = {int(n.replace(",", "")) for n in re.findall(r"\b(\d[\d,]*) (?:reports|complaints|victims)", text)}
    shares = {int(n) for n in re.findall(r"\b(\d+)% ", text)}
    assert counts == {119, 149, 150, 37, 39}
    assert shares == {40, 15, 14, 60, 64}
    rows = select(
        """SELECT ?c ?p WHERE {
             ?o qb:dataSet <https://w3id.org/sec-kg/id/dataset/gt-headline-figures> ; sec:refState state:GT .
             OPTIONAL { ?o sec:count ?c } OPTIONAL { ?o sec:percentage ?p } }"""
    )
    assert {int(r["c"]) for r in rows if r.get("c")} == counts
    assert {int(float(r["p"])) for r in rows if r.get("p")} == shares
    assert "period 2023 – first quarter of 2024" in text
    periods = {r["p"] for r in select("SELECT DISTINCT ?p WHERE { ?o qb:dataSet <https://w3id.org/sec-kg/id/dataset/gt-headline-figures> ; sec:refPeriod ?p }")}
    assert periods == {"2023 – first quarter of 2024"}


def test_section1_female_and_age_shares(report_text, select):
    assert "In **60% of the cases the victims were female** and in **64% they were between 13 and 17 years old.**" in report_text
    rows = select(
        """SELECT ?p ?sex ?age WHERE {
             ?o qb:dataSet <https://w3id.org/sec-kg/id/dataset/gt-headline-figures> ;
                sec:percentage ?p ; sec:sex ?sex ; sec:ageRange ?age }"""
    )
    by_value = {int(float(r["p"])): (r["sex"].rsplit("/", 1)[1], r["age"].rsplit("/", 1)[1]) for r in rows}
    assert by_value[60] == ("female", "total")
    assert by_value[64] == ("total", "13-17")


def test_section1_svet_and_digital_scenario(report_text, select):
    assert "the Secretariat against Sexual Violence, Exploitation and Trafficking in Persons (SVET for its acronym in Spanish) compiles statistical data" in report_text
    svet = find_by_name(select, "Secretariat against Sexual Violence, Exploitation and Trafficking in Persons", "sec:Institution")
    assert len(svet) == 1 and "svet" in names_of(select, svet[0])
    assert "the digital environment is a scenario of particular vulnerability for SEC in Guatemala" in report_text
    scen = {r["s"] for r in select("SELECT ?s WHERE { state:GT sec:reportsScenario ?s }")}
    assert "https://w3id.org/sec-kg/id/concept/scenario/digital" in scen


# --------------------------------------------------------------------------- section 2.1


def test_coordination_table_bodies(coordination_rows, select):
    for row in coordination_rows:
        body = body_for(select, row[1])
        state = select("SELECT ?st WHERE { ?b sec:state ?st }", b=_uri(body))
        assert [r["st"] for r in state] == [GT]


def test_coordination_table_composition(coordination_rows, select):
    for row in coordination_rows:
        body = body_for(select, row[1])
        memberships = select(
            """SELECT ?m ?member ?role WHERE { ?m a org:Membership ; org:organization ?b ;
                 org:member ?member ; org:role ?role ; sec:reportSection ?sec ; prov:wasDerivedFrom ?src }""",
            b=_uri(body),
        )
        members = {}
        for r in memberships:
            members.setdefault(r["member"], set()).add(r["role"].rsplit("/", 1)[1])
        printed = [item.strip().rstrip(".") for item in row[2].split(";") if item.strip()]
        matched = set()
        for item in printed:
            role = "member"
            for suffix, code in ROLE_SUFFIXES.items():
                if normalise(item).endswith(", " + suffix):
                    role, item = code, item[: -len(suffix) - 2].strip()
            name, acronym = split_acronym(item)
            hits = [
                m
                for m in members
                if normalise(item) in names_of(select, m)
                or (normalise(name) in names_of(select, m) and (acronym is None or normalise(acronym) in names_of(select, m)))
            ]
            assert len(hits) == 1, f"{item!r}: no single member of {body} has this name ({hits})"
            assert members[hits[0]] == {role}, f"{item!r}: role {members[hits[0]]} != printed {role}"
            matched.add(hits[0])
        assert matched == set(members), f"members not printed in the cell: {set(members) - matched}"


def test_citic_chair_in_prose(report_text, select):
    assert "It is chaired by the Secretariat against Sexual Violence, Exploitation and Trafficking in Persons" in report_text
    body = body_for(select, "Intersectoral Commission on Information and Communication Technology (CITIC)")
    chairs = select(
        "SELECT ?i WHERE { ?m org:organization ?b ; org:member ?i ; org:role <https://w3id.org/sec-kg/id/concept/role/chair> }",
        b=_uri(body),
    )
    assert len(chairs) == 1
    assert "svet" in names_of(select, chairs[0]["i"])


def test_coordination_table_regulations(coordination_rows, select):
    for row in coordination_rows:
        body = body_for(select, row[1])
        cell = row[3].strip()
        created = [r["i"] for r in select("SELECT ?i WHERE { ?b sec:createdBy ?i }", b=_uri(body))]
        if cell in ("-", "No data", ""):
            assert created == []
        else:
            assert len(created) == 1
            assert normalise(cell) in names_of(select, created[0])


def test_menacesnna_created_2013(report_text, select):
    assert "(MENACESNNA, in Spanish).** Created in 2013" in report_text
    body = body_for(select, "MENACESNNA")
    years = [r["y"] for r in select("SELECT ?y WHERE { ?b sec:year ?y }", b=_uri(body))]
    assert years == ["2013"]


# --------------------------------------------------------------------------- section 2.2


def test_no_guatemala_row_in_policy_table(report_lines):
    assert table_rows(report_lines, "STATE\tPOLICIES/ PLANS", "GUATEMALA") == []


def test_national_plan_2020(report_text, select):
    name = "National Plan for the Prevention of Crimes of Sexual Violence, Exploitation and Trafficking in Persons, 2020"
    assert f"**{name}**, implemented by SVET" in report_text
    plans = find_by_name(select, name, "sec:Policy")
    assert len(plans) == 1
    leads = [r["i"] for r in select("SELECT ?i WHERE { ?p sec:ledBy ?i }", p=_uri(plans[0]))]
    assert len(leads) == 1 and "svet" in names_of(select, leads[0])
    # the report prints no adoption date or validity for it
    assert select("SELECT ?d WHERE { ?p sec:adoptionDate|sec:validityAsPrinted ?d }", p=_uri(plans[0])) == []


# --------------------------------------------------------------------------- section 2.3


def test_travel_tourism_protocol(report_text, select):
    name = "Interagency Detection and Operating Protocol for immediate response to cases of Sexual Exploitation against Children and Adolescents in Travel and Tourism"
    assert f"In 2017, **GUATEMALA** adopted an **{name}**,⁸² promoted by MENACESNNA" in report_text
    protocols = find_by_name(select, name, "sec:InteragencyProtocol")
    assert len(protocols) == 1
    rows = select("SELECT ?y ?by WHERE { ?p sec:year ?y ; sec:promotedBy ?by }", p=_uri(protocols[0]))
    assert [r["y"] for r in rows] == ["2017"]
    assert "menacesnna" in names_of(select, rows[0]["by"])


# --------------------------------------------------------------------------- section 3


def gt_block(report_lines: list[str], start: str, end: str) -> list[str]:
    """Lines from the first line starting with `start` up to (not including) the next starting with `end`."""
    i = next(n for n, line in enumerate(report_lines) if line.startswith(start))
    j = next(n for n in range(i + 1, len(report_lines)) if report_lines[n].startswith(end))
    return report_lines[i:j]


def test_prevention_measures_listed(report_lines, select):
    block = gt_block(report_lines, "In **GUATEMALA**, the Secretariat against Sexual Violence, Exploitation and Trafficking in Persons, through the Directorate against Exploitation", "GUYANA reports")
    names = []
    for line in block:
        m = re.match(r"^- (?:✓ )?\*([^*]+)\*", line.strip())
        if m:
            names.append(m.group(1).strip())
    code = re.search(r"implementing a \*(Code of Conduct[^*]+)\*", " ".join(block))
    names.append(code.group(1))
    assert len(names) == 8, names
    for name in names:
        hits = find_by_name(select, name, "sec:PreventionMeasure")
        assert len(hits) == 1, f"{name!r}: {hits}"
        st = select("SELECT ?st ?c WHERE { ?m sec:state ?st ; sec:category ?c ; sec:measureType ?t }", m=_uri(hits[0]))
        assert st and st[0]["st"] == GT


def test_univet_and_internet_safety_guide(report_text, select):
    assert "*Mobile Units for the Prevention of Sexual Violence, Exploitation and Trafficking in Persons* (UNIVET, in Spanish)" in report_text
    univet = find_by_name(select, "UNIVET", "sec:PreventionMeasure")
    assert len(univet) == 1
    types = {r["t"].rsplit("/", 1)[1] for r in select("SELECT ?t WHERE { ?m sec:measureType ?t }", m=_uri(univet[0]))}
    assert types == {"mobile-unit"}
    assert "developed by SVET in coordination with the Ministry of Education and with the support of the United Nations Office on Drugs and Crime (UNODC)" in report_text
    guide = find_by_name(select, "Mini Guide to Internet Safety", "sec:PreventionMeasure")[0]
    partners = {n for r in select("SELECT ?p WHERE { ?m sec:partner ?p }", m=_uri(guide)) for n in names_of(select, r["p"])}
    assert {"ministry of education", "unodc"} <= partners


# --------------------------------------------------------------------------- section 4.1.2


@pytest.fixture(scope="module")
def legislation_block(report_lines):
    start = next(n for n, line in enumerate(report_lines) if line.strip() == "GUATEMALA" and n > 900)
    end = next(n for n in range(start, len(report_lines)) if report_lines[n].startswith("GUYANA"))
    return report_lines[start:end]


def instrument_by_name(select, name: str) -> str:
    rows = select(
        "SELECT DISTINCT ?s ?n WHERE { ?s a ?c ; sec:state state:GT . ?c rdfs:subClassOf* sec:LegalInstrument . { ?s rdfs:label ?n } UNION { ?s skos:altLabel ?n } }"
    )
    hits = sorted({r["s"] for r in rows if normalise(r["n"]) == normalise(name)})
    assert len(hits) == 1, f"{name!r}: {hits}"
    return hits[0]


def test_offences_articles_instrument(legislation_block, select):
    text = " ".join(legislation_block)
    printed = re.findall(r"“([^”]+)” \(Art\. ([^)]+)\)", text)
    assert len(printed) == 11, printed
    code = instrument_by_name(select, "Criminal Code")
    for name, article in printed:
        offences = find_by_name(select, name, "sec:Offence")
        assert len(offences) == 1, f"{name!r}: {offences}"
        rows = select(
            "SELECT ?a ?i WHERE { ?o sec:definedIn ?p . ?p sec:articleNumber ?a ; eli:is_part_of ?i }",
            o=_uri(offences[0]),
        )
        assert [(r["a"], r["i"]) for r in rows] == [(article, code)], f"{name!r}: {rows}"


def test_decrees_numbers_titles_years(legislation_block, select):
    headings = [line for line in legislation_block if re.match(r"^Decree \d+-\d+ – ", line)]
    assert len(headings) == 6
    for line in headings:
        m = re.match(r"^Decree (\d+-\d+) – (.+?)(?: \((\d{4})[^)]*\)| \(([^)]*Act)\))?$", line.strip())
        number, title, year, short = m.groups()
        inst = instrument_by_name(select, f"Decree {number}")
        assert normalise(title) in names_of(select, inst)
        if short:
            assert normalise(short) in names_of(select, inst)
        rows = select("SELECT ?n ?y WHERE { ?i eli:number ?n . OPTIONAL { ?i sec:year ?y } }", i=_uri(inst))
        assert rows[0]["n"] == number
        # the year in brackets, or (Decree 11-2022, bracketing its short title) the year in the number
        assert rows[0].get("y") == (year or number.split("-")[1])


def test_criminal_code_amendments(legislation_block, select):
    text = " ".join(legislation_block)
    assert "Decree 17-73 – Criminal Code (1973, with amendments in 2009 and 2022)" in text
    assert "Decree 11-2022 – Amendments to Decree No. 17-73" in text
    code = instrument_by_name(select, "Decree 17-73")
    amenders = {r["a"] for r in select("SELECT ?a WHERE { ?a eli:amends ?c }", c=_uri(code))}
    assert amenders == {instrument_by_name(select, "Decree 9-2009"), instrument_by_name(select, "Decree 11-2022")}


def test_decree_9_2009_creates_svet(legislation_block, select):
    assert "- ✓ Creates a Secretariat against Sexual Violence, Exploitation and Trafficking in Persons (SVET)." in legislation_block
    created = [r["x"] for r in select("SELECT ?x WHERE { ?d sec:creates ?x }", d=_uri(instrument_by_name(select, "Decree 9-2009")))]
    assert len(created) == 1 and "svet" in names_of(select, created[0])


def test_constitution_and_article_56(legislation_block, select):
    assert "Political Constitution of the Republic of Guatemala" in legislation_block
    instrument_by_name(select, "Political Constitution of the Republic of Guatemala")
    assert "(Art. 56)" in " ".join(legislation_block)
    rows = select(
        "SELECT ?p WHERE { ?p a sec:Provision ; sec:articleNumber \"56\" ; eli:is_part_of ?i }",
        i=_uri(instrument_by_name(select, "Decree 27-2003")),
    )
    assert len(rows) == 1


# --------------------------------------------------------------------------- section 4.2


def test_specialised_courts(report_text, select):
    m = re.search(
        r"Since (\d{4}), \*\*GUATEMALA\*\* has had (Criminal Courts of First Instance and Criminal Sentencing Courts with Specialized jurisdiction in Crimes of Trafficking in Persons), .*? in the departments of ([^.]+)\.",
        report_text,
    )
    year, name, places = m.groups()
    courts = find_by_name(select, name, "sec:AccessToJusticeMechanism")
    assert len(courts) == 1
    rows = select("SELECT ?y ?l WHERE { ?c sec:year ?y ; sec:locationAsPrinted ?l }", c=_uri(courts[0]))
    assert rows == [{"y": year, "l": places}]
    assert "these jurisdictional bodies have a Gesell Chamber" in report_text
    assert len(find_by_name(select, "Gesell Chamber", "sec:AccessToJusticeMechanism")) == 1


# --------------------------------------------------------------------------- section 5


def test_maina_institutions(report_text, select):
    m = re.search(
        r"\*\*(Comprehensive Care Model for Children and Adolescents)\*\* \((MAINA), in Spanish\).*?created by the (Public Prosecutor’s Office) and also includes the following State institutions: ([^.]+)\.",
        report_text,
    )
    name, acronym, creator, listed = m.groups()
    services = find_by_name(select, name, "sec:CareService")
    assert len(services) == 1 and normalise(acronym) in names_of(select, services[0])
    creators = [r["o"] for r in select("SELECT ?o WHERE { ?s sec:establishedBy ?o }", s=_uri(services[0]))]
    assert len(creators) == 1 and normalise(creator) in names_of(select, creators[0])
    participants = [r["p"] for r in select("SELECT ?p WHERE { ?s sec:participant ?p }", s=_uri(services[0]))]
    printed = [n.strip() for n in listed.split(",")]
    assert len(printed) == len(participants) == 9
    for n in printed:
        assert any(normalise(n) in names_of(select, p) for p in participants), n


def test_victim_care_institute_created_by_decree(report_text, select):
    assert "the **Institute for the Assistance and Care of the Victim of Crime**, created by Decree No. 21-2016" in report_text
    inst = find_by_name(select, "Institute for the Assistance and Care of the Victim of Crime", "sec:Institution")
    assert len(inst) == 1
    creators = [r["d"] for r in select("SELECT ?d WHERE { ?i sec:createdBy ?d }", i=_uri(inst[0]))]
    assert creators == [instrument_by_name(select, "Decree No. 21-2016")]
    services = select("SELECT ?s WHERE { ?s a sec:CareService ; sec:operatedBy ?i ; sec:managementType ?m }", i=_uri(inst[0]))
    assert len(services) == 1


def test_edusvet_training(report_text, select):
    assert "the Secretariat against Sexual Violence, Exploitation and Trafficking in Persons promotes the EDUSVET Training Programme" in report_text
    progs = find_by_name(select, "EDUSVET Training Programme", "sec:TrainingProgramme")
    assert len(progs) == 1
    by = [r["b"] for r in select("SELECT ?b WHERE { ?p sec:promotedBy ?b }", p=_uri(progs[0]))]
    assert len(by) == 1 and "svet" in names_of(select, by[0])


# --------------------------------------------------------------------------- section 6


def test_youth_network_and_challenges(report_lines, select):
    block = gt_block(report_lines, "In **GUATEMALA**, a **Youth Network", "GUYANA emphasizes")
    name = re.search(r"a \*\*(Youth Network[^*]+)\*\*", block[0]).group(1)
    assert len(find_by_name(select, name, "sec:ParticipationMechanism")) == 1
    challenges = [line for line in block if line.startswith("- lack of")]
    assert len(challenges) == 4
    rows = select(
        """SELECT ?f WHERE { ?f a sec:Finding ; sec:concernsState state:GT ;
             sec:findingType <https://w3id.org/sec-kg/id/concept/finding-type/challenge> ;
             sec:category <https://w3id.org/sec-kg/id/concept/category/participation> ; sec:reportSection "6" }"""
    )
    assert len(rows) == len(challenges)
