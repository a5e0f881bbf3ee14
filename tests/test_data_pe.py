"""Peru (PE): the graph says what the report prints about Peru in sections 1, 2.1-2.3, 3,
4.1.2, 4.2, 5.1, 5.2 and 6. Every expected value is read from the report text."""

from __future__ import annotations

import re

import pytest

from conftest import normalise

ID = "https://w3id.org/sec-kg/id/"
PE = ID + "state/PE"

NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


# --- helpers ---------------------------------------------------------------------------


def strip_tags(cell: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()


def table_rows(report_lines, header_start: str, state: str = "PERU") -> list[list[str]]:
    """Rows of the first table whose header starts with header_start that belong to state
    (the row naming the State and the continuation rows with an empty first cell)."""
    start = next(i for i, line in enumerate(report_lines) if line.startswith(header_start))
    rows, inside = [], False
    for line in report_lines[start + 1:]:
        if not line.strip():
            if inside:
                break
            continue
        cells = line.split("\t")
        if len(cells) < 2:
            if inside:
                break
            continue
        if cells[0].strip() == state:
            inside = True
        elif cells[0].strip():
            if inside:
                break
            continue
        if inside:
            rows.append(cells)
    assert rows, f"no {state} row under {header_start!r}"
    return rows


def state_block(report_lines, start_pattern: str, end_pattern: str, after: int = 0) -> str:
    """The report text from the first line matching start_pattern (after line `after`)
    up to the next line matching end_pattern."""
    start = next(i for i, l in enumerate(report_lines) if i >= after and re.search(start_pattern, l))
    end = next(i for i, l in enumerate(report_lines) if i > start and re.search(end_pattern, l))
    return "\n".join(report_lines[start:end])


def line_index(report_lines, pattern: str, after: int = 0) -> int:
    return next(i for i, l in enumerate(report_lines) if i >= after and re.search(pattern, l))


def names_of(select, iri: str) -> set[str]:
    rows = select("SELECT ?n WHERE { ?x rdfs:label|skos:altLabel|skos:prefLabel ?n }", x=_uri(iri))
    return {normalise(r["n"]) for r in rows}


def _uri(iri):
    from rdflib import URIRef

    return URIRef(iri)


def find_by_name(select, cls: str, name: str, state: str | None = PE) -> list[str]:
    """IRIs of resources of class cls (subclasses included) labelled name (label or altLabel)."""
    query = f"""
        SELECT DISTINCT ?x ?n WHERE {{
            ?x a/rdfs:subClassOf* {cls} ; rdfs:label|skos:altLabel ?n .
            {"?x sec:state ?st ." if state else ""}
        }}"""
    rows = select(query, st=_uri(state)) if state else select(query)
    wanted = normalise(name)
    return sorted({r["x"] for r in rows if normalise(r["n"]) == wanted})


def one_by_name(select, cls: str, name: str, state: str | None = PE) -> str:
    found = find_by_name(select, cls, name, state)
    assert len(found) == 1, f"expected one {cls} named {name!r}, found {found}"
    return found[0]


def split_list(text: str) -> list[str]:
    """'A, the B, C and D' -> ['A', 'B', 'C', 'D'] (only the last ' and ' separates)."""
    items = [i.strip() for i in text.split(",") if i.strip()]
    items[-1:] = [i.strip() for i in items[-1].rsplit(" and ", 1)]
    return [re.sub(r"^the\s+", "", i) for i in items]


def split_name_acronym(item: str) -> list[str]:
    """'Ministry of Health (MINSA)' -> ['Ministry of Health', 'MINSA']."""
    m = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", item)
    return [m.group(1).strip(), m.group(2).strip()] if m else [item.strip()]


# --- Section 2.1: coordination bodies (summary table) ------------------------------------


@pytest.fixture(scope="module")
def coordination_rows(report_lines):
    return table_rows(report_lines, "STATE\tCOORDINATION AREA")


def parse_composition(cell: str) -> list[tuple[str, str]]:
    """(printed name, role) pairs of a Peru composition cell. The first paragraph lists
    members (one may be 'as chair'); a 'Likewise, also participating are ...' paragraph
    lists those that also take part (role 'also participating', as printed). 'other guests'
    names nobody and is left out."""
    paragraphs = [strip_tags(p) for p in re.split(r"</p>\s*<p>", cell) if strip_tags(p)]
    pairs = []
    for paragraph in paragraphs:
        text = paragraph.rstrip(".")
        guest = re.match(r"Likewise, also participating are (.*)", text)
        if guest:
            for item in split_list(guest.group(1)):
                if item != "other guests":
                    pairs.append((item, "also-participating"))
            continue
        for item in [i.strip() for i in text.split(";") if i.strip()]:
            if item.endswith(", as chair"):
                pairs.append((item[: -len(", as chair")], "chair"))
            else:
                pairs.append((item, "member"))
    return pairs


def members_of(select, body: str) -> list[dict]:
    return select(
        """SELECT ?m ?member ?role WHERE {
               ?m a org:Membership ; org:organization ?body ; org:member ?member ; org:role ?role .
           }""",
        body=_uri(body),
    )


def test_pe_coordination_table_has_two_bodies(coordination_rows, select):
    assert len(coordination_rows) == 2
    for cells in coordination_rows:
        one_by_name(select, "sec:CoordinationBody", strip_tags(cells[1]))


def test_pe_coordination_bodies_label_is_table_name(coordination_rows, select):
    for cells in coordination_rows:
        name = strip_tags(cells[1])
        body = one_by_name(select, "sec:CoordinationBody", name)
        label = select("SELECT ?l WHERE { ?b rdfs:label ?l }", b=_uri(body))[0]["l"]
        assert normalise(label) == normalise(name)


def test_pe_composition_cells_match_memberships(coordination_rows, select):
    for cells in coordination_rows:
        body = one_by_name(select, "sec:CoordinationBody", strip_tags(cells[1]))
        expected = parse_composition(cells[2])
        assert len(expected) >= 14
        memberships = members_of(select, body)
        assert len(memberships) == len(expected), f"{body}: {len(memberships)} memberships, table lists {len(expected)}"
        for printed, role in expected:
            names = [normalise(n) for n in split_name_acronym(printed)]
            hits = [m for m in memberships if all(n in names_of(select, m["member"]) for n in names)]
            assert len(hits) == 1, f"{printed!r} is not one member of {body}"
            assert hits[0]["role"] == ID + "concept/role/" + role, f"{printed!r}: role {hits[0]['role']}"


def test_pe_composition_roles_words_printed(coordination_rows):
    """The role words the tests rely on are printed in Peru's cells."""
    text = " ".join(cells[2] for cells in coordination_rows)
    assert "as chair" in text and "also participating" in text


def test_pe_institution_on_both_bodies_is_one_resource(coordination_rows, select):
    """Institutions printed in both composition cells are one resource with two memberships."""
    sets = [{normalise(split_name_acronym(p)[0]) for p, _ in parse_composition(c[2])} for c in coordination_rows]
    shared = sets[0] & sets[1]
    assert normalise("Ministry of Health") in shared
    for name in shared:
        institutions = find_by_name(select, "sec:Institution", name)
        assert len(institutions) == 1, name
        rows = select("SELECT ?m WHERE { ?m org:member ?i }", i=_uri(institutions[0]))
        assert len(rows) >= 2, name


def test_pe_regulations_cells(coordination_rows, select):
    for cells in coordination_rows:
        body = one_by_name(select, "sec:CoordinationBody", strip_tags(cells[1]))
        regulations = strip_tags(cells[3])
        created = select("SELECT ?i WHERE { ?b sec:createdBy ?i }", b=_uri(body))
        if regulations in ("-", "No data"):
            assert created == []
            continue
        creation = re.search(r"(.+?)\s*\(creation\)", regulations).group(1)
        assert len(created) == 1 and normalise(creation) in names_of(select, created[0]["i"])
        amending = re.search(r"\(creation\)\s*(.+?)\s*\(amends its composition\)", regulations).group(1)
        regulated = select("SELECT ?i WHERE { ?b sec:regulatedBy ?i }", b=_uri(body))
        assert len(regulated) == 1 and normalise(amending) in names_of(select, regulated[0]["i"])
        # the instrument creates the body, inversely
        assert select("SELECT ?b WHERE { ?i sec:creates ?b }", i=_uri(created[0]["i"]))[0]["b"] == body


def test_pe_subgroup_prose(report_lines, select):
    """Prose: the sub-working group was formed in a printed year within the commission,
    to follow up the national children's policy."""
    line = report_lines[line_index(report_lines, r"In \*\*PERU\*\*, there is a \*\*Sub-Working Group")]
    year = re.search(r"formed in (\d{4})", line).group(1)
    commission = re.search(r"framework of the \*\*(.+?)\*\*", line).group(1)
    policy = re.search(r"Priority Objective 3 of the \*(.+?)\*", line).group(1)
    body = one_by_name(select, "sec:CoordinationBody", "Sub-Working Group on Sexual Exploitation of Children and Adolescents")
    rows = select(
        "SELECT ?y ?parent ?policy WHERE { ?b sec:year ?y ; org:subOrganizationOf ?parent ; sec:followsUp ?policy }",
        b=_uri(body),
    )
    assert len(rows) == 1 and rows[0]["y"] == year
    assert normalise(commission) in names_of(select, rows[0]["parent"])
    assert normalise(policy) in names_of(select, rows[0]["policy"])


def test_pe_commission_prose_decrees(report_lines, select):
    line = report_lines[line_index(report_lines, r"Permanent Multisectoral Commission against Trafficking in Persons and Smuggling")]
    created = re.search(r"created by (Supreme Decree No\. [\w-]+)", line).group(1)
    amended = re.search(r"amended by (Supreme Decree No\.\s?[\w-]+)", line).group(1)
    body = one_by_name(select, "sec:CoordinationBody", re.search(r"\*\*(Permanent Multisectoral Commission.+?)\*\*", line).group(1))
    assert normalise(created) in names_of(select, select("SELECT ?i WHERE { ?b sec:createdBy ?i }", b=_uri(body))[0]["i"])
    assert normalise(amended) in names_of(select, select("SELECT ?i WHERE { ?b sec:regulatedBy ?i }", b=_uri(body))[0]["i"])


# --- Section 2.2: policies ----------------------------------------------------------------


def test_pe_policies_table(report_lines, select):
    rows = table_rows(report_lines, "STATE\tPOLICIES/ PLANS")
    assert len(rows) == 2
    for cells in rows:
        printed = strip_tags(cells[1])
        m = re.fullmatch(r"(.+?)\s*\((\w+), in Spanish\)", printed)
        name, acronym = (m.group(1), m.group(2)) if m else (printed, None)
        policy = one_by_name(select, "sec:Policy", name)
        label = select("SELECT ?l WHERE { ?p rdfs:label ?l }", p=_uri(policy))[0]["l"]
        assert normalise(label) == normalise(name)
        if acronym:
            assert normalise(acronym) in names_of(select, policy)
        adoption, validity = cells[2].strip(), cells[3].strip()
        row = select("SELECT ?a ?v WHERE { ?p sec:adoptionDate ?a ; sec:validityAsPrinted ?v }", p=_uri(policy))
        assert row == [{"a": adoption, "v": validity}]
        ends = select(
            "SELECT ?end WHERE { ?p sec:validity/time:hasEnd/time:inXSDgYear ?end }", p=_uri(policy)
        )
        years = re.findall(r"\d{4}", validity)
        assert [r["end"] for r in ends] == years[-1:]


def test_pe_policy_decree(report_lines, select):
    line = report_lines[line_index(report_lines, r"^PERU is developing a \*\*National Multisectoral Policy")]
    decree = re.search(r"adopted by (Supreme Decree No\. [\d\- ]+-MIMP)", line).group(1)
    policy = one_by_name(select, "sec:Policy", re.search(r"\*\*(.+?)\*\*", line).group(1))
    basis = select("SELECT ?i WHERE { ?p sec:legalBasis ?i }", p=_uri(policy))
    assert len(basis) == 1 and normalise(decree) in names_of(select, basis[0]["i"])


# --- Section 2.3: protocols ----------------------------------------------------------------


def test_pe_protocols(report_lines, select):
    line = report_lines[line_index(report_lines, r"^PERU has its \d{4} \*\*Procedure")]
    year = re.search(r"^PERU has its (\d{4})", line).group(1)
    names = re.findall(r"\*\*(.+?)\*\*", line) + re.findall(r"(?<!\*)\*([^*]+?)\*(?!\*)", line)
    assert len(names) == 3
    for name in names:
        one_by_name(select, "sec:InteragencyProtocol", name)
    procedure = one_by_name(select, "sec:InteragencyProtocol", names[0])
    assert select("SELECT ?y WHERE { ?p sec:year ?y }", p=_uri(procedure)) == [{"y": year}]
    agencies = re.search(r"situations: (.+?)\. The State", line).group(1)
    participants = select("SELECT ?i WHERE { ?p sec:participant ?i }", p=_uri(procedure))
    all_names = set().union(*(names_of(select, r["i"]) for r in participants))
    for agency in split_list(re.sub(r"\s*\(currently[^)]*\)", "", agencies)):
        assert normalise(agency) in all_names, agency
    assert len(participants) == 6


# --- Section 1: diagnosis -------------------------------------------------------------------


@pytest.fixture(scope="module")
def diagnosis_text(report_lines):
    return state_block(report_lines, r"^PERU reports data on the subject", r"^In addition, most of the States party")


def observations(select, **filters):
    return select(
        """SELECT ?o ?period ?subject ?sex ?area ?count ?pct ?case WHERE {
               ?o qb:dataSet ?ds ; sec:refState ?st ; sec:refPeriod ?period ; sec:subject ?subject ;
                  sec:sex ?sex ; sec:area ?area .
               OPTIONAL { ?o sec:count ?count } OPTIONAL { ?o sec:percentage ?pct }
               OPTIONAL { ?o sec:caseType ?case }
           }""",
        ds=_uri(ID + "dataset/pe-headline-figures"),
        st=_uri(PE),
    )


def test_pe_dataset(select):
    rows = select(
        "SELECT ?s ?sec WHERE { ?d a qb:DataSet ; qb:structure ?s ; sec:reportSection ?sec }",
        d=_uri(ID + "dataset/pe-headline-figures"),
    )
    assert rows == [{"s": ID + "dsd/headline-figures", "sec": "1"}]


def test_pe_prosecutor_figures(diagnosis_text, select):
    complaints = int(re.search(r"registered ([\d,]+) complaints", diagnosis_text).group(1).replace(",", ""))
    period = re.search(r"in the period (\d{4}-\d{4})", diagnosis_text).group(1)
    victims = int(re.search(r"with ([\d,]+) identified underage victims", diagnosis_text).group(1).replace(",", ""))
    girls = re.search(r"(\d+)% were girls", diagnosis_text).group(1)
    obs = observations(select)
    assert any(o.get("count") == str(complaints) and o["period"] == period and o["subject"].endswith("/complaints") and o["area"] == PE for o in obs)
    assert any(o.get("count") == str(victims) and o["period"] == period and o["subject"].endswith("/victims") and o["sex"].endswith("/total") for o in obs)
    assert any(o.get("pct") is not None and float(o["pct"]) == float(girls) and o["sex"].endswith("/female") for o in obs)


def test_pe_offences_of_section_1(diagnosis_text, select):
    found = re.findall(r"“\*\*(.+?)\*\*” \(Art\. ([\w-]+)\), with (\d+) complaints", diagnosis_text)
    assert len(found) == 3
    obs = observations(select)
    for name, article, count in found:
        offence = one_by_name(select, "sec:Offence", name)
        rows = select(
            "SELECT ?n ?code WHERE { ?o sec:definedIn ?p . ?p sec:articleNumber ?n ; eli:is_part_of ?code }",
            o=_uri(offence),
        )
        assert len(rows) == 1 and rows[0]["n"] == article
        assert normalise("Criminal Code") in names_of(select, rows[0]["code"])
        assert any(o.get("case") == offence and o.get("count") == count and o["period"] == "2023" for o in obs), name


def test_pe_departments(diagnosis_text, select):
    sentence = re.search(r"The department with the highest number of cases was (.+?)\.", diagnosis_text).group(1)
    pairs = re.findall(r"([A-Z][\w\u00c0-\u017f ]+?) \((\d+)\)", sentence)
    # "Madre de Dios and San Martín (10)": one printed figure for two departments
    expanded = []
    for place, n in pairs:
        place = re.sub(r"^(followed by|and) ", "", place.strip())
        for part in place.split(" and "):
            expanded.append((part.strip(), n))
    assert len(expanded) == 5
    obs = observations(select)
    for place, n in expanded:
        hits = [o for o in obs if o["area"] != PE and normalise(place) in names_of(select, o["area"])]
        assert len(hits) == 1 and hits[0].get("count") == n, place


def test_pe_mimp_figures(diagnosis_text, select):
    cem = re.search(r"MIMP reports (\d+) cases of SEC addressed by the (.+?) \(CEM", diagnosis_text)
    upe = re.search(r"and (\d+) children or adolescents affected .+? by the (Special Protection Units) \(UPE\)", diagnosis_text)
    obs = select(
        """SELECT ?count ?inst WHERE { ?o qb:dataSet ?ds ; sec:count ?count ; sec:sourceInstitution ?inst }""",
        ds=_uri(ID + "dataset/pe-headline-figures"),
    )
    for match in (cem, upe):
        hits = [o for o in obs if o["count"] == match.group(1)]
        assert len(hits) == 1
        assert normalise(match.group(2)) in names_of(select, hits[0]["inst"])


def test_pe_prevailing_scenarios(report_lines, select):
    line = report_lines[line_index(report_lines, r"^As prevailing contexts, the State highlights")]
    assert "intrafamily" in line and "community" in line
    rows = select("SELECT ?s WHERE { ?st sec:reportsScenario ?s }", st=_uri(PE))
    assert {r["s"] for r in rows} == {ID + "concept/scenario/intrafamily", ID + "concept/scenario/community"}


# --- Section 3: prevention ---------------------------------------------------------------------


def test_pe_prevention_measures(report_lines, select):
    start = line_index(report_lines, r"^In \*\*PERU\*\*, a number of campaigns")
    block = state_block(report_lines, r"^In \*\*PERU\*\*, a number of campaigns", r"^4\. PROTECTION", after=start)
    bullets = [l for l in block.splitlines() if l.startswith("- ")]
    assert len(bullets) == 4
    for bullet in bullets:
        name = re.match(r"- “\*?(.+?)\*?”", bullet).group(1)
        measure = one_by_name(select, "sec:PreventionMeasure", name)
        promoters = select("SELECT ?i WHERE { ?m sec:promotedBy ?i }", m=_uri(measure))
        assert len(promoters) == 1
        names = names_of(select, promoters[0]["i"])
        assert any(n in normalise(bullet) for n in names if len(n) > 3), name


# --- Section 4.1.2: national legislation --------------------------------------------------------


@pytest.fixture(scope="module")
def legislation_text(report_lines):
    start = line_index(report_lines, r"^4\.1\.2\. National Legislation")
    return state_block(report_lines, r"^PERU$", r"^4\.2\. Access to justice", after=start)


def test_pe_acts(legislation_text, select):
    headings = re.findall(r"^Act No\. (\d+)\s*[–-]\s*(.+)$", legislation_text, flags=re.M)
    assert len(headings) == 8
    for number, rest in headings:
        rows = select(
            "SELECT ?i ?y WHERE { ?i eli:number ?n ; sec:state ?st . OPTIONAL { ?i sec:year ?y } }",
            n=_literal(number),
            st=_uri(PE),
        )
        assert len(rows) == 1, number
        year = re.search(r"\((\d{4})\)\s*$", rest)
        if year:
            assert rows[0]["y"] == year.group(1), number


def _literal(value):
    from rdflib import Literal

    return Literal(value)


def test_pe_amendments(legislation_text, select):
    """Acts whose printed heading says they amend the Criminal Code amend it in the graph."""
    code = one_by_name(select, "sec:Code", "Criminal Code")
    headings = re.findall(r"^Act No\. (\d+)\s*[–-]\s*(.+)$", legislation_text, flags=re.M)
    amending = [n for n, rest in headings if re.search(r"Amend\w* .*Criminal Code", rest)]
    amending += [n for n, _ in headings if re.search(rf"Act No\. {n} .*\n+Establishes modifications to the Criminal Code", legislation_text)]
    assert len(amending) == 4
    for number in amending:
        rows = select("SELECT ?i WHERE { ?i eli:number ?n ; eli:amends ?c }", n=_literal(number), c=_uri(code))
        assert len(rows) == 1, number
    # Act No. 31146 also amends the Code of Criminal Procedure and Act 28950
    rows = select("SELECT ?t WHERE { ?i eli:number ?n ; eli:amends ?t }", n=_literal("31146"))
    assert len(rows) == 3


def test_pe_articles_of_act_28251(legislation_text, select):
    heading = re.search(r"^Act No\. 28251 – (.+)$", legislation_text, flags=re.M).group(1)
    articles = re.findall(r"\b(\d{3}(?:-A)?)\b", heading.split("Chapters")[0])
    assert len(articles) == 17
    code = one_by_name(select, "sec:Code", "Criminal Code")
    rows = select("SELECT ?n WHERE { ?p a sec:Provision ; eli:is_part_of ?c ; sec:articleNumber ?n }", c=_uri(code))
    numbers = {r["n"] for r in rows}
    assert set(articles) <= numbers


def test_pe_constitution_and_childrens_code(legislation_text, select):
    constitution = one_by_name(select, "sec:Constitution", "Political Constitution of Peru")
    printed = re.findall(r"\(Art\. (\d+)\)", legislation_text.split("Act No. 27337")[0])
    rows = select("SELECT ?n WHERE { ?p eli:is_part_of ?c ; sec:articleNumber ?n }", c=_uri(constitution))
    assert sorted(r["n"] for r in rows) == sorted(printed)
    code = one_by_name(select, "sec:Code", "Children’s Code")
    assert select("SELECT ?n WHERE { ?c eli:number ?n }", c=_uri(code)) == [{"n": "27337"}]


def test_pe_supreme_decrees(legislation_text, select):
    decrees = re.findall(r"^(Supreme Decree No\. .+)$", legislation_text, flags=re.M)
    assert len(decrees) == 2
    for decree in decrees:
        one_by_name(select, "sec:Decree", decree.strip())
    regulations = re.search(r"Modifies the (Regulations of Act No\. 30364 .+?Family Group)", legislation_text).group(1)
    target = one_by_name(select, "sec:Regulation", regulations)
    source = one_by_name(select, "sec:Decree", decrees[0].strip())
    assert select("SELECT ?t WHERE { ?s eli:amends ?t }", s=_uri(source)) == [{"t": target}]


# --- Section 4.2: access to justice ----------------------------------------------------------------


def test_pe_access_to_justice(report_lines, select):
    line = report_lines[line_index(report_lines, r"^In \*\*PERU\*\*, in 2021, the Public Policy")]
    tools = re.findall(r"\*“(.+?)”\* \(PJ\. (.+?), (\d\d)\.(\d\d)\.(\d{4})\)", line)
    assert len(tools) == 2
    for name, resolution, day, month, year in tools:
        mechanism = one_by_name(select, "sec:AccessToJusticeMechanism", name)
        rows = select(
            "SELECT ?r ?d WHERE { ?m sec:legalBasis ?r . ?r eli:date_document ?d }", m=_uri(mechanism)
        )
        assert len(rows) == 1 and rows[0]["d"] == f"{year}-{month}-{day}"
        assert normalise(resolution) in names_of(select, rows[0]["r"])
        assert select("SELECT ?s WHERE { ?m prov:wasDerivedFrom ?s }", m=_uri(mechanism)) == [{"s": ID + "source/pe-crc-report"}]
    policy = re.search(r"the (Public Policy for the Reform of the Justice System) was adopted", line).group(1)
    one_by_name(select, "sec:Policy", policy)


# --- Section 5: recovery ------------------------------------------------------------------------------


def test_pe_residential_centres(report_lines, select):
    start = line_index(report_lines, r"^PERU has \*\*Specialized Residential")
    first = report_lines[start]
    name = re.search(r"\*\*(.+?)\*\*", first).group(1)
    service = one_by_name(select, "sec:CareService", name)
    text = "\n".join(report_lines[start:start + 20])
    m = re.search(r"there are (\w+) centres, located in (.+?)\.¹", text)
    count = NUMBER_WORDS[m.group(1)]
    rows = select("SELECT ?n ?loc WHERE { ?s sec:numberOfCentres ?n ; sec:locationAsPrinted ?loc }", s=_uri(service))
    assert rows == [{"n": str(count), "loc": m.group(2)}]
    assert count == sum(int(n) for n in re.findall(r"\((\d+)\)", m.group(2)))
    administered = re.search(r"administered by the (National Comprehensive Programme for Family Welfare) \((INABIF)", first)
    manager = select("SELECT ?i WHERE { ?s sec:managedBy ?i }", s=_uri(service))
    assert {normalise(administered[1]), normalise(administered[2])} <= names_of(select, manager[0]["i"])
    # the places printed are linked to the areas of Peru's statistics
    areas = {r["l"] for r in select("SELECT ?l WHERE { ?s sec:location/skos:prefLabel ?l }", s=_uri(service))}
    assert areas == set(re.findall(r"([A-Z][\w ]+?) \(\d+\)", m.group(2).replace("and ", "")))
    guide = re.search(r"\*(Individual Reintegration Plan Guide .+?)\*, adopted by (Supreme Decree No\. [\w-]+)", text)
    protocol = one_by_name(select, "sec:InteragencyProtocol", guide.group(1))
    basis = select("SELECT ?i WHERE { ?p sec:legalBasis ?i }", p=_uri(protocol))
    assert normalise(guide.group(2)) in names_of(select, basis[0]["i"])
    pilot = re.search(r"Since (\d{4}), MIMP, .+?implementing a \*(.+?)\*", text)
    service = one_by_name(select, "sec:CareService", pilot.group(2))
    assert select("SELECT ?y WHERE { ?s sec:year ?y }", s=_uri(service)) == [{"y": pilot.group(1)}]


def test_pe_training(report_lines, select):
    line = report_lines[line_index(report_lines, r"^In \*\*PERU\*\*, the \*National Policy against Trafficking")]
    name = re.search(r"Service 29: “\*(.+?)\*”", line).group(1)
    training = one_by_name(select, "sec:TrainingProgramme", name)
    policy = re.search(r"the \*(National Policy against Trafficking.+?)\*", line).group(1)
    rows = select("SELECT ?p WHERE { ?t sec:implements ?p }", t=_uri(training))
    assert len(rows) == 1 and normalise(policy) in names_of(select, rows[0]["p"])


# --- Section 6: participation ----------------------------------------------------------------------


def test_pe_participation(report_lines, select):
    start = line_index(report_lines, r"^In \*\*PERU\*\*, the MIMP promotes")
    line = report_lines[start]
    name, acronym = re.search(r"promotes \*\*(.+?)\*\* \((\w+), in Spanish\)", line).groups()
    mechanism = one_by_name(select, "sec:ParticipationMechanism", name)
    assert normalise(acronym) in names_of(select, mechanism)
    levels = select("SELECT ?l WHERE { ?m sec:participationLevel ?l }", m=_uri(mechanism))
    assert {r["l"].rsplit("/", 1)[-1] for r in levels} == {"local", "regional", "national"}
    challenges = re.search(r"challenges to participation: (.+?)\.²", report_lines[line_index(report_lines, r"^The State mentions as challenges to participation", after=start)]).group(1)
    items = re.split(r",\s*(?:and\s+)?(?=reversing|strengthening|achieving)", challenges)
    rows = select(
        """SELECT ?f WHERE { ?f a sec:Finding ; sec:concernsState ?st ; sec:findingType ?t ; sec:category ?c }""",
        st=_uri(PE),
        t=_uri(ID + "concept/finding-type/challenge"),
        c=_uri(ID + "concept/category/participation"),
    )
    assert len(rows) == len(items) == 3
