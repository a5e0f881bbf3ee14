"""What the service must know of a query's text before an engine runs it, read in one linear pass.

The engine (pyoxigraph, or a remote store) parses and runs the query; this module only
tokenises it, so that the text it judges is the text that runs:

- the text is normalised first (CR and CRLF line ends to LF, ``\\u``/``\\U`` escapes
  decoded, as SPARQL 1.1 section 19.2 has every parser do before reading the grammar), and
  that normalised text is what the store runs — a comment cannot end for one reader and
  go on for the other;
- the query form is the first keyword after the prologue; an update is refused here (the
  embedded store could not run one anyway: it only ever calls the query parser);
- ``SERVICE`` outside strings, IRIs and comments is refused unless federation is on;
- nesting deeper than ``MAX_NESTING`` is refused before it can overflow the engine's stack;
- prefixes the query uses without declaring them are the project's own (``PREFIXES``),
  or an error naming the prefix and its line.

Every step is a regular expression without nested quantifiers applied token by token, so
the cost is linear in the text's length, whatever the text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .namespaces import PREFIXES

SELECT, ASK, CONSTRUCT, DESCRIBE = "SELECT", "ASK", "CONSTRUCT", "DESCRIBE"
FORMS = (SELECT, ASK, CONSTRUCT, DESCRIBE)
UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
READ_ONLY = "this is a read-only query service: SPARQL Update (INSERT, DELETE, LOAD, CLEAR...) is not accepted"
NO_SERVICE = "SERVICE (federated query) is turned off on this endpoint: it does not fetch other sites"
#: braces, parentheses and brackets open at once; real queries stay under 20, the engine's stack breaks in the thousands
MAX_NESTING = 64
#: texts kept in the cache of readings (longer ones are read again each time: reading is linear and cheap)
_CACHED_LENGTH = 16 * 1024


class QueryTextError(ValueError):
    """A query refused before it runs: ``status`` is the HTTP status that says why (400 or 403)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class QueryText:
    """A query's normalised text and what was read off it."""

    text: str
    form: str
    uses_service: bool
    #: the project prefixes the query uses without declaring them (the store supplies them)
    implicit_prefixes: tuple[str, ...] = ()

    def prologue(self) -> str:
        """PREFIX lines for the implicit prefixes, for stores that cannot be given them otherwise."""
        return "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in self.implicit_prefixes)


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKEN = re.compile(r"""
    (?P<space>[ \t\n]+)
  | (?P<comment>\#[^\n]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<long>'''|\"\"\")
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<word>[?$]?[\w\-.:%\\\u00B7-\U0010FFFF]+)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)
_LONG_END = {"'''": re.compile(r"(?:[^'\\]|\\.|'(?!''))*'''", re.DOTALL),
             '"""': re.compile(r'(?:[^"\\]|\\.|"(?!""))*"""', re.DOTALL)}


def normalise(text: str) -> str:
    """LF line ends and decoded codepoint escapes: the one text both this module and the store read."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")

    def decode(match: re.Match) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise QueryTextError(400, f"malformed query at line {_line(text, match.start())}: "
                                      f"{match.group(0)} is not a Unicode character")
        return chr(code)

    return _ESCAPE.sub(decode, text) if "\\" in text else text


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _position(text: str, offset: int) -> str:
    line = _line(text, offset)
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def read_query(text: str, allow_service: bool = False) -> QueryText:
    """Normalise ``text`` and read its form, SERVICE use, nesting and prefixes (``QueryTextError`` if refused)."""
    if len(text) <= _CACHED_LENGTH:
        return _read_cached(text, allow_service)
    return _read(text, allow_service)


@functools.lru_cache(maxsize=1024)
def _read_cached(text: str, allow_service: bool) -> QueryText:
    return _read(text, allow_service)


def _read(text: str, allow_service: bool) -> QueryText:
    text = normalise(text)
    form = None
    expect = None  # what the prologue keyword before needs next: "prefix-name", "iri"
    declared, used = set(), {}
    depth = 0
    uses_service = False
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        kind, value = match.lastgroup, match.group()
        if kind == "long":
            end = _LONG_END[value].match(text, match.end())
            if end is None:
                raise QueryTextError(400, f"malformed query at {_position(text, pos)}: a long string is not closed")
            pos = end.end()
            expect = None
            continue
        pos = match.end()
        if kind in ("space", "comment"):
            continue
        if kind == "open":
            depth += 1
            if depth > MAX_NESTING:
                raise QueryTextError(400, f"the query nests brackets deeper than {MAX_NESTING} levels "
                                          f"(at {_position(text, match.start())}); simplify it")
            continue
        if kind == "close":
            depth = max(0, depth - 1)
            continue
        if kind == "word":
            word = value.rstrip(".")
            upper = word.upper()
            if form is None:
                if expect == "prefix-name":
                    declared.add(word.split(":", 1)[0])
                    expect = "iri"
                    continue
                if upper in ("PREFIX", "BASE"):
                    expect = "prefix-name" if upper == "PREFIX" else "iri"
                    continue
                if upper in FORMS:
                    form = upper
                    continue
                if upper in UPDATE_KEYWORDS:
                    raise QueryTextError(400, READ_ONLY)
                raise QueryTextError(400, f"malformed query at {_position(text, match.start())}: "
                                          f"expected SELECT, CONSTRUCT, DESCRIBE or ASK, found {word[:40]!r}")
            if upper == "SERVICE":
                uses_service = True
            elif ":" in word and word[0] not in "?$_" and not word.startswith(("http:", "https:")):
                used.setdefault(word.split(":", 1)[0], match.start())
            continue
        if kind == "iri" and expect == "iri":
            expect = None
            continue
        if form is None and kind in ("iri", "string", "other"):
            raise QueryTextError(400, f"malformed query at {_position(text, match.start())}: "
                                      f"expected SELECT, CONSTRUCT, DESCRIBE or ASK, found {value[:40]!r}")
    if form is None:
        raise QueryTextError(400, "malformed query: no SELECT, CONSTRUCT, DESCRIBE or ASK in it")
    if uses_service and not allow_service:
        raise QueryTextError(403, NO_SERVICE)
    implicit = []
    for prefix, offset in used.items():
        if prefix in declared:
            continue
        if prefix not in PREFIXES:
            raise QueryTextError(400, f'unknown prefix "{prefix}:" at line {_line(text, offset)}; declare it with '
                                      f"PREFIX {prefix}: <...> (predefined: {', '.join(PREFIXES)})")
        implicit.append(prefix)
    return QueryText(text, form, uses_service, tuple(sorted(implicit)))
