"""Records as they appear in the project's JSON/YAML files: a node with its links."""

from __future__ import annotations

from pydantic import Field

from schema.codes import InitiativeLanguage
from schema.enums import ContributorRole
from schema.models import Initiative, Model
from schema.relationships import Membership
from schema.text import Slug


class ContributorRef(Model):
    signatory_id: Slug
    role: ContributorRole = ContributorRole.PARTNER


class InitiativeRecord(Initiative):
    """An initiative as a client or a file writes it, with its links. Its language is one
    the registry's initiatives are written in; records stored before that rule still load
    as `Initiative`."""

    language: InitiativeLanguage
    topics: list[Slug] = Field(default_factory=list)
    working_groups: list[Slug] = Field(default_factory=list)
    principles: list[Slug] = Field(default_factory=list)
    recommendations: list[Slug] = Field(default_factory=list)
    contributors: list[ContributorRef] = Field(default_factory=list)

    def initiative(self) -> Initiative:
        return Initiative.model_validate(self.model_dump(include=set(Initiative.model_fields)))


__all__ = ["ContributorRef", "InitiativeRecord", "Membership"]
