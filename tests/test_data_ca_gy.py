"""Canada (CA) and Guyana (GY), report sections 1 to 6: the graph against the report text.

Every test reads the fact from the report (tables parsed from ``report_lines``, names
searched in ``report_text``) and then asserts that the graph holds it.
"""

from __future__ import annotations

import re

import pytest
from rdflib import Literal, URIRef

from conftest import normalise

ID = "https://w3id.org/sec-kg/id/"
STATE_NAMES = {"CA": "CANADA", "GY": "GUYANA"}
ALL_STATES = ("CANADA", "CHILE", "COLOMBIA", "ECUADOR", "GUATEMALA", "GUYANA", "MEXICO", "PERU")


# --------------------------------------------------------------------------- helpers

def heading_index(lines, heading):
    for i, line in enumerate(lines):
        if line.strip() == heading:
            return i
    raise AssertionError(f"heading {heading!r} not in the report")


def section(lines, start_heading, end_heading):
    return lines[heading_index(lines, start_heading):heading_index(lines, end_heading)]


def state_block(lines, state):
    """The prose of one State inside a section: from its capitalised name to the next State's."""
    out, inside = [], False
    for line in lines:
        starts = [s for s in ALL_STATES if re.match(rf"^(In |Since \d{{4}}, )?\**{s}\b", line.strip())]
        if starts:
            inside = starts[0] == state
        if inside:
            out.append(line)
    return "\n".join(out)


def table_rows(lines, header_start, state):
    """Rows of a tab-separated summary table that belong to ``state`` (continuation rows start with a tab)."""
    start = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    rows, current = [], None
    for line in lines[start + 1:]:
        if not line.strip():
            continue
        if "\t" not in line:
            if line.startswith("\u2070") or line[0] in "\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079":
                continue  # footnote interleaved in the table
            break
        cells = line.split("\t")
        if cells[0].strip():
            current = cells[0].strip()
        if current == state:
            rows.append([re.sub(r"</?p>", " ", c).strip() for c in cells[1:]])
    return rows


def labels_of(select, iri):
    rows = select("SELECT ?l WHERE { ?s rdfs:label|skos:altLabel ?l }", s=_uri(iri))
    return {normalise(r["l"]) for r in rows}


def _uri(iri):
    return URIRef(iri)


# --------------------------------------------------------------------------- section 1

@pytest.fixture(scope="module")
def diagnosis(report_lines):
    return section(report_lines, "1. DIAGNOSIS", "2.1. Interagency Coordination Areas")


def test_ca_information_systems_printed_and_operated_by_statistics_canada(select, diagnosis):
    text = normalise(state_block(diagnosis, "CANADA"))
    rows = select("""SELECT ?sys ?label ?alt ?op WHERE {
        ?sys a sec:InformationSystem ; sec:state state:CA ; rdfs:label ?label ; sec:operatedBy ?op .
        OPTIONAL { ?sys skos:altLabel ?alt } }""")
    labels = {r["label"] for r in rows}
    for acronym in ("UCR", "ICCS", "GSS", "SSPPS"):
        assert f"({acronym.lower()})" in text
        assert any(f"({acronym})" in label for label in labels), acronym
        assert any(r["alt"] == acronym for r in rows), acronym
    for label in labels:
        assert normalise(label) in text
    assert {r["op"] for r in rows} == {ID + "institution/CA/statistics-canada"}
    assert "statistics canada" in text


def headline(select, cc):
    return select("""SELECT ?o ?period ?mt ?value ?age ?subject WHERE {
        ?o qb:dataSet ?ds ; sec:refState ?st ; sec:refPeriod ?period ; qb:measureType ?mt ;
           sec:ageRange ?age ; sec:subject ?subject ; ?mt ?value .
        ?ds qb:structure <https://w3id.org/sec-kg/id/dsd/headline-figures> . }""",
                  st=_uri(ID + "state/" + cc), ds=_uri(ID + f"dataset/{cc.lower()}-headline-figures"))


def printed_forms(value, measure):
    number = float(value)
    whole = int(number) if number == int(number) else None
    forms = set()
    if whole is not None:
        forms |= {f"{whole:,}", str(whole)}
    else:
        forms.add(str(number))
    if measure.endswith("percentage"):
        return {f + "%" for f in forms}
    return forms


@pytest.mark.parametrize("cc", ["CA", "GY"])
def test_headline_figures_are_printed_in_the_states_section_1(select, diagnosis, cc):
    text = state_block(diagnosis, STATE_NAMES[cc])
    rows = headline(select, cc)
    assert rows, f"no headline figures for {cc}"
    for r in rows:
        assert any(form in text for form in printed_forms(r["value"], r["mt"])), r
        assert r["period"].split()[-1] in text


def test_ca_headline_figures_match_the_prose(select, diagnosis):
    text = state_block(diagnosis, "CANADA")
    rate = re.search(r"In (\d{4}), the rate of online child sexual exploitation reached (\d+) events per 100,000", text)
    share = re.search(r"(\d+)% of online sex crime victims were between the ages of (\d+) and (\d+)", text)
    assert rate and share
    rows = headline(select, "CA")
    assert any(r["mt"].endswith("rate") and float(r["value"]) == float(rate[2]) and r["period"] == rate[1] for r in rows)
    assert any(r["mt"].endswith("percentage") and float(r["value"]) == float(share[1])
               and r["age"] == ID + f"concept/age/{share[2]}-{share[3]}" for r in rows)


def test_gy_case_count_and_reported_absence_of_modalities(select, diagnosis):
    text = state_block(diagnosis, "GUYANA")
    m = re.search(r"In the period (\d{4}-\d{4}), ([\d,]+) cases were recorded", text)
    assert m
    rows = headline(select, "GY")
    assert any(r["period"] == m[1] and int(r["value"]) == int(m[2].replace(",", "")) for r in rows)
    assert "there have been no reports of cases of paid sex" in text
    found = select("""SELECT ?f WHERE { ?f a sec:Finding ; sec:concernsState state:GY ;
        sec:findingType <https://w3id.org/sec-kg/id/concept/finding-type/reported-absence> ;
        sec:about <https://w3id.org/sec-kg/id/concept/modality/paid-sex> ; sec:reportSection "1" }""")
    assert found
    modal = select("SELECT ?m WHERE { state:GY sec:reportsModality ?m }")
    assert not modal, "Guyana reports no case of any modality"


def test_ca_reports_pornography_as_prevailing(select, diagnosis):
    text = state_block(diagnosis, "CANADA")
    assert "exploitation through pornography" in text and "the most common type" in text
    rows = select("SELECT ?m WHERE { state:CA sec:reportsModality ?m }")
    assert {r["m"] for r in rows} == {ID + "concept/modality/pornography"}


def test_ca_studies_are_printed(select, diagnosis):
    text = normalise(state_block(diagnosis, "CANADA").replace("\\(", "(").replace("\\)", ")"))
    rows = select("SELECT ?l WHERE { ?s a sec:Study ; sec:concernsState state:CA ; rdfs:label ?l ; sec:reportSection \"1\" }")
    assert len(rows) >= 6
    for r in rows:
        assert normalise(r["l"]) in text, r["l"]


# --------------------------------------------------------------------------- section 2.1

@pytest.fixture(scope="module")
def coordination(report_lines):
    return section(report_lines, "2.1. Interagency Coordination Areas", "2.2. Interagency public policies to address SEC")


def split_composition(cell):
    cell = re.sub(r"\s+", " ", cell).strip().rstrip(".")
    return [part.strip() for part in re.split(r";|\.\s", cell) if part.strip()]


ROLE_WORDS = {
    "as chair": "chair",
    "technical secretariat": "technical-secretariat",
    "permanent guest": "permanent-guest",
    "with voice, but without vote": "voice-without-vote",
}


def test_ca_summary_table_bodies_members_and_regulations(select, coordination):
    rows = table_rows(coordination, "STATE\tCOORDINATION AREA", "CANADA")
    assert len(rows) == 3
    for name, composition, regulations in rows:
        bodies = select("""SELECT ?b WHERE { ?b a sec:CoordinationBody ; sec:state state:CA ; rdfs:label ?l .
            FILTER (STR(?l) = ?name) }""", name=Literal(name))
        assert len(bodies) == 1, name
        body = bodies[0]["b"]
        members = select("""SELECT ?m ?role WHERE { ?ms org:organization ?b ; org:member ?m ; org:role ?role ;
            sec:reportSection ?sec ; prov:wasDerivedFrom ?src }""", b=_uri(body))
        for member_name in split_composition(composition):
            role = next((r for w, r in ROLE_WORDS.items() if w in member_name.lower()), "member")
            clean = re.sub(r",? as chair.*$", "", member_name).strip()
            matching = [m for m in members if normalise(clean) in labels_of(select, m["m"])]
            assert matching, (name, clean)
            assert any(m["role"].endswith("/" + role) for m in matching), (name, clean, role)
        created = select("SELECT ?i WHERE { ?b sec:createdBy ?i }", b=_uri(body))
        if regulations.strip() in {"-", "No data"}:
            assert not created, name
        else:
            assert created, name


def test_ca_prose_names_of_bodies(select, coordination):
    text = state_block(coordination, "CANADA")
    m = re.search(r"\*\*(Interagency Working Group on Sexual Exploitation of Children) \((IWG CSE)\)\*\*, led by \*(.+?)\*", text)
    assert m
    body = select("""SELECT ?b WHERE { ?b a sec:CoordinationBody ; rdfs:label ?l ; skos:altLabel ?a .
        FILTER (STR(?l) = ?n1 && STR(?a) = ?n2) }""",
                  n1=Literal(m[1]), n2=Literal(m[2]))
    assert len(body) == 1
    chair = select("""SELECT ?m WHERE { ?ms org:organization ?b ; org:member ?m ;
        org:role <https://w3id.org/sec-kg/id/concept/role/chair> }""", b=_uri(body[0]["b"]))
    assert chair and normalise(m[3]) in labels_of(select, chair[0]["m"])
    assert "**Select Committee on the Sexual Exploitation of Minors**" in text
    committee = select("""SELECT ?b WHERE { ?b a sec:CoordinationBody ; rdfs:label "Select Committee on the Sexual Exploitation of Minors"@en }""")
    # the summary table prints other names for both committees: separate resources, linked as possibly the same
    table = [name for name, _, _ in table_rows(coordination, "STATE\tCOORDINATION AREA", "CANADA")]
    for prose_body, table_name in ((body[0]["b"], table[0]), (committee[0]["b"], table[1])):
        assert normalise(table_name) not in labels_of(select, prose_body)
        linked = select("""SELECT ?o WHERE { ?b sec:possiblySameAs|^sec:possiblySameAs ?o . ?o rdfs:label ?l
            FILTER (STR(?l) = ?name) }""", b=_uri(prose_body), name=Literal(table_name))
        assert len(linked) == 1, table_name
    year = re.search(r"\*\*Working Group on Trafficking in Persons\*\* was created in (\d{4})", text)
    assert year
    rows = select("""SELECT ?y WHERE { ?b a sec:CoordinationBody ; rdfs:label "Working Group on Trafficking in Persons"@en ; sec:year ?y }""")
    assert [r["y"] for r in rows] == [year[1]]


def test_gy_has_no_coordination_body(select, coordination):
    text = state_block(coordination, "GUYANA")
    assert "there is no interagency coordination body" in text
    assert not table_rows(coordination, "STATE\tCOORDINATION AREA", "GUYANA")
    assert not select("SELECT ?b WHERE { ?b a sec:CoordinationBody ; sec:state state:GY }")
    assert select("""SELECT ?f WHERE { ?f a sec:Finding ; sec:concernsState state:GY ; sec:reportSection "2.1" ;
        sec:findingType <https://w3id.org/sec-kg/id/concept/finding-type/reported-absence> ;
        sec:category <https://w3id.org/sec-kg/id/concept/category/coordination> }""")


# --------------------------------------------------------------------------- section 2.2

@pytest.fixture(scope="module")
def policies(report_lines):
    return section(report_lines, "2.2. Interagency public policies to address SEC",
                   "2.3. Interagency protocols or routes of action to address SEC situations")


def test_ca_policies_table(select, policies):
    rows = table_rows(policies, "STATE\tPOLICIES/ PLANS", "CANADA")
    assert len(rows) == 2
    for name, adopted, validity in rows:
        found = select("""SELECT ?p ?date ?validity ?begin ?end WHERE {
            ?p a sec:Policy ; sec:state state:CA ; rdfs:label ?l ; sec:adoptionDate ?date ; sec:validityAsPrinted ?validity .
            OPTIONAL { ?p sec:validity [ time:hasBeginning/time:inXSDgYear ?begin ; time:hasEnd/time:inXSDgYear ?end ] }
            FILTER (STR(?l) = ?name) }""", name=Literal(name))
        assert len(found) == 1, name
        row = found[0]
        assert row["date"] == adopted.strip()
        assert row["validity"] == validity.strip()
        years = re.findall(r"\d{4}", validity)
        if len(years) == 2:
            assert (row["begin"], row["end"]) == tuple(years)
        else:
            assert row.get("begin") is None


def test_ca_policies_lead_and_followers(select, policies):
    text = state_block(policies, "CANADA")
    assert "led by *Public Safety and Emergency Preparedness Canada*" in text
    assert "coordinated by *Public Safety*" in text
    rows = select("""SELECT ?p ?lead WHERE { ?p a sec:Policy ; sec:state state:CA ; sec:ledBy ?lead }""")
    for r in rows:
        names = labels_of(select, r["lead"])
        assert "public safety and emergency preparedness canada" in names and "public safety" in names
    internet = select("""SELECT ?b WHERE { ?p a sec:Policy ; skos:altLabel
        "National Strategy for the Protection of Children from Sexual Exploitation on the Internet"@en ; sec:followedUpBy ?b }""")
    assert len(internet) == 2


def test_gy_has_no_policy(select, policies):
    text = state_block(policies, "GUYANA")
    assert "nor does it have a specific policy" in text
    assert not table_rows(policies, "STATE\tPOLICIES/ PLANS", "GUYANA")
    assert not select("SELECT ?p WHERE { ?p a sec:Policy ; sec:state state:GY }")
    assert select("""SELECT ?f WHERE { ?f a sec:Finding ; sec:concernsState state:GY ; sec:reportSection "2.2" ;
        sec:findingType <https://w3id.org/sec-kg/id/concept/finding-type/reported-absence> }""")


# --------------------------------------------------------------------------- section 3

@pytest.fixture(scope="module")
def prevention(report_lines):
    return section(report_lines, "3. PREVENTION", "4. PROTECTION")


def italic_names(text):
    return {m.strip(" ,.") for m in re.findall(r"(?<!\*)\*([^*\n]+)\*(?!\*)", text)}


def named_resources(select, cc, classes):
    values = " ".join(f"sec:{c}" for c in classes)
    rows = select(f"""SELECT ?s ?l WHERE {{ VALUES ?cls {{ {values} }} ?s a ?cls ; sec:state ?st ;
        rdfs:label|skos:altLabel ?l }}""", st=URIRef(ID + "state/" + cc))
    return {normalise(r["l"]) for r in rows}


@pytest.mark.parametrize("cc", ["CA", "GY"])
def test_prevention_names_in_italics_are_measures_or_policies(select, prevention, cc):
    text = state_block(prevention, STATE_NAMES[cc])
    names = italic_names(text)
    assert len(names) >= 3
    known = named_resources(select, cc, ["PreventionMeasure", "Policy"])
    for name in names:
        assert normalise(name) in known, name


def test_gy_every_child_safe_year_and_promoter(select, prevention):
    text = state_block(prevention, "GUYANA")
    m = re.search(r"Since (\d{4}), the (Ministry of Human Services and Social Security) \((MHSS)\) has been implementing the .\*(Every Child Safe)\*", text)
    assert m
    rows = select("""SELECT ?y ?p WHERE { ?m a sec:PreventionMeasure ; rdfs:label ?l ; sec:year ?y ; sec:promotedBy ?p .
        FILTER (STR(?l) = ?name) }""", name=Literal(m[4]))
    assert [r["y"] for r in rows] == [m[1]]
    assert {normalise(m[2]), normalise(m[3])} <= labels_of(select, rows[0]["p"])
    partner = re.search(r"collaborating with the (Gold and Diamond Miners Association of Guyana) to ensure that children and adolescents are protected in mining districts", text)
    assert partner
    rows = select("""SELECT ?m WHERE { ?m a sec:PreventionMeasure ; sec:partner ?p ;
        sec:scenario <https://w3id.org/sec-kg/id/concept/scenario/extractive-industries> . ?p rdfs:label ?l .
        FILTER (STR(?l) = ?name) }""", name=Literal(partner[1]))
    assert rows


# --------------------------------------------------------------------------- section 4.1.2

@pytest.fixture(scope="module")
def legislation(report_lines):
    return section(report_lines, "4.1.2. National Legislation", "4.2. Access to justice for children and adolescents")


def block_after(lines, heading, stop):
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(heading))
    end = next(i for i, line in enumerate(lines[start + 1:], start + 1) if line.strip().startswith(stop))
    return lines[start + 1:end]


def instrument_iri(select, cc, name):
    rows = select("""SELECT DISTINCT ?i WHERE { ?i a ?cls ; sec:state ?st ; rdfs:label|skos:altLabel ?l .
        ?cls rdfs:subClassOf* sec:LegalInstrument . FILTER (STR(?l) = ?name) }""",
                  st=URIRef(ID + "state/" + cc), name=Literal(name))
    assert len(rows) == 1, name
    return rows[0]["i"]


def provision_of(select, instrument, number):
    rows = select("""SELECT ?p WHERE { ?p a sec:Provision ; eli:is_part_of ?i ; sec:articleNumber ?n .
        FILTER (STR(?n) = ?num) }""", i=URIRef(instrument), num=Literal(number))
    return [r["p"] for r in rows]


def test_ca_articles_named_in_the_report_are_provisions(select, legislation):
    lines = block_after(legislation, "CANADA", "CHILE")
    instrument, checked = None, 0
    for line in lines:
        line = line.strip()
        if not line:
            continue
        heading = re.match(r"^([A-Z][^✓(]+?) \((?:R\.S\.C\.|S\.C\.)[^)]*\)\.?$", line)
        if heading:
            instrument = instrument_iri(select, "CA", heading[1])
            assert instrument == instrument_iri(select, "CA", line.rstrip("."))
            continue
        for group in re.findall(r"\(Arts?\. ([\d., and]+)\)", line):
            for number in re.split(r",\s*|\s+and\s+", group.strip()):
                assert provision_of(select, instrument, number.strip(".")), (line, number)
                checked += 1
    assert checked >= 15


def test_ca_offences_printed_in_quotes(select, legislation):
    text = "\n".join(block_after(legislation, "CANADA", "CHILE"))
    pairs = re.findall(r"\u201c([^\u201d]+)\u201d.*?\(Art\. ([\d.]+)\)", text)
    assert len(pairs) == 2
    code = instrument_iri(select, "CA", "Criminal Code")
    for name, number in pairs:
        rows = select("""SELECT ?o WHERE { ?o a sec:Offence ; rdfs:label ?l ; sec:definedIn ?p .
            FILTER (STR(?l) = ?name) }""", name=Literal(name), p=URIRef(provision_of(select, code, number)[0]))
        assert rows, name
    porn = select("""SELECT ?o WHERE { ?o a sec:Offence ; rdfs:label "child pornography"@en ;
        sec:modality <https://w3id.org/sec-kg/id/concept/modality/pornography> }""")
    assert porn


def test_ca_victims_bill_of_rights(select, legislation):
    text = "\n".join(block_after(legislation, "CANADA", "CHILE"))
    m = re.search(r"\n(Canadian Victims Bill of Rights) \((S\.C\. [^)]+)\)", text)
    rights = re.search(r"Right to (information), (participation), (protection) and (restitution)", text)
    assert m and rights
    instrument = instrument_iri(select, "CA", m[1])
    rows = select("SELECT ?n ?r ?rl WHERE { ?i eli:number ?n ; sec:grantsRight ?r . ?r skos:prefLabel ?rl }", i=URIRef(instrument))
    assert {r["n"] for r in rows} == {m[2]}
    labels = {normalise(r["rl"]) for r in rows}
    for word in rights.groups():
        assert f"right to {word}" in labels, word


def test_gy_acts_listed(select, legislation):
    lines = [line.strip() for line in block_after(legislation, "GUYANA", "MEXICO")]
    acts = [line for line in lines if re.search(r"Act No\. \d+ of \d{4}$", line)]
    assert len(acts) == 6
    for line in acts:
        number, year = re.search(r"No\. (\d+) of (\d{4})$", line).groups()
        instrument = instrument_iri(select, "GY", line)
        rows = select("SELECT ?n ?y WHERE { ?i eli:number ?n ; sec:year ?y }", i=URIRef(instrument))
        assert (rows[0]["n"], rows[0]["y"]) == (number, year), line
    amendment = next(line for line in lines if line.startswith("Marriage Act (Amendment)"))
    amended = select("""SELECT ?l WHERE { ?a eli:amends ?b . ?b rdfs:label ?l }""", a=URIRef(instrument_iri(select, "GY", amendment)))
    assert amended and normalise(amended[0]["l"]) in normalise(amendment)


def test_gy_offences_and_sections(select, legislation):
    text = "\n".join(block_after(legislation, "GUYANA", "MEXICO"))
    pairs = re.findall(r"\u2018(buggery)\u2019 \(section (\d+)\)", text)
    pairs += re.findall(r"(abduction of unmarried girls) \(sections ([\d-]+)\)", text)
    pairs += re.findall(r"(detention of females with intent to have carnal knowledge) \(section (\d+)\)", text)
    pairs += [(m[1], m[0]) for m in re.findall(r"art\. (\d+) of the Act regulates (selling, publishing or exhibiting obscene matter)", text)]
    assert len(pairs) == 4
    act = instrument_iri(select, "GY", "Criminal Law (Offences) Act No. 16 of 2005")
    for name, number in pairs:
        provisions = provision_of(select, act, number)
        assert provisions, number
        rows = select("""SELECT ?o WHERE { ?o a sec:Offence ; rdfs:label ?l ; sec:definedIn ?p .
            FILTER (STR(?l) = ?name) }""", name=Literal(name), p=URIRef(provisions[0]))
        assert rows, name


def test_gy_agency_created_by_act(select, legislation, report_text):
    lines = [line.strip() for line in block_after(legislation, "GUYANA", "MEXICO")]
    act = next(line for line in lines if line.startswith("Childcare & Protection Agency Act"))
    m = re.search(r"Creates a \*(Childcare & Protection Agency)\*", "\n".join(lines))
    assert m
    rows = select("SELECT ?x WHERE { ?i sec:creates ?x }", i=URIRef(instrument_iri(select, "GY", act)))
    assert rows and normalise(m[1]) in labels_of(select, rows[0]["x"])
    assert "Child Care and Protection Agency" in report_text
    assert "child care and protection agency" in labels_of(select, rows[0]["x"])


# --------------------------------------------------------------------------- section 4.2

@pytest.fixture(scope="module")
def justice(report_lines):
    return section(report_lines, "4.2. Access to justice for children and adolescents",
                   "5.1. Care services for child and teenage victims of sexual exploitation")


def test_gy_courts_and_child_advocacy_centres(select, justice):
    text = state_block(justice, "GUYANA")
    m = re.search(r"has had a (Children\u2019s Court) since (\d{4}) and (Sexual Offences Courts) since (\d{4}), both established with (UNICEF) support", text)
    assert m
    for name, year in ((m[1], m[2]), (m[3], m[4])):
        rows = select("""SELECT ?y ?p WHERE { ?j a sec:AccessToJusticeMechanism ; sec:state state:GY ; rdfs:label ?l ;
            sec:year ?y ; sec:partner ?p ; sec:measureType <https://w3id.org/sec-kg/id/concept/measure-type/specialised-court> .
            FILTER (REPLACE(STR(?l), "'", "\u2019") = ?name) }""", name=Literal(name))
        assert [r["y"] for r in rows] == [year], name
        assert normalise(m[5]) in labels_of(select, rows[0]["p"])
    cac = re.search(r"(Child Advocacy Centres) \((CAC)\), created by the (Child Care and Protection Agency) in (\d{4}) and (managed by civil society)", text)
    assert cac
    # the justice side and the care side of the centres: who created them, when, and who manages them, as data
    for cls in ("sec:AccessToJusticeMechanism", "sec:CareService"):
        rows = select(f"""SELECT ?y ?p WHERE {{ ?j a {cls} ; sec:state state:GY ; rdfs:label ?l ; skos:altLabel ?a ;
            sec:year ?y ; sec:establishedBy ?p . FILTER (STR(?l) = ?n && STR(?a) = ?acr) }}""", n=Literal(cac[1]), acr=Literal(cac[2]))
        assert [r["y"] for r in rows] == [cac[4]], cls
        assert normalise(cac[3]) in labels_of(select, rows[0]["p"])
    managed = select("""SELECT ?m WHERE { ?s a sec:CareService ; sec:state state:GY ; sec:managementType ?t . ?t skos:prefLabel ?m }""")
    assert [f"managed by {r['m']}" for r in managed] == [cac[5]]


def test_ca_closed_circuit_television_right(select, justice):
    text = state_block(justice, "CANADA")
    assert "allowing statements to be heard on closed-circuit television" in text
    assert "(Arts. 486 and 715)" in text
    code = instrument_iri(select, "CA", "Criminal Code")
    for number in ("486", "715"):
        rows = select("""SELECT ?r WHERE { ?p sec:grantsRight ?r . ?r skos:prefLabel ?l .
            FILTER (STR(?l) = "allowing statements to be heard on closed-circuit television") }""",
                      p=URIRef(provision_of(select, code, number)[0]))
        assert rows, number


# --------------------------------------------------------------------------- sections 5 and 6

@pytest.fixture(scope="module")
def recovery(report_lines):
    return section(report_lines, "5.1. Care services for child and teenage victims of sexual exploitation", "6. PARTICIPATION")


@pytest.mark.parametrize("cc", ["CA", "GY"])
def test_care_services_in_bold_with_acronyms(select, recovery, cc):
    text = state_block(recovery, STATE_NAMES[cc])
    pairs = re.findall(r"\*\*([A-Z][^*(]+?)\s*(?:\(([A-Za-z0-9]+)\))?\*\*(?:\s*\(([A-Za-z0-9]+)\))?", text)
    services = [(name.strip(), a or b) for name, a, b in pairs if name.strip().endswith("Centres")]
    assert services
    operators = [(name.strip(), a or b) for name, a, b in pairs if name.strip().endswith("Centre")]
    for name, acronym in operators:  # an organisation in bold: it operates a service
        rows = select("""SELECT ?s WHERE { ?s a sec:CareService ; sec:operatedBy ?o . ?o rdfs:label ?l ; skos:altLabel ?a .
            FILTER (STR(?l) = ?name && STR(?a) = ?acr) }""", name=Literal(name), acr=Literal(acronym))
        assert rows, (name, acronym)
    for name, acronym in services:
        rows = select("""SELECT ?s WHERE { ?s a sec:CareService ; sec:state ?st ; rdfs:label ?l ; skos:altLabel ?a .
            FILTER (STR(?l) = ?name && STR(?a) = ?acr) }""", st=URIRef(ID + "state/" + cc), name=Literal(name), acr=Literal(acronym))
        assert rows, (name, acronym)


def test_ca_training_handbook(select, recovery):
    text = state_block(recovery, "CANADA")
    m = re.search(r"update of a \*(Handbook for Criminal Justice Practitioners on Trafficking in Persons)\*", text)
    assert m
    assert select("""SELECT ?t WHERE { ?t a sec:TrainingProgramme ; sec:state state:CA ; rdfs:label ?l .
        FILTER (STR(?l) = ?n) }""", n=Literal(m[1]))


@pytest.fixture(scope="module")
def participation(report_lines):
    return section(report_lines, "6. PARTICIPATION", "CONCLUSIONS")


def test_ca_participation_mechanisms(select, participation):
    text = state_block(participation, "CANADA")
    bold = re.findall(r"\*\*([^*]+)\*\*", text)
    italic = italic_names(text)
    assert bold == ["National Youth Advisory Committees"]
    known = named_resources(select, "CA", ["ParticipationMechanism"])
    for name in bold + sorted(italic):
        assert normalise(name) in known, name
    m = re.search(r"organizations such as (Save the Children) and (Plan International)", text)
    rows = select("""SELECT ?p WHERE { ?m a sec:ParticipationMechanism ; sec:state state:CA ; sec:partner ?p }""")
    partner_names = set().union(*(labels_of(select, r["p"]) for r in rows))
    assert {normalise(m[1]), normalise(m[2])} <= partner_names


@pytest.mark.parametrize("cc", ["CA", "GY"])
def test_participation_challenge_findings(select, participation, cc):
    text = state_block(participation, STATE_NAMES[cc])
    assert "challenge" in text
    rows = select("""SELECT ?f WHERE { ?f a sec:Finding ; sec:concernsState ?st ; sec:reportSection "6" ;
        sec:findingType <https://w3id.org/sec-kg/id/concept/finding-type/challenge> ;
        sec:category <https://w3id.org/sec-kg/id/concept/category/participation> }""", st=URIRef(ID + "state/" + cc))
    assert rows


# --------------------------------------------------------------------------- provenance of everything CA/GY

def test_every_ca_gy_resource_has_provenance(select):
    rows = select("""SELECT ?s WHERE {
        ?s a ?cls .
        VALUES ?cls { sec:Institution sec:CoordinationBody sec:LegalInstrument sec:Act sec:Code sec:Provision sec:Offence
                      sec:Policy sec:PreventionMeasure sec:TrainingProgramme sec:AccessToJusticeMechanism sec:CareService
                      sec:ParticipationMechanism sec:InformationSystem sec:Study sec:Finding org:Membership qb:DataSet }
        FILTER (REGEX(STR(?s), "/(CA|GY)/|/(ca|gy)-"))
        FILTER NOT EXISTS { ?s sec:reportSection ?sec ; prov:wasDerivedFrom ?src } }""")
    assert not rows, rows
