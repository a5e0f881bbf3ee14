"""Facts the report states in prose are data: every figure, age, unit, place, date and role moved
out of comments is read back from the report text here."""

from __future__ import annotations

import re
import unicodedata

import pytest
from rdflib import Literal, URIRef

from conftest import normalise
from printed import names_of, values

ID = "https://w3id.org/sec-kg/id/"
#: the SDMX attribute namespace is not one of the project prefixes
SDMX = "PREFIX sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#> "
#: number words the report uses for figures ("three years to life", "one thousand")
NUMBER_WORDS = {
    "no": 0, "one": 1, "two": 2, "twice": 2, "three": 3, "four": 4, "five": 5, "eight": 8, "eleven": 11, "twelve": 12,
    "one thousand": 1000, "twenty thousand": 20000,
}


def plain(text: str) -> str:
    """The report's text with its typography folded and dashes made one character."""
    return re.sub(r"\s*[\u2013\u2014-]\s*", "-", normalise(text))


def unaccented(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def numbers_in(printed: str) -> set[float]:
    """The figures a printed phrase gives, in digits ("1,606") or in words ("one thousand")."""
    found = {float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", printed)}
    words = normalise(printed)
    for word, value in NUMBER_WORDS.items():
        if re.search(rf"\b{word}\b", words):
            found.add(float(value))
    return found


@pytest.fixture(scope="module")
def quantities(select):
    return select(
        SDMX + """SELECT ?s ?value ?min ?max ?printed ?unit ?composed WHERE {
               ?s sec:quantity ?q .
               ?q sdmx-attribute:unitMeasure ?u . ?u skos:prefLabel ?unit .
               OPTIONAL { ?q sec:quantityValue ?value } OPTIONAL { ?q sec:minimumValue ?min }
               OPTIONAL { ?q sec:maximumValue ?max } OPTIONAL { ?q sec:printedValue ?printed } }"""
    )


def test_quantities_are_printed_with_their_figures(quantities, report_text):
    """A quantity's print is in the report and gives its figures; one without a print is printed
    as the figure followed by its unit ("103 actions")."""
    report = plain(report_text)
    assert len(quantities) >= 25
    for row in quantities:
        figures = {float(row[k]) for k in ("value", "min", "max") if row[k] is not None}
        assert figures, row
        if row["printed"]:
            assert plain(row["printed"]) in report, row
            assert figures <= numbers_in(row["printed"]), row
        else:
            assert f"{int(float(row['value']))} {plain(row['unit'])}" in report, row


def test_units_are_printed_where_not_composed(select, report_text):
    report = plain(report_text)
    units = select("SELECT ?l WHERE { ?u skos:inScheme <https://w3id.org/sec-kg/id/scheme/unit> ; skos:prefLabel ?l }")
    printed = [r["l"] for r in units if plain(r["l"]) in report]
    assert len(printed) >= len(units) - 4, "at most the composed unit labels are missing from the report"


def test_rates_carry_their_unit_as_printed_beside_the_figure(select, report_text):
    rows = select(
        SDMX + """SELECT ?o ?rate ?unit WHERE { ?o sec:rate ?rate .
               OPTIONAL { ?o sdmx-attribute:unitMeasure ?u . ?u skos:prefLabel ?unit } }"""
    )
    assert rows
    for row in rows:
        assert row["unit"], f"{row['o']} has a rate without a unit"
        assert f"{int(float(row['rate']))} {row['unit']}" in report_text, row


def test_age_ranges_are_printed_for_the_resource(select, report_lines):
    """Each range is printed ("between 8 and 17", "aged 10 to 19", "16 or 17") in a line that names
    the resource or, for an article, cites it."""
    rows = select(
        """SELECT ?s ?min ?max WHERE { ?s sec:minimumAge ?min ; sec:maximumAge ?max }"""
    )
    assert len(rows) >= 6
    for row in rows:
        article = values(select, row["s"], "sec:articleNumber")
        names = {n for n in names_of(select, row["s"]) if len(n) > 12}
        defined = values(select, row["s"], "^sec:definesOffence/sec:articleNumber")
        cues = [f"(art. {a})" for a in article | defined] + sorted(names)
        lines = [normalise(line) for line in report_lines if any(cue in normalise(line) for cue in cues)]
        pattern = rf"\b{row['min']}\s+(?:to|and|or)\s+{row['max']}\b"
        assert any(re.search(pattern, line) for line in lines), row


@pytest.mark.parametrize(
    "prop",
    ["sec:ageAsPrinted", "sec:partAsPrinted", "sec:managementAsPrinted", "dcterms:bibliographicCitation", "dcterms:temporal"],
)
def test_printed_values_are_in_the_report(select, report_text, prop):
    report = plain(report_text)
    rows = select(f"SELECT ?s ?v WHERE {{ ?s {prop} ?v }}")
    assert rows
    for row in rows:
        assert plain(row["v"]) in report, row


def test_places_linked_are_the_places_printed(select):
    """A service's locations are the areas its printed location names (the statistics print some
    area names without accents, and Colombia's as "regional Antioquia")."""
    rows = select("SELECT ?s ?printed ?area WHERE { ?s sec:location ?a ; sec:locationAsPrinted ?printed . ?a skos:prefLabel ?area }")
    assert len(rows) >= 18
    for row in rows:
        assert unaccented(row["area"].removeprefix("regional ")) in unaccented(row["printed"]), row


def test_most_affected_areas_are_printed_together(select, report_lines):
    rows = select("SELECT ?d (GROUP_CONCAT(?l; separator='|') AS ?areas) WHERE { ?d sec:mostAffectedArea/skos:prefLabel ?l } GROUP BY ?d")
    assert len(rows) >= 3
    for row in rows:
        areas = row["areas"].split("|")
        assert any(
            all(a.replace("Administrative Region ", "") in line for a in areas) and re.search(r"highest|the most", line)
            for line in report_lines
        ), row


def test_articles_amended_or_inserted_are_linked_to_their_instrument(select, report_lines):
    """Peru's Act No. 28251 amends and incorporates the articles its heading lists."""
    heading = next(line for line in report_lines if line.startswith("Act No. 28251 – Amends Articles"))
    amended = re.search(r"Amends Articles (.*?), and incorporates", heading)[1]
    added = re.search(r"incorporates Articles (.*?) into", heading)[1]
    act = ID + "instrument/PE/act-28251-2004"

    def articles(prop):
        rows = select(f"SELECT ?n WHERE {{ ?p {prop} ?act ; sec:articleNumber ?n }}", act=URIRef(act))
        return {r["n"].upper().replace(" ", "-") for r in rows}

    assert articles("eli:amended_by") == {a.strip() for a in amended.split(",")}
    assert articles("sec:insertedBy") == {a.strip() for a in added.split(",")}


def test_technical_observer_of_the_chilean_protocol(select, report_lines):
    line = next(line for line in report_lines if "as a technical observer" in line)
    m = re.search(r"and the (.+?) as a (technical observer)", line)
    rows = select(
        """SELECT ?who ?role WHERE { ?p sec:contribution ?c . ?c sec:contributor ?who ; sec:contributorRole/skos:prefLabel ?role }"""
    )
    assert [r["role"] for r in rows] == [m[2]]
    assert normalise(m[1]) in names_of(select, rows[0]["who"])


def test_peru_decree_approving_the_regulations(select, report_lines):
    note = next(line for line in report_lines if line.startswith("¹⁴⁸"))
    number = re.search(r"Supreme Decree No\. (\S+?)\.?$", note)[1]
    rows = select(
        """SELECT ?d ?n WHERE { ?r sec:approvedBy ?d . ?d eli:number ?n ; sec:state state:PE }"""
    )
    assert [r["n"] for r in rows] == [number]
    assert f"supreme decree no. {number}".lower() in names_of(select, rows[0]["d"])


def test_colombia_local_trafficking_committees(select, report_lines):
    line = next(line for line in report_lines if "It seeks to decentralize the approach to the issue" in line)
    printed = re.search(r"creating (departmental, district and municipal committees)", line)[1]
    rows = select(
        """SELECT ?c ?parent WHERE { ?c a sec:CoordinationBody ; sec:state state:CO ; rdfs:label ?l ;
               org:subOrganizationOf ?parent . FILTER (STR(?l) = ?n) }""",
        n=Literal(printed),
    )
    assert len(rows) == 1
    assert "interagency committee on combating trafficking in persons" in names_of(select, rows[0]["parent"])


def test_management_not_stated_is_explicit(select, report_lines):
    """Peru's pilot model has no printed management type; no care service is left without one."""
    pilot = next(line for line in report_lines if "Pilot Model for the Socio-Economic Reintegration of Survivors" in line)
    assert not re.search(r"\b(mixed|state|private) management\b", pilot)
    rows = select(
        """SELECT ?s (COUNT(?m) AS ?n) WHERE { ?s a sec:CareService . OPTIONAL { ?s sec:managementType ?m } } GROUP BY ?s"""
    )
    assert rows and all(r["n"] == "1" for r in rows)
    assert values(select, ID + "service/PE/pilot-model-socio-economic-reintegration", "sec:managementType") == {
        ID + "concept/management/not-stated"
    }


def test_international_institutions_cite_every_section_that_mentions_them(select):
    """The provenance of a shared international institution covers the section and the source of
    every statement that links to it; a possible-identity link or note is not such a statement, as its
    provenance joins where each of the names is printed."""
    rows = select(
        """SELECT ?i ?section ?source WHERE {
               ?s ?p ?i . FILTER (STRSTARTS(STR(?i), "https://w3id.org/sec-kg/id/institution/int/"))
               FILTER (?p NOT IN (sec:candidate, sec:possiblySameAs))
               ?s sec:reportSection ?section ; prov:wasDerivedFrom ?source .
               FILTER (NOT EXISTS { ?i sec:reportSection ?section } || NOT EXISTS { ?i prov:wasDerivedFrom ?source }) }"""
    )
    assert rows == []
