"""Colombia (sections 1, 2.1-2.3, 3, 4.1.2, 4.2, 5, 6): the graph against the report as printed.

Every test reads the fact from the report text first (table rows, headings, bullet
lines, sentences) and then looks for it in the graph, so a fact that is changed or
dropped on either side makes a test fail.
"""

from __future__ import annotations

import re

import pytest

from conftest import normalise

CO = "https://w3id.org/sec-kg/id/state/CO"


# ---------------------------------------------------------------- helpers


def _table_rows(report_lines, first_cell_prefix, header_prefix):
    """The tab-separated rows of Colombia in the summary table whose header starts with header_prefix."""
    start = next(i for i, line in enumerate(report_lines) if line.startswith(header_prefix))
    rows = []
    for line in report_lines[start + 1:]:
        if line.startswith(first_cell_prefix):
            rows.append(line.split("\t"))
        elif rows and line.startswith("\t"):
            rows.append(line.split("\t"))
        elif rows:
            break
    assert rows, f"no row {first_cell_prefix!r} after {header_prefix!r}"
    return rows


def _names_of(select, iri):
    rows = select(
        "SELECT ?n WHERE { { ?x rdfs:label ?n } UNION { ?x skos:altLabel ?n } }", x=_uri(iri)
    )
    return {normalise(r["n"]) for r in rows}


def _uri(iri):
    from rdflib import URIRef

    return URIRef(iri)


def _section(report_lines, start_pred, end_pred):
    start = next(i for i, line in enumerate(report_lines) if start_pred(line))
    end = next(i for i in range(start + 1, len(report_lines)) if end_pred(report_lines[i]))
    return report_lines[start:end]


def _split_outside_brackets(text, sep):
    parts, depth, cur = [], 0, ""
    for ch in text:
        depth += ch == "("
        depth -= ch == ")"
        if ch == sep and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return [p.strip() for p in parts if p.strip()]


ROLE_PHRASES = {
    ", as chair": "chair",
    ", in the role of Technical Secretariat": "technical-secretariat",
}
GROUP_PREFIXES = (
    "a) State entities:",
    "b) Permanent guests:",
    "The highest authorities or delegates of the following institutions:",
)


def _composition(cell):
    """(name, role) pairs printed in a composition cell."""
    text = re.sub(r"</?p>", "\n", cell)
    pairs = []
    for block in [b.strip() for b in text.split("\n") if b.strip()]:
        default = "permanent-guest" if block.startswith("b) Permanent guests:") else "member"
        for prefix in GROUP_PREFIXES:
            if block.startswith(prefix):
                block = block[len(prefix):]
        for item in _split_outside_brackets(block.rstrip("."), ";"):
            role = default
            for phrase, r in ROLE_PHRASES.items():
                if item.endswith(phrase):
                    item, role = item[: -len(phrase)], r
            bracket = re.search(r"\s*\((.*)\)$", item)
            if bracket:
                item = item[: bracket.start()]
                inner = bracket.group(1)
                if not inner.startswith("now "):  # "(now separate, ...)" is a note, not members
                    pairs += [(n, role) for n in _split_outside_brackets(inner, ",")]
            pairs.append((item.strip(), role))
    return pairs


def _membership_index(select, body_label):
    rows = select(
        """SELECT ?body ?m ?member ?role ?n WHERE {
             ?body a sec:CoordinationBody ; sec:state state:CO ; rdfs:label ?bl .
             FILTER (STR(?bl) = ?want)
             ?m a org:Membership ; org:organization ?body ; org:member ?member ; org:role ?role .
             { ?member rdfs:label ?n } UNION { ?member skos:altLabel ?n }
           }""".replace("?want", '"' + body_label.replace('"', '\\"') + '"')
    )
    assert rows, f"no body labelled {body_label!r} with memberships"
    return rows


# ---------------------------------------------------------------- section 2.1


def _coordination_rows(report_lines):
    return _table_rows(report_lines, "COLOMBIA\t", "STATE\tCOORDINATION AREA")


def test_every_body_of_the_table_is_in_the_graph_with_its_printed_name(report_lines, select):
    rows = _coordination_rows(report_lines)
    assert len(rows) == 3
    labels = {
        r["l"]
        for r in select("SELECT ?l WHERE { ?b a sec:CoordinationBody ; sec:state state:CO ; rdfs:label ?l }")
    }
    for row in rows:
        assert row[1].strip() in labels


@pytest.mark.parametrize("row_index", [0, 1, 2])
def test_each_printed_member_of_a_body_has_its_membership_and_role(report_lines, select, row_index):
    row = _coordination_rows(report_lines)[row_index]
    printed = _composition(row[2])
    index = _membership_index(select, row[1].strip())
    by_name = {}
    for r in index:
        by_name.setdefault(normalise(r["n"]), set()).add((r["member"], r["role"].rsplit("/", 1)[1]))
    members_found = set()
    for name, role in printed:
        key = normalise(name)
        if key not in by_name:
            # "Fondelibertad, the Special Administrative Unit ...": commas also separate members
            parts = [normalise(re.sub(r"^the ", "", p)) for p in name.split(", ")]
            assert len(parts) > 1 and all(p in by_name for p in parts), f"member {name!r} not found"
            for p in parts:
                assert role in {r for _, r in by_name[p]}, (name, role, by_name[p])
                members_found |= {m for m, _ in by_name[p]}
            continue
        assert role in {r for _, r in by_name[key]}, (name, role, by_name[key])
        members_found |= {m for m, _ in by_name[key]}
    # no member in the graph that the cell does not print
    assert members_found == {r["member"] for r in index}


def test_member_names_are_printed_in_the_report(report_text, select):
    text = normalise(report_text)
    rows = select(
        """SELECT DISTINCT ?l WHERE { ?m org:organization ?b ; org:member ?x . ?b sec:state state:CO .
                                     ?x rdfs:label ?l }"""
    )
    assert rows
    for r in rows:
        assert normalise(r["l"]) in text, r["l"]


def test_regulations_cell_is_the_creating_instrument(report_lines, select):
    for row in _coordination_rows(report_lines):
        regulation = row[3].strip()
        rows = select(
            """SELECT ?i WHERE { ?b a sec:CoordinationBody ; rdfs:label ?bl ; sec:createdBy ?i .
                                 { ?i rdfs:label ?n } UNION { ?i skos:altLabel ?n }
                                 FILTER (STR(?bl) = "%s" && STR(?n) = "%s") }"""
            % (row[1].strip(), regulation)
        )
        assert rows, (row[1], regulation)


def test_chairs_and_secretariat_named_in_the_prose(report_text, select):
    # "led by the Ministry of Health and Social Protection" (committee on SEC), technical
    # secretariat "in charge of the Colombian Family Welfare Institute" (advisory committee)
    assert "is led by the Ministry of Health and Social Protection" in report_text
    assert "technical secretariat in charge of the Colombian Family Welfare Institute" in report_text
    rows = select(
        """SELECT ?role WHERE { ?m org:organization ?b ; org:member ?x ; org:role ?role .
               ?b sec:state state:CO ; sec:focus <https://w3id.org/sec-kg/id/concept/focus/sexual-violence> .
               ?x skos:altLabel "ICBF"@en }"""
    )
    assert [r["role"].rsplit("/", 1)[1] for r in rows] == ["technical-secretariat"]


def test_prose_variants_of_body_names_are_alt_labels(report_lines, select):
    block = _section(report_lines, lambda l: l.startswith("In **COLOMBIA**, there are various interagency"),
                     lambda l: l.startswith("ECUADOR has two interagency"))
    prose_names = [m.strip(" .") for m in re.findall(r"^- \*\*(?:The )?(.+?)\*\*", "\n".join(block), re.M)]
    assert len(prose_names) == 3
    all_names = set()
    for r in select("SELECT ?b WHERE { ?b a sec:CoordinationBody ; sec:state state:CO }"):
        all_names |= _names_of(select, r["b"])
    for name in prose_names:
        assert normalise(name) in all_names, name


def test_creating_instrument_dates_from_the_notes(report_text, select):
    notes = re.findall(r"(?:Created via|Created by|Established by) Act No\. (\d+)[^\[\n]*?(\d{1,2} \w+ \d{4})\. \[Act \1 ", report_text)
    assert len(notes) == 3
    for number, printed in notes:
        day, month, year = printed.split()
        months = ["January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December"]
        iso = f"{year}-{months.index(month) + 1:02d}-{int(day):02d}"
        rows = select(
            'SELECT ?d WHERE { ?i eli:number "%s" ; sec:state state:CO ; eli:date_document ?d }' % number
        )
        assert [r["d"] for r in rows] == [iso], number


# ---------------------------------------------------------------- section 2.2


def test_policies_table_rows(report_lines, select):
    rows = _table_rows(report_lines, "COLOMBIA\t", "STATE\tPOLICIES/ PLANS")
    assert len(rows) == 2
    for row in rows:
        name, adopted, validity = (c.strip() for c in row[1:4])
        found = select(
            """SELECT ?p ?date ?valid ?b ?e WHERE {
                 ?p a sec:Policy ; sec:state state:CO ; rdfs:label ?l ;
                    sec:adoptionDate ?date ; sec:validityAsPrinted ?valid ;
                    sec:validity [ time:hasBeginning/time:inXSDgYear ?b ; time:hasEnd/time:inXSDgYear ?e ] .
                 FILTER (STR(?l) = "%s") }""" % name
        )
        assert len(found) == 1, name
        f = found[0]
        assert f["date"] == adopted
        assert f["valid"] == validity
        assert [f["b"], f["e"]] == re.findall(r"\d{4}", validity)


def test_policy_line_is_led_by_the_family_welfare_institute(report_text, select):
    assert re.search(r"Public Policy Line for the prevention.*?is being implemented, led by the Colombian Family Welfare Institute", report_text)
    rows = select(
        """SELECT ?x WHERE { ?p a sec:Policy ; sec:state state:CO ; sec:focus ?f ; sec:ledBy ?x .
                             ?x skos:altLabel "ICBF"@en }"""
    )
    assert len(rows) == 1


def test_trafficking_strategy_adopted_by_decree_and_followed_up(report_text, select):
    m = re.search(r"promoted by the (Interagency Committee to Combat Trafficking in Persons) and adopted by (Decree (\d+) of (\d{4}))", report_text)
    assert m
    rows = select(
        """SELECT ?d ?b WHERE { ?p a sec:Policy ; sec:state state:CO ; sec:legalBasis ?d ; sec:followedUpBy ?b .
                                ?d eli:number "%s" ; sec:year ?y . FILTER (STR(?y) = "%s")
                                ?b skos:altLabel ?n . FILTER (STR(?n) = "%s") }""" % (m.group(3), m.group(4), m.group(1))
    )
    assert len(rows) == 1


# ---------------------------------------------------------------- section 2.3


def test_technical_guidelines_are_protocols(report_text, select):
    m = re.search(r"In \*\*COLOMBIA\*\*, “the ICBF has (technical guidelines for the care of children and adolescents who are victims of human trafficking) and \(\.\.\.\) (Technical Guidelines for the care of children and adolescents with threatened or violated rights who are victims of sexual violence)", report_text)
    assert m
    names = set()
    for r in select("SELECT ?p WHERE { ?p a sec:InteragencyProtocol ; sec:state state:CO ; sec:reportSection \"2.3\" }"):
        names |= _names_of(select, r["p"])
    assert normalise(m.group(1)) in names and normalise(m.group(2)) in names


# ---------------------------------------------------------------- section 1


def _co_diagnosis(report_lines):
    return "\n".join(_section(report_lines, lambda l: l.startswith("In **COLOMBIA**, there are various institutions"),
                              lambda l: l.startswith("In **ECUADOR** there are various")))


def _obs(select, **filters):
    where = " ".join(f"; {k} {v}" for k, v in filters.items())
    return select(
        f"""SELECT ?o ?count ?pct WHERE {{ ?o qb:dataSet <https://w3id.org/sec-kg/id/dataset/co-headline-figures> {where} .
               OPTIONAL {{ ?o sec:count ?count }} OPTIONAL {{ ?o sec:percentage ?pct }} }}"""
    )


def test_restoration_procedures_total_and_by_sex(report_lines, select):
    text = _co_diagnosis(report_lines)
    total = re.search(r"([\d,]+) Administrative Procedures for the Restoration of Right", text).group(1)
    girls = re.search(r"(\d+)% \(([\d,]+) cases\) are girls", text)
    boys = re.search(r"(\d+)% \(([\d,]+) cases\) are boys", text)
    assert int(total.replace(",", "")) in {int(r.get("count")) for r in _obs(select, **{"sec:subject": "<https://w3id.org/sec-kg/id/concept/subject/procedures>", "sec:sex": "<https://w3id.org/sec-kg/id/concept/sex/total>", "sec:area": "state:CO"}) if r.get("count")}
    for m, sex in ((girls, "female"), (boys, "male")):
        rows = _obs(select, **{"sec:subject": "<https://w3id.org/sec-kg/id/concept/subject/procedures>", "sec:sex": f"<https://w3id.org/sec-kg/id/concept/sex/{sex}>"})
        assert int(m.group(2).replace(",", "")) in {int(r["count"]) for r in rows if r.get("count")}
        assert float(m.group(1)) in {float(r.get("pct")) for r in rows if r.get("pct")}


def test_age_share_of_restoration_procedures(report_lines, select):
    text = _co_diagnosis(report_lines)
    pct, low, high = re.search(r"(\d+)% of the victims are between the ages of (\d+) and (\d+)", text).groups()
    rows = _obs(select, **{"sec:ageRange": f"<https://w3id.org/sec-kg/id/concept/age/{low}-{high}>"})
    assert [float(r.get("pct")) for r in rows] == [float(pct)]


def test_regions_with_most_cases(report_lines, select):
    text = _co_diagnosis(report_lines)
    regions = re.findall(r"regional ([A-Z][\w ]+?), with (\d+) [a-z ]+\((\d+(?:\.\d+)?)%\)", text)
    assert len(regions) == 4
    for name, count, pct in regions:
        rows = select(
            """SELECT ?count ?pct WHERE { ?a skos:prefLabel ?l ; skos:inScheme <https://w3id.org/sec-kg/id/scheme/area-co> .
                   FILTER (STR(?l) = "regional %s")
                   ?o sec:area ?a . OPTIONAL { ?o sec:count ?count } OPTIONAL { ?o sec:percentage ?pct } }""" % name
        )
        assert int(count) in {int(r["count"]) for r in rows if r.get("count")}, name
        assert float(pct) in {float(r.get("pct")) for r in rows if r.get("pct")}, name


def test_prosecution_and_police_figures_2023(report_lines, select):
    text = _co_diagnosis(report_lines)
    victims, female = re.search(r"in 2023, (\d+) children and adolescents were victims.*?\*\*([\d.]+)% were female", text, re.S).groups()
    crimes, sec, share = re.search(r"2023, ([\d,]+) sex-related crimes against children and adolescents, of which (\d+) \((\d+)%\)", text).groups()
    counts = {int(r.get("count")) for r in _obs(select, **{"sec:refPeriod": '"2023"'}) if r.get("count")}
    pcts = {float(r.get("pct")) for r in _obs(select, **{"sec:refPeriod": '"2023"'}) if r.get("pct")}
    assert {int(victims), int(crimes.replace(",", "")), int(sec)} <= counts
    assert {float(female), float(share)} <= pcts


def test_offence_shares_point_to_the_printed_articles(report_lines, select):
    text = _co_diagnosis(report_lines)
    shares = re.findall(r"\*\*“([^”]+)”\*\* \(Art\. (\w+) of the Criminal Code\)[^(]*?\((\d+)% of( the)? victims\)", text)
    assert len(shares) == 2
    for name, article, pct, _ in shares:
        rows = select(
            """SELECT ?pct ?art WHERE { ?o qb:dataSet <https://w3id.org/sec-kg/id/dataset/co-headline-figures> ;
                   sec:caseType ?off ; sec:percentage ?pct . ?off skos:altLabel ?n ; sec:definedIn/sec:articleNumber ?art .
                   FILTER (LCASE(STR(?n)) = "%s") }""" % name.lower()
        )
        assert [float(r.get("pct")) for r in rows] == [float(pct)], name
        assert normalise(rows[0]["art"]).replace("-", "") == normalise(article), (article, rows[0]["art"])


def test_reported_scenarios(report_lines, select):
    text = _co_diagnosis(report_lines)
    printed = {
        "community": "**community level**",
        "travel-tourism": "**associated with travel and tourism**",
        "digital": "**Virtual environments**",
        "armed-conflict": "**armed conflict context**",
    }
    for slug, phrase in printed.items():
        assert phrase in text
    got = {r["s"].rsplit("/", 1)[1] for r in select("SELECT ?s WHERE { state:CO sec:reportsScenario ?s }")}
    assert got == set(printed)


def test_mission_information_system(report_lines, select):
    text = _co_diagnosis(report_lines)
    name, acronym = re.search(r"\*([^*]+)\* – (\w+) \(for its acronym in Spanish\)", text).groups()
    rows = select(
        """SELECT ?op WHERE { ?s a sec:InformationSystem ; sec:state state:CO ; rdfs:label ?l ; skos:altLabel ?a ; sec:operatedBy ?op .
               FILTER (STR(?l) = "%s" && STR(?a) = "%s") }""" % (name, acronym)
    )
    assert len(rows) == 1
    assert "colombian institute of family welfare" in _names_of(select, rows[0]["op"])


# ---------------------------------------------------------------- section 3


def _co_prevention(report_lines):
    return "\n".join(_section(report_lines, lambda l: l.startswith("In **COLOMBIA**, one of the goals"),
                              lambda l: l.startswith("In **ECUADOR**, various prevention")))


def test_prevention_measures_named_in_italics_are_in_the_graph(report_lines, select):
    text = _co_prevention(report_lines)
    italic = {m.strip("“” ") for m in re.findall(r"(?<![\w*])\*([^*\s][^*]*?[^*\s])\*(?![\w*])", text)}
    italic -= {"Public Policy Line for the Prevention and Eradication of Commercial Sexual Exploitation of Children and Adolescents 2018-2028",
               "grooming", "sexting"}
    names = set()
    for r in select("SELECT ?m WHERE { ?m a sec:PreventionMeasure ; sec:state state:CO }"):
        names |= _names_of(select, r["m"])
    for name in italic:
        assert normalise(name) in names, name


def test_eyes_everywhere_campaign(report_lines, select):
    text = _co_prevention(report_lines)
    ministry, year = re.search(r"the (Ministry of [\w, ]+?) has been leading, since (\d{4}), the # OjosEnTodasPartes", text).groups()
    rows = select(
        """SELECT ?y ?by WHERE { ?m a sec:PreventionMeasure ; rdfs:label "# OjosEnTodasPartes National Prevention Campaign"@en ;
               sec:year ?y ; sec:promotedBy ?by }"""
    )
    assert [r["y"] for r in rows] == [year]
    assert normalise(ministry) in _names_of(select, rows[0]["by"])


def test_in_ict_i_trust_is_run_by_the_ict_ministry(report_lines, select):
    text = _co_prevention(report_lines)
    assert "the ICT Ministry implements the “In ICT I Trust” programme" in text
    rows = select(
        """SELECT ?by WHERE { ?m rdfs:label "In ICT I Trust"@en ; sec:promotedBy ?by ; sec:scenario ?s .
               FILTER (STRENDS(STR(?s), "/digital")) }"""
    )
    assert len(rows) == 1 and "ict ministry" in _names_of(select, rows[0]["by"])


# ---------------------------------------------------------------- section 4.1.2


def _co_legislation(report_lines):
    return _section(report_lines, lambda l: l.startswith("COLOMBIA¹³³"), lambda l: l.strip() == "ECUADOR")


def test_instrument_headings(report_lines, select):
    block = _co_legislation(report_lines)
    headings = [re.match(r"(Act|Decree) (\d+) of (\d{4})", l) for l in block]
    headings = [h for h in headings if h]
    assert len(headings) >= 10
    for kind, number, year in (h.groups() for h in headings):
        rows = select(
            """SELECT ?y ?d WHERE { ?i eli:number "%s" ; sec:state state:CO .
                   OPTIONAL { ?i sec:year ?y } OPTIONAL { ?i eli:date_document ?d } }""" % number
        )
        assert len(rows) == 1, number
        assert year in {rows[0].get("y"), (rows[0].get("d") or "")[:4]}, number
        assert f"{kind} {number} of {year}" in {
            n for n in (r["n"] for r in select(
                'SELECT ?n WHERE { ?i eli:number "%s" ; sec:state state:CO . { ?i rdfs:label ?n } UNION { ?i skos:altLabel ?n } }' % number))
        }


def test_constitution_articles(report_lines, select):
    block = "\n".join(_co_legislation(report_lines))
    year = re.search(r"Political Constitution of Colombia \((\d{4})\)", block).group(1)
    arts = set(re.findall(r"Arts?\. (\d+)(?: and (\d+))?\)", block.split("Act 1098")[0])[0]) | set(
        re.findall(r"Art\. (\d+), no\. 7", block))
    rows = select(
        """SELECT ?n ?y WHERE { ?c a sec:Constitution ; sec:state state:CO ; sec:year ?y .
               ?p eli:is_part_of ?c ; sec:articleNumber ?n }"""
    )
    assert {r["y"] for r in rows} == {year}
    assert {a for a in arts if a} == {r["n"] for r in rows}


def test_criminal_code_offences(report_lines, select):
    block = _co_legislation(report_lines)
    start = next(i for i, l in enumerate(block) if l.startswith("Act 599 of 2000"))
    bullets = []
    for line in block[start + 1:]:
        if line.startswith("Act "):
            break
        if line.startswith("- "):
            bullets.append(line[2:])
    assert len(bullets) == 9
    for bullet in bullets:
        name = re.sub(r"[“”]", "", bullet.split(" (")[0]).strip()
        articles = re.findall(r"Art\. (\d+(?:-?[A-Z])?)", bullet)
        rows = select(
            """SELECT ?art WHERE { ?o a sec:Offence ; sec:state state:CO ; rdfs:label ?l ; sec:definedIn ?p .
                   ?p sec:articleNumber ?art ; eli:is_part_of ?code . ?code rdfs:label "Criminal Code"@en .
                   FILTER (STR(?l) = "%s") }""" % name
        )
        assert sorted(r["art"] for r in rows) == sorted(articles), (name, articles)


def test_offences_have_a_modality_or_scenario(select):
    rows = select(
        """SELECT ?o WHERE { ?o a sec:Offence ; sec:state state:CO .
               FILTER NOT EXISTS { ?o sec:modality ?m } FILTER NOT EXISTS { ?o sec:scenario ?s } }"""
    )
    assert rows == []


def _amends(select, number):
    return {
        r["n"] for r in select(
            """SELECT ?n WHERE { ?a eli:number "%s" ; sec:state state:CO ; eli:amends ?b . ?b eli:number ?n }""" % number
        )
    }


def test_amendments_printed_in_titles(report_lines, select):
    block = "\n".join(_co_legislation(report_lines))
    m = re.search(r"Act (\d+) of \d{4} – By which some articles of Acts (\d+) of \d{4} and (\d+) of \d{4} are amended", block)
    assert m and {m.group(2), m.group(3)} <= _amends(select, m.group(1))
    m = re.search(r"Act (\d+) of \d{4} – By which the national early warning system.*?, Act (\d+) of \d{4} is amended", block)
    assert m and m.group(2) in _amends(select, m.group(1))
    m = re.search(r"Act (\d+) of \d{4} – In which the Code of Criminal Procedure is issued \(amended in accordance with Decree (\d+) of \d{4}\)", block)
    assert m and m.group(1) in _amends(select, m.group(2))
    m = re.search(r"Act (\d+) of \d{4} – Regulates on awareness-raising.*?amends the Criminal Code, the Code of Criminal Procedure and Act (\d+) of \d{4}", block)
    assert m and {"599", "906", m.group(2)} <= _amends(select, m.group(1))
    assert "Amends the Criminal Code, adding article 219" in block
    assert "599" in _amends(select, "1336")
    assert "This chapter was amended through Act 1329 of 2009" in "\n".join(report_lines)
    assert "599" in _amends(select, "1329")


def test_no_statute_of_limitations(report_lines, select):
    block = "\n".join(_co_legislation(report_lines))
    number = re.search(r"Act (\d+) of \d{4} – Which declares that there is no statute of limitations", block).group(1)
    rows = select('SELECT ?v WHERE { ?i eli:number "%s" ; sec:state state:CO ; sec:noStatuteOfLimitations ?v }' % number)
    assert [r["v"] for r in rows] == ["true"]


def test_victims_rights_of_article_11(report_lines, select):
    block = "\n".join(_co_legislation(report_lines))
    quote = block[block.index("Victims of any crime shall have the right"):block.index("(Art. 11)")]
    items = re.findall(r"(?:^|; |: )([a-j])\) ", quote)
    assert items == list("abcdefghij")
    rows = select(
        """SELECT ?r ?l WHERE { ?p sec:articleNumber "11" ; eli:is_part_of/rdfs:label "Code of Criminal Procedure"@en ;
               sec:grantsRight ?r . ?r skos:prefLabel ?l }"""
    )
    assert len(rows) == len(items)
    for r in rows:
        if r["l"] != "assistance by a lawyer":  # composed label
            assert normalise(r["l"]) in normalise(quote), r["l"]


def test_act_1336_creates_the_committee_it_is_followed_up_by(report_text, select):
    assert "Created via Act No. 1336 of 2009" in report_text
    assert "monitoring is effected of the implementation of Act 1336 of 2009" in report_text
    rows = select(
        """SELECT ?b WHERE { ?i eli:number "1336" ; sec:state state:CO ; sec:creates ?b . ?b sec:followsUp ?i ; sec:createdBy ?i }"""
    )
    assert len(rows) == 1


# ---------------------------------------------------------------- sections 4.2, 5, 6


SAMPLE_NAMES = {
    "sec:AccessToJusticeMechanism": ["Protocol for investigation and prosecution of sexual violence", "Legal Procurators"],
    "sec:CareService": ["Administrative Process for the Restoration of Rights"],
    "sec:TrainingProgramme": ["Binas Strategy for specialized attention to Gender-Based Violence"],
    "sec:ParticipationMechanism": ["National Youth Advisory and Consultative Council", "Participation Panels of children and adolescents",
                                   "creation laboratories on the prevention of SEC"],
}


@pytest.mark.parametrize("cls", sorted(SAMPLE_NAMES))
def test_sample_of_named_measures(report_text, select, cls):
    text = normalise(report_text)
    labels = {normalise(r["l"]) for r in select(
        "SELECT ?l WHERE { ?m a %s ; sec:state state:CO . { ?m rdfs:label ?l } UNION { ?m skos:altLabel ?l } }" % cls)}
    for name in SAMPLE_NAMES[cls]:
        assert normalise(name) in text, name
        assert normalise(name) in labels, name


def test_prosecution_protocol_resolution(report_text, select):
    m = re.search(r"Protocol for investigation and prosecution of sexual violence\* \(Resolution (\d+) of June (\d{4})\)", report_text)
    assert m
    rows = select(
        """SELECT ?y WHERE { ?j a sec:AccessToJusticeMechanism ; sec:legalBasis ?r . ?r eli:number "%s" ; sec:year ?y }""" % m.group(1)
    )
    assert [r["y"] for r in rows] == [m.group(2)]


def test_participation_council_year_and_panels(report_text, select):
    year = re.search(r"National Youth Advisory and Consultative Council\*\* in place since (\d{4})", report_text).group(1)
    rows = select('SELECT ?y WHERE { ?p rdfs:label "National Youth Advisory and Consultative Council"@en ; sec:year ?y }')
    assert [r["y"] for r in rows] == [year]
    places = re.search(r"²⁰⁶ (Puerto Salgar.*)$", report_text, re.M).group(1).strip()
    rows = select('SELECT ?loc WHERE { ?p a sec:ParticipationMechanism ; sec:state state:CO ; sec:locationAsPrinted ?loc }')
    assert places in {r["loc"] for r in rows}


def test_participation_challenges_are_findings(report_lines, select):
    block = _section(report_lines, lambda l: l.startswith("The following challenges to the inclusion of child participation"),
                     lambda l: l.startswith("ECUADOR reports"))
    bullets = [l for l in block if l.startswith("- ")]
    rows = select(
        """SELECT ?f WHERE { ?f a sec:Finding ; sec:concernsState state:CO ;
               sec:findingType <https://w3id.org/sec-kg/id/concept/finding-type/challenge> ;
               sec:category <https://w3id.org/sec-kg/id/concept/category/participation> }"""
    )
    assert len(bullets) == 7
    assert len(rows) == len(bullets)


def test_every_colombian_resource_has_provenance(select):
    rows = select(
        """SELECT ?x WHERE { ?x sec:state state:CO .
               FILTER NOT EXISTS { ?x sec:reportSection ?s } }"""
    )
    assert rows == []
