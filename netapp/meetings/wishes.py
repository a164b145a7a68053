"""Topic wishes: members wish topic, method or form; others support; one is chosen."""

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l

from netapp.extensions import db
from netapp.meetings.models import Meeting, TopicWish, TopicWishVote
from netapp.refusals import InvalidInput

WISH_KINDS = {"topic": _l("Topic"), "method": _l("Method"), "form": _l("Form")}

# The topics other leaders found valuable, as the BFA leader-network guide lists them.
SUGGESTED_TOPICS = [
    _l("What is leadership, and which leadership roles do we move between?"),
    _l("Strategic leadership: what is it, and is it needed in a private practice?"),
    _l("Work-life balance: how do you make ends meet?"),
    _l("Delegation: what and how?"),
    _l("Feedback and developing employees"),
    _l("Conflicts and the leader's role"),
    _l("The difficult conversation"),
    _l("Sparring on current leadership challenges"),
]


class WishError(InvalidInput):
    """Bad input for a wish."""


def add_wish(network_id: int, author_id: int, kind: str, text: str) -> TopicWish:
    """Record a wish; its author supports it from the start."""
    text = (text or "").strip()
    if not text or len(text) > 500:
        raise WishError({"text": _l("Write the wish in at most 500 characters.")})
    if kind not in WISH_KINDS:
        raise WishError({"kind": _l("Choose topic, method or form.")})
    wish = TopicWish(network_id=network_id, author_id=author_id, kind=kind, text=text)
    db.session.add(wish)
    db.session.flush()
    db.session.add(TopicWishVote(wish_id=wish.id, user_id=author_id))
    db.session.flush()
    return wish


def toggle_vote(wish: TopicWish, user_id: int) -> bool:
    """Support the wish, or take the support back; True when the user now supports it."""
    vote = db.session.scalar(
        sa.select(TopicWishVote).where(
            TopicWishVote.wish_id == wish.id, TopicWishVote.user_id == user_id
        )
    )
    if vote is None:
        db.session.add(TopicWishVote(wish_id=wish.id, user_id=user_id))
        db.session.flush()
        return True
    db.session.delete(vote)
    db.session.flush()
    return False


def wishes_of(network_id: int, user_id: int) -> list[tuple[TopicWish, int, bool]]:
    """The network's wishes with their support and whether the user supports each (one query)."""
    votes = sa.func.count(TopicWishVote.id)
    mine = sa.func.max(sa.case((TopicWishVote.user_id == user_id, 1), else_=0))
    rows = db.session.execute(
        sa.select(TopicWish, votes, mine)
        .outerjoin(TopicWishVote, TopicWishVote.wish_id == TopicWish.id)
        .where(TopicWish.network_id == network_id)
        .group_by(TopicWish.id)
        .options(so.joinedload(TopicWish.author))
        .order_by(TopicWish.meeting_id.is_not(None), votes.desc(), TopicWish.created_at)
    ).all()
    return [(wish, count, bool(me)) for wish, count, me in rows]


def wish_in(network_id: int, wish_id: int) -> TopicWish | None:
    """The wish if it belongs to the network (another network's id is None)."""
    return db.session.scalar(
        sa.select(TopicWish).where(TopicWish.id == wish_id, TopicWish.network_id == network_id)
    )


def adopt(wish: TopicWish, meeting: Meeting) -> None:
    """Make the wish the meeting's topic."""
    if meeting.network_id != wish.network_id:
        raise WishError({"meeting_id": _l("Choose a meeting of this network.")})
    meeting.topic = wish.text[:200]
    wish.meeting_id = meeting.id
    db.session.flush()


def topic_suggestions(network_id: int) -> list[str]:
    """Topics to plan from: the network's open topic wishes (most supported first), then
    the guide's suggested topics."""
    votes = sa.func.count(TopicWishVote.id)
    wished = db.session.scalars(
        sa.select(TopicWish.text)
        .outerjoin(TopicWishVote, TopicWishVote.wish_id == TopicWish.id)
        .where(TopicWish.network_id == network_id, TopicWish.kind == "topic",
               TopicWish.meeting_id.is_(None))
        .group_by(TopicWish.id, TopicWish.text)
        .order_by(votes.desc(), TopicWish.id))
    seen, result = set(), []
    for text in [*wished, *(str(t) for t in SUGGESTED_TOPICS)]:
        if text not in seen:
            seen.add(text)
            result.append(text[:200])
    return result
