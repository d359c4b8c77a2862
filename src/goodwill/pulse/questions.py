"""The twelve Gallup Q12 questions (seed 001, from Buckingham's "First, Break All the Rules"),
as data: every route, page and CLI command reads them from here."""

from __future__ import annotations

from dataclasses import dataclass

SCALE = (1, 5)  # 1 strongly disagree … 5 strongly agree
FAVOURABLE = 4  # answers of 4 or 5 count as favourable


@dataclass(frozen=True)
class Question:
    number: int
    key: str
    text: str


Q12: tuple[Question, ...] = (
    Question(1, "expectations", "Do I know what is expected of me at work?"),
    Question(
        2, "materials", "Do I have the right materials and equipment I need to do my work right?"
    ),
    Question(3, "do_best", "At work, do I have the opportunity to do what I do best every day?"),
    Question(
        4, "recognition", "In the last seven days, have I received recognition for good work?"
    ),
    Question(5, "cares", "Does my supervisor, or someone at work, care about me as a person?"),
    Question(6, "development", "Is there someone at work who encourages my development?"),
    Question(7, "opinions", "At work, do my opinions seem to count?"),
    Question(8, "purpose", "Does the purpose of my company make me feel my work is important?"),
    Question(9, "quality", "Are my co-workers committed to doing quality work?"),
    Question(10, "best_friend", "Do I have a best friend at work?"),
    Question(
        11, "progress", "In the last six months, have I talked with someone about my progress?"
    ),
    Question(12, "learn_grow", "At work, have I had opportunities to learn and grow?"),
)
