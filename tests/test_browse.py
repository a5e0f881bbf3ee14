"""Browse pages (in-process): every resource of a kind across States, faceted, in natural order, paged, counted;
an unknown facet value is a 400 page that names the valid values."""

from __future__ import annotations

import re
from html import unescape

from sec_kg.web.browse import natural_key

HTML = {"Accept": "text/html"}


def get(client, url, status=200) -> str:
    response = client.get(url, headers=HTML)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return unescape(response.get_data(as_text=True))


def items(html: str) -> list[str]:
    return re.findall(r'<li><a href="/id/[^"]+">([^<]+)</a>', html)


def facet(html: str, name: str) -> dict[str, int]:
    block = re.search(rf'<section class="facet" data-facet="{name}">(.*?)</section>', html, re.S).group(1)
    return {label: int(n) for label, n in re.findall(r'>([^<>]+)</(?:a|strong)>(?: <a class="remove"[^>]*>×</a>)? '
                                                       r'<span class="muted">\((\d+)\)', block)}


def test_natural_order_of_numbers_in_names():
    names = ["Art. 10", "Art. 7", "Act 2137 of 2021", "Act 294 of 1996"]
    assert sorted(names, key=natural_key) == ["Act 294 of 1996", "Act 2137 of 2021", "Art. 7", "Art. 10"]


def test_every_kind_is_listed_with_a_count(client):
    html = get(client, "/browse")
    assert re.search(r'href="/browse/coordination-bodies">Coordination bodies</a></td><td class="num">(\d+)', html)
    assert 'href="/browse/legal-instruments"' in html and 'href="/browse/treaties"' in html


def test_states_list_and_id_state_leads_there(client):
    html = get(client, "/browse/states")
    assert len(items(html)) == 8 and "Colombia" in items(html)
    response = client.get("/id/state")
    assert response.status_code == 303 and response.headers["Location"].endswith("/browse/states")
    assert client.get("/id/nothing-here").status_code == 404


def test_state_facet_filters_and_counts_agree(client):
    everything = get(client, "/browse/coordination-bodies")
    by_state = facet(everything, "state")
    assert set(by_state) >= {"Colombia", "Guatemala"}
    assert sum(by_state.values()) == int(re.search(r'<strong id="total">(\d+)', everything).group(1))
    colombia = get(client, "/browse/coordination-bodies?state=CO")
    assert int(re.search(r'<strong id="total">(\d+)', colombia).group(1)) == by_state["Colombia"] == len(items(colombia))
    assert "Interagency Committee for the Prevention and Eradication of Commercial Sexual Exploitation" \
           in " ".join(items(colombia))


def test_laws_of_a_state_by_year_then_number(client):
    html = get(client, "/browse/legal-instruments?state=CO")
    names = items(html)
    assert names.index("Act 294 of 1996") < names.index("Act 2137 of 2021")
    assert "Colombia" in facet(html, "state") and "Act" in facet(html, "kind")
    year = get(client, "/browse/legal-instruments?state=CO&year=2021")
    assert "Act 2137 of 2021" in items(year) and "Act 294 of 1996" not in items(year)


def test_articles_in_natural_order(client):
    names = items(get(client, "/browse/provisions"))
    assert len(names) > 2 and names == sorted(names, key=natural_key)


def test_paging(client):
    first = get(client, "/browse/institutions")
    total = int(re.search(r'<strong id="total">(\d+)', first).group(1))
    assert total > 50 and len(items(first)) == 50
    last_page = -(-total // 50)
    last = get(client, f"/browse/institutions?page={last_page}")
    assert len(items(last)) == total - 50 * (last_page - 1)
    assert not set(items(first)) & set(items(last))
    get(client, f"/browse/institutions?page={last_page + 1}", status=400)


def test_unknown_facet_value_is_a_400_that_keeps_the_facets(client):
    html = get(client, "/browse/policies?state=ZZ", status=400)
    assert "Unknown value ZZ for State" in html and "CO" in re.search(r'id="unknown-facets">(.*?)</div>', html, re.S).group(1)
    assert '<section class="facet" data-facet="state">' in html
    get(client, "/browse/policies?year=abcd", status=400)
    assert client.get("/browse/no-such-kind", headers=HTML).status_code == 404


def test_state_page_lists_laws_in_natural_order(client):
    html = get(client, "/state/CO")
    assert html.index(">Act 294 of 1996<") < html.index(">Act 2137 of 2021<")
