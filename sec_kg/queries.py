"""The canned queries of ``queries/*.rq``: their headers, their parameters, and safe binding.

A canned query starts with a header of comment lines::

    # title: Coordination bodies
    # description: Each State's interagency coordination bodies ...
    # param: state state - the State (ISO 3166-1 alpha-2 code or IRI); all States if omitted

``# param: NAME TYPE DEFAULT - meaning`` (an en dash or a hyphen before the meaning;
DEFAULT ``-`` (or ``UNDEF``) for none; ``# param: none`` for a query without parameters). A value is parsed by its type into one RDF term and bound
with a ``VALUES`` block that opens the query's WHERE clause: nothing a user types is
ever pasted into the query text. A parameter left unset stays unbound, so the query
answers for every value.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from .namespaces import ID, SEC, sparql_prologue

_HEADER = re.compile(r"#\s*(title|description|param):\s*(.*)")
_PARAM = re.compile(r"(\w+)\s+(\w+)\s+(\S+)\s+[\u2013\u2014-]\s+(.+)")
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_MAX_VALUE_LENGTH = 200


class QueryFileError(ValueError):
    """A .rq file whose header does not follow the convention."""


class ParameterError(ValueError):
    """A parameter value that does not parse as its type, or a parameter the query does not have;
    ``suggestions``: the closest valid values, if any."""

    def __init__(self, message: str, suggestions: list[str] | tuple[str, ...] = (), parameter: str | None = None,
                 valid: tuple[str, ...] = ()):
        super().__init__(message)
        self.suggestions = tuple(suggestions)
        #: the parameter at fault, and the values it accepts when they form a closed list (for forms and programs)
        self.parameter = parameter
        self.valid = tuple(valid)


def _closest(value: str, valid: tuple[str, ...]) -> list[str]:
    folded = {code.casefold(): code for code in valid}
    return [folded[code] for code in difflib.get_close_matches(value.casefold(), list(folded), n=3, cutoff=0.5)]


#: the eight States of the report (data/ttl/common/states.ttl), by ISO 3166-1 alpha-2 code
_STATES = ("CA", "CL", "CO", "EC", "GT", "GY", "MX", "PE")


def _state(value: str) -> URIRef:
    prefix = str(ID["state/"])
    code = value[len(prefix):] if value.startswith(prefix) else value.upper()
    if code not in _STATES:
        raise ParameterError(f"expects a State's ISO 3166-1 alpha-2 code ({', '.join(_STATES)}) or its IRI",
                             _closest(code.upper(), _STATES))
    return ID[f"state/{code}"]


def _iri(value: str) -> URIRef:
    if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", value):
        raise ParameterError("expects an absolute http(s) IRI")
    return URIRef(value)


def _integer(value: str) -> Literal:
    if not re.fullmatch(r"[+-]?\d{1,12}", value):
        raise ParameterError("expects a whole number")
    return Literal(int(value))


def _year(value: str) -> Literal:
    if not re.fullmatch(r"\d{4}", value):
        raise ParameterError("expects a four-digit year (e.g. 2025)")
    return Literal(value, datatype=XSD.gYear)


def _date(value: str) -> Literal:
    try:
        return Literal(date.fromisoformat(value).isoformat(), datatype=XSD.date)
    except ValueError:
        raise ParameterError("expects a date as YYYY-MM-DD") from None


def _string(value: str) -> Literal:
    return Literal(value)


def _code(kind: str, path: str, codes: tuple[str, ...]):
    """A parser for a short code out of a closed list (or the full IRI), as a concept or resource IRI."""

    def parse(value: str) -> URIRef:
        code = value.rsplit("/", 1)[-1].lower()
        if code not in codes:
            raise ParameterError(f"expects {kind}: {', '.join(codes)}", _closest(code, codes))
        return ID[f"{path}/{code}"]

    return parse


_CATEGORIES = ("diagnosis", "coordination", "prevention", "protection", "recovery", "participation")
_TREATIES = ("crc", "opsc", "iacitm", "cedaw", "op-cedaw", "belem-do-para", "untoc", "palermo-protocol", "rome-statute")
_SECTORS = ("state", "prosecutor", "court", "police", "ombudsman", "legislature", "local-government",
            "civil-society", "private-sector", "international-organization", "academia")
_MODALITIES = ("paid-sex", "pornography", "trafficking", "forced-marriage")
_MEASURE_TYPES = ("awareness-campaign", "awareness-day", "training", "code-of-conduct", "information-material",
                  "programme", "mobile-unit", "monitoring", "specialised-court", "gesell-chamber", "forensic-interview",
                  "prosecution-protocol", "child-advocacy-centre", "reporting-channel", "residential-care",
                  "outpatient-care", "council", "consultation")


def _dataset(value: str) -> URIRef:
    slug = value.rsplit("/", 1)[-1]
    if not re.fullmatch(r"[a-z]{2}-[a-z0-9-]{1,80}", slug):
        raise ParameterError("expects a data set's slug (e.g. gt-victims-by-age; the statistics/ queries of "
                             "`sec-kg query --list` are named after them)")
    return ID[f"dataset/{slug}"]


def _slug(kind: str, path: str):
    """A parser for a resource or concept named by the part of its IRI after ``id/{path}/`` (or by its IRI):
    which of them exist is the graph's to say (``IN_GRAPH``)."""
    prefix = str(ID) + (f"{path}/" if path else "")

    def parse(value: str) -> URIRef:
        slug = value[len(prefix):] if value.startswith(prefix) else value.replace(" ", "-")
        if path.startswith("concept/"):  # concept slugs are lower case: "Reported absence" is reported-absence
            slug = slug.lower()
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*", slug):
            raise ParameterError(f"expects {kind}")
        return URIRef(prefix + slug)

    return parse


_BOOLEANS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


def _boolean(value: str) -> Literal:
    if value.lower() not in _BOOLEANS:
        raise ParameterError("expects true or false")
    return Literal(_BOOLEANS[value.lower()])


#: the kinds of national legal instrument, as codes -> their classes in the ontology
_KINDS = {"constitution": "Constitution", "code": "Code", "act": "Act", "decree": "Decree",
          "administrative-agreement": "AdministrativeAgreement", "resolution": "Resolution",
          "regulation": "Regulation"}


def _kind(value: str) -> URIRef:
    """An instrument kind out of a closed list (or its class IRI), as the ontology's class."""
    code = re.sub(r"(?<=[a-z])(?=[A-Z])", "-", re.split(r"[#/]", value)[-1]).lower()
    if code not in _KINDS:
        raise ParameterError(f"expects an instrument kind: {', '.join(_KINDS)}")
    return SEC[_KINDS[code]]


#: parameter type -> parser of a user's text into an RDF term
TYPES = {"state": _state, "iri": _iri, "integer": _integer, "year": _year,
         "date": _date, "string": _string, "dataset": _dataset,
         "category": _code("a Stockholm category", "concept/category", _CATEGORIES),
         "treaty": _code("a treaty code", "treaty", _TREATIES),
         "sector": _code("a sector code", "concept/sector", _SECTORS),
         "modality": _code("a modality code", "concept/modality", _MODALITIES),
         "measure": _code("a measure type code", "concept/measure-type", _MEASURE_TYPES),
         "boolean": _boolean, "kind": _kind,
         "body": _slug("a coordination body (its IRI, or the part after id/body/, e.g. GT/menacesnna)", "body"),
         "resource": _slug("a resource (its IRI, or the part after id/, e.g. body/GT/menacesnna)", ""),
         "finding": _slug("a finding type (e.g. recommendation)", "concept/finding-type"),
         "section": _string}
_NO_DEFAULT = ("-", "UNDEF")
#: parameter type -> the values it accepts, for people choosing one (`sec-kg query --list`)
VALUES = {"state": f"{', '.join(_STATES)} (ISO 3166-1 alpha-2), or the State's IRI",
          "category": ", ".join(_CATEGORIES), "treaty": ", ".join(_TREATIES), "sector": ", ".join(_SECTORS),
          "modality": ", ".join(_MODALITIES), "measure": ", ".join(_MEASURE_TYPES),
          "kind": ", ".join(_KINDS), "boolean": "true or false (also yes/no, 1/0)",
          "dataset": "a statistical table's slug, e.g. gt-victims-by-age (the statistics/ queries are named after them)",
          "iri": "an absolute http(s) IRI, e.g. https://w3id.org/sec-kg/id/body/GT/menacesnna",
          "year": "a four-digit year, e.g. 2025", "date": "YYYY-MM-DD", "integer": "a whole number",
          "string": "any text",
          "body": "a coordination body of the graph: the part of its IRI after id/body/ (e.g. GT/menacesnna) or its IRI",
          "resource": "a resource of the graph: the part of its IRI after id/ (e.g. body/GT/menacesnna) or its IRI",
          "finding": "a finding type of the graph: progress, challenge, recommendation, observation, reported-absence",
          "section": "a report section that the graph cites, as printed: 2.4, 3, Conclusions..."}


#: parameter type -> its closed list of values, where it has one
CLOSED = {"state": _STATES, "category": _CATEGORIES, "treaty": _TREATIES, "sector": _SECTORS,
          "modality": _MODALITIES, "measure": _MEASURE_TYPES, "kind": tuple(_KINDS), "boolean": ("true", "false")}


#: parameter type -> the JSON schema of the values its parser accepts (for the OpenAPI description); a type that
#: takes graph values (``IN_GRAPH``) is described there by the values the served graph holds
SCHEMAS = {"boolean": {"type": "string", "enum": list(_BOOLEANS)},
           "iri": {"type": "string", "format": "uri", "pattern": r"^https?://[^\s<>\"{}|\\^`]+$",
                   "maxLength": _MAX_VALUE_LENGTH},
           "integer": {"type": "integer", "minimum": -999999999999, "maximum": 999999999999},
           "year": {"type": "string", "pattern": "^[0-9]{4}$"}, "date": {"type": "string", "format": "date"},
           "string": {"type": "string", "minLength": 1, "maxLength": _MAX_VALUE_LENGTH}}


@dataclass(frozen=True)
class InGraph:
    """The values a parameter type takes from the graph: ``pattern`` binds each as ``?value``; ``code`` is what
    people type (and a form sends) for it."""

    pattern: str
    code: Callable[[URIRef | Literal], str] = lambda term: str(term).rsplit("/", 1)[-1]


def _after(path: str) -> Callable[[URIRef | Literal], str]:
    return lambda term: str(term)[len(str(ID[path])):]


#: parameter type -> the values it takes from the graph being queried: a form offers, and the binder accepts
#: (``bind(values, choices)``), only what that graph holds
IN_GRAPH = {
    "state": InGraph("?value a sec:State"),
    "treaty": InGraph("?value a sec:Treaty"),
    "category": InGraph(f"?value skos:inScheme <{ID['scheme/category']}>"),
    "sector": InGraph(f"?value skos:inScheme <{ID['scheme/sector']}>"),
    "modality": InGraph(f"?value skos:inScheme <{ID['scheme/modality']}>"),
    "measure": InGraph(f"?value skos:inScheme <{ID['scheme/measure-type']}>"),
    "finding": InGraph(f"?value skos:inScheme <{ID['scheme/finding-type']}>"),
    "kind": InGraph(f"VALUES ?value {{ {' '.join(f'sec:{name}' for name in _KINDS.values())} }} ?value a owl:Class",
                    {SEC[name]: code for code, name in _KINDS.items()}.__getitem__),
    "dataset": InGraph("?value a qb:DataSet"),
    "body": InGraph("?value a sec:CoordinationBody", _after("body/")),
    "resource": InGraph(f'?value rdfs:label ?name FILTER (STRSTARTS(STR(?value), "{ID}"))', _after("")),
    "section": InGraph("?resource sec:reportSection ?value", str),
}


@dataclass(frozen=True)
class Choice:
    """One value a parameter may take: what people type for it, and the RDF term it binds."""

    code: str
    term: URIRef | Literal


def graph_choices(store, kinds) -> dict[str, list[Choice]]:
    """Parameter type -> the values the graph in ``store`` holds for it, for those of ``kinds`` that take
    graph values (one query per type)."""
    found = {}
    for kind in sorted(set(kinds) & set(IN_GRAPH)):
        text = f"{sparql_prologue()}SELECT DISTINCT ?value WHERE {{ {IN_GRAPH[kind].pattern} }}"
        rows = store.query(text, cap=None).rows  # all of them, whatever the result cap of people's queries
        found[kind] = sorted((Choice(IN_GRAPH[kind].code(row["value"]), row["value"]) for row in rows),
                             key=lambda choice: choice.code)
    return found


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: str | None
    meaning: str

    def parse(self, value: str, choices: list[Choice] | None = None):
        """The RDF term ``value`` stands for; with ``choices`` (the graph's values of this type), one of them."""
        if len(value) > _MAX_VALUE_LENGTH:
            raise ParameterError(f"parameter {self.name!r} is longer than {_MAX_VALUE_LENGTH} characters")
        valid = tuple(c.code for c in choices) if choices is not None else CLOSED.get(self.type, ())
        try:
            term = TYPES[self.type](value.strip())
            if choices is not None and term not in {c.term for c in choices}:
                raise ParameterError(f"expects {VALUES[self.type]}; the graph has no such value",
                                     _closest(value.strip(), valid))
            return term
        except ParameterError as exc:
            hint = f"; did you mean {' or '.join(exc.suggestions)}?" if exc.suggestions else ""
            raise ParameterError(f"parameter {self.name!r} {exc}: got {value!r}{hint}", exc.suggestions,
                                 self.name, valid) from None


@dataclass(frozen=True)
class CannedQuery:
    name: str
    title: str
    description: str
    text: str
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)

    @property
    def types(self) -> set[str]:
        """The types of its parameters (those that take graph values need ``graph_choices`` to bind)."""
        return {p.type for p in self.parameters}

    def bind(self, values: dict[str, str], choices: dict[str, list[Choice]] | None = None) -> str:
        """The query text with the given parameters (and defaults) bound by a VALUES block; with ``choices``
        (``graph_choices``), a value of a type that takes graph values must be one the graph holds."""
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(values) - set(known))
        if unknown:
            expected = ", ".join(known) or "none"
            raise ParameterError(f"query {self.name!r} has no parameter {unknown[0]!r} (parameters: {expected})",
                                 parameter=unknown[0], valid=tuple(known))
        terms = {}
        for parameter in self.parameters:
            value = values.get(parameter.name) or parameter.default
            if value:
                terms[parameter.name] = parameter.parse(value, (choices or {}).get(parameter.type))
        if not terms:
            return self.text
        names = " ".join(f"?{name}" for name in terms)
        row = " ".join(sparql_term(term) for term in terms.values())
        where = _WHERE.search(_without_comments(self.text))
        return f"{self.text[:where.end()]}\n    VALUES ({names}) {{ ({row}) }}{self.text[where.end():]}"


_IRI_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def sparql_term(term: URIRef | Literal) -> str:
    """``term`` written in SPARQL syntax by this module, not by rdflib: a string is always one
    double-quoted line with every quote, backslash and line break escaped, so no value can end
    the literal and go on as query text (not even once the text's codepoint escapes are decoded)."""
    if isinstance(term, URIRef):
        if _IRI_FORBIDDEN.search(term):
            raise ParameterError(f"{str(term)[:80]!r} is not an IRI that can be written in a query")
        return f"<{term}>"
    value = str(term)
    # a "u" after a backslash is written as an escape itself: "\\u0022" would otherwise turn into a quote
    # when the query text's codepoint escapes are decoded (SPARQL 1.1, section 19.2)
    text = '"' + "".join(("\\u0075" if c == "u" else "\\u0055") if c in "uU" and i and value[i - 1] == "\\"
                         else _STRING_ESCAPES.get(c, c) for i, c in enumerate(value)) + '"'
    if term.language:
        return text + "@" + term.language
    if term.datatype is not None and term.datatype != XSD.string:
        return text + "^^" + sparql_term(URIRef(term.datatype))
    return text


def _without_comments(text: str) -> str:
    """The text with comments blanked out (same length, so offsets still match)."""
    return re.sub(r"(?m)^\s*#.*$", lambda m: " " * len(m.group(0)), text)


def parse(path: Path, name: str | None = None) -> CannedQuery:
    """A query file with its header; ``name`` defaults to the file's stem."""
    text = path.read_text(encoding="utf-8")
    header: dict[str, list[str]] = {"title": [], "description": [], "param": []}
    current = None
    for line in text.splitlines():
        match = _HEADER.match(line)
        if match:
            current = match.group(1)
            header[current].append(match.group(2).strip())
        elif line.startswith("#   ") and current in ("description", "param"):
            header[current][-1] += " " + line[1:].strip()  # continuation line
        elif line.strip() and not line.startswith("#"):
            break
    if not header["title"]:
        raise QueryFileError(f"{path}: no '# title:' header line")
    parameters = []
    for spec in header["param"]:
        if spec.lower() in ("none", "-"):
            continue
        match = _PARAM.fullmatch(spec)
        if not match or match.group(2).lower() not in TYPES:
            raise QueryFileError(f"{path}: bad '# param:' line {spec!r} (NAME TYPE DEFAULT - meaning; types: {', '.join(TYPES)})")
        param_name, kind, default, meaning = match.groups()
        parameters.append(Parameter(param_name, kind.lower(), None if default in _NO_DEFAULT else default, meaning))
    if parameters and not _WHERE.search(_without_comments(text)):
        raise QueryFileError(f"{path}: a query with parameters needs a WHERE clause to bind them in")
    return CannedQuery(name or path.stem, header["title"][0], " ".join(header["description"]), text, tuple(parameters))


#: folders of ``queries/`` that hold no canned queries: quality checks, and the graphs the service publishes
NOT_CANNED = ("checks/", "subsets/")


def catalogue(queries_dir: Path) -> dict[str, CannedQuery]:
    """Every canned query under ``queries_dir`` by name (sub-folders too, as ``folder/name``),
    except those of ``NOT_CANNED``."""
    found = {}
    for path in sorted(queries_dir.rglob("*.rq")):
        name = path.relative_to(queries_dir).with_suffix("").as_posix()
        if not name.startswith(NOT_CANNED):
            found[name] = parse(path, name)
    return found


def parse_assignments(pairs: list[str]) -> dict[str, str]:
    """``["state=CO", "year=2025"]`` as a dict; a pair without ``=`` is an error."""
    values = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise ParameterError(f"expected NAME=VALUE, got {pair!r}")
        values[name.strip()] = value
    return values
