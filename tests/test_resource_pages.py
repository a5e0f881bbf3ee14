"""Resource pages summarise: incoming links grouped by property and kind, counted, the first few shown and
the rest one link away; n-ary statements with their facts; and no page over 100 KB."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import quote


from sec_kg.namespaces import ID
from sec_kg.web.view import INCOMING_SHOWN

HTML = {"Accept": "text/html"}
MAX_PAGE_BYTES = 100 * 1024


def incoming(client, path: str) -> list[tuple[str, str, int, list[str], str | None]]:
    """(property IRI, heading, count, names shown, "all" link) of each group of the page's incoming links."""
    page = client.get(path, headers=HTML)
    assert page.status_code == 200
    section = re.search(r'<section class="incoming" id="incoming">(.*?)</section>', page.get_data(as_text=True), re.S).group(1)
    groups = []
    for attributes, dt, dd in re.findall(r"<dt ([^>]*)>(.*?)</dt>\s*<dd>(.*?)</dd>", section, re.S):
        prop = re.search(r'data-property="([^"]+)"', attributes).group(1)
        count = int(re.search(r'<span class="count">\((\d+)\)</span>', dt).group(1))
        heading = " ".join(unescape(re.sub(r"<[^>]+>", "", dt)).split())
        names = [unescape(n) for n in re.findall(r'<div class="value">(?:<a href="[^"]*">)?([^<]+)', dd)]
        more = re.search(r'<div class="more"><a href="([^"]+)"', dd)
        groups.append((prop, heading, count, names, unescape(more.group(1)) if more else None))
    return groups


def test_incoming_links_are_grouped_by_property_and_kind_with_counts(client, graph):
    """A State is linked from hundreds of resources: by kind, counted, ten of each shown."""
    groups = incoming(client, "/id/state/CO?lang=en")
    headings = [heading for _, heading, _, _, _ in groups]
    assert any(h.startswith("concerned by · Finding") for h in headings)  # one property, several kinds: each its group
    assert any(h.startswith("concerned by · Cooperation agreement") for h in headings)
    observations = next(g for g in groups if g[1].startswith("observations"))
    linking = {s for s in graph.subjects(None, ID["state/CO"])}
    assert observations[2] > INCOMING_SHOWN and len(observations[3]) == INCOMING_SHOWN and observations[4]
    assert all(len(names) == min(count, INCOMING_SHOWN) for _, _, count, names, _ in groups)
    assert sum(count for _, _, count, _, _ in groups) <= len(linking) + len(groups)  # each link counted once


def test_the_rest_of_a_group_is_one_link_away(client):
    observations = next(g for g in incoming(client, "/id/state/CO?lang=en") if g[1].startswith("observations"))
    everything = next(g for g in incoming(client, "/id/state/CO" + observations[4].split("#")[0] + "&lang=en")
                      if g[0] == observations[0])
    assert len(everything[3]) == everything[2] == observations[2] and everything[4] is None


def test_a_treaty_page_lists_the_states_with_the_date_and_status_of_their_ratification(client):
    ratifications = next(g for g in incoming(client, "/id/treaty/crc?lang=en") if g[1].startswith("ratifications"))
    assert ratifications[2] == 8
    assert "Colombia (28 January 1991, ratification)" in ratifications[3]  # printed "28 Jan. 1991" in 4.1.1
    spanish = client.get("/id/treaty/crc?lang=es", headers=HTML).get_data(as_text=True)
    assert "28 de enero de 1991" in spanish


def test_a_state_page_lists_its_treaties_and_an_offence_names_its_state(client):
    treaties = next(g for g in incoming(client, "/id/state/CO?lang=en") if g[1].startswith("treaties"))
    assert "Convention on the Rights of the Child (28 January 1991, ratification)" in treaties[3]
    offences = next(g for g in incoming(client, "/id/concept/modality/pornography?lang=en") if "Offence" in g[1])
    assert any(name.endswith("(Colombia)") for name in offences[3])


def test_a_state_page_links_to_its_views_and_its_queries(client):
    for path in ("/state/GT", "/id/state/GT"):
        page = client.get(path + "?lang=en", headers=HTML).get_data(as_text=True)
        views = re.search(r'<nav class="state-views".*?</nav>', page, re.S).group(0)
        assert 'href="/network/GT"' in views and 'href="/timeline?state=GT"' in views and 'href="/charts?state=GT"' in views
        assert 'href="/queries/coordination-bodies?state=GT"' in views
    queries = re.findall(r'<a href="(/queries/[^"]+)"', views)
    assert len(queries) > 10 and all(q.endswith("=GT") for q in queries)
    for query in queries:  # each runs with the State chosen
        answer = client.get(unescape(query), headers=HTML)
        assert answer.status_code == 200 and 'class="results-table"' in answer.get_data(as_text=True), query
    charts = client.get("/charts?state=GT", headers=HTML).get_data(as_text=True)
    assert "gt-victims-by-age" in charts and "/charts/co-" not in charts


#: pages walked per kind of resource: its most linked, and its longest in text
PER_KIND = 6


def test_the_largest_page_of_every_kind_is_under_100_kb(client, app):
    """The pages most at risk of growing, whatever links to them: of every kind of resource, those with
    the most statements about or pointing to them and those with the most text, and of all our IRIs the
    most linked of any kind. Each answers, under 100 KB."""
    store = app.extensions["sec_kg"].store
    rows = store.query(f"""
        SELECT ?s (SAMPLE(?kind) AS ?c) (COUNT(*) AS ?links) (SUM(?length) AS ?text) WHERE {{
          ?s a ?kind FILTER(STRSTARTS(STR(?s), "{ID}"))
          {{ ?s ?p ?o BIND(IF(isLiteral(?o), STRLEN(STR(?o)), 0) AS ?length) }} UNION {{ ?x ?q ?s BIND(0 AS ?length) }}
        }} GROUP BY ?s""", cap=None).rows
    by_kind: dict[str, list] = {}
    for row in rows:
        by_kind.setdefault(str(row["c"]), []).append(row)
    chosen = {str(row["s"]) for row in sorted(rows, key=lambda r: -int(r["links"]))[:50]}
    for kind_rows in by_kind.values():
        for measure in ("links", "text"):
            chosen |= {str(r["s"]) for r in sorted(kind_rows, key=lambda r: -int(r[measure]))[:PER_KIND]}
    assert len(by_kind) > 20 and len(chosen) > 200, (len(by_kind), len(chosen))
    failures = []
    for iri in sorted(chosen):
        path = "/id/" + quote(iri[len(str(ID)):], safe="/:@!$&'()*+,;=-._~")
        page = client.get(path, headers=HTML)
        if page.status_code != 200 or len(page.data) >= MAX_PAGE_BYTES:
            failures.append((path, page.status_code, len(page.data)))
    assert failures == []


def test_a_spanish_state_page_keeps_its_markup_whole(client):
    """The State's name, marked English on a Spanish page, stays out of attributes."""
    page = client.get("/id/state/CO?lang=es", headers=HTML).get_data(as_text=True)
    assert 'Colombia">' not in re.sub(r"<[^>]*>", "", page)
    assert re.search(r'<strong id="state-views-title">Vistas de <span lang="en">Colombia</span></strong>', page)


def test_a_state_page_groups_each_category_by_kind_in_natural_order(client):
    page = client.get("/state/CO", headers=HTML).get_data(as_text=True)
    protection = page[page.index(">Protection</h2>"):]
    protection = protection[:protection.index("</section>\n</section>")]
    kinds = re.findall(r'<section class="kind" data-kind="([^"]+)"><h3>[^<]+<span class="muted">\((\d+)\)', protection)
    assert [kind for kind, _ in kinds] == sorted((kind for kind, _ in kinds), key=str.casefold)
    assert {"Act", "Provision"} <= {kind for kind, _ in kinds}
    acts = re.findall(r">(Act \d+ of \d+)</a>", protection[protection.index('data-kind="Act"'):])
    assert acts.index("Act 294 of 1996") < acts.index("Act 2137 of 2021")
    provisions = protection[protection.index('data-kind="Provision"'):]
    articles = [a for a in re.findall(r">(Act 679 of 2001, Art\. \d+)</a>", provisions)]
    assert articles.index("Act 679 of 2001, Art. 7") < articles.index("Act 679 of 2001, Art. 10")
    listed = sum(int(n) for _, n in kinds)
    assert re.search(rf'>Protection \({listed}\)</a>', page)
