"""The topics page: 'no topic yet' counts, suggestions, and accepting them in bulk."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from analysis import topics
from analysis.encoder import Encoder
from api.app import create_app
from api.settings import Settings
from graph.nodes import repository as nodes
from graph.store import GraphStore
from importers.pipeline import run_import
from importers.seed import seed
from schema.models import Signatory
from tests import factories as f
from tests.e2e.conftest import issue

DATA = Path(__file__).resolve().parents[1] / "data"


def _signed_in(client: TestClient, secret: str) -> str:
    """Sign in through the form; returns the CSRF token the pages' forms carry."""
    page = client.get("/signin")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf is not None
    answer = client.post(
        "/signin", data={"token": secret, "csrf": csrf.group(1), "next": "/topics"},
        follow_redirects=False,
    )  # fmt: skip
    assert answer.status_code == 303 and answer.headers["location"] == "/topics"
    return csrf.group(1)


def test_co_chairs_accept_suggested_topics_and_signatories_may_not(store: GraphStore) -> None:
    seed(store, demo=False)
    nodes.save(store, [f.signatory("acme")], model=Signatory)
    source = run_import(store, DATA / "catalog-v1.json").source_id
    topics.suggest(store, encoder=Encoder())
    app = create_app(Settings(), store=store)
    with TestClient(app) as reader:
        page = reader.get("/topics")
        assert page.status_code == 200
        # Sources by their titles (the id as a tooltip), not by their ids.
        title = re.escape("Supply chain practices (test catalog)")
        row = (
            rf'<th scope="row" title="{re.escape(source)}"><a href="/sources/{re.escape(source)}">'
            rf'{title}</a></th><td data-label="[^"]+">3</td>'
        )
        assert re.search(row, page.text)
        assert 'name="pair"' not in page.text  # anonymous readers see, and cannot accept
        french = reader.get("/topics", params={"lang": "fr"}).text
        assert "Pas encore de thème" in french and "Divulgation" in french
    with TestClient(app) as signatory:
        csrf = _signed_in(signatory, issue(store, "signatory", signatory="acme"))
        refused = signatory.post(
            "/topics/accept",
            data={"csrf": csrf, "pair": f"{source}:vd.1|vulnerability-disclosure"},
            follow_redirects=False,
        )
        assert refused.headers["location"] == "/topics?refused=1"
    assert topics.untagged_by_source(store)[source] == 3  # the requirements, not headings
    with TestClient(app) as cochair:
        csrf = _signed_in(cochair, issue(store, "co_chair", working_groups=["wg6"]))
        page = cochair.get("/topics")
        boxes = re.findall(
            r'data-score="([\d.]+)">\s*<input type="checkbox" name="pair" '
            r'value="([^"]+)" id="[^"]+"( checked)?>',
            page.text,
        )
        # the confident ones are ticked in advance, the others left to the co-chair
        assert boxes and all(bool(on) == (float(score) >= 0.5) for score, _, on in boxes)
        ticked = [pair for _, pair, _ in boxes]
        assert f"{source}:vd.1|vulnerability-disclosure" in ticked
        forged = cochair.post(
            "/topics/accept", data={"csrf": "forged", "pair": ticked}, follow_redirects=False
        )
        assert forged.headers["location"] == "/topics?refused=1"
        done = cochair.post("/topics/accept", data={"csrf": csrf, "pair": ticked})
        assert done.status_code == 200
        accepted = re.search(r'id="accepted">(\d+) topic', done.text)
        assert accepted is not None and int(accepted.group(1)) == len(ticked)
        assert 'id="untagged">' in done.text
    assert source not in topics.untagged_by_source(store)
