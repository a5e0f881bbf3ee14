"""A synthetic graph of the report's shape: States with laws, coordination bodies with member
institutions (org:Membership), policies, treaty ratifications and Data Cube observations, one named
graph per State, with the same classes and properties as the real data so the canned queries answer.

``scale`` counts units of about 1,000 triples (one synthetic State: 16 laws, 8 bodies with 6 members
each, 8 policies, 9 ratifications, 90 observations); 1,000 units make the benchmark's largest size, "1,000x", about 1M
triples. The synthetic States come on top of the real data, which the benchmark always includes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

SEC = "https://w3id.org/sec-kg/ontology#"
ID = "https://w3id.org/sec-kg/id/"
GRAPH = "https://w3id.org/sec-kg/graph/data/synthetic/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ORG = "http://www.w3.org/ns/org#"
QB = "http://purl.org/linked-data/cube#"
XSD = "http://www.w3.org/2001/XMLSchema#"
TREATIES = ("crc", "opsc", "iacitm", "cedaw", "op-cedaw", "belem-do-para", "untoc", "palermo-protocol", "rome-statute")


def _unit(n: int) -> list[str]:
    code = f"S{n:04d}"
    graph = f"<{GRAPH}{code.lower()}>"
    state = f"<{ID}state/{code}>"
    lines = []

    def t(s, p, o):
        lines.append(f"{s} <{p}> {o} {graph} .")

    def lit(value, lang="en"):
        return f'"{value}"@{lang}' if lang else f'"{value}"'

    t(state, RDF_TYPE, f"<{SEC}State>")
    t(state, LABEL, lit(f"Synthetic State {n}"))
    t(state, f"{SEC}reportSection", lit("1", None))
    institutions = [f"<{ID}institution/{code}/inst-{i}>" for i in range(12)]
    for i, inst in enumerate(institutions):
        t(inst, RDF_TYPE, f"<{SEC}Institution>")
        t(inst, LABEL, lit(f"Institution {i} of State {n}"))
        t(inst, f"{SEC}state", state)
    for i in range(16):
        law = f"<{ID}instrument/{code}/act-{i}>"
        t(law, RDF_TYPE, f"<{SEC}Act>")
        t(law, LABEL, lit(f"Act {i} of State {n}"))
        t(law, f"{SEC}state", state)
        t(law, f"{SEC}year", f'"{2000 + i}"^^<{XSD}gYear>')
        t(law, f"{SEC}reportSection", lit("2.1", None))
        if i:
            t(law, "http://data.europa.eu/eli/ontology#amends", f"<{ID}instrument/{code}/act-{i - 1}>")
    for b in range(8):
        body = f"<{ID}body/{code}/body-{b}>"
        t(body, RDF_TYPE, f"<{SEC}CoordinationBody>")
        t(body, LABEL, lit(f"Coordination body {b} of State {n}"))
        t(body, f"{SEC}state", state)
        t(body, f"{SEC}createdBy", f"<{ID}instrument/{code}/act-{b}>")
        t(body, f"{SEC}year", f'"{2010 + b}"^^<{XSD}gYear>')
        for m in range(6):
            membership = f"<{ID}membership/{code}/body-{b}/inst-{(b + m) % 12}>"
            t(membership, RDF_TYPE, f"<{ORG}Membership>")
            t(membership, f"{ORG}organization", body)
            t(membership, f"{ORG}member", institutions[(b + m) % 12])
            t(membership, f"{ORG}role", f"<{ID}concept/role/{'chair' if m == 0 else 'member'}>")
            t(membership, f"{SEC}reportSection", lit("2.2", None))
    for p in range(8):
        policy = f"<{ID}policy/{code}/policy-{p}>"
        t(policy, RDF_TYPE, f"<{SEC}Policy>")
        t(policy, LABEL, lit(f"Policy {p} of State {n}"))
        t(policy, f"{SEC}state", state)
        t(policy, f"{SEC}ledBy", institutions[p])
        t(policy, f"{SEC}adoptionDate", f'"{2015 + p}"^^<{XSD}gYear>')
    for treaty in TREATIES:
        cell = f"<{ID}ratification/{code}/{treaty}>"
        t(cell, RDF_TYPE, f"<{SEC}Ratification>")
        t(cell, f"{SEC}state", state)
        t(cell, f"{SEC}treaty", f"<{ID}treaty/{treaty}>")
        t(cell, f"{SEC}printedValue", lit("x", None))
    dataset = f"<{ID}dataset/{code.lower()}-cases>"
    t(dataset, RDF_TYPE, f"<{QB}DataSet>")
    t(dataset, LABEL, lit(f"Cases in State {n}"))
    for o in range(90):
        obs = f"<{ID}observation/{code.lower()}-cases/{o}>"
        t(obs, RDF_TYPE, f"<{QB}Observation>")
        t(obs, f"{QB}dataSet", dataset)
        t(obs, f"{SEC}refState", state)
        t(obs, f"{SEC}refPeriod", lit(str(2015 + o % 10), None))
        t(obs, f"{SEC}count", f'"{(n * 7 + o * 13) % 500}"^^<{XSD}integer>')
    return lines


def nquads(scale: int) -> bytes:
    """``scale`` synthetic States as N-Quads."""
    return ("\n".join(line for n in range(scale) for line in _unit(n)) + "\n").encode() if scale else b""


def write_project(directory: Path, root: Path, scale: int) -> Path:
    """A project directory holding the real ontology, shapes, queries and data plus ``scale`` synthetic
    States as ``data/ttl/synthetic/sNNNN.ttl`` (N-Triples, which is Turtle), for ``sec-kg --home``.

    Its served artefact is written here too: the real data's validated artefact plus the synthetic
    quads. The synthetic States are not run through the shapes (pySHACL would take hours at a million
    triples, and they are made to measure speed, not to be true); the artefact records the project's
    inputs, so ``serve`` takes it as it is."""
    from ..artefact import prepare, record
    from ..project import Project

    directory.mkdir(parents=True, exist_ok=True)
    for name in ("ontology", "shapes", "queries"):
        (directory / name).symlink_to(root / name)
    shutil.copytree(root / "data" / "ttl", directory / "data" / "ttl")  # copied: the loader does not follow symlinked folders
    target = directory / "data" / "ttl" / "synthetic"
    target.mkdir()
    per_file = 50
    quads = [prepare(Project(root)).nquads()]
    for start in range(0, scale, per_file):
        lines = [line.rsplit(" <", 1)[0] for n in range(start, min(scale, start + per_file)) for line in _unit(n)]
        (target / f"s{start:04d}.ttl").write_text("".join(line + " .\n" for line in lines))
        quads.append("".join(f"{line} <{GRAPH}s{start:04d}> .\n" for line in lines).encode())
    record(Project(directory), b"".join(quads))
    return directory
