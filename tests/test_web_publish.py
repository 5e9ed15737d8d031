"""`metrokg publish`: the static export, its conneg rules, and its atomicity."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from metrokg.namespaces import DEFAULT_BASE
from metrokg.web import publish as publish_module
from metrokg.web.publish import publish_site
from metrokg.web.state import Published, load_published


@pytest.fixture(scope="module")
def pub(built: object) -> Published:
    return load_published(built.output, base=DEFAULT_BASE)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def site(pub: Published, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "public"
    publish_site(pub, out)
    return out


@pytest.mark.parametrize("name", ["id/org/amb.html", "id/org/amb.ttl", "id/org/amb.jsonld",
                                  "id/org/amb.nt", "index.html", "query.html", "dataset.html",
                                  "dataset.ttl", ".well-known/void", "def.html", "def.ttl",
                                  "dumps/metrokg.nq", ".htaccess", "nginx.conf",
                                  "static/site.css"])
def test_export_has(site: Path, name: str) -> None:
    assert (site / name).is_file()


def test_exported_turtle_parses(site: Path) -> None:
    g = Graph().parse(site / "id" / "org" / "amb.ttl", format="turtle")
    assert (URIRef(DEFAULT_BASE + "id/org/amb"), None, None) in g


def test_exported_links_are_relative(site: Path) -> None:
    html = (site / "id" / "org" / "amb.html").read_text(encoding="utf-8")
    assert 'href="medcities.html"' in html
    assert 'href="/id/' not in html


def test_dotted_codes_get_their_own_files(site: Path) -> None:
    assert (site / "id/plan/amb-pam-2015-2019/action/1.1.1.html").is_file()


def test_explorer_is_copied_when_built(pub: Published, site: Path) -> None:
    assert (site / "explorer.html").is_file() == (pub.explorer is not None)


def test_conneg_rules_cover_every_format(site: Path) -> None:
    apache = (site / ".htaccess").read_text()
    nginx = (site / "nginx.conf").read_text()
    for suffix, media in (("ttl", "text/turtle"), ("jsonld", "application/ld"),
                          ("nt", "application/n-triples")):
        assert f"{suffix}" in apache and media in apache
        assert media in nginx
    assert "Vary Accept" in apache and "Vary Accept" in nginx


def test_failed_export_leaves_the_previous_one(pub: Published, site: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    before = sorted(p.name for p in site.iterdir())

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("interrupted")

    monkeypatch.setattr(publish_module, "_export", broken)
    with pytest.raises(RuntimeError):
        publish_site(pub, site)
    assert sorted(p.name for p in site.iterdir()) == before
    assert not [p for p in site.parent.iterdir() if ".staging-" in p.name]
