"""The interface in Spanish: chosen by ?lang=, remembered, or from Accept-Language; every string
the templates and views mark for translation has its Spanish text."""

from __future__ import annotations

import re
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]


def _lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def test_every_marked_string_has_a_spanish_translation():
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    from sec_kg.web.i18n import TRANSLATIONS_DIR, catalogue

    with (ROOT / "sec_kg" / "web" / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = {**DEFAULT_KEYWORDS, "_l": None}  # lazy_gettext, as the modules import it
    marked = {message[2] for message in extract_from_dir(str(ROOT), method_map, options_map, keywords=keywords)}
    assert "Canned queries" in marked and "Coordination bodies" in marked
    spanish = catalogue("es")
    untranslated = sorted(m if isinstance(m, str) else m[0] for m in marked
                          if spanish.gettext(m if isinstance(m, str) else m[0]) == (m if isinstance(m, str) else m[0]))
    assert not untranslated, f"no Spanish in {TRANSLATIONS_DIR} for: {untranslated}"


def test_english_by_default_and_spanish_by_parameter(client):
    english = client.get("/").get_data(as_text=True)
    assert _lang(english) == "en" and ">Canned queries<" in english
    spanish = client.get("/?lang=es")
    html = spanish.get_data(as_text=True)
    assert _lang(html) == "es" and ">Consultas predefinidas<" in html
    assert "lang=es" in spanish.headers["Set-Cookie"]


def test_the_chosen_language_is_remembered_and_the_switch_keeps_parameters(client):
    client.get("/search?q=ICBF&lang=es")
    html = client.get("/search?q=ICBF").get_data(as_text=True)
    assert _lang(html) == "es"
    assert 'href="/search?q=ICBF&amp;lang=en"' in html


def test_the_browser_language_is_followed(client):
    html = client.get("/", headers={"Accept-Language": "es-PE,es;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert _lang(html) == "es"
    html = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert _lang(html) == "en"


def test_cached_pages_are_kept_apart_by_language(client):
    first = client.get("/id/state/CO?lang=es", headers={"Accept": "text/html"})
    again = client.get("/id/state/CO?lang=en", headers={"Accept": "text/html"})
    assert _lang(first.get_data(as_text=True)) == "es"
    assert _lang(again.get_data(as_text=True)) == "en"
    assert "Accept-Language" in again.headers["Vary"]
