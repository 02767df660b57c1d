"""Records as they appear in the project's JSON/YAML files: a node with its links.

An initiative record has a list of ids for each relation users set on it (`input` in
schema/kinds.py), made from that description; relations carrying a role (contributors)
list references with their role.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import Field, create_model

from schema.codes import InitiativeLanguage
from schema.enums import ContributorRole
from schema.kinds import Relation, settable
from schema.models import Initiative, Model
from schema.relationships import Membership
from schema.text import Slug


class ContributorRef(Model):
    signatory_id: Slug
    role: ContributorRole = ContributorRole.PARTNER


def _id_lists(label: str) -> dict[str, Any]:
    """A list of far ids for each settable relation without roles."""
    return {
        str(r.input): (list[Slug], Field(default_factory=list))
        for r in settable(label)
        if r.roles is None
    }


if TYPE_CHECKING:
    _InitiativeLinks = Initiative
else:
    _InitiativeLinks = create_model(
        "_InitiativeLinks", __base__=Initiative, **_id_lists("Initiative")
    )


class InitiativeRecord(_InitiativeLinks):
    """An initiative as a client or a file writes it, with its links. Its language is one
    the registry's initiatives are written in; records stored before that rule still load
    as `Initiative`."""

    language: InitiativeLanguage
    # Named here too for what reads them by name (the groups a change is for, a lead).
    working_groups: list[Slug] = Field(default_factory=list)
    contributors: list[ContributorRef] = Field(default_factory=list)

    def initiative(self) -> Initiative:
        return Initiative.model_validate(self.model_dump(include=set(Initiative.model_fields)))

    def targets(self, relation: Relation) -> list[str]:
        """The far ids this record links to through a settable relation."""
        value = getattr(self, str(relation.input))
        if relation.roles is not None:
            return [ref.signatory_id for ref in value]
        return list(value)

    def roles(self, relation: Relation) -> dict[str, str]:
        """Far id -> role, for a relation whose links carry a role."""
        return {ref.signatory_id: ref.role.value for ref in getattr(self, str(relation.input))}


def target_field(relation: Relation) -> str:
    """How problems name a relation's targets: its input name, but a contributor's
    signatory as `signatories[i]` (the field of the reference is `signatory_id`)."""
    return "signatories" if relation.roles is not None else str(relation.input)


__all__ = ["ContributorRef", "InitiativeRecord", "Membership", "target_field"]
