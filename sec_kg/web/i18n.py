"""The interface in English and Spanish (Flask-Babel).

The language comes from ``?lang=`` (remembered in a cookie), else the browser's Accept-Language,
else English. Translations live as gettext catalogues (``translations/es/LC_MESSAGES/messages.po``)
and are compiled in memory when the app starts, so a plain clone needs no build step;
``pybabel extract -F sec_kg/web/babel.cfg`` lists the strings to translate.
"""

from __future__ import annotations

import io
import urllib.parse
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from flask import Flask, Response, request
from flask_babel import Babel, Domain, get_locale

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
LANGUAGES = ("en", "es")
DEFAULT = "en"
COOKIE = "lang"


def chosen_language() -> str:
    """``?lang=``, then the cookie it set, then Accept-Language, then English."""
    for asked in (request.args.get("lang"), request.cookies.get(COOKIE)):
        if asked in LANGUAGES:
            return asked
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT


def language() -> str:
    """The current page's language (``en`` outside a request)."""
    return str(get_locale() or DEFAULT)


def language_url(code: str) -> str:
    """This page in language ``code`` (its other parameters kept)."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [code]
    return request.script_root + request.path + "?" + urllib.parse.urlencode(args, doseq=True)


def catalogue(lang: str) -> Translations | NullTranslations:
    """The compiled catalogue of ``lang`` (English is the source language: no catalogue)."""
    po = TRANSLATIONS_DIR / lang / "LC_MESSAGES" / "messages.po"
    if not po.is_file():
        return NullTranslations()
    with po.open("rb") as source:
        catalog = read_po(source, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


class CompiledDomain(Domain):
    """Flask-Babel's domain, fed from the catalogues compiled at start instead of ``.mo`` files."""

    def __init__(self):
        super().__init__()
        self.compiled = {lang: catalogue(lang) for lang in LANGUAGES}

    def get_translations(self):
        return self.compiled.get(language(), self.compiled[DEFAULT])


def _remember(response: Response) -> Response:
    """A language chosen with ``?lang=`` stays for the next pages; pages and messages vary with the language."""
    asked = request.args.get("lang")
    if asked in LANGUAGES and request.cookies.get(COOKIE) != asked:
        response.set_cookie(COOKIE, asked, max_age=365 * 24 * 3600, samesite="Lax")
    if response.mimetype in ("text/html", "text/plain"):  # the data formats are the same in every language
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")  # the language cookie
    return response


def init(app: Flask) -> None:
    babel = Babel()
    babel.init_app(app, default_locale=DEFAULT, locale_selector=chosen_language)
    babel.domain_instance = CompiledDomain()
    app.jinja_env.globals.update(language=language, languages=LANGUAGES, language_url=language_url)
    app.after_request(_remember)
