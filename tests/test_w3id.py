"""The redirect rules filed with w3id.org (docs/w3id.htaccess): every persistent IRI the project mints
lands, through its rule, on a route of the server that answers 200 (Flask's test client)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

RULES_FILE = Path(__file__).resolve().parent.parent / "docs" / "w3id.htaccess"
SERVER = "https://sec-kg.example.org"
#: a persistent IRI of each kind, as it follows https://w3id.org/sec-kg/
IRIS = ["", "id/state/CO", "id/institution/CO/colombian-family-welfare-institute", "id/membership/CO/national-interagency-committee-csec/ministry-of-labour",
        "ontology", "dataset", "dataset/CO", "void", "data/", "data/all.ttl", "data/all.trig", "data/CO.jsonld",
        "context.jsonld", "sparql", "graph/data/co/coordination", "graph/ontology/sec"]


def rules() -> list[tuple[re.Pattern, str, str]]:
    found = []
    for line in RULES_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("RewriteRule "):
            _, pattern, target, flags = line.split()
            found.append((re.compile(pattern), target, flags))
    return found


def redirect(path: str) -> tuple[str, str]:
    """The target of the first rule that matches ``path`` (mod_rewrite's [L]), and that rule's pattern."""
    for pattern, target, _flags in rules():
        match = pattern.search(path)
        if match:
            return match.expand(target.replace("$", "\\")), pattern.pattern
    pytest.fail(f"no rule for https://w3id.org/sec-kg/{path}")


def test_every_rule_redirects_to_the_server_with_a_redirect_status():
    assert rules()
    for pattern, target, flags in rules():
        assert target.startswith(SERVER + "/"), pattern.pattern
        assert re.search(r"R=30[1-8]", flags) and "L" in flags.strip("[]").split(",")


@pytest.mark.parametrize("iri", IRIS)
def test_each_persistent_iri_lands_on_a_page(client, iri):
    target, _ = redirect(iri)
    path = target[len(SERVER):]
    for accept in ("text/html", "text/turtle"):
        response = client.get(path, headers={"Accept": accept})
        assert response.status_code == 200, (iri, path, accept, response.data[:200])


def test_every_rule_is_exercised():
    used = {redirect(iri)[1] for iri in IRIS}
    assert used == {pattern.pattern for pattern, _, _ in rules()}
