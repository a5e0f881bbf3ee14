"""A headless Chromium clicks through the site: home → State → body, and runs a canned query in YASGUI."""

from __future__ import annotations

import pytest
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
