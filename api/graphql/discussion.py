"""Discussion threads in GraphQL: comments on an initiative, a duplicate pair or a
proposal, read and written by those with a stake in it (schema.access)."""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry
from strawberry.types import Info

from api.graphql.building import copied
from api.graphql.context import Context
from api.graphql.guard import Change, Payload, change, guard, record_payload
from api.graphql.outcomes import MutationError, NotFoundError, ValidationError
from api.graphql.pagination import Connection, Listing
from api.markdown import render
from graph.access.facts import Scope, facts_of, thread_scope
from graph.discussion import repository as repo
from schema.access import Action, allowed
from schema.access_checks import Guarded, check
from schema.discussion import Comment as CommentModel
from schema.discussion import SubjectKind, subject_key
from schema.errors import NotFound, Problem, ValidationFailed
from schema.events import AuditAction as A


@strawberry.input(one_of=True, description="What a thread is about: exactly one of these.")
class Subject:
    initiative: strawberry.ID | None = strawberry.UNSET
    pair: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="Two initiatives, in either order."
    )
    proposal: strawberry.ID | None = strawberry.UNSET


@strawberry.type(description="A comment; a deleted one keeps its place but not its text.")
class Comment:
    id: strawberry.ID
    author: str
    author_role: str
    body: str | None = strawberry.field(description="As written (plain text, light Markdown).")
    body_html: str | None = strawberry.field(
        description="The body rendered safely: no raw HTML, only http(s) and mailto links, "
        "bidirectional controls shown as [U+XXXX]."
    )
    history: list[str] = strawberry.field(description="Earlier wordings, oldest first.")
    created_at: datetime
    edited_at: datetime | None
    deleted: bool
    deleted_by: str | None


def comment(c: CommentModel) -> Comment:
    gone = c.deleted_at is not None
    return copied(
        Comment, c, body=None if gone else c.body, body_html=None if gone else render(c.body),
        history=[] if gone else list(c.history), deleted=gone,
    )  # fmt: skip


THREAD = Listing(repo.thread, repo.thread_count, comment)


def resolve(subject: Subject) -> tuple[str, tuple[str, ...], Scope]:
    """The thread's key, the ids it is about, and the scope its rights are judged on."""
    if subject.pair:
        ids = tuple(dict.fromkeys(subject.pair))
        if len(ids) != 2:
            raise ValidationFailed([Problem("a pair names two different initiatives", "on.pair")])
        return subject_key(SubjectKind.PAIR, list(ids)), ids, Scope(initiatives=ids)
    if subject.proposal:
        id = str(subject.proposal)
        return subject_key(SubjectKind.PROPOSAL, [id]), (id,), Scope(proposal=id)
    if subject.initiative:
        id = str(subject.initiative)
        return subject_key(SubjectKind.INITIATIVE, [id]), (id,), Scope(initiatives=(id,))
    raise ValidationFailed([Problem("name what the thread is about", "on")])


async def _may_read(info: Info[Context, None], scope: Scope) -> None:
    actor = info.context.actor
    check(actor, Guarded.THREAD)
    facts = await info.context.run(facts_of, scope)
    check(actor, Guarded.THREAD, permitted=allowed(actor, Action.COMMENT, facts))


def _now() -> datetime:
    return datetime.now(UTC)


CommentPayload = record_payload("Comment", "comment", Comment, comment)


@strawberry.type
class DiscussionQueries:
    @strawberry.field(description="A thread, oldest comment first.")
    async def comments(
        self,
        info: Info[Context, None],
        on: Subject,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Comment]:
        key, _, scope = resolve(on)
        await _may_read(info, scope)
        return await THREAD.page(info.context, first, after, {}, key)


@strawberry.type
class DiscussionMutations:
    @strawberry.mutation(description="Add a comment to a thread.")
    @guard(Action.COMMENT, records=A.ADD_COMMENT, returns=CommentPayload)
    async def add_comment(
        self, info: Info[Context, None], on: Subject, body: str
    ) -> Change | Payload:
        actor = info.context.actor
        try:
            key, about, scope = resolve(on)
        except ValidationFailed as exc:
            return CommentPayload.of(None, _problems(exc))
        return change(
            repo.add, subject=key, about=about, body=body, author=actor.name,
            author_token=actor.token_id or actor.name,
            author_role=actor.role.value if actor.role else "", now=_now(),
        ).within(scope)  # fmt: skip

    @strawberry.mutation(description="Reword one's own comment; the earlier wording is kept.")
    @guard(Action.COMMENT, records=A.EDIT_COMMENT, returns=CommentPayload)
    async def edit_comment(
        self, info: Info[Context, None], id: strawberry.ID, body: str
    ) -> Change | Payload:
        actor = info.context.actor
        found = await _find(info, id)
        if found is None:
            return _missing(id)
        return change(
            repo.edit, id, body=body, author_token=actor.token_id or actor.name, now=_now()
        ).within(thread_scope(found.subject))

    @strawberry.mutation(description="Delete a comment (its author, or a co-chair concerned).")
    @guard(Action.COMMENT, records=A.DELETE_COMMENT, returns=CommentPayload)
    async def delete_comment(
        self, info: Info[Context, None], id: strawberry.ID
    ) -> Change | Payload:
        actor = info.context.actor
        found = await _find(info, id)
        if found is None:
            return _missing(id)
        mine = found.author_token == (actor.token_id or actor.name)
        action = Action.COMMENT if mine else Action.MODERATE_COMMENTS
        scope = thread_scope(found.subject)
        named = A.DELETE_COMMENT if mine else A.MODERATE_COMMENT
        return change(repo.delete, id, by=actor.name, now=_now()).within(scope, action).named(named)


async def _find(info: Info[Context, None], id: str) -> CommentModel | None:
    check(info.context.actor, Guarded.CHANGE)
    try:
        return await info.context.run(repo.get, id)
    except NotFound:
        return None


def _missing(id: str) -> Payload:
    return CommentPayload.of(None, [NotFoundError(message=f"unknown comment '{id}'", kind="comment",
                                         id=strawberry.ID(id))])  # fmt: skip


def _problems(exc: ValidationFailed) -> list[MutationError]:
    return [ValidationError.at(p.message, p.field) for p in exc.problems]
