"""The protection queries: offences with article, instrument and modality; what each
instrument created. Checked against the report text."""

import pytest

from conftest import normalise
from sec_kg.queries import ParameterError, catalogue


@pytest.fixture(scope="module")
def queries(project):
    return catalogue(project.queries_dir)


def test_every_listed_offence_and_article_is_printed(select, queries, report_text):
    text = normalise(report_text)
    rows = select(queries["offences"].bind({}))
    assert {r["stateLabel"] for r in rows} == {"Canada", "Chile", "Colombia", "Ecuador", "Guatemala", "Guyana", "Mexico", "Peru"}
    for row in rows:
        assert normalise(row["offenceLabel"]) in text, row["offenceLabel"]
        for article in row["articles"].split("; "):
            assert normalise(article) in text, (row["offenceLabel"], article)


def test_colombia_article_218_is_use_in_pornography(select, queries, report_text):
    assert "(Art. 218 of the Criminal Code)" in report_text
    rows = select(queries["offences"].bind({"state": "CO", "modality": "pornography"}))
    assert ("218", "Criminal Code") in {(r["articles"], r["instruments"]) for r in rows}
    assert {r["modalities"] for r in rows} == {"use in/for pornography"}


def test_guatemala_offences_added_by_decree_11_2022(select, queries, report_text):
    assert "190 bis" in report_text and "190 Ter" in report_text
    articles = {a for r in select(queries["offences"].bind({"state": "GT"})) for a in r["articles"].split("; ")}
    assert {"190 bis", "190 Ter"} <= articles


def test_peru_offences_129(select, queries):
    articles = {a for r in select(queries["offences"].bind({"state": "PE"})) for a in r["articles"].split("; ")}
    assert {"129-H", "129-K", "129-M"} <= articles


def test_instrument_creates(select, queries, report_text):
    text = normalise(report_text)
    rows = select(queries["instrument-creates"].bind({}))
    assert rows
    pairs = {(r["instrumentLabel"], r["createdLabel"]) for r in rows}
    for instrument, created in pairs:
        assert normalise(created) in text, created
    labels = {r["createdLabel"] for r in rows if r["stateLabel"] == "Guatemala"}
    assert "Secretariat against Sexual Violence, Exploitation and Trafficking in Persons" in labels
    colombia = {r["instrumentLabel"]: r["createdLabel"] for r in rows if r["stateLabel"] == "Colombia"}
    assert any("1146" in instrument for instrument in colombia)


def test_bad_parameter_values_are_refused(queries):
    with pytest.raises(ParameterError, match="ISO 3166-1 alpha-2"):
        queries["offences"].bind({"state": "Colombia"})
    with pytest.raises(ParameterError, match="has no parameter 'year'"):
        queries["offences"].bind({"year": "2020"})
