"""The one Settings object, read from PARISCALL_* variables once at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.connect import GraphConfig
from schema.webhooks import Network, networks

APP_NAME = "pariscall"


def default_data_dir() -> Path:
    """The platform's per-user data directory (`~/.local/share/pariscall` on Linux, or
    under `$XDG_DATA_HOME`): never the current folder, where a command run from another
    one would find an empty registry."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PARISCALL_", extra="ignore")

    graph_url: str | None = Field(
        default=None,
        description="neo4j://, neo4j+s://, bolt:// or falkordb:// URL; unset: embedded",
    )
    data_dir: Path = Field(
        default_factory=lambda: default_data_dir(),
        description="where the embedded engine keeps data (default: the user's data "
        "directory, so every folder a command runs from shares one registry)",
    )
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr = SecretStr("")
    neo4j_database: str | None = None
    env: Literal["development", "production"] = "development"
    anonymous_read: bool = True
    max_page_size: int = Field(default=200, ge=1, le=1000)
    default_page_size: int = Field(default=50, ge=1, le=1000)
    # Abuse limits, close to graphql-armor's defaults.
    max_depth: int = Field(default=10, ge=2)
    max_aliases: int = Field(default=15, ge=1)
    max_tokens: int = Field(default=2000, ge=100)
    max_cost: int = Field(default=25_000, ge=100)
    max_body_bytes: int = Field(default=2_000_000, ge=10_000)
    max_upload_bytes: int = Field(
        default=200_000_000, ge=10_000, description="largest file POSTed to /imports"
    )
    rate_limit_per_token: str = "600/minute"
    rate_limit_per_address: str = "300/minute"
    # WebSockets: each message after connection_init counts in the rates above, and a
    # message larger than max_body_bytes closes its socket.
    max_sockets_per_token: int = Field(
        default=20, ge=1, description="open WebSockets one token may hold, per worker"
    )
    max_sockets_per_address: int = Field(
        default=100, ge=1, description="open WebSockets from one client address, per worker"
    )
    socket_recheck_seconds: float = Field(
        default=5.0,
        gt=0,
        le=300,
        description="how often the tokens of open WebSockets are checked again: a revoked "
        "or expired token's socket is closed within this time, even if it sends nothing",
    )
    max_search_chars: int = Field(
        default=500, ge=10, description="longest text `search` and /search accept"
    )
    trust_forwarded_for: bool = Field(
        default=False,
        description="take the client address from X-Forwarded-For (behind a reverse proxy)",
    )
    trusted_proxies: str = Field(
        default="127.0.0.1,::1",
        description="with trust_forwarded_for: the proxies (addresses or CIDR ranges, comma-"
        "separated) whose X-Forwarded-For is believed",
    )
    graphql_shortcuts: bool = Field(
        default=True,
        description="run GraphQL on the project's executor shortcuts (api/graphql/executor.py); "
        "false: strawberry's standard executor (same answers, slower)",
    )
    events_url: str | None = Field(
        default=None,
        description="where live events travel between workers: a Redis URL, 'memory' for "
        "this process only, or unset for the embedded engine's own channel (FalkorDB is a "
        "Redis server; on Neo4j, unset means this process only)",
    )
    webhook_allow: str = Field(
        default="",
        description="address ranges webhooks may reach besides public ones, comma "
        "separated (e.g. '127.0.0.1/32,10.1.0.0/16'); loopback and private ranges are "
        "refused unless listed",
    )
    webhook_dispatch: bool = Field(
        default=True, description="send queued webhook deliveries from this process"
    )
    debug: bool = Field(
        default=False,
        description="the command line shows an unexpected error's traceback, not one line",
    )
    rate_limit_storage: str = Field(
        default="",
        description="where rate-limit counters live: empty for this process's memory, or a "
        "limits storage URL (redis://host:port) shared by every worker",
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies(cls, value: str) -> str:
        from api.forwarded import networks

        try:
            networks(value)
        except ValueError as exc:
            raise ValueError(f"PARISCALL_TRUSTED_PROXIES: {exc}") from exc
        return value

    def webhook_networks(self) -> list[Network]:
        return networks(self.webhook_allow.split(","))

    @field_validator("webhook_allow")
    @classmethod
    def _ranges(cls, value: str) -> str:
        try:
            networks(value.split(","))
        except ValueError as exc:
            raise ValueError(f"PARISCALL_WEBHOOK_ALLOW: {exc}") from exc
        return value

    @field_validator("rate_limit_storage")
    @classmethod
    def _storage(cls, value: str) -> str:
        if value and not value.startswith(("memory://", "redis://", "rediss://")):
            raise ValueError("PARISCALL_RATE_LIMIT_STORAGE must be memory:// or redis://HOST:PORT")
        return value

    def graph_config(self) -> GraphConfig:
        return GraphConfig(
            url=self.graph_url or None,
            data_dir=self.data_dir,
            neo4j_user=self.neo4j_user,
            neo4j_password=self.neo4j_password.get_secret_value(),
            neo4j_database=self.neo4j_database or None,
        )

    @property
    def production(self) -> bool:
        return self.env == "production"
