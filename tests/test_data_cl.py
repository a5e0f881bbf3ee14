"""Chile (CL): the graph says what the report prints, sections 1, 2.1-2.3, 3, 4.1.2, 4.2, 5 and 6.

Every test first reads a fact from the report text (a summary-table row, a paragraph, a
heading or a list item of Chile's part of a section) and then looks for it in the graph,
so a fact that is missing from the Turtle or misspelt there makes the test fail.
"""

from __future__ import annotations

import re
from functools import partial

import pytest
from rdflib import URIRef

from conftest import normalise
import printed
from printed import FOOTNOTE_DIGITS, block, names_of, table_rows, values

CL = "https://w3id.org/sec-kg/id/state/CL"
DATASET = "https://w3id.org/sec-kg/id/dataset/cl-headline-figures"
CONCEPT = "https://w3id.org/sec-kg/id/concept/"


# --------------------------------------------------------------------------- helpers

#: Lookups by name default to this State's resources.
find_by_name = partial(printed.find_by_name, state=CL)
one_by_name = partial(printed.one_by_name, state=CL)


def strip_footnotes(text: str) -> str:
    return re.sub(f"[{FOOTNOTE_DIGITS}]+", "", text)




def prose(lines: list[str]) -> str:
    """Join the lines of a block, leaving out interleaved footnotes."""
    return " ".join(line for line in lines if line.strip() and line.lstrip()[0] not in FOOTNOTE_DIGITS)


def member_names(select, body: str) -> dict[str, str]:
    """Normalised names of every member of `body` -> that membership's role IRI."""
    rows = select(
        "SELECT ?m ?role WHERE { ?ms org:organization ?b ; org:member ?m ; org:role ?role }", b=URIRef(body)
    )
    out = {}
    for r in rows:
        for name in names_of(select, r["m"]):
            out[name] = r["role"]
    return out


def split_composition(cell: str, known: set[str]) -> list[str]:
    """Split a composition cell into printed member names.

    The cell separates names with semicolons; twice it joins two names with " and " or ", "
    instead ("Ministry of Justice and Human Rights and Ombudsman for Children", "NGO
    Corporation Raíces, Humanas Corporation"). A piece that is not itself a known name is
    split at those joints, choosing the split whose every part is a known name.
    """
    text = re.sub(r"\s+", " ", cell).strip().rstrip(".")
    names = []
    for piece in (p.strip() for p in text.split(";")):
        if not piece:
            continue
        if normalise(piece) in known:
            names.append(piece)
            continue
        for joint in (" and ", ", "):
            positions = [m.start() for m in re.finditer(re.escape(joint), piece)]
            split = [
                (piece[:i], piece[i + len(joint) :])
                for i in positions
                if normalise(piece[:i]) in known and normalise(piece[i + len(joint) :]) in known
            ]
            if split:
                names.extend(split[0])
                break
        else:
            names.append(piece)  # unknown: the assertion on it will fail and show it
    return names


# --------------------------------------------------------------------------- section 1


@pytest.fixture(scope="module")
def diagnosis_text(report_lines) -> str:
    return prose(block(report_lines, r"^In \*\*CHILE\*\* there are several data sources", r"^In \*\*COLOMBIA\*\*", 113, 280))


def test_information_systems_named_in_section_1(select, diagnosis_text):
    first_paragraph = diagnosis_text.split("However, there is no uniform")[0]
    printed = re.findall(r"\*([^*]+)\*", first_paragraph.replace("**CHILE**", ""))
    assert printed == ["Statistical System", "Integrated electronic Information, Follow-Up and Monitoring System", "DSD System"]
    for name in printed:
        system = one_by_name(select, name, "sec:InformationSystem")
        assert values(select, system, "sec:operatedBy"), f"{name} has no operating institution"
    acronym = re.search(r"\((SIS) for its acronym", first_paragraph).group(1)
    assert normalise(acronym) in names_of(select, one_by_name(select, printed[1], "sec:InformationSystem"))
    # each system's institution is the one printed after "of the"
    for name, owner in re.findall(r"\*([^*]+)\* of the ([A-Z][^:]+):", first_paragraph):
        system = one_by_name(select, name, "sec:InformationSystem")
        owners = set().union(*(names_of(select, o) for o in values(select, system, "sec:operatedBy")))
        assert normalise(owner) in owners, (name, owner)


def observations(select) -> list[dict]:
    rows = select(
        """SELECT ?o ?period ?subject ?sex ?age ?mt ?count ?pct ?rate WHERE {
               ?o qb:dataSet ?ds ; sec:refPeriod ?period ; sec:subject ?subject ; sec:sex ?sex ;
                  sec:ageRange ?age ; qb:measureType ?mt .
               OPTIONAL { ?o sec:count ?count } OPTIONAL { ?o sec:percentage ?pct } OPTIONAL { ?o sec:rate ?rate } }""",
        ds=URIRef(DATASET),
    )
    keys = ("o", "period", "subject", "sex", "age", "mt", "count", "pct", "rate")
    return [{k: r.get(k) for k in keys} for r in rows]


def test_every_printed_percentage_is_an_observation(select, diagnosis_text):
    printed = sorted(float(p) for p in re.findall(r"(\d+(?:\.\d+)?)%", diagnosis_text))
    assert len(printed) == 13
    recorded = sorted(float(r["pct"]) for r in observations(select) if r["pct"] is not None)
    assert recorded == printed


def test_printed_counts_and_rate(select, diagnosis_text):
    def number(pattern: str) -> int:
        return int(re.search(pattern, diagnosis_text).group(1).replace(",", ""))

    obs = observations(select)
    counts = {(r["period"], r["subject"].rsplit("/", 1)[-1], int(r["count"])) for r in obs if r["count"] is not None}
    assert ("2022-2023", "victims", number(r"A total of ([\d,]+) victims were counted")) in counts
    assert ("2022-2023", "complaints", number(r"\*\*([\d,]+) complaints were recorded")) in counts
    assert ("2022", "complaints", number(r"\(([\d,]+) in 2022 and")) in counts
    assert ("2023", "complaints", number(r"and ([\d,]+) in 2023\)")) in counts
    assert ("2022-2023", "complaints", number(r"of which ([\d,]+) involved crimes")) in counts
    assert ("2023", "complaints", number(r"reaching a total of ([\d,]+) complaints")) in counts
    assert ("2023", "victims", number(r"involving a total of ([\d,]+) children")) in counts
    rate = re.search(r"rate of (\d+) cases per 100,000 people between the ages of (\d+) and (\d+)", diagnosis_text)
    rates = [r for r in obs if r["rate"] is not None]
    assert len(rates) == 1
    assert float(rates[0]["rate"]) == float(rate.group(1))
    assert rates[0]["age"] == f"{CONCEPT}age/{rate.group(2)}-{rate.group(3)}"


def test_shares_by_sex_and_age(select, diagnosis_text):
    obs = observations(select)
    by_value = {}
    for r in obs:
        if r["pct"] is not None:
            by_value.setdefault(float(r["pct"]), []).append(r)
    women = re.search(r"(\d+)% of victims are women, with the age range most affected being (\d+) to (\d+) years \((\d+)%\)", diagnosis_text)
    assert any(r["sex"].endswith("/female") for r in by_value[float(women.group(1))])
    assert any(r["age"] == f"{CONCEPT}age/{women.group(2)}-{women.group(3)}" for r in by_value[float(women.group(4))])
    digital = re.search(r"the age range most affected \((\d+)%\) is between (\d+) and (\d+) years", diagnosis_text)
    assert any(r["age"] == f"{CONCEPT}age/{digital.group(2)}-{digital.group(3)}" for r in by_value[float(digital.group(1))])
    male = re.search(r"(\d+)% are male", diagnosis_text)
    assert any(r["sex"].endswith("/male") and r["subject"].endswith("/prosecuted-persons") for r in by_value[float(male.group(1))])


def test_dataset_structure_and_provenance(select):
    rows = select("SELECT ?dsd ?src ?sec WHERE { ?d qb:structure ?dsd ; prov:wasDerivedFrom ?src ; sec:reportSection ?sec }", d=URIRef(DATASET))
    assert rows and rows[0]["dsd"].endswith("/dsd/headline-figures")
    assert {r["src"] for r in rows} == {"https://w3id.org/sec-kg/id/source/cl-alternative-report-2024"}


# --------------------------------------------------------------------------- section 2.1


@pytest.fixture(scope="module")
def coordination_rows(report_lines):
    rows = table_rows(report_lines, "STATE\tCOORDINATION AREA", "CHILE")
    assert len(rows) == 2
    return rows


def test_bodies_of_the_summary_table(select, coordination_rows):
    for row in coordination_rows:
        body = one_by_name(select, row[1], "sec:CoordinationBody")
        assert values(select, body, "sec:focus")


def test_composition_cells(select, coordination_rows, report_text):
    for row in coordination_rows:
        body = one_by_name(select, row[1], "sec:CoordinationBody")
        members = member_names(select, body)
        printed = split_composition(row[2], set(members))
        for name in printed:
            assert normalise(name) in members, f"{name!r} is not a member of {row[1]}"
        # every membership comes from the cell: as many memberships as printed names
        n = select("SELECT (COUNT(?ms) AS ?n) WHERE { ?ms org:organization ?b }", b=URIRef(body))[0]["n"]
        assert int(n) == len(printed)
        # the cells print no role words; the only role the report gives is in the prose
        m = re.search(r"The Executive Secretariat of the panel answers to the ([A-Z][\w ]+?)\.", report_text)
        for name in printed:
            expected = "member"
            if m and normalise(name) == normalise(m.group(1)) and "Trafficking" in row[1]:
                expected = "executive-secretariat"
            assert members[normalise(name)] == f"{CONCEPT}role/{expected}", name


def test_intersectoral_panel_members_are_institutions_with_sector(select, coordination_rows):
    body = one_by_name(select, coordination_rows[1][1], "sec:CoordinationBody")
    rows = select("SELECT ?m ?sector WHERE { ?ms org:organization ?b ; org:member ?m . ?m a sec:Institution ; sec:sector ?sector }", b=URIRef(body))
    assert len({r["m"] for r in rows}) == 24
    # the two UN agencies are the shared international resources
    assert {"https://w3id.org/sec-kg/id/institution/int/iom", "https://w3id.org/sec-kg/id/institution/int/unhcr"} <= {r["m"] for r in rows}


def test_regulations_cells(select, coordination_rows):
    for row in coordination_rows:
        body = one_by_name(select, row[1], "sec:CoordinationBody")
        cell = row[3].strip()
        created = values(select, body, "sec:createdBy")
        if cell in ("-", "No data"):
            assert not created
            continue
        creation = re.search(r"^(.*?) \(creation\)", cell).group(1)
        update = re.search(r"\(creation\)\s*(.*?) \(updating", cell).group(1)
        assert len(created) == 1
        instrument = created.pop()
        assert normalise(creation) in names_of(select, instrument)
        year = re.search(r"of (\d{4})", creation).group(1)
        assert values(select, instrument, "sec:year") == {year}
        assert values(select, body, "sec:year") == {year}
        regulated = values(select, body, "sec:regulatedBy")
        assert any(normalise(update) in names_of(select, r) for r in regulated)


def test_prose_bodies_and_members(select, report_lines):
    text = prose(block(report_lines, r"^CHILE has recently developed", r"^In \*\*COLOMBIA\*\*", 285, 340))
    system = re.search(r"developed a \*([^*]+)\*, under the guidance and supervision of the ([\w ]+?) of the", text)
    body = one_by_name(select, system.group(1), "sec:CoordinationBody")
    leads = values(select, body, "sec:ledBy")
    assert any(normalise(system.group(2)) in names_of(select, i) for i in leads)
    panel = re.search(r"\*\*Interagency Coordination Panel\*\*, which includes the (.+?), in order to", text).group(1)
    members = member_names(select, one_by_name(select, "Interagency Coordination Panel", "sec:CoordinationBody"))
    for name in re.split(r", (?:and )?the |, the | and the ", panel):
        assert normalise(re.sub(r"^the ", "", name)) in members, name


# --------------------------------------------------------------------------- section 2.2


def test_policies_table(select, report_lines):
    rows = table_rows(report_lines, "STATE\tPOLICIES/ PLANS", "CHILE")
    assert len(rows) == 2
    for row in rows:
        policy = one_by_name(select, row[1], "sec:Policy")
        assert values(select, policy, "sec:adoptionDate") == {row[2]}
        assert values(select, policy, "sec:validityAsPrinted") == {row[3]}
        start, end = re.findall(r"\d{4}", row[3])
        got = select(
            "SELECT ?b ?e WHERE { ?p sec:validity [ time:hasBeginning/time:inXSDgYear ?b ; time:hasEnd/time:inXSDgYear ?e ] }",
            p=URIRef(policy),
        )
        assert got == [{"b": start, "e": end}]


def test_policies_in_prose(select, report_lines):
    text = prose(block(report_lines, r"^In \*\*CHILE\*\*, the \*\*National Policy", r"^In \*\*COLOMBIA\*\*", 400, 420))
    national = re.search(r"\*\*(National Policy on Children and Adolescents 2024-2032)\*\*", text).group(1)
    plan = re.search(r"\*(2018-2025 Action Plan for Children and Adolescents)\*", text).group(1)
    one_by_name(select, national, "sec:Policy")
    one_by_name(select, plan, "sec:Policy")
    frameworks = re.search(r"\*(Action Frameworks against the commercial sexual exploitation of children and adolescents)\*", text).group(1)
    policy = one_by_name(select, frameworks, "sec:Policy")
    lead = re.search(r"three frameworks have been implemented, led by the ([\w ]+?), and", text).group(1)
    assert any(normalise(lead) in names_of(select, i) for i in values(select, policy, "sec:ledBy"))
    # the Fourth Framework: coordinating ministry and the members of its Executive Secretariat
    fourth = one_by_name(select, "Fourth Framework for Action against Sexual Exploitation", "sec:Policy")
    m = re.search(r"The ([\w ]+?) is responsible for coordinating the Fourth Framework, together with an Executive Secretariat, also composed of (.+?)\.", text)
    assert any(normalise(m.group(1)) in names_of(select, i) for i in values(select, fourth, "sec:ledBy"))
    secretariats = values(select, fourth, "sec:followedUpBy")
    assert len(secretariats) == 1
    members = member_names(select, secretariats.pop())
    for name in re.split(r", the | and the ", m.group(2)):
        assert normalise(name) in members, name


# --------------------------------------------------------------------------- section 2.3


def test_protocols(select, report_lines):
    text = prose(block(report_lines, r"^CHILE has an \*\*Interagency Investigative", r"^In \*\*COLOMBIA\*\*", 493, 536))
    names = re.findall(r"\*\*(.+?)\*\*", strip_footnotes(text))
    assert len(names) == 2
    first = one_by_name(select, names[0], "sec:InteragencyProtocol")
    assert values(select, first, "sec:year") == {re.search(r"(\d{4})$", names[0]).group(1)}
    designers = re.search(r"designed jointly by the (.+?) as a technical observer", text).group(1)
    participants = set().union(*(names_of(select, p) for p in values(select, first, "sec:participant")))
    for name in re.split(r", the |, | and the ", designers):
        assert normalise(re.sub(r"^the ", "", name)) in participants, name
    second = one_by_name(select, names[1], "sec:InteragencyProtocol")
    note = next(line for line in report_lines if line.startswith("⁷⁷ "))
    assert values(select, second, "sec:year") == {re.search(r"\. (\d{4})\. ", note).group(1)}


# --------------------------------------------------------------------------- section 4.1.2


@pytest.fixture(scope="module")
def legislation(report_lines) -> list[str]:
    start = next(i for i, line in enumerate(report_lines) if line.startswith("4.1.2. National Legislation"))
    lines = report_lines[start:]
    first = next(i for i, line in enumerate(lines) if line.strip() == "CHILE")
    last = next(i for i, line in enumerate(lines) if line.startswith("COLOMBIA"))
    return lines[first:last]


def test_acts_listed(select, legislation):
    headings = [
        re.match(r"^(Act (\d+) [-–] .+?) \((\d{4})\)", strip_footnotes(line))
        for line in legislation
        if line.startswith("Act ")
    ]
    assert len(headings) == 5
    for m in headings:
        act = one_by_name(select, m.group(1), "sec:Act")
        assert values(select, act, "eli:number") == {m.group(2)}
        assert values(select, act, "sec:year") == {m.group(3)}


def test_articles_named(select, legislation):
    text = " ".join(legislation)
    code_text, rest = text.split("Act 19696", 1)
    suffix = r"(?: (?:bis|ter|quater|quinquies))?"
    code_articles = set(re.findall(rf"\b(?:[Aa]rts?\.|article) (\d+{suffix})", code_text.split("Criminal Code", 1)[1]))
    code_articles |= set(re.findall(rf"\b(\d+{suffix}) \(\.\.\.\)", code_text))
    code_articles |= set(re.findall(r"and (\d+ bis) \(\.\.\.\)", code_text))
    code = one_by_name(select, "Criminal Code", "sec:Code")
    recorded = {r["n"] for r in select("SELECT ?n WHERE { ?p eli:is_part_of ?c ; sec:articleNumber ?n }", c=URIRef(code))}
    assert {"367", "367 ter", "368", "368 bis", "367 quinquies", "368 ter", "369", "411 quater", "94 bis"} <= code_articles
    assert code_articles <= recorded
    ccp_articles = set(re.findall(rf"\(article (\d+{suffix})\)", rest.split("Act 21523", 1)[0]))
    assert ccp_articles == {"109", "109 bis", "109 ter", "191 ter"}
    ccp = one_by_name(select, "Code of Criminal Procedure", "sec:Code")
    recorded = {r["n"] for r in select("SELECT ?n WHERE { ?p eli:is_part_of ?c ; sec:articleNumber ?n }", c=URIRef(ccp))}
    assert ccp_articles <= recorded
    guarantees = one_by_name(select, "Guarantees Act", "sec:Act")
    recorded = {r["n"] for r in select("SELECT ?n WHERE { ?p eli:is_part_of ?c ; sec:articleNumber ?n }", c=URIRef(guarantees))}
    assert set(re.findall(r"\(Art\. (\d+)\)", text.split("Criminal Code", 1)[0])) == recorded == {"37", "150"}


def test_offences_with_articles(select, legislation):
    text = " ".join(legislation)
    items = re.findall(r"[ab]\) \"?(.+?) \(art\. (\d+(?: ter)?)\)", text)
    assert len(items) == 2
    trafficking = re.search(r"Criminalizes the offence of (trafficking in persons) \(Art\. (\d+ quater)\)", text)
    items.append(trafficking.groups())
    for name, article in items:
        offence = one_by_name(select, name, "sec:Offence")
        numbers = {
            r["n"] for r in select("SELECT ?n WHERE { ?o sec:definedIn/sec:articleNumber ?n }", o=URIRef(offence))
        }
        assert numbers == {article}, name


def test_offences_named_in_section_1(select, report_lines):
    text = prose(block(report_lines, r"^In \*\*CHILE\*\* there are several data sources", r"^In \*\*COLOMBIA\*\*", 113, 280))
    in_person = re.search(r"the prevailing offence is the \*\*(.+?)\*\*", text).group(1)
    virtual = re.search(r"in the virtual modality it is the \*\*(.+?)\*\*", text).group(1)
    categories = re.search(r"including the categories of (.+?) and (obtaining .+?) - articles (\d+) and (\d+ ter)", text)
    for name, article in [(in_person, categories.group(3)), (categories.group(1), categories.group(3)), (categories.group(2), categories.group(4))]:
        offence = one_by_name(select, name, "sec:Offence")
        assert {r["n"] for r in select("SELECT ?n WHERE { ?o sec:definedIn/sec:articleNumber ?n }", o=URIRef(offence))} == {article}
    offence = one_by_name(select, virtual, "sec:Offence")
    assert values(select, offence, "sec:modality") == {f"{CONCEPT}modality/pornography"}


def test_amendments(select, report_lines, legislation):
    code = one_by_name(select, "Criminal Code", "sec:Code")
    ccp = one_by_name(select, "Code of Criminal Procedure", "sec:Code")

    def amended(number: str) -> set[str]:
        acts = [r["a"] for r in select("SELECT ?a WHERE { ?a eli:number ?n ; sec:state state:CL }") if True]
        act = [a for a in acts if number in values(select, a, "eli:number")]
        assert len(act) == 1, number
        return values(select, act[0], "eli:amends")

    note_125 = next(line for line in report_lines if line.startswith("¹²⁵ "))
    number = re.search(r"Act No\. (\d+), which introduces a new paragraph in title VII of Book II of the Criminal Code", note_125).group(1)
    assert code in amended(number)
    note_129 = next(line for line in report_lines if line.startswith("¹²⁹ "))
    number = re.search(r"Added by Act No\. ([\d,]+) - Declares sexual crimes committed against minors not subject to statutes of limitations", note_129).group(1)
    assert code in amended(number)
    text = " ".join(legislation)
    for act_number, pattern in [("21523", r"Introduces reforms to the Criminal Code and the Code of Criminal Procedure"),
                                ("20507", r"Introduces amendments to the Criminal Code and Code of Criminal Procedure")]:
        assert re.search(pattern, text)
        assert {code, ccp} <= amended(act_number)


def test_no_statute_of_limitations(select, legislation):
    text = " ".join(legislation)
    article = re.search(r"non-applicability of the statute of limitations to sexual crimes committed against children and adolescents \(Art\. (\d+ bis)\)", text).group(1)
    rows = select("SELECT ?p ?v WHERE { ?p sec:articleNumber ?n ; sec:state state:CL ; sec:noStatuteOfLimitations ?v }")
    assert [r["v"] for r in rows if article in values(select, r["p"], "sec:articleNumber")] == ["true"]


def test_victims_rights_of_act_21523(select, legislation):
    text = " ".join(legislation)
    quoted = re.search(r"including: “(a\) .+?)”", text).group(1)
    items = [re.sub(r"(?:;| and|;? and)$", "", i.strip().rstrip(";,")).strip() for i in re.split(r"\b[a-h]\) ", quoted) if i.strip()]
    items = [re.sub(r"\s+and$", "", i).rstrip(";,") for i in items]
    assert len(items) == 8
    act = one_by_name(select, re.search(r"(Act 21523 – .+?) \(2022\)", text).group(1), "sec:Act")
    rights = set().union(*(names_of(select, r) for r in values(select, act, "sec:grantsRight")))
    for item in items:
        assert normalise(item) in rights, item


# --------------------------------------------------------------------------- section 4.2


@pytest.fixture(scope="module")
def justice_text(report_lines) -> str:
    return prose(block(report_lines, r"^CHILE has carried out regulatory", r"^In \*\*COLOMBIA\*\*", 1125, 1200))


def test_access_to_justice_mechanisms(select, justice_text):
    units = re.search(r"the Prosecutor's Office has \*(.+?)\*", justice_text).group(1)
    mech = one_by_name(select, units, "sec:AccessToJusticeMechanism")
    operators = set().union(*(names_of(select, i) for i in values(select, mech, "sec:operatedBy")))
    assert normalise("Prosecutor's Office") in operators
    channels = re.search(r"there are (free telephone lines and websites to report SEC and trafficking)", justice_text).group(1)
    assert values(select, one_by_name(select, channels, "sec:AccessToJusticeMechanism"), "sec:measureType") == {f"{CONCEPT}measure-type/reporting-channel"}
    assert "(such as videotaped interviews)" in justice_text
    interviews = one_by_name(select, "videotaped interviews", "sec:AccessToJusticeMechanism")
    acts = re.search(r"\((Act No\. [\d,]+ of \d{4}) and (Act No\. [\d,]+ of \d{4})\)", justice_text).groups()
    basis = set().union(*(names_of(select, i) for i in values(select, interviews, "sec:legalBasis")))
    assert normalise(acts[0]) in basis
    protocol = re.search(r"\*(Interagency Investigative Protocol on Commercial Sexual Exploitation of Children) \((\d{4})\)\*", justice_text)
    p = one_by_name(select, protocol.group(1), "sec:InteragencyProtocol")
    assert values(select, p, "sec:year") == {protocol.group(2)}
    assert "4.2" in values(select, p, "sec:reportSection")


# --------------------------------------------------------------------------- section 3


def test_prevention_measures(select, report_lines):
    lines = block(report_lines, r"^In \*\*CHILE\*\*, prevention is designed", r"^In \*\*COLOMBIA\*\*", 565, 744)
    items = [line for line in lines if line.startswith("- *")]
    assert len(items) == 3
    for item in items:
        name = re.match(r"- \*(.+?)\*", item).group(1)
        measure = one_by_name(select, name, "sec:PreventionMeasure")
        assert values(select, measure, "sec:measureType") == {f"{CONCEPT}measure-type/awareness-day"}
        promoters = set().union(*(names_of(select, i) for i in values(select, measure, "sec:promotedBy")))
        authorities = re.search(r"Authorities in charge: (.+?)\.", item.replace("*", "")).group(1)
        for name in re.split(r", | and ", re.sub(r"\s*\(DISEHU, in Spanish\)|\s+from [A-Z][\w ]+$", "", authorities)):
            assert normalise(name) in promoters or any(normalise(name) in p for p in promoters), name
        if "Impact assessment: no information" in item:
            assert values(select, measure, "sec:impactAssessmentReported") == {"false"}
    text = prose(lines)
    code = re.search(r"\*(Code of Conduct for the prevention of commercial sexual exploitation of children and adolescents in the context of travel and tourism) \((SECTT)\)\*", text)
    measure = one_by_name(select, code.group(1), "sec:PreventionMeasure")
    resolution = re.search(r"through (Exempt Resolution No\. (\d+) of (\d+) June (\d{4}))", text)
    basis = values(select, measure, "sec:legalBasis")
    assert len(basis) == 1
    b = basis.pop()
    assert normalise(resolution.group(1)) in names_of(select, b)
    assert values(select, b, "eli:date_document") == {f"{resolution.group(4)}-06-{int(resolution.group(3)):02d}"}


# --------------------------------------------------------------------------- section 5


def test_care_service(select, report_lines):
    text = prose(block(report_lines, r"^In \*\*CHILE\*\*, the Specialized Protection Service", r"^In \*\*COLOMBIA\*\*", 1205, 1296))
    m = re.search(r"\*\*([^*]+?) \((PEE), in Spanish\)\*\*", text)
    service = one_by_name(select, m.group(1), "sec:CareService")
    assert normalise(m.group(2)) in names_of(select, service)
    assert "the provision of the service is, therefore, mixed" in text
    assert values(select, service, "sec:managementType") == {f"{CONCEPT}management/mixed"}
    assert "outpatient care" in text
    assert values(select, service, "sec:measureType") == {f"{CONCEPT}measure-type/outpatient-care"}
    operators = set().union(*(names_of(select, i) for i in values(select, service, "sec:operatedBy")))
    assert normalise(re.search(r"executed by (Accredited Collaborating Bodies) \((OCAs)\)", text).group(2)) in operators


def test_training_programmes(select, report_lines):
    text = prose(block(report_lines, r"^In \*\*CHILE\*\*, the Specialized Protection Service promoted", r"^In \*\*COLOMBIA\*\*", 1297, 1336))
    academia = re.search(r"an \*(Academia)\* initiative, “(connecting knowledge)”", text)
    programme = one_by_name(select, academia.group(1), "sec:TrainingProgramme")
    assert normalise(academia.group(2)) in names_of(select, programme)
    guarantors = re.search(r"“\*(GUARANTORS: .+?)\*”", text).group(1)
    one_by_name(select, guarantors, "sec:TrainingProgramme")
    plan = re.search(r"the (Ministry of Tourism) is developing an (annual training plan .+?) for tourism", text)
    p = one_by_name(select, plan.group(2), "sec:TrainingProgramme")
    promoters = set().union(*(names_of(select, i) for i in values(select, p, "sec:promotedBy")))
    assert normalise(plan.group(1)) in promoters


# --------------------------------------------------------------------------- section 6


def test_participation(select, report_lines):
    lines = block(report_lines, r"^In \*\*CHILE\*\*, there are \*\*Youth Advisory Councils", r"^COLOMBIA", 1337, 1420)
    text = prose(lines)
    m = re.search(r"\*\*(Youth Advisory Councils)\*\* at (community), (regional) and (national) levels", text)
    councils = one_by_name(select, m.group(1), "sec:ParticipationMechanism")
    level = {"community": "local", "regional": "regional", "national": "national"}
    assert values(select, councils, "sec:participationLevel") == {f"{CONCEPT}level/{level[g]}" for g in m.groups()[1:]}
    activity = re.search(r"it promoted a (training and consultation activity with adolescents) from different educational establishments in the (O’Higgins region)", text)
    mech = one_by_name(select, activity.group(1), "sec:ParticipationMechanism")
    assert values(select, mech, "sec:locationAsPrinted") == {activity.group(2)}
    challenges = [line for line in lines[lines.index(next(l for l in lines if "highlights the need to" in l)):] if line.startswith("- ")]
    assert len(challenges) == 4
    rows = select(
        """SELECT ?f WHERE { ?f a sec:Finding ; sec:concernsState state:CL ; sec:findingType ?t ; sec:category ?c ; sec:reportSection "6" .
           FILTER (?t = <https://w3id.org/sec-kg/id/concept/finding-type/challenge> && ?c = <https://w3id.org/sec-kg/id/concept/category/participation>) }"""
    )
    assert len(rows) == len(challenges)
    note = re.search(r"thematic note \(‘(.+?)’\)", text).group(1)
    one_by_name(select, note, "sec:Study", state=None)


# --------------------------------------------------------------------------- provenance


def test_every_chile_resource_has_provenance(select):
    rows = select(
        """SELECT ?s WHERE { ?s sec:state state:CL . FILTER NOT EXISTS { ?s sec:reportSection ?x ; prov:wasDerivedFrom ?y } }"""
    )
    assert rows == []
    rows = select(
        """SELECT ?ms WHERE { ?ms org:organization ?b . ?b sec:state state:CL .
           FILTER NOT EXISTS { ?ms sec:reportSection ?x ; prov:wasDerivedFrom ?y } }"""
    )
    assert rows == []
