"""The views' HTML in-process: the comparison matrix's treaty rows in the order of the report's table,
with a legend and one evidence link per line; the timeline's "as printed" column; the home page's counts
by State and the map's assets."""

from __future__ import annotations

import re

from rdflib import Namespace, URIRef
from rdflib.namespace import QB, RDF


def _treaty_rows(html: str) -> list[str]:
    return re.findall(r'<tr data-feature="treaty"><th scope="row">([^<]+)</th>', html)


def test_compare_lists_the_treaties_in_the_order_of_the_report_table(client, report_text):
    html = client.get("/compare").get_data(as_text=True)
    treaties = _treaty_rows(html)
    assert len(treaties) == 9
    header = next(line for line in report_text.splitlines() if "Rome Statute 17 July 1998" in line)
    assert treaties == sorted(treaties, key=header.index)  # left to right, as the table's header prints them


def test_compare_has_a_legend_and_one_evidence_link_per_line(client):
    html = client.get("/compare").get_data(as_text=True)
    legend = re.search(r'<dl class="legend" id="compare-legend">(.*?)</dl>', html, re.S).group(1)
    kinds = set(re.findall(r'class="swatch cell-([\w-]+)"', legend))
    cells = set(re.findall(r'<td class="([\w-]+)" data-state=', html))
    assert cells <= kinds and {"yes", "none", "ratified", "acceded", "not-party"} <= kinds
    committee = re.search(r'<tr data-feature="sec-body">.*?<td class="yes" data-state="CO">(.*?)</td>', html, re.S).group(1)
    assert committee.startswith('<ul class="evidence"><li><a href=')
    assert committee.count("<li>") == committee.count("<a ")


def test_compare_in_spanish(client):
    html = client.get("/compare?lang=es").get_data(as_text=True)
    assert "<h1>Matriz comparativa</h1>" in html and "no informado" in html


def test_timeline_as_printed_column_shows_what_the_report_prints(client):
    html = client.get("/timeline?state=GT").get_data(as_text=True)
    rows = re.findall(r'<tr data-kind="(\w+)"><td>GT</td><td>[^<]*</td><td>[^<]*</td><td><a [^>]*>([^<]*)</a></td>'
                      r'<td>([^<]*)</td>', html)
    printed = {label: note for kind, label, note in rows if kind == "instrument"}
    assert printed and not {"Act", "Decree", "Code"} & set(printed.values())
    assert "Decree 27-2003 – Act on the Comprehensive Protection of Children and Adolescents" in printed.values()
    assert all(note for kind, _, note in rows if kind == "ratification")


def test_home_table_counts_what_the_graph_holds_for_each_state(client, graph):
    """The numbers the map colours by, counted again here with rdflib from the loaded graph."""
    sec, status = Namespace("https://w3id.org/sec-kg/ontology#"), Namespace("https://w3id.org/sec-kg/id/concept/ratification-status/")
    html = client.get("/?lang=en").get_data(as_text=True)
    table = re.search(r'<table class="compact state-counts" id="state-counts">(.*?)</table>', html, re.S).group(1)
    shown = {(code, measure): int(value) for code, row in re.findall(r'<tr data-state="(\w\w)"(.*?)</tr>', table, re.S)
             for measure, value in re.findall(r'data-measure="(\w+)" data-value="(\d+)"', row)}
    for code in ("CA", "CL", "CO", "EC", "GT", "GY", "MX", "PE"):
        of_state = set(graph.subjects(sec.state, URIRef(f"https://w3id.org/sec-kg/id/state/{code}")))
        expected = {
            "treaties": sum(1 for r in of_state if (r, RDF.type, sec.Ratification) in graph
                            and graph.value(r, sec.ratificationStatus) in (status.ratified, status.acceded)),
            "bodies": sum(1 for r in of_state if (r, RDF.type, sec.CoordinationBody) in graph),
            "policies": sum(1 for r in of_state if (r, RDF.type, sec.Policy) in graph),
            "statistics": sum(1 for r in of_state if (r, RDF.type, QB.DataSet) in graph),
        }
        assert {m: shown[(code, m)] for m in expected} == expected, code
    assert shown[("GT", "statistics")] > 0 and shown[("GY", "statistics")] == 0  # the map has something to tell apart


def test_home_map_assets_are_served_from_npm_and_the_table_works_without_them(client):
    html = client.get("/?lang=en").get_data(as_text=True)
    for src in re.findall(r'<script src="(/vendor/[^"]+)"', html):
        assert client.get(src).status_code == 200, src
    atlas = re.search(r'data-atlas="([^"]+)"', html).group(1)
    assert client.get(atlas).get_json()["type"] == "Topology"
    assert re.search(r'<figure class="state-map" id="state-map" [^>]*hidden>', html)  # shown by the script once drawn
    assert 'href="/state/GY"' in re.search(r'id="state-counts">(.*?)</table>', html, re.S).group(1)


def test_home_table_names_the_states_in_the_page_language(client, graph):
    from rdflib.namespace import SKOS

    spanish = {str(s).rsplit("/", 1)[1]: str(o) for s, o in graph.subject_objects(SKOS.altLabel)
               if str(s).startswith("https://w3id.org/sec-kg/id/state/") and o.language == "es"}
    html = client.get("/?lang=es").get_data(as_text=True)
    shown = dict(re.findall(r'<tr data-state="(\w\w)"[^>]*>\s*<th scope="row"><a href="[^"]+">([^<]+)</a>', html))
    assert spanish and all(shown[code] == name for code, name in spanish.items())
