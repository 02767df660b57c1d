"""Per-request DataLoaders: every navigation field of a level is fetched in one statement."""

from __future__ import annotations

from typing import Any

from strawberry.dataloader import DataLoader

from graph.browse import repository as browse

Pairs = list[tuple[dict[str, Any], dict[str, Any]]]


def neighbour_loader(ctx: Any, name: str) -> DataLoader[str, Pairs]:
    key = f"n:{name}"
    if key not in ctx.loaders:

        async def load(ids: list[str]) -> list[Pairs]:
            found = await ctx.run(browse.neighbours_of, name, ids)
            return [found.get(i, []) for i in ids]

        ctx.loaders[key] = DataLoader(load_fn=load)
    loader: DataLoader[str, Pairs] = ctx.loaders[key]
    return loader


def node_loader(ctx: Any, label: str) -> DataLoader[str, dict[str, Any] | None]:
    key = f"id:{label}"
    if key not in ctx.loaders:

        async def load(ids: list[str]) -> list[dict[str, Any] | None]:
            found = await ctx.run(browse.by_ids, label, ids)
            return [found.get(i) for i in ids]

        ctx.loaders[key] = DataLoader(load_fn=load)
    loader: DataLoader[str, dict[str, Any] | None] = ctx.loaders[key]
    return loader
