"""The views' HTML in-process: the comparison matrix's treaty rows in the order of the report's table,
with a legend and one evidence link per line; the timeline's "as printed" column."""

from __future__ import annotations

import re


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
