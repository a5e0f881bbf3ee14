"""Mexico (MX): the graph against the report text, sections 1-6.

Every test reads the fact from the report (the summary tables of sections 2.1
and 2.2, the prose of the Mexican paragraphs) and checks that the graph says
the same; nothing here is a copy of the Turtle.
"""

from __future__ import annotations

import re

import pytest
from rdflib import Literal, URIRef

from conftest import normalise

ID = "https://w3id.org/sec-kg/id/"
DATASET = ID + "dataset/mx-headline-figures"


# ---------------------------------------------------------------------------
# Helpers: locate Mexico's passages and table rows in the report
# ---------------------------------------------------------------------------


def _passage(report_lines, start_pattern, stop_pattern, after=0):
    """Text from the first line matching start_pattern (at or after line index `after`)
    up to, not including, the first later line matching stop_pattern."""
    start = next(i for i in range(after, len(report_lines)) if re.search(start_pattern, report_lines[i]))
    stop = next(i for i in range(start + 1, len(report_lines)) if re.search(stop_pattern, report_lines[i]))
    return "\n".join(report_lines[start:stop])


def _index(report_lines, pattern, after=0):
    return next(i for i in range(after, len(report_lines)) if re.search(pattern, report_lines[i]))


def _table_rows(report_lines, header_pattern, state="MEXICO"):
    """Rows (lists of cells) of one State in a tab-separated summary table."""
    header = _index(report_lines, header_pattern)
    first = _index(report_lines, r"^" + state + r"\t", header)
    rows = [report_lines[first].split("\t")]
    for line in report_lines[first + 1:]:
        if line.startswith("\t"):
            rows.append(line.split("\t"))
        elif line.strip() == "":
            continue
        else:
            break
    return rows


def _strip_p(cell: str) -> list[str]:
    """The paragraphs of a table cell (<p>...</p>), tags removed."""
    paras = re.findall(r"<p>(.*?)</p>", cell)
    return [p.strip() for p in paras] if paras else [cell.strip()]


def _split_names(paragraph: str) -> list[str]:
    """Institution names of a composition paragraph: ';' separates entries, and a
    comma separates two entries only where the next one starts with 'Ministry'."""
    names = []
    for piece in re.split(r";\s*|,\s*(?=Ministry )", paragraph):
        piece = piece.strip().rstrip(".").strip()
        piece = re.sub(r",?\s*among others$", "", piece)
        if piece:
            names.append(piece)
    return names


def _names_of(select, iri):
    rows = select(
        "SELECT ?n WHERE { { ?x rdfs:label ?n } UNION { ?x skos:altLabel ?n } }",
        x=_uri(iri),
    )
    return {normalise(r["n"]) for r in rows}


def _uri(iri):
    return URIRef(iri)


def _resource_named(select, name, cls):
    rows = select(
        f"""SELECT DISTINCT ?x WHERE {{ ?x a {cls} .
            {{ ?x rdfs:label ?n }} UNION {{ ?x skos:altLabel ?n }} }}""",
    )
    matches = [r["x"] for r in rows if r["x"].startswith(ID) and _names_of(select, r["x"]) & {normalise(name)}]
    return [m for m in matches if "/MX/" in m or "/int/" in m or "mx-" in m]


# ---------------------------------------------------------------------------
# Section 1: diagnosis
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def diagnosis_text(report_lines):
    return _passage(report_lines, r"^MEXICO addresses", r"^PERU reports")


def test_sintra_is_named_in_section_1(select, diagnosis_text):
    rows = select(
        """SELECT ?s ?label ?alt WHERE { ?s a sec:InformationSystem ; sec:state state:MX ;
             rdfs:label ?label ; skos:altLabel ?alt ; sec:operatedBy ?op . }"""
    )
    assert rows, "Mexico has an information system"
    text = normalise(diagnosis_text)
    for row in rows:
        assert normalise(row["label"]) in text
        assert normalise(row["alt"]) in text


def _printed_number(value: str) -> str:
    number = float(value)
    if number.is_integer():
        return f"{int(number):,}"
    return str(number)


def test_headline_counts_are_printed(select, diagnosis_text):
    rows = select(
        """SELECT ?o ?period ?count WHERE { ?o qb:dataSet ?ds ; sec:refPeriod ?period ; sec:count ?count . }""",
        ds=_uri(DATASET),
    )
    assert len(rows) >= 10
    for row in rows:
        printed = _printed_number(row["count"])
        assert re.search(r"(?<![\d,])" + re.escape(printed) + r"(?![\d,])", diagnosis_text), printed
        assert normalise(row["period"]).replace("between ", "") in normalise(diagnosis_text).replace(
            "between ", ""
        ) or row["period"] in diagnosis_text, row["period"]


def test_headline_percentages_are_printed(select, diagnosis_text):
    rows = select(
        """SELECT ?o ?pc WHERE { ?o qb:dataSet ?ds ; sec:percentage ?pc . }""",
        ds=_uri(DATASET),
    )
    assert rows
    for row in rows:
        printed = _printed_number(row["pc"]) + "%"
        assert printed in diagnosis_text, printed


def test_regional_figures_match_the_prose(select, diagnosis_text):
    """'the federal entities of Mexico (117), Nuevo León (69), ...' each as an area observation."""
    pairs = re.findall(r"([A-Z][\w ]+?|Mexico City) \((\d+)\)", diagnosis_text)
    pairs = [(name.replace("the federal entities of ", "").strip(), int(n)) for name, n in pairs]
    assert len(pairs) == 4
    rows = select(
        """SELECT ?label ?count WHERE { ?o qb:dataSet ?ds ; sec:area ?a ; sec:count ?count .
             ?a skos:prefLabel ?label . }""",
        ds=_uri(DATASET),
    )
    got = {(r["label"], int(r["count"])) for r in rows}
    for pair in pairs:
        assert pair in got, pair


def test_female_share_is_typed_female(select, diagnosis_text):
    assert "67% of whom were female" in diagnosis_text
    rows = select(
        """SELECT ?sex WHERE { ?o qb:dataSet ?ds ; sec:percentage 67.0 ; sec:sex ?sex . }""",
        ds=_uri(DATASET),
    )
    assert [r["sex"] for r in rows] == [ID + "concept/sex/female"]


# ---------------------------------------------------------------------------
# Section 2.1: coordination bodies (summary table and note 53)
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bodies_table(report_lines):
    return _table_rows(report_lines, r"^STATE\tCOORDINATION AREA")


def _body_by_label(select, label):
    rows = select(
        "SELECT ?b WHERE { ?b a sec:CoordinationBody ; sec:state state:MX ; rdfs:label ?l . }"
    )
    found = [r["b"] for r in rows if normalise(select(
        "SELECT ?l WHERE { ?b rdfs:label ?l }", b=_uri(r["b"]))[0]["l"]) == normalise(label)]
    assert len(found) == 1, f"one Mexican body labelled {label!r}, found {found}"
    return found[0]


def test_table_has_two_mexican_bodies(bodies_table):
    assert len(bodies_table) == 2


def test_body_labels_are_the_table_names(select, bodies_table):
    for row in bodies_table:
        _body_by_label(select, _strip_p(row[1])[0])


def _memberships(select, body):
    rows = select(
        """SELECT ?m ?role WHERE { ?ms a org:Membership ; org:organization ?b ; org:member ?m ; org:role ?role ;
             sec:reportSection ?sec ; prov:wasDerivedFrom ?src . }""",
        b=_uri(body),
    )
    return [(r["m"], r["role"].rsplit("/", 1)[-1]) for r in rows]


def test_every_listed_member_has_a_membership_with_the_printed_role(select, bodies_table):
    for row in bodies_table:
        body = _body_by_label(select, _strip_p(row[1])[0])
        members = _memberships(select, body)
        for paragraph in _strip_p(row[2]):
            role = "member"
            if paragraph.startswith("The following may participate with voice, but without vote:"):
                role = "voice-without-vote"
                paragraph = paragraph.split(":", 1)[1]
            for name in _split_names(paragraph):
                expected_role = role
                if name.endswith(", as chair") or name.endswith(" as chair"):
                    name = re.sub(r",?\s*as chair$", "", name)
                    expected_role = "chair"
                holders = [(m, r) for m, r in members if normalise(name) in _names_of(select, m)]
                assert holders, f"{name!r} is no member of {body}"
                assert {r for _, r in holders} == {expected_role}, (name, holders)
        # no membership beyond the printed cell
        printed = sum(len(_split_names(p.split(":", 1)[-1] if "without vote:" in p else p)) for p in _strip_p(row[2]))
        assert len(members) == printed


def test_members_are_mexican_institutions_with_a_sector(select, bodies_table):
    for row in bodies_table:
        body = _body_by_label(select, _strip_p(row[1])[0])
        for member, _ in _memberships(select, body):
            rows = select(
                "SELECT ?sector ?state WHERE { ?m a sec:Institution ; sec:sector ?sector . OPTIONAL { ?m sec:state ?state } }",
                m=_uri(member),
            )
            assert rows, member
            assert rows[0]["state"] == ID + "state/MX" or "/int/" in member


def test_regulations_cell_is_the_creating_instrument(select, bodies_table):
    for row in bodies_table:
        body = _body_by_label(select, _strip_p(row[1])[0])
        regulation = _strip_p(row[3])[0]
        created = select("SELECT ?i WHERE { ?b sec:createdBy ?i }", b=_uri(body))
        if regulation in ("-", "No data", ""):
            assert created == []
        else:
            assert len(created) == 1
            assert normalise(regulation) in _names_of(select, created[0]["i"])
            date = re.search(r"\((\d{1,2} \w+ \d{4})\)", regulation)
            if date:
                from datetime import datetime

                iso = datetime.strptime(date.group(1), "%d %B %Y").date().isoformat()
                got = select("SELECT ?d WHERE { ?i eli:date_document ?d }", i=_uri(created[0]["i"]))
                assert [r["d"] for r in got] == [iso]


def test_working_group_sits_within_comprevnna(select, bodies_table, report_text):
    wg_name = _strip_p(bodies_table[1][1])[0]
    assert wg_name.endswith("within COMPREVNNA")
    wg = _body_by_label(select, wg_name)
    parents = select("SELECT ?p WHERE { ?wg org:subOrganizationOf ?p }", wg=_uri(wg))
    assert len(parents) == 1
    assert "comprevnna" in _names_of(select, parents[0]["p"])
    assert "Commission to End All Forms of Violence against Children (COMPREVNNA" in report_text


def test_comprevnna_note_53(select, report_text):
    note = next(line for line in report_text.splitlines() if line.startswith("⁵³ COMPREVNNA was created by"))
    instrument = re.search(r"created by (Agreement \S+ of SIPINNA)", note).group(1)
    rows = select(
        """SELECT ?b ?i WHERE { ?b a sec:CoordinationBody ; skos:altLabel "COMPREVNNA"@en ; sec:createdBy ?i . }"""
    )
    assert len(rows) == 1
    assert normalise(instrument) in _names_of(select, rows[0]["i"])
    members = dict((m.rsplit("/", 1)[-1], r) for m, r in _memberships(select, rows[0]["b"]))
    assert "United Nations Children’s Fund as a permanent guest" in note
    assert members.get("united-nations-childrens-fund") == "permanent-guest"
    assert "Executive Secretariat of SIPINNA in the role of Technical Secretariat" in note
    assert "technical-secretariat" in members.values()
    for group in ("34 federal institutions", "17 Civil Society Organizations"):
        assert group in note
        assert _resource_named(select, group, "sec:Institution"), group


def test_institution_on_several_bodies_is_one_resource(select):
    """The Ministry of Foreign Affairs sits on both bodies of the table: one resource, two memberships."""
    rows = select(
        """SELECT ?m (COUNT(DISTINCT ?b) AS ?n) WHERE { ?ms org:member ?m ; org:organization ?b .
             ?b sec:state state:MX . ?m rdfs:label "Ministry of Foreign Affairs"@en } GROUP BY ?m"""
    )
    assert len(rows) == 1 and int(rows[0]["n"]) == 2


# ---------------------------------------------------------------------------
# Section 2.2: policies and plans (summary table)
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def policies_table(report_lines):
    return _table_rows(report_lines, r"^STATE\tPOLICIES/ PLANS")


def test_policies_table_rows(select, policies_table):
    assert len(policies_table) == 4
    for row in policies_table:
        name, adopted, validity = (c.strip() for c in row[1:4])
        rows = select(
            """SELECT ?p ?label ?date ?validity WHERE { ?p a sec:Policy ; sec:state state:MX ; rdfs:label ?label ;
                 sec:adoptionDate ?date ; sec:validityAsPrinted ?validity . }"""
        )
        match = [r for r in rows if normalise(r["label"]) == normalise(name)]
        assert len(match) == 1, name
        assert match[0]["date"] == adopted
        assert match[0]["validity"] == validity
        years = re.findall(r"\d{4}", validity)
        got = select(
            """SELECT ?b ?e WHERE { ?p sec:validity ?i . ?i time:hasBeginning/time:inXSDgYear ?b ;
                 time:hasEnd/time:inXSDgYear ?e . }""",
            p=_uri(match[0]["p"]),
        )
        assert [(r["b"], r["e"]) for r in got] == [(years[0], years[-1])]


def test_policies_named_in_prose_are_in_graph(select, report_lines):
    prose = _passage(report_lines, r"^In \*\*MEXICO\*\*, there are various public policy tools", r"^PERU is developing")
    for name in re.findall(r"\*\*(.+?)\*\*", prose):
        if name == "MEXICO":
            continue
        name = re.sub(r"\s*\(\w+, in Spanish\)$", "", name)
        assert _resource_named(select, name, "sec:Policy"), name


def test_action_plan_is_followed_up_by_working_group(select, report_lines):
    prose = _passage(report_lines, r"^- \*\*Working Group for the Protection of Children against SEC", r"^⁴⁹")
    assert "Action Line 2.6" in prose
    rows = select(
        """SELECT ?b ?p WHERE { ?b sec:followsUp ?p . ?p sec:followedUpBy ?b ; sec:state state:MX . }"""
    )
    assert len(rows) == 1
    assert "global partnership to end violence against children" in " ".join(_names_of(select, rows[0]["p"]))


# ---------------------------------------------------------------------------
# Section 2.3: protocols
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def protocols_text(report_lines):
    return _passage(report_lines, r"^Since 2021, \*\*MEXICO\*\*", r"^PERU has its 2005")


def test_protocols_are_printed(select, protocols_text):
    rows = select(
        """SELECT ?p ?label WHERE { ?p a sec:InteragencyProtocol ; sec:state state:MX ; rdfs:label ?label ;
             sec:reportSection "2.3" . }"""
    )
    assert len(rows) == 3
    for row in rows:
        assert normalise(row["label"]) in normalise(protocols_text), row["label"]


def test_pnci_year_and_adopter(select, protocols_text):
    assert re.search(r"Since (\d{4}).*\(PNCI, in Spanish\).*adopted by SIPINNA", protocols_text)
    year = re.search(r"Since (\d{4})", protocols_text).group(1)
    rows = select(
        """SELECT ?y ?who WHERE { ?p skos:altLabel "PNCI"@en ; sec:year ?y ; sec:participant ?who . }"""
    )
    assert [r["y"] for r in rows] == [year]
    assert "sipinna" in _names_of(select, rows[0]["who"])


def test_operation_salvation_participants(select, protocols_text):
    sentence = re.search(r"agreed by (.+?), on the criminal investigation", protocols_text).group(1)
    names = [n.strip() for n in re.split(r",\s*(?:and\s+)?", sentence.replace(", and the ", ", "))]
    names = [re.sub(r"^the ", "", n) for n in names if n]
    rows = select(
        """SELECT ?who WHERE { ?p a sec:InteragencyProtocol ; rdfs:label ?l ; sec:participant ?who .
             FILTER(CONTAINS(?l, "Operation Salvation")) }"""
    )
    holders = [_names_of(select, r["who"]) for r in rows]
    for name in names:
        assert any(normalise(name) in h for h in holders), name


# ---------------------------------------------------------------------------
# Section 3: prevention
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def prevention_text(report_lines):
    start = _index(report_lines, r"^3\. PREVENTION")
    return _passage(report_lines, r"^In \*\*MEXICO\*\*, the Executive Secretariat of SIPINNA", r"^In \*\*PERU\*\*", after=start)


def _any_mx_resource_named(select, name):
    rows = select(
        """SELECT DISTINCT ?x WHERE { { ?x rdfs:label ?n } UNION { ?x skos:altLabel ?n }
             ?x sec:state state:MX . }"""
    )
    target = normalise(name)
    return [r["x"] for r in rows if target in _names_of(select, r["x"])]


def test_named_prevention_measures_are_in_graph(select, prevention_text):
    names = re.findall(r"(?<!\*)\*([A-Z][^*]+?)\*(?!\*)", prevention_text)
    names += [q for q in re.findall(r"“\*?([^”*]+?)\*?”", prevention_text) if q[0].isupper() and len(q) < 150]
    names = {n.strip().rstrip(",") for n in names}
    assert len(names) >= 8
    for name in names:
        assert _any_mx_resource_named(select, name), name


def test_prevention_measures_have_promoters_or_say_none(select, prevention_text):
    rows = select(
        """SELECT ?m ?label (COUNT(?p) AS ?n) WHERE { ?m a sec:PreventionMeasure ; sec:state state:MX ;
             rdfs:label ?label ; sec:reportSection "3" . OPTIONAL { ?m sec:promotedBy ?p } } GROUP BY ?m ?label"""
    )
    assert len(rows) >= 10
    unpromoted = [r["label"] for r in rows if int(r["n"]) == 0]
    # only the unnamed activities and the code of conduct have no printed promoter
    assert len(unpromoted) <= 2, unpromoted


def test_classified_ads_monitoring(select, prevention_text, report_lines):
    year = re.search(r"since (\d{4}), classified ads", prevention_text).group(1)
    note = next(line for line in report_lines if line.startswith("¹¹⁵ "))
    locator = re.search(r"(Par\. \d+)", note).group(1)
    rows = select(
        """SELECT ?m ?y ?loc ?src WHERE { ?m a sec:PreventionMeasure ; sec:state state:MX ;
             sec:measureType <https://w3id.org/sec-kg/id/concept/measure-type/monitoring> ;
             sec:year ?y ; sec:sourceLocator ?loc ; prov:wasDerivedFrom ?src . }"""
    )
    assert len(rows) == 1
    assert rows[0]["y"] == year
    assert rows[0]["loc"] == locator
    assert rows[0]["src"].endswith("source/mx-crc-report")
    assert "Mexico" in note


# ---------------------------------------------------------------------------
# Section 4.1.2: national legislation
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def legislation_lines(report_lines):
    start = _index(report_lines, r"^4\.1\.2\. National Legislation")
    first = _index(report_lines, r"^MEXICO$", start)
    last = _index(report_lines, r"^PERU$", first)
    return report_lines[first + 1:last]


def _mx_instrument(select, name):
    rows = select(
        """SELECT DISTINCT ?i WHERE { ?i a ?c ; sec:state state:MX . ?c rdfs:subClassOf* sec:LegalInstrument .
             { ?i rdfs:label ?n } UNION { ?i skos:altLabel ?n } }"""
    )
    found = [r["i"] for r in rows if normalise(name) in _names_of(select, r["i"])]
    assert len(found) == 1, (name, found)
    return found[0]


def test_instruments_with_years(select, legislation_lines):
    headings = [re.match(r"^(.+?) \((\d{4})\)$", line) for line in legislation_lines]
    headings = [h for h in headings if h]
    assert len(headings) == 7
    for heading in headings:
        instrument = _mx_instrument(select, heading.group(1))
        years = select("SELECT ?y WHERE { ?i sec:year ?y }", i=_uri(instrument))
        assert [r["y"] for r in years] == [heading.group(2)], heading.group(0)


def test_articles_are_provisions_of_their_instrument(select, legislation_lines):
    current = None
    checked = 0
    for line in legislation_lines:
        heading = re.match(r"^(.+?) \((\d{4})\)$", line)
        if heading:
            current = _mx_instrument(select, heading.group(1))
            continue
        for group in re.findall(r"\((?:Art|Arts)\. ([^)]+)\)|Article (\d+) ", line):
            for number in re.split(r"\s+and\s+", group[0] or group[1]):
                rows = select(
                    "SELECT ?p WHERE { ?p eli:is_part_of ?i ; sec:articleNumber ?n . }",
                    i=_uri(current),
                    n=Literal(number.strip()),
                )
                assert len(rows) == 1, (line[:60], number)
                checked += 1
    assert checked >= 8


def test_criminal_code_offences(select, legislation_lines):
    text = "\n".join(legislation_lines)
    code = _mx_instrument(select, "Federal Criminal Code")
    offences = re.findall(r"“(.+?)” \(Arts?\. ([^)]+)\)", text)
    assert len(offences) == 3
    for name, articles in offences:
        rows = select(
            """SELECT ?o ?n ?nsl WHERE { ?o a sec:Offence ; rdfs:label ?l ; sec:definedIn ?p ;
                 sec:noStatuteOfLimitations ?nsl . ?p eli:is_part_of ?code ; sec:articleNumber ?n .
                 FILTER(STR(?l) = ?name) }""",
            code=_uri(code),
            name=Literal(name),
        )
        assert {r["n"] for r in rows} == set(re.split(r"\s+and\s+", articles)), name
        # "These crimes have no statute of limitations (Art. 107 Bis)"
        assert "These crimes have no statute of limitations (Art. 107 Bis)" in text
        assert {r["nsl"] for r in rows} == {"true"}


def test_trafficking_offence_in_article_10(select, legislation_lines):
    text = "\n".join(legislation_lines)
    assert "(Art. 10)" in text and "articles 13 to 20 of this Act" in text
    act = _mx_instrument(
        select,
        "General Act to Prevent, Punish and Eradicate Crimes Involving Trafficking in Persons and to Protect and Assist Victims of these Crimes",
    )
    rows = select(
        """SELECT ?o WHERE { ?o a sec:Offence ; sec:definedIn ?p ; sec:modality ?m . ?p eli:is_part_of ?act ;
             sec:articleNumber "10" . }""",
        act=_uri(act),
    )
    assert len(rows) == 1


# ---------------------------------------------------------------------------
# Section 4.2: access to justice
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def justice_text(report_lines):
    start = _index(report_lines, r"^4\.2\. Access to justice")
    return _passage(report_lines, r"^In \*\*MEXICO\*\*, the \*General Act", r"^In \*\*PERU\*\*", after=start)


def test_minimum_rights_of_the_general_act(select, justice_text):
    listed = re.search(r"the following rights: (.+?)\.¹", justice_text).group(1)
    printed = [normalise(p) for p in listed.split(";")]
    act = _mx_instrument(select, re.search(r"the \*(.+?)\* stipulates", justice_text).group(1))
    rows = select("SELECT ?l WHERE { ?i sec:grantsRight ?r . ?r skos:prefLabel ?l ; skos:inScheme ?s }", i=_uri(act))
    got = [normalise(r["l"]) for r in rows]
    assert len(got) == len(printed) == 5
    for label in got:
        assert any(label in item for item in printed), label


def test_protection_measures_and_instruments(select, justice_text):
    examples = re.search(r"\(for example, (.+?)\)", justice_text).group(1)
    measures = [normalise(m) for m in re.split(r",\s*", examples)]
    names = re.search(r"In addition, the (.+?) establish procedures", justice_text).group(1)
    names = [n.strip() for n in re.split(r",\s+the\s+|\s+and\s+the\s+(?=Regulations)", names)]
    names = [re.sub(r"\s*\(LGV\)$", "", n) for n in names]
    assert len(names) == 4
    for name in names:
        instrument = _mx_instrument(select, name)
        rows = select("SELECT ?l WHERE { ?i sec:grantsRight/skos:prefLabel ?l }", i=_uri(instrument))
        assert {normalise(r["l"]) for r in rows} >= set(measures), name
        mech = select(
            "SELECT ?j WHERE { ?j a sec:AccessToJusticeMechanism ; sec:state state:MX ; sec:legalBasis ?i }",
            i=_uri(instrument),
        )
        assert mech, name


# ---------------------------------------------------------------------------
# Sections 5.1 and 5.2: recovery
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def care_text(report_lines):
    return _passage(report_lines, r"^MEXICO describes a number of bodies", r"^PERU has \*\*Specialized")


def test_bodies_created_by_law(select, care_text):
    pairs = [
        (r"the (General Act on Children and Adolescents) creates the \*\*(.+?)\*\* \((\w+), in Spanish\)"),
        (r"the (General Act on Victims) has created a \*\*(.+?)\*\*"),
    ]
    for pattern in pairs:
        match = re.search(pattern, care_text)
        assert match, pattern
        act = _mx_instrument(select, match.group(1))
        created = _any_mx_resource_named(select, match.group(2))
        assert len(created) == 1, match.group(2)
        rows = select("SELECT ?x WHERE { ?i sec:creates ?x . ?x sec:createdBy ?i }", i=_uri(act))
        assert created[0] in {r["x"] for r in rows}
        if match.lastindex == 3:
            assert normalise(match.group(3)) in _names_of(select, created[0])


def test_ceav_operates_the_victims_system(select, care_text):
    acronym = re.search(r"Executive Commission for Care to Victims \((\w+), in Spanish\)", care_text).group(1)
    rows = select(
        """SELECT ?sys WHERE { ?sys sec:operatedBy ?c . ?c skos:altLabel ?a . FILTER(STR(?a) = ?acr) }""",
        acr=Literal(acronym),
    )
    assert len(rows) == 1
    assert "national system for care to victims" in _names_of(select, rows[0]["sys"])


def test_no_care_service_is_invented(select, care_text):
    assert "does not refer to a specific service or programme" in care_text
    assert select("SELECT ?s WHERE { ?s a sec:CareService ; sec:state state:MX }") == []


@pytest.fixture(scope="module")
def training_text(report_lines):
    start = _index(report_lines, r"^5\.2\. On specific training")
    return _passage(report_lines, r"^In \*\*MEXICO\*\*, the Executive Secretariat of SIPINNA carried out", r"^In \*\*PERU\*\*", after=start)


def test_training_courses(select, training_text):
    courses = re.findall(r"“(.+?)”", training_text)
    assert len(courses) == 2
    for course in courses:
        rows = select(
            """SELECT ?t ?by WHERE { ?t a sec:TrainingProgramme ; sec:state state:MX ; rdfs:label ?l ;
                 sec:promotedBy ?by . FILTER(STR(?l) = ?name) }""",
            name=Literal(course),
        )
        assert len(rows) == 1, course
        assert "SNDIF National System" in training_text
        assert "sndif national system" in _names_of(select, rows[0]["by"])
    tourism = re.search(r"and an (awareness-raising course on .+?), offered by the (Ministry of Tourism)", training_text)
    found = _any_mx_resource_named(select, tourism.group(1))
    assert len(found) == 1
    programmes = {r["x"] for r in select("SELECT ?x WHERE { ?x a sec:TrainingProgramme ; sec:promotedBy ?by }")}
    assert found[0] in programmes
    by = select("SELECT ?by WHERE { ?x sec:promotedBy ?by }", x=_uri(found[0]))
    assert normalise(tourism.group(2)) in _names_of(select, by[0]["by"])


# ---------------------------------------------------------------------------
# Section 6: participation
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def participation_text(report_lines):
    return _passage(report_lines, r"^MEXICO describes a participation experience", r"^In \*\*PERU\*\*, the MIMP promotes")


def test_survey(select, participation_text):
    match = re.search(r"In \w+ (\d{4}), the (Ministry of Tourism), in collaboration with (.+?) and (SE SIPINNA), held a (.+?), within", participation_text)
    year, promoter, partner1, partner2, name = match.groups()
    found = _any_mx_resource_named(select, name)
    assert len(found) == 1
    rows = select(
        """SELECT ?y ?by ?level WHERE { ?m a sec:ParticipationMechanism ; sec:year ?y ; sec:promotedBy ?by ;
             sec:participationLevel ?level . }""",
        m=_uri(found[0]),
    )
    assert [r["y"] for r in rows] == [year]
    assert normalise(promoter) in _names_of(select, rows[0]["by"])
    partners = select("SELECT ?p WHERE { ?m sec:partner ?p }", m=_uri(found[0]))
    partner_names = set().union(*(_names_of(select, r["p"]) for r in partners))
    assert {normalise(partner1), normalise(partner2)} <= partner_names
    assert "115,086" in participation_text


def test_participation_challenges(select, participation_text):
    block = participation_text.split("Among the challenges identified by the State are:", 1)[1]
    bullets = [line for line in block.splitlines() if line.startswith("- ")]
    assert len(bullets) == 3
    rows = select(
        """SELECT ?f WHERE { ?f a sec:Finding ; sec:concernsState state:MX ; sec:findingType ?t ; sec:category ?c ;
             rdfs:comment ?comment . FILTER(STRENDS(STR(?t), "/challenge") && STRENDS(STR(?c), "/participation")) }"""
    )
    assert len(rows) == len(bullets)
