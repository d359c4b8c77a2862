"""Acceptance: the seed studies' cases get the verdicts the studies give them."""

from __future__ import annotations

import pytest

from goodwill.coach import Coach, Draft, Verdict
from tests.unit.coach import seeds


def categories_at(verdict: Verdict, reply: str, phrase: str) -> set[str]:
    """Categories of the findings whose span covers the start of ``phrase`` in ``reply``."""
    at = reply.index(phrase)
    return {
        f.category
        for f in verdict.findings
        if f.start is not None and f.end is not None and f.start <= at < f.end
    }


def has(verdict: Verdict, category: str) -> bool:
    return any(f.category == category for f in verdict.findings)


def severity_of(verdict: Verdict, category: str) -> str:
    return next(f.severity for f in verdict.findings if f.category == category)


@pytest.mark.parametrize(("phrase", "category"), seeds.FINTECH_PARTS)
def test_fintech_reply_flags_each_analysed_part(coach: Coach, phrase: str, category: str) -> None:
    verdict = coach.review(seeds.fintech())
    assert category in categories_at(verdict, seeds.FINTECH_REPLY, phrase)


def test_fintech_reply_is_unsigned_and_scores_low(coach: Coach) -> None:
    verdict = coach.review(seeds.fintech())
    assert has(verdict, "impersonal")  # "there is no name on your email"
    assert has(verdict, "missing_next_step")
    assert verdict.score <= 25
    assert verdict.reading.primary_intent == "suggestion"


def test_fintech_rewrite_scores_high_with_no_high_severity(coach: Coach) -> None:
    verdict = coach.review(seeds.fintech(seeds.FINTECH_REWRITE))
    assert verdict.score >= 80
    assert not [f for f in verdict.findings if f.kind == "irritant" and f.severity == "high"]
    assert not verdict.irritants
    assert {f.category for f in verdict.strengths} >= {"personal_address", "feedback_outcome"}


def test_instructions_answer_a_how_to_question_but_not_a_suggestion(coach: Coach) -> None:
    answer = coach.review(Draft(seeds.HOWTO_STATEMENTS, seeds.STATEMENTS_ANSWER))
    assert not has(answer, "unsolicited_workaround")
    assert not answer.irritants
    pushed = coach.review(Draft(seeds.MICHAEL, seeds.STATEMENTS_ANSWER))
    assert has(pushed, "unsolicited_workaround")
    assert pushed.score < answer.score


def test_appreciation_is_hollow_without_an_outcome_and_fine_with_one(coach: Coach) -> None:
    bare = "Hi Michael,\n\nWe appreciate your feedback.\n\nBest regards,\nSarah"
    with_outcome = (
        "Hi Michael,\n\nWe appreciate your feedback. I've added your idea to our product team's "
        "review list, and I'll email you their decision by the end of the month.\n\n"
        "Best regards,\nSarah"
    )
    assert has(coach.review(seeds.fintech(bare)), "hollow_acknowledgement")
    verdict = coach.review(seeds.fintech(with_outcome))
    assert not has(verdict, "hollow_acknowledgement")
    assert has(verdict, "feedback_outcome")


def test_thomas_asking_for_trust_after_the_mistake_is_high_severity(coach: Coach) -> None:
    draft = Draft(seeds.MARGARETH, seeds.THOMAS_REPLY, seeds.MARGARETH_CONTEXT)
    verdict = coach.review(draft)
    assert "trust_appeal" in categories_at(verdict, seeds.THOMAS_REPLY, "Please trust me")
    assert severity_of(verdict, "trust_appeal") == "high"
    assert has(verdict, "missing_empathy")
    assert has(verdict, "missing_next_step")
    assert "complaint" in verdict.reading.intents  # and a threat to terminate the contract
    assert verdict.score <= 40


def test_trust_appeal_is_poor_anywhere_but_high_only_after_a_breach(coach: Coach) -> None:
    verdict = coach.review(Draft(seeds.SECURITY_QUESTION, seeds.TRUST_US_ANSWER))
    assert has(verdict, "trust_appeal")
    assert severity_of(verdict, "trust_appeal") != "high"


def test_thomas_rewrite_owns_the_mistake_and_scores_high(coach: Coach) -> None:
    draft = Draft(seeds.MARGARETH, seeds.THOMAS_REWRITE, seeds.MARGARETH_CONTEXT)
    verdict = coach.review(draft)
    assert verdict.score >= 80
    assert not [f for f in verdict.findings if f.kind == "irritant" and f.severity == "high"]
    assert {f.category for f in verdict.strengths} >= {"ownership", "empathy", "specific_next_step"}


def test_payment_demand_answering_a_volunteered_meter_reading_is_blunt(coach: Coach) -> None:
    verdict = coach.review(Draft(seeds.METER_READING, seeds.PAYMENT_DEMAND))
    assert "blunt_demand" in categories_at(verdict, seeds.PAYMENT_DEMAND, "Payment of £212.40")
    assert severity_of(verdict, "blunt_demand") == "high"
    assert verdict.score <= 40


def test_thanks_and_fair_terms_answer_the_meter_reading_well(coach: Coach) -> None:
    verdict = coach.review(Draft(seeds.METER_READING, seeds.METER_REWRITE))
    assert not has(verdict, "blunt_demand")
    assert verdict.score >= 80
    assert not [f for f in verdict.findings if f.kind == "irritant" and f.severity == "high"]


def test_the_balance_is_information_when_the_customer_asked_for_it(coach: Coach) -> None:
    verdict = coach.review(Draft(seeds.BALANCE_QUESTION, seeds.BALANCE_ANSWER))
    assert not has(verdict, "blunt_demand")
