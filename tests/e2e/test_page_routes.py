"""Page routes answer 404 for what does not exist, without a browser."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize(
    "path", ["/wg/nope", "/wg/nope/report.md", "/wg/nope/report.pdf", "/wg/nope/gaps"]
)
def test_unknown_groups_and_formats_are_404(anonymous: TestClient, path: str) -> None:
    reply = anonymous.get(path)
    assert reply.status_code == 404
    assert "not found" in reply.text
