"""The views in headless Chromium: the home page's map, the comparison matrix, a network (drawn by
Cytoscape.js), the timeline, a chart, a canned query page, State and treaty pages, and the screenshot
command's pages."""

import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import Select, WebDriverWait

from sec_kg import screenshots
from sec_kg.web.views import ATLAS_DIR, CYTOSCAPE_DIR

STATES = ["Canada", "Chile", "Colombia", "Ecuador", "Guatemala", "Guyana", "Mexico", "Peru"]


def wait(browser, seconds=20):
    return WebDriverWait(browser, seconds)


def rgb(colour: str) -> list[str]:
    """A CSS colour's red, green and blue, however the browser or Cytoscape writes it."""
    return re.findall(r"\d+", colour)[:3]


def no_console_errors(browser):
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == [], errors


def drawn_map(browser, base_url, path="/"):
    if not ATLAS_DIR.is_dir():
        pytest.skip("world-atlas and d3-geo are not installed: npm ci --prefix sec_kg/web")
    browser.get(base_url + path)
    return wait(browser).until(seen.visibility_of_element_located((By.CSS_SELECTOR, "svg#map a.state path")))


def test_home_map_draws_the_eight_states_as_links_to_their_pages(browser, base_url):
    drawn_map(browser, base_url)
    states = browser.find_elements(By.CSS_SELECTOR, "svg#map a.state")
    assert sorted(a.get_attribute("data-state") for a in states) == ["CA", "CL", "CO", "EC", "GT", "GY", "MX", "PE"]
    for state in states:  # each big enough to click, Guatemala and Guyana too
        box = state.find_element(By.TAG_NAME, "path").rect
        assert box["width"] >= 8 and box["height"] >= 8, state.get_attribute("data-state")
    guyana = browser.find_element(By.CSS_SELECTOR, 'svg#map a.state[data-state="GY"] path')
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", guyana)
    guyana.click()
    wait(browser).until(seen.url_contains("/state/GY"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Guyana"
    no_console_errors(browser)


def test_home_map_recolours_by_the_chosen_measure_as_the_table_counts(browser, base_url):
    drawn_map(browser, base_url)

    def shown():
        return {a.get_attribute("data-state"): (a.get_attribute("data-value"), a.find_element(By.TAG_NAME, "path").value_of_css_property("fill"))
                for a in browser.find_elements(By.CSS_SELECTOR, "svg#map a.state")}

    def table(measure):
        return {row.get_attribute("data-state"): row.find_element(By.CSS_SELECTOR, f'td[data-measure="{measure}"]').text
                for row in browser.find_elements(By.CSS_SELECTOR, "#state-counts tbody tr")}

    select = Select(browser.find_element(By.ID, "map-measure"))
    assert select.first_selected_option.get_attribute("value") == "treaties"
    before = shown()
    assert {code: value for code, (value, _) in before.items()} == table("treaties")
    select.select_by_value("statistics")
    after = shown()
    assert {code: value for code, (value, _) in after.items()} == table("statistics")
    assert {fill for _, fill in before.values()} != {fill for _, fill in after.values()}
    no_data = [code for code, (value, _) in after.items() if value == "0"]
    most = max(after, key=lambda code: int(after[code][0]))
    assert no_data and after[most][1] not in {after[code][1] for code in no_data}  # none and most apart
    legend = browser.find_elements(By.CSS_SELECTOR, "#map-legend li")
    assert legend[0].text.startswith("0") and legend[-1].text.endswith(after[most][0])
    assert "measure=statistics" in browser.current_url
    no_console_errors(browser)


def test_state_page_groups_what_links_to_it_and_links_to_its_views(browser, base_url):
    browser.get(base_url + "/id/state/CO")
    groups = browser.find_elements(By.CSS_SELECTOR, "#incoming dt")
    observations = next(dt for dt in groups if dt.text.startswith("observations"))
    assert re.search(r"\((\d+)\)$", observations.text)
    values = observations.find_element(By.XPATH, "following-sibling::dd[1]")
    assert len(values.find_elements(By.CSS_SELECTOR, "div.value")) == 10
    values.find_element(By.CSS_SELECTOR, "div.more a").click()
    wait(browser).until(seen.url_contains("all="))
    observations = next(dt for dt in browser.find_elements(By.CSS_SELECTOR, "#incoming dt") if dt.text.startswith("observations"))
    shown = observations.find_element(By.XPATH, "following-sibling::dd[1]").find_elements(By.CSS_SELECTOR, "div.value")
    assert len(shown) == int(re.search(r"\((\d+)\)$", observations.text).group(1))
    browser.find_element(By.ID, "state-network").click()
    wait(browser).until(seen.url_contains("/network/CO"))
    browser.back()
    browser.find_element(By.ID, "state-timeline").click()
    wait(browser).until(seen.url_contains("/timeline?state=CO"))
    assert {m.get_attribute("data-state") for m in browser.find_elements(By.CSS_SELECTOR, "svg#timeline a.mark")} == {"CO"}
    no_console_errors(browser)


def test_treaty_page_shows_the_date_of_each_ratification(browser, base_url):
    browser.get(base_url + "/id/treaty/opsc")
    ratifications = next(dt for dt in browser.find_elements(By.CSS_SELECTOR, "#incoming dt") if dt.text.startswith("ratifications"))
    values = [v.text for v in ratifications.find_element(By.XPATH, "following-sibling::dd[1]").find_elements(By.CSS_SELECTOR, "div.value")]
    assert "Canada (14 September 2005, ratification)" in values  # printed "14 Sep. 2005" in section 4.1.1
    assert len(values) == 8 and all(re.search(r"\(\d{1,2} \w+ \d{4}, ", v) for v in values)


def test_compare_has_the_states_as_columns_and_evidence_in_cells(browser, base_url):
    browser.get(base_url + "/compare")
    table = wait(browser).until(seen.visibility_of_element_located((By.ID, "compare")))
    assert [th.text.splitlines()[0] for th in table.find_elements(By.CSS_SELECTOR, "thead th[data-state]")] == STATES
    body = table.find_element(By.CSS_SELECTOR, 'tr[data-feature="sec-body"] td[data-state="CO"] a')
    assert "National Interagency Committee" in body.text
    minors = next(row for row in table.find_elements(By.CSS_SELECTOR, 'tr[data-feature="treaty"]')
                  if row.find_element(By.TAG_NAME, "th").text == "Inter-American Convention on International Traffic in Minors")
    cells = {td.get_attribute("data-state"): td for td in minors.find_elements(By.TAG_NAME, "td")}
    assert cells["CA"].text == "-" and "not-party" in cells["CA"].get_attribute("class")
    assert cells["CO"].text == "12 June 2000"
    guyana_body = table.find_element(By.CSS_SELECTOR, 'tr[data-feature="sec-body"] td[data-state="GY"]')
    assert guyana_body.text == "not reported"
    body.click()
    wait(browser).until(seen.title_contains("National Interagency Committee"))
    no_console_errors(browser)


def test_network_of_a_state_draws_nodes_and_edges(browser, base_url):
    if not CYTOSCAPE_DIR.is_dir():
        pytest.skip("Cytoscape.js is not installed: npm ci --prefix sec_kg/web (the README's commands run it)")
    browser.get(base_url + "/network/CO")
    wait(browser).until(lambda b: b.execute_script("return !!window.secKgNetwork"))
    nodes = browser.execute_script("return window.secKgNetwork.nodes().map(n => [n.id(), n.data('label'), n.data('kind')])")
    edges = browser.execute_script("return window.secKgNetwork.edges().map(e => e.data('label'))")
    ids = {node[0]: node for node in nodes}
    committee = ids["https://w3id.org/sec-kg/id/body/CO/national-interagency-committee-csec"]
    assert committee[2] == "body" and committee[1].startswith("National Interagency Committee")
    assert {"law", "body", "institution", "policy"} <= {node[2] for node in nodes}
    assert {"created by", "chair", "member"} <= set(edges)
    assert len(browser.find_elements(By.CSS_SELECTOR, "#edges tbody tr")) == len(edges)
    canvas = browser.find_element(By.CSS_SELECTOR, "#network canvas")
    assert canvas.size["width"] > 500 and canvas.size["height"] > 300
    no_console_errors(browser)


def test_network_of_a_resource(browser, base_url):
    browser.get(base_url + "/network?resource=https://w3id.org/sec-kg/id/body/GT/menacesnna")
    wait(browser).until(lambda b: b.execute_script("return !!window.secKgNetwork"))
    labels = browser.execute_script("return window.secKgNetwork.nodes().map(n => n.data('label'))")
    assert "Interagency Framework Agreement of 2013" in labels
    assert "Association of Small Hoteliers of Guatemala" in labels


def test_network_legend_matches_the_drawing(browser, base_url):
    browser.get(base_url + "/network/CO")
    wait(browser).until(lambda b: b.execute_script("return !!window.secKgNetwork"))
    legend = {dot.get_attribute("data-kind"): dot.value_of_css_property("background-color")
              for dot in browser.find_elements(By.CSS_SELECTOR, "#node-kinds .dot")}
    drawn = browser.execute_script("return window.secKgNetwork.nodes().map(n => [n.data('kind'), n.style('background-color')])")
    assert {"law", "body", "institution", "policy"} <= set(legend)
    assert {kind for kind, _ in drawn} == set(legend)
    assert all(rgb(legend[kind]) == rgb(colour) for kind, colour in drawn)
    assert len(set(legend.values())) == len(legend)  # one colour per kind
    assert browser.find_elements(By.CSS_SELECTOR, "#link-kinds input[data-link-kind=membership]")


def test_network_filter_hides_a_kind_of_node_and_of_link(browser, base_url):
    browser.get(base_url + "/network/CO")
    wait(browser).until(lambda b: b.execute_script("return !!window.secKgNetwork"))
    visible = "return window.secKgNetwork.nodes(':visible').map(n => n.data('kind'))"
    assert "institution" in browser.execute_script(visible)
    browser.find_element(By.CSS_SELECTOR, "input[data-node-kind=institution]").click()
    assert "institution" not in browser.execute_script(visible) and browser.execute_script(visible)
    rows = browser.find_elements(By.CSS_SELECTOR, "#edges tbody tr")
    assert all(not r.is_displayed() for r in rows if "institution" in (r.get_attribute("data-source-kind"),
                                                                      r.get_attribute("data-target-kind")))
    browser.find_element(By.CSS_SELECTOR, "input[data-link-kind=membership]").click()
    assert browser.execute_script("return window.secKgNetwork.edges(':visible').filter(e => e.data('kind') === 'membership').length") == 0
    no_console_errors(browser)


def test_network_brings_the_chosen_node_into_focus(browser, base_url):
    chosen = "https://w3id.org/sec-kg/id/body/GT/menacesnna"
    browser.get(base_url + "/network?resource=" + chosen)
    wait(browser).until(lambda b: b.execute_script("return !!window.secKgNetwork"))
    focused = browser.execute_script("return window.secKgNetwork.nodes('.focus').map(n => n.id())")
    assert focused == [chosen]
    assert browser.find_element(By.ID, "focus-link").text == browser.execute_script(
        "return window.secKgNetwork.getElementById(arguments[0]).data('label')", chosen)
    browser.get(base_url + "/network/CO")
    wait(browser).until(lambda b: b.execute_script("return !!window.secKgNetwork"))
    committee = "https://w3id.org/sec-kg/id/body/CO/national-interagency-committee-csec"
    browser.execute_script("window.secKgNetwork.getElementById(arguments[0]).emit('tap')", committee)
    faded = browser.execute_script("""const cy = window.secKgNetwork, node = cy.getElementById(arguments[0]);
        return [node.hasClass('focus'), node.closedNeighborhood().some(e => e.hasClass('faded')),
                cy.nodes().not(node.closedNeighborhood()).every(n => n.hasClass('faded'))]""", committee)
    assert faded == [True, False, True]
    assert browser.find_element(By.ID, "network-focus").is_displayed()
    assert "focus=" in browser.current_url
    no_console_errors(browser)


def test_timeline_shows_every_state_and_its_marks(browser, base_url):
    browser.get(base_url + "/timeline")
    svg = wait(browser).until(seen.visibility_of_element_located((By.ID, "timeline")))
    lanes = [g.text for g in svg.find_elements(By.CSS_SELECTOR, "g.lane text.state")]
    assert lanes == STATES
    marks = svg.find_elements(By.CSS_SELECTOR, "a.mark")
    seen_marks = {(m.get_attribute("data-state"), m.get_attribute("data-kind"), m.get_attribute("data-year")) for m in marks}
    assert ("CO", "ratification", "1991") in seen_marks  # CRC, 28 Jan. 1991
    assert ("CO", "policy", "2018") in seen_marks  # Public Policy Line 2018-2028
    assert ("CO", "instrument", "2009") in seen_marks  # Act 1336 of 2009
    assert {m[0] for m in seen_marks} == {"CA", "CL", "CO", "EC", "GT", "GY", "MX", "PE"}
    bar = svg.find_element(By.CSS_SELECTOR, 'a.mark.policy[data-state="CO"][data-year="2018"] rect')
    assert bar.size["width"] >= 10 * 16 - 1  # ten years wide


def test_timeline_puts_overlapping_periods_on_distinct_rows(browser, base_url):
    browser.get(base_url + "/timeline")
    svg = wait(browser).until(seen.visibility_of_element_located((By.ID, "timeline")))
    bars = [(b.get_attribute("data-state"), b.find_element(By.TAG_NAME, "rect").rect)
            for b in svg.find_elements(By.CSS_SELECTOR, "a.mark.policy")]
    overlapping = [(a, b) for i, (state, a) in enumerate(bars) for other, b in bars[i + 1:]
                   if state == other and a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]]
    assert overlapping, "the report has States with policies in force at the same time"
    assert all(abs(a["y"] - b["y"]) >= a["height"] for a, b in overlapping)
    bands = svg.find_elements(By.CSS_SELECTOR, "g.lane rect.band")
    assert all(x.rect["y"] + x.rect["height"] <= y.rect["y"] + 1 for x, y in zip(bands, bands[1:]))  # bands do not overlap
    no_console_errors(browser)


def test_chart_draws_one_bar_per_row_and_period(browser, base_url):
    browser.get(base_url + "/charts")
    browser.find_element(By.LINK_TEXT, "Age range of children and adolescents aggrieved by CSE crimes").click()
    bars = wait(browser).until(seen.presence_of_all_elements_located((By.CSS_SELECTOR, "svg#chart rect.bar")))
    heights = {(b.get_attribute("data-group"), b.get_attribute("data-period")): float(b.get_attribute("height")) for b in bars}
    assert set(heights) == {("0 to 12 years", "2023"), ("0 to 12 years", "2024"), ("13 to 17 years", "2023"),
                            ("13 to 17 years", "2024")}
    assert heights[("13 to 17 years", "2023")] == max(heights.values())


def test_chart_has_a_y_axis_with_several_ticks_and_nothing_clipped(browser, base_url):
    browser.get(base_url + "/charts/gt-victims-by-age")
    svg = wait(browser).until(seen.visibility_of_element_located((By.ID, "chart")))
    ticks = [t.text for t in svg.find_elements(By.CSS_SELECTOR, "g.y-axis text.tick")]
    assert len(ticks) >= 4 and ticks[0] == "0"
    box = svg.rect
    for text in svg.find_elements(By.CSS_SELECTOR, "text"):
        inner = text.rect
        assert box["x"] - 1 <= inner["x"] and inner["x"] + inner["width"] <= box["x"] + box["width"] + 1, text.text
        assert box["y"] - 1 <= inner["y"] and inner["y"] + inner["height"] <= box["y"] + box["height"] + 1, text.text


def test_canned_query_page_form(browser, base_url):
    browser.get(base_url + "/queries/not-party")
    box = Select(browser.find_element(By.ID, "param-treaty"))  # a choice, not a code to know
    box.select_by_value("iacitm")
    browser.find_element(By.ID, "param-treaty").submit()
    wait(browser).until(seen.url_contains("treaty=iacitm"))
    table = browser.find_element(By.CSS_SELECTOR, "#results table")
    assert {"Canada", "Chile", "Guatemala", "Guyana", "Mexico"} <= set(table.text.split())
    browser.find_element(By.ID, "open-editor").click()
    wait(browser).until(seen.title_contains("SPARQL query"))
    assert "treaty/iacitm" in browser.page_source


def test_canned_query_form_offers_states_by_name_and_keeps_a_bad_value_s_form(browser, base_url):
    browser.get(base_url + "/queries/coordination-bodies")
    states = Select(browser.find_element(By.ID, "param-state"))
    assert "Colombia" in [o.text for o in states.options]
    states.select_by_visible_text("Colombia")
    browser.find_element(By.ID, "param-state").submit()
    wait(browser).until(seen.url_contains("state=CO"))
    browser.get(base_url + "/queries/coordination-bodies?state=XX")
    error = browser.find_element(By.ID, "parameter-error").text
    assert "CO" in error and "PE" in error
    assert browser.find_element(By.ID, "param-state").tag_name == "select"


def test_screenshot_command_writes_a_png_per_view(browser, base_url, tmp_path):
    written = screenshots.take(base_url, tmp_path, browser)
    assert [p.name for p in written] == list(screenshots.PAGES)
    for path in written:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10000, path


def test_canned_query_form_offers_bodies_by_name_and_a_value_the_graph_lacks_keeps_the_form(browser, base_url):
    browser.get(base_url + "/queries/body-members")
    bodies = Select(browser.find_element(By.ID, "param-body"))
    names = [o.text for o in bodies.options if o.get_attribute("value")]
    assert names and not any("/" in name for name in names)  # names, not codes
    chosen = next(o.text for o in bodies.options if o.get_attribute("value") == "GT/menacesnna")
    bodies.select_by_visible_text(chosen)
    browser.find_element(By.ID, "param-body").submit()
    wait(browser).until(seen.url_contains("body=GT%2Fmenacesnna"))
    results = browser.find_element(By.CSS_SELECTOR, "#results table")
    assert chosen in results.text
    browser.get(base_url + "/queries/body-members?body=GT/menacesnnx")
    error = browser.find_element(By.ID, "parameter-error")
    assert "GT/menacesnna" in error.text and chosen in error.text  # the closest, and every body by name
    assert browser.find_element(By.ID, "param-body").tag_name == "select"
    assert not browser.find_elements(By.ID, "results")


def test_a_browse_facet_narrows_the_list_and_can_be_removed(browser, base_url):
    browser.get(base_url + "/browse/coordination-bodies")
    total = int(browser.find_element(By.ID, "total").text)
    colombia = browser.find_element(By.CSS_SELECTOR, '.facet[data-facet="state"] a[data-value="CO"]')
    expected = int(colombia.find_element(By.XPATH, "..").text.rsplit("(", 1)[1].rstrip(")"))
    colombia.click()
    wait(browser).until(seen.url_contains("state=CO"))
    items = browser.find_elements(By.CSS_SELECTOR, "ol.items > li")
    assert int(browser.find_element(By.ID, "total").text) == len(items) == expected < total
    assert all("Colombia" in item.find_element(By.CSS_SELECTOR, "span.muted").text for item in items)
    browser.find_element(By.CSS_SELECTOR, '.facet[data-facet="state"] a.remove').click()
    wait(browser).until(lambda b: "state=CO" not in b.current_url)
    assert int(browser.find_element(By.ID, "total").text) == total
    no_console_errors(browser)
