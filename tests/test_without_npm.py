"""Without the npm packages (``npm ci --prefix sec_kg/web`` not run) the query page is the plain form and says why,
and the home page is its table of the States without the map."""

import sec_kg.web as web
from conftest import ROOT
from sec_kg.store import Limits
from sec_kg.store.remote import RemoteStore


def test_the_query_page_without_yasgui_is_the_plain_form_and_says_why(monkeypatch, tmp_path):
    monkeypatch.setattr(web, "YASGUI_DIR", tmp_path / "missing")
    store = RemoteStore("http://127.0.0.1:9/sparql", Limits(timeout=1))  # the query page asks no store
    app = web.create_app(store, web.Settings(queries_dir=ROOT / "queries"))
    page = app.test_client().get("/query", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert 'id="no-editor"' in page.text and "npm ci --prefix sec_kg/web" in page.text
    assert 'id="plain-query"' in page.text and "yasgui.min.js" not in page.text


def test_the_home_page_without_the_map_packages_is_its_table(client, monkeypatch, tmp_path):
    from sec_kg.web import views

    monkeypatch.setattr(views, "ATLAS_DIR", tmp_path / "missing")
    page = client.get("/", headers={"Accept": "text/html"}).text
    assert "home-map.js" not in page and "/vendor/" not in page and 'id="state-map"' not in page
    assert 'id="state-counts"' in page and 'href="/state/GY"' in page
