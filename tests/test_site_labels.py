"""Pages read the way people read: values without datatype names, dates per language, one count everywhere."""

from __future__ import annotations

import re
import time
from html import unescape

import pytest

from sec_kg.stats import class_counts

HTML = {"Accept": "text/html"}


def text_of(response) -> str:
    assert response.status_code == 200
    return unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_a_year_is_shown_without_its_datatype(client):
    page = text_of(client.get("/id/instrument/GT/decree-27-2003?lang=en", headers=HTML))
    assert "2003" in page
    assert "gYear" not in page


def test_a_date_is_written_in_the_page_language(client):
    english = text_of(client.get("/id/instrument/CL/exempt-resolution-263-2020?lang=en", headers=HTML))
    spanish = text_of(client.get("/id/instrument/CL/exempt-resolution-263-2020?lang=es", headers=HTML))
    assert "16 June 2020" in english and "2020-06-16" not in english
    assert "16 de junio de 2020" in spanish


@pytest.fixture(scope="module")
def reasoned_client(project):
    """The app as ``sec-kg serve`` runs it by default: with the inferences loaded."""
    from sec_kg.server import ServerConfig, load_nquads, make_app

    config = ServerConfig(reasoning=True, timeout=20)
    application = make_app(config, project, load_nquads(config, project), time.time())
    yield application.test_client()
    application.extensions["sec_kg"].store.close()


@pytest.mark.parametrize("kind", ["Observation", "Country"])
def test_home_page_and_stats_count_alike(reasoned_client, dataset, kind):
    page = reasoned_client.get("/?lang=en", headers=HTML).get_data(as_text=True)
    shown = re.search(rf'<a href="[^"]*#{kind}">{kind}</a></td><td class="num">([\d,.]+)<', page)
    assert shown, f"the home page lists {kind}"
    assert int(re.sub(r"\D", "", shown.group(1))) == dict(class_counts(dataset))[kind]


def heading(client, path: str) -> str:
    page = client.get(path, headers=HTML).get_data(as_text=True)
    return re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)


def test_spanish_page_names_a_resource_by_the_spanish_name_the_report_prints(client):
    assert heading(client, "/id/institution/CO/colombia-joven?lang=es") == "Colombia Joven"
    assert "Presidential Programme" in heading(client, "/id/institution/CO/colombia-joven?lang=en")


def test_an_english_only_name_is_marked_english_on_a_spanish_page(client):
    spanish = heading(client, "/id/instrument/GT/decree-27-2003?lang=es")
    assert spanish == '<span lang="en">Act on the Comprehensive Protection of Children and Adolescents</span>'
    assert "lang=" not in heading(client, "/id/instrument/GT/decree-27-2003?lang=en")


@pytest.mark.parametrize("lang, phrase", [("en", "reported by"), ("es", "informada por")])
def test_an_incoming_link_reads_naturally(client, lang, phrase):
    page = text_of(client.get(f"/id/concept/modality/pornography?lang={lang}", headers=HTML))
    assert re.search(rf"\b{phrase}\s+\(\d+\)\s+Canada\s+Chile\b", page)  # the States that report it, counted
    assert "is reports modality of" not in page


@pytest.mark.browser
def test_spanish_home_page_in_a_browser(browser, base_url):
    from selenium.webdriver.common.by import By

    browser.get(base_url + "/?lang=es")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "es"
    navigation = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "header.site nav a")]
    assert "Consulta" in navigation and "Query" not in navigation


def test_a_page_names_the_type_the_data_state_not_those_reasoning_adds(reasoned_client):
    page = reasoned_client.get("/id/body/CO/national-interagency-committee-csec?lang=en", headers=HTML).get_data(as_text=True)
    types = re.findall(r'<div class="value"><a href="[^"]*">([^<]+)</a>', re.search(r'<div class="meta">(.*?)</div>\s*<', page, re.S).group(1))
    assert types == ["Coordination body"]
