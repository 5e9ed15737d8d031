"""`metrokg serve` opens the build's on-disk store (pages and every query worker), follows
the link `metrokg build` swaps, and refuses a missing or corrupt store in one line."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import time
from pathlib import Path

import httpx
import pytest
from webserver import BASE, start, write_store

from metrokg.web.policy import Limits
from metrokg.web.sandbox import Job, QueryPool

OTHER = "https://example.org/kg/"
"""The base of a second build (recorded in its summary.json, as `metrokg build` does)."""
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
ORG = "<http://www.w3.org/ns/org#Organization>"
LABEL = "<http://www.w3.org/2004/02/skos/core#prefLabel>"
SAYS = "<urn:x-test:says>"
MARKER_IRI = "<urn:x-test:marker>"


def tiny_build(folder: Path, says: str, org: str, *, dump_says: str | None = None,
               base: str = BASE) -> Path:
    """A build folder whose one organisation is *org* and whose marker says *says*; with
    *dump_says*, the dump is rewritten after the store so that the two differ (its
    organisation is then *org* ``-dump``)."""
    folder.mkdir(parents=True)
    graph = f"<{base}graph/marker>"
    if base != BASE:
        (folder / "summary.json").write_text(json.dumps({"base": base}), encoding="utf-8")

    def lines(word: str, org: str) -> str:
        return (f"<{base}id/org/{org}> {TYPE} {ORG} {graph} .\n"
                f"<{base}id/org/{org}> {LABEL} \"{org}\"@en {graph} .\n"
                f"<{base}id/org/{org}> {SAYS} <{base}graph/marker> {graph} .\n"
                f"{MARKER_IRI} {SAYS} \"{word}\" {graph} .\n")

    (folder / "metrokg.nq").write_text(lines(says, org), encoding="utf-8")
    write_store(folder)
    if dump_says is not None:
        (folder / "metrokg.nq").write_text(lines(dump_says, org + "-dump"), encoding="utf-8")
    return folder


def marker(url: str) -> str:
    response = httpx.get(url + "/sparql", timeout=10, headers={"Accept": "text/csv"},
                         params={"query": f"SELECT ?w WHERE {{ {MARKER_IRI} {SAYS} ?w }}"})
    assert response.status_code == 200, response.text
    return response.text.split()[1]


def test_workers_and_pages_read_the_store_not_the_dump(tmp_path: Path) -> None:
    folder = tiny_build(tmp_path / "graph", "store", "in-store", dump_says="dump")
    url = start("store-not-dump", folder).url
    assert marker(url) == "store"
    assert httpx.get(url + "/id/org/in-store", timeout=10).status_code == 200
    assert httpx.get(url + "/id/org/in-store-dump", timeout=10).status_code == 404


def _swap(link: Path, target: Path) -> None:
    """What `metrokg build` does: a new link renamed over the old one."""
    fresh = link.with_name(".graph-new")
    fresh.symlink_to(target.name)
    os.replace(fresh, link)


def _until(check: object, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return True
        time.sleep(0.3)
    return False


def test_serve_follows_each_build_published_at_the_link(tmp_path: Path) -> None:
    builds = tmp_path / "builds"
    first = tiny_build(builds / "a", "first", "one")
    second = tiny_build(builds / "b", "second", "two", base=OTHER)  # under another base
    broken = tiny_build(builds / "c", "broken", "three")
    (broken / "store" / "CURRENT").write_text("garbage\n", encoding="utf-8")
    third = tiny_build(builds / "d", "third", "four")
    link = builds / "graph"
    link.symlink_to(first.name)
    server = start("follow", link)
    url = server.url
    assert marker(url) == "first"
    assert httpx.get(url + "/id/org/two", timeout=10).status_code == 404

    _swap(link, second)
    assert _until(lambda: marker(url) == "second"), server.log.read_text()
    page = httpx.get(url + "/id/org/two", timeout=10)  # pages too, under the new base
    assert page.status_code == 200
    assert 'href="/graph/marker"' in page.text and f'href="{OTHER}' not in page.text
    assert httpx.get(url + "/id/org/one", timeout=10).status_code == 404

    _swap(link, broken)  # refused: the running build stays, and stderr says why
    assert _until(lambda: "cannot be served" in server.log.read_text()), server.log.read_text()
    assert marker(url) == "second"
    assert "Traceback" not in server.log.read_text()

    _swap(link, third)
    assert _until(lambda: marker(url) == "third"), server.log.read_text()
    assert httpx.get(url + "/id/org/four", timeout=10).status_code == 200


def test_a_pinned_build_folder_is_not_followed(tmp_path: Path) -> None:
    builds = tmp_path / "builds"
    first = tiny_build(builds / "a", "first", "one")
    second = tiny_build(builds / "b", "second", "two")
    link = builds / "graph"
    link.symlink_to(first.name)
    server = start("pinned", first)  # the build folder itself, not the link
    _swap(link, second)
    time.sleep(6)  # three looks at the link, had it been followed
    assert marker(server.url) == "first"


def _corrupt_current(store: Path) -> None:
    (store / "CURRENT").write_text("garbage\n", encoding="utf-8")


def _truncate_tables(store: Path) -> None:
    for table in store.glob("*.sst"):
        table.write_bytes(table.read_bytes()[:100])


def _flip_blocks(store: Path) -> None:
    for table in store.glob("*.sst"):
        data = bytearray(table.read_bytes())
        for i in range(100, len(data) - 200, 97):
            data[i] ^= 0xFF
        table.write_bytes(bytes(data))


def _remove(store: Path) -> None:
    for part in store.iterdir():
        part.unlink()
    store.rmdir()


@pytest.mark.parametrize("damage", [_remove, _corrupt_current, _truncate_tables, _flip_blocks])
def test_a_missing_or_corrupt_store_is_one_line_and_exit_4(
        damage: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from metrokg.cli import main

    folder = tiny_build(tmp_path / "graph", "x", "x")
    damage(folder / "store")  # type: ignore[operator]
    code = main(["serve", "--graph", str(folder), "--port", "1"])
    err = capsys.readouterr().err.strip()
    assert code == 4, err
    assert len(err.splitlines()) == 1 and str(folder / "store") in err, err
    assert "run `metrokg build`" in err and "Traceback" not in err


MARKER = Job(f"SELECT ?w WHERE {{ {MARKER_IRI} {SAYS} ?w }}", accept="text/csv")


def _words(body: bytes) -> list[str]:
    return body.decode().split()[1:]


def test_a_worker_killed_from_outside_is_replaced_and_reopens_the_store(tmp_path: Path) -> None:
    folder = tiny_build(tmp_path / "graph", "alive", "x")

    async def scenario() -> None:
        pool = QueryPool(folder / "store", Limits(workers=1, timeout=30))
        await pool.start()
        try:
            (before,) = pool.alive
            os.kill(before, signal.SIGKILL)
            await asyncio.sleep(0.5)
            first = await pool.run(MARKER)
            assert first.status == 422  # the dead worker's query, answered
            for _ in range(100):
                if pool.alive and pool.alive[0] != before:
                    break
                await asyncio.sleep(0.2)
            again = await pool.run(MARKER)
            assert again.status == 200 and _words(again.body) == ["alive"]
            assert pool.alive and pool.alive[0] != before
        finally:
            await pool.close()

    asyncio.run(scenario())


def test_workers_open_the_store_under_the_smallest_memory_cap(tmp_path: Path) -> None:
    # 256 MiB is the least --max-memory accepts; the store's threads must not use it up
    folder = tiny_build(tmp_path / "graph", "small", "x")

    async def scenario() -> None:
        pool = QueryPool(folder / "store", Limits(workers=1, timeout=30, max_memory_mb=256))
        await pool.start()
        try:
            reply = await pool.run(MARKER)
            assert reply.status == 200 and _words(reply.body) == ["small"]
        finally:
            await pool.close()

    asyncio.run(scenario())


def test_retired_workers_answer_the_queries_they_were_given(tmp_path: Path) -> None:
    folder = tiny_build(tmp_path / "graph", "w", "x")  # two triples with SAYS
    # 2^19 = 524288 solutions of a cartesian product: long enough to be running
    patterns = " ".join(f"?s{i} {SAYS} ?o{i} ." for i in range(19))
    slow = Job(f"SELECT (COUNT(*) AS ?n) WHERE {{ {patterns} }}", accept="text/csv")

    async def scenario() -> None:
        pool = QueryPool(folder / "store", Limits(workers=1, timeout=60))
        await pool.start()
        try:
            running = asyncio.ensure_future(pool.run(slow))
            await asyncio.sleep(0.1)
            await pool.retire(60)
            reply = await running
            assert reply.status == 200, reply.body
            assert _words(reply.body) == [str(2 ** 19)]
            assert not pool.alive
        finally:
            with contextlib.suppress(Exception):
                await pool.close()

    asyncio.run(scenario())


def test_the_pages_index_is_the_same_from_the_store_and_from_the_dump(built: object) -> None:
    # the on-disk store lists quads in another order than the in-memory one: names picked
    # among several (two English labels of SDG target 12.3 in the UN file; "UPM"@ca and
    # "UfM"@en for the Union for the Mediterranean) must not depend on it
    import pyoxigraph as ox

    from metrokg.web.resources import load_site

    output: Path = built.output  # type: ignore[attr-defined]
    on_disk = load_site(ox.Store.read_only(str(output / "store")), BASE)
    memory = ox.Store()
    memory.bulk_load(path=str(output / "metrokg.nq"), format=ox.RdfFormat.N_QUADS)
    in_memory = load_site(memory, BASE)
    assert on_disk == in_memory
    assert on_disk.acronyms[BASE + "id/org/ufm"] == "UfM"  # shortest, English first
    assert {"UPM", "UfM"} <= set(on_disk.alt_names[BASE + "id/org/ufm"])


def test_search_finds_every_other_name(built: object) -> None:
    from metrokg.web.pages import Linker
    from metrokg.web.state import load_published
    from metrokg.web.views import search_page

    pub = load_published(built.output, base=BASE)  # type: ignore[attr-defined]
    for name in ("UPM", "UfM"):  # the Catalan and the English acronym (seed amb-pam, facts)
        page = search_page(pub.site, name, lang="en", linker=Linker(BASE))
        assert 'href="/id/org/ufm"' in page.split("<main>", 1)[1], name


def test_a_query_that_reaches_a_retired_pool_runs_on_its_successor(tmp_path: Path) -> None:
    # a request may take the running build just before the swap and send its query after
    # the old workers stopped: it is answered by the new build's workers, not left waiting
    old = tiny_build(tmp_path / "old", "old", "x")
    new = tiny_build(tmp_path / "new", "new", "x")

    async def scenario() -> None:
        limits = Limits(workers=1, timeout=2)
        before, after = QueryPool(old / "store", limits), QueryPool(new / "store", limits)
        await asyncio.gather(before.start(), after.start())
        try:
            assert _words((await before.run(MARKER)).body) == ["old"]
            await before.retire(5, successor=after)
            assert not before.alive
            late = await before.run(MARKER)
            assert late.status == 200 and _words(late.body) == ["new"]
        finally:
            await before.close()
            await after.close()

    asyncio.run(scenario())
