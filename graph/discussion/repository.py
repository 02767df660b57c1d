"""Discussion threads: add, edit and delete comments, and read a thread."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from graph.audit import UnitOfWork, writes
from graph.discussion import queries as q
from graph.store import GraphStore
from schema.discussion import Comment
from schema.errors import Conflict, Forbidden, NotFound
from schema.ids import new_id
from schema.validation import validated


def _comment(row: dict[str, Any]) -> Comment:
    return Comment.model_validate(row["comment"])


def get(store: GraphStore, id: str) -> Comment:
    rows = store.read(q.COMMENT, {"id": id})
    if not rows:
        raise NotFound("comment", id)
    return _comment(rows[0])


@writes
def add(
    work: UnitOfWork,
    *,
    subject: str,
    about: Sequence[str],
    body: str,
    author: str,
    author_token: str,
    author_role: str,
    now: datetime,
) -> Comment:
    """A new comment in the thread `subject` (ids of the records it is `about`)."""
    comment = validated(
        Comment,
        {
            "id": new_id("comment"),
            "subject": subject,
            "author": author,
            "author_token": author_token,
            "author_role": author_role,
            "body": body,
            "created_at": now,
        },
    )
    props = {k: v for k, v in comment.model_dump(mode="json").items() if v not in (None, [])}
    work.note_targets(comment.id, *about)
    work.note_change("comment", None, body)
    return _comment(work.write(q.ADD_COMMENT, {"props": props})[0])


@writes
def edit(work: UnitOfWork, id: str, *, body: str, author_token: str, now: datetime) -> Comment:
    """New wording by the comment's author; the earlier one joins its history."""
    current = get(work.store, id)
    if current.author_token != author_token:
        raise Forbidden("only the author of a comment may edit it")
    if current.deleted_at is not None:
        raise Conflict(f"comment '{id}' was deleted")
    validated(Comment, {**current.model_dump(), "body": body})
    work.note_targets(id)
    work.note_change("comment", current.body, body)
    params = {"id": id, "seen": current.body, "body": body, "at": now.isoformat()}
    rows = work.write(q.EDIT_COMMENT, params)
    if not rows:
        raise Conflict(f"comment '{id}' changed meanwhile; read it again")
    return _comment(rows[0])


@writes
def delete(work: UnitOfWork, id: str, *, by: str, now: datetime) -> Comment:
    """Hide a comment's body; its place in the thread and its history stay."""
    current = get(work.store, id)
    work.note_targets(id)
    work.note_change("deleted", False, True)
    rows = work.write(q.DELETE_COMMENT, {"id": id, "by": by, "at": now.isoformat()})
    if not rows:
        raise Conflict(f"comment '{current.id}' was already deleted")
    return _comment(rows[0])


def thread(store: GraphStore, subject: str, *, skip: int, limit: int) -> list[Comment]:
    rows = store.read(q.THREAD, {"subject": subject, "skip": skip, "limit": limit})
    return [_comment(r) for r in rows]


def thread_count(store: GraphStore, subject: str) -> int:
    return int(store.read(q.THREAD_COUNT, {"subject": subject})[0]["n"])
