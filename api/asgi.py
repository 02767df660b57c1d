"""The app of one worker process when `pariscall serve --workers N` runs several: each
worker reads the settings from the environment and opens its own graph connection."""

from __future__ import annotations

import logging

from fastapi import FastAPI

from api import collector
from api.app import create_app
from api.settings import Settings


def app() -> FastAPI:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    made = create_app(Settings())
    collector.settle()
    return made
