"""The engine: findings point at the text, context changes verdicts, the score adds up."""

from __future__ import annotations

from goodwill.coach import Coach, Draft, RelationshipContext, Turn
from goodwill.coach.engine import score
from goodwill.coach.model import Finding

ANGRY = "This is the third time my delivery hasn't turned up. I'm furious and fed up."
COLD = "Hello,\n\nYour parcel will be redelivered.\n\nRegards,\nDelivery Team"
WARM = (
    "Hi Sam,\n\nI'm so sorry, three missed deliveries is infuriating. I've booked a named-day "
    "delivery for tomorrow before noon and refunded your £4.99 delivery fee.\n\nBest,\nRuth"
)


def test_every_finding_points_at_the_reply_and_explains_itself(coach: Coach) -> None:
    verdict = coach.review(Draft(ANGRY, COLD))
    assert verdict.findings
    for f in verdict.findings:
        assert f.explanation
        assert f.suggestion
        if f.start is not None:
            assert f.end is not None
            assert COLD[f.start : f.end] == f.text
    assert {"missing_empathy", "impersonal"} <= {f.category for f in verdict.irritants}


def test_empathy_and_a_concrete_step_score_higher_than_a_cold_reply(coach: Coach) -> None:
    cold, warm = coach.review(Draft(ANGRY, COLD)), coach.review(Draft(ANGRY, WARM))
    assert warm.score > cold.score + 30
    assert not warm.irritants
    assert {"empathy", "ownership", "specific_next_step"} <= {f.category for f in warm.strengths}


def test_the_verdict_names_intent_emotion_and_reader(coach: Coach) -> None:
    verdict = coach.review(Draft(ANGRY, COLD))
    assert verdict.reading.primary_intent == "complaint"
    assert verdict.reading.emotion == "anger"
    assert verdict.to_json()["intent"] == "complaint"
    assert verdict.reading.source


def test_irritants_accumulate() -> None:
    def irritant(category: str) -> Finding:
        return Finding(category, "irritant", 0, 1, "x", "medium", "e", "s")

    one = score([irritant("boasting")])
    three = score([irritant(c) for c in ("boasting", "patronising", "dismissal")])
    assert 3 * (75 - one) < 75 - three  # each costs more when they pile up
    assert 0 <= score([irritant("boasting")] * 20) <= 100


def test_a_broken_promise_in_the_relationship_raises_a_trust_appeal(coach: Coach) -> None:
    message = "Can you confirm my engineer visit for Friday?"
    reply = "Hi Ann,\n\nYes, Friday 8-12 is confirmed. Rest assured he will be there.\n\nSam"
    calm = coach.review(Draft(message, reply))
    after = coach.review(Draft(message, reply, relationship=RelationshipContext(broken_promises=1)))
    severity = {f.category: f.severity for f in calm.findings}
    assert severity["trust_appeal"] == "medium"
    assert {f.category: f.severity for f in after.findings}["trust_appeal"] == "high"


def test_earlier_turns_count_as_context(coach: Coach) -> None:
    thread = (
        Turn("outbound", "Your refund will arrive within 5 days."),
        Turn("inbound", "It has been three weeks and you promised 5 days. Still nothing."),
    )
    reply = "Hi Ann,\n\nPlease rest assured your refund is on its way.\n\nSam"
    verdict = coach.review(Draft("Any news on my refund?", reply, thread))
    assert {f.category: f.severity for f in verdict.findings}["trust_appeal"] == "high"


def test_adjacent_closing_sentences_are_one_finding(coach: Coach) -> None:
    reply = (
        "Hello,\n\nWe have noted your comments.\n\nLet us know if you have any other questions. "
        "We're happy to help.\n\nRegards,\nSupport"
    )
    verdict = coach.review(Draft("Please add a dark mode to the app.", reply))
    closings = [f for f in verdict.findings if f.category == "generic_closing"]
    assert len(closings) == 1
    assert closings[0].text == "Let us know if you have any other questions. We're happy to help."


def test_batch_matches_single_reviews(coach: Coach) -> None:
    drafts = [Draft(ANGRY, COLD), Draft(ANGRY, WARM)]
    assert [v.score for v in coach.review_batch(drafts)] == [coach.review(d).score for d in drafts]


def test_relationship_phase_and_stage_raise_severity(coach: Coach) -> None:
    message = "I'd like to change my payment date."
    reply = (
        "Dear Customer,\n\nThat is how the system works, so the date cannot be changed.\n\nSupport"
    )
    plain = {f.category: f.severity for f in coach.review(Draft(message, reply)).findings}
    incident = RelationshipContext(phase="first disagreement", stage="differentiating")
    tense = {
        f.category: f.severity
        for f in coach.review(Draft(message, reply, relationship=incident)).findings
    }
    assert plain["blame_shifting"] == "medium"
    assert tense["blame_shifting"] == "high"
    assert plain["impersonal"] == "low"
    assert tense["impersonal"] == "medium"
