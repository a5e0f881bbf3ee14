"""A headless Chromium clicks through the site: home → State → body, and runs a canned query in YASGUI."""

from __future__ import annotations

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import WebDriverWait

from sec_kg.web import YASGUI_DIR


def wait(browser, seconds=15):
    return WebDriverWait(browser, seconds)


def test_home_state_and_body_pages(browser, base_url):
    browser.get(base_url + "/")
    assert "sec-kg" in browser.title
    browser.find_element(By.LINK_TEXT, "Colombia").click()
    wait(browser).until(seen.title_contains("Colombia"))
    headings = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "section.category h2")]
    assert "Coordination and cooperation" in headings
    coordination = browser.find_elements(By.CSS_SELECTOR, "section.category")[headings.index("Coordination and cooperation")]
    body = next(a for a in coordination.find_elements(By.TAG_NAME, "a")  # a body with members
                if a.get_attribute("href").endswith("/id/body/CO/national-interagency-committee-csec"))
    name = body.text
    body.click()
    wait(browser).until(seen.title_contains(name))
    assert browser.find_element(By.TAG_NAME, "h1").text == name
    sections = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "article h2")]
    assert {"Names", "Relations", "Provenance"} <= set(sections)
    assert "Linked from" in sections  # its memberships


def test_search_box(browser, base_url):
    browser.get(base_url + "/")
    box = browser.find_element(By.CSS_SELECTOR, "header form.search input[name=q]")
    box.send_keys("ICBF")
    box.submit()
    first = wait(browser).until(seen.presence_of_element_located((By.CSS_SELECTOR, "ol.hits li a")))
    assert first.text == "Colombian Family Welfare Institute"


def test_query_page_runs_a_canned_query_in_yasgui(browser, base_url):
    if not YASGUI_DIR.is_dir():
        pytest.skip("YASGUI is not installed: npm ci --prefix sec_kg/web (the README's commands run it)")
    browser.get(base_url + "/query")
    wait(browser).until(seen.presence_of_element_located((By.CSS_SELECTOR, ".yasqe .CodeMirror")))
    assert not browser.find_element(By.ID, "plain-query").is_displayed()  # YASGUI replaced the plain form
    browser.find_element(By.CSS_SELECTOR, "#examples summary").click()  # the examples fold under the editor
    browser.find_element(By.LINK_TEXT, "The eight States").click()
    assert "?nameEs" in browser.execute_script("return window.secKgYasgui.getTab().getYasqe().getValue()")
    browser.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    table = wait(browser).until(seen.visibility_of_element_located((By.CSS_SELECTOR, ".yasr table.dataTable")))
    wait(browser).until(lambda _: "Colombia" in table.text)
    assert "Canadá" in table.text
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == [], errors  # nothing fetched from elsewhere, nothing broken


def editor(browser, base_url, text: str):
    """The query page with ``text`` in the editor and the cursor at its end."""
    if not YASGUI_DIR.is_dir():
        pytest.skip("YASGUI is not installed: npm ci --prefix sec_kg/web (the README's commands run it)")
    browser.get(base_url + "/query")
    wait(browser).until(lambda b: b.execute_script("return !!window.secKgYasgui"))
    browser.execute_script("const yasqe = window.secKgYasgui.getTab().getYasqe(); yasqe.setValue(arguments[0]);"
                           "yasqe.focus(); yasqe.setCursor(yasqe.lastLine(), yasqe.getLine(yasqe.lastLine()).length)", text)
    return browser.find_element(By.CSS_SELECTOR, ".yasqe .CodeMirror textarea")


def hints(browser) -> list[str]:
    return wait(browser).until(lambda b: [h.text for h in b.find_elements(By.CSS_SELECTOR, ".CodeMirror-hints li")])


def test_the_editor_completes_classes_and_properties_from_this_server(browser, base_url):
    terms = requests.get(base_url + "/query/terms.json", timeout=30).json()
    sec = terms["prefixes"]["sec"]
    editor(browser, base_url, "SELECT * WHERE {\n  ?body a ").send_keys("sec:Coord")  # sec: left undeclared
    classes = hints(browser)
    assert "sec:CoordinationBody" in classes
    assert all(sec + name[len("sec:"):] in terms["classes"] for name in classes)
    editor(browser, base_url, "SELECT * WHERE {\n  ?body ").send_keys("sec:sta")
    properties = hints(browser)
    assert "sec:state" in properties and all(sec + name[len("sec:"):] in terms["properties"] for name in properties)
    fetched = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert fetched and all(url.startswith(base_url) for url in fetched)  # nothing asked of another site
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == [], errors


def test_results_name_iris_and_link_them_to_this_site(browser, base_url):
    editor(browser, base_url, "SELECT ?body ?bodyLabel ?state WHERE { ?body a sec:CoordinationBody ; "
                              'rdfs:label ?bodyLabel ; sec:state ?state FILTER (lang(?bodyLabel) = "en") } LIMIT 5')
    browser.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    table = wait(browser).until(seen.visibility_of_element_located((By.CSS_SELECTOR, ".yasr table.dataTable")))
    wait(browser).until(lambda _: table.find_elements(By.CSS_SELECTOR, "tbody a.iri"))
    headers = [th.text for th in table.find_elements(By.CSS_SELECTOR, "thead th") if th.is_displayed()]
    assert "bodyLabel" not in headers and {"body", "state"} <= set(headers)  # the label names its IRI's cell
    rows = table.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert len(rows) == 5
    for row in rows:
        body, state = (cell.find_element(By.TAG_NAME, "a") for cell in row.find_elements(By.CSS_SELECTOR, "td")[1:3])
        iri = body.get_attribute("title")
        assert body.get_attribute("href") == base_url + "/id/" + iri.split("/id/", 1)[1]
        assert body.text != iri and "w3id.org" not in body.text
        assert state.get_attribute("href").startswith(base_url + "/id/state/")
        assert state.text == "state:" + state.get_attribute("href").rsplit("/", 1)[1]
    first = rows[0].find_element(By.CSS_SELECTOR, "td a")
    name = first.text
    browser.get(first.get_attribute("href"))  # (a click on a cut-off cell unfolds it first, as YASR does)
    wait(browser).until(seen.title_contains(name))


def test_wide_results_scroll_in_their_own_box(browser, base_url):
    editor(browser, base_url, "SELECT * WHERE { ?a ?b ?c . ?c ?d ?e . ?e ?f ?g . ?g ?h ?i . ?i ?j ?k } LIMIT 5")
    browser.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    wait(browser).until(seen.visibility_of_element_located((By.CSS_SELECTOR, ".yasr table.dataTable tbody a")))
    page, box = browser.execute_script(
        "const box = document.querySelector('#yasgui .yasr_results');"
        "return [[document.documentElement.scrollWidth, document.documentElement.clientWidth],"
        "        [box.scrollWidth, box.clientWidth]]")
    assert page[0] <= page[1] and box[0] > box[1]
