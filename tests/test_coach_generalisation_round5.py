"""Fifth generalisation pass (2026-12-04, from the kinds of error `holdout_blind5` showed).

The pass's first aim was false alarms on excellent replies. It adds context checks about what a
sentence *does*: a sentence reporting the operator's own act on the matter tells the customer
nothing to do, so it cannot be patronising or an unsolicited workaround; a bank's timing hedged
inside a firm commitment is not blame; a rule given with its rationale, followed by what the
operator did instead, is an explained refusal; a message the customer opens as a suggestion is
not distress. Its second aim was recall by the shape of the sentence (a failure told as
inevitable for the trade, the operator's narrow remit, another party's responsibility, a typical
cause told instead of this one). Cases are written for this test in other trades and words than
any labelled set, each with near-misses the coach must leave alone. Replies are whole drafts.
"""

from __future__ import annotations

import pytest

from goodwill.coach import Coach, Draft, Verdict
from goodwill.coach.reading import InterimReader


@pytest.fixture(scope="module")
def coach() -> Coach:
    return Coach(reader=InterimReader())


def review(coach: Coach, customer: str, body: str, sign: str = "Kind regards,\nMaren") -> Verdict:
    return coach.review(Draft(customer, f"Hi Idris,\n\n{body}\n\n{sign}"))


def found(coach: Coach, customer: str, body: str, sign: str = "Kind regards,\nMaren") -> set[str]:
    return {f.category for f in review(coach, customer, body, sign).findings}


def irritants(
    coach: Coach, customer: str, body: str, sign: str = "Kind regards,\nMaren"
) -> set[str]:
    return {f.category for f in review(coach, customer, body, sign).irritants}


BIKE = "The e-bike I hired had a flat battery after 5 km and I had to push it home. Not happy."
KITCHEN = (
    "I'm really disappointed: the kitchen fitters left a scratch on our new worktop and a "
    "cupboard door hangs loose."
)
FERRY = "Our ferry was cancelled and we lost the first night of our holiday. Why?"
GRANT = "Why was my application for the home insulation grant turned down?"
STORAGE = "I want to end my storage unit rental early and get the rest of the year back."
FEATURE = (
    "Hi, a small suggestion. Your meal kit app is useless for allergies: it shows nuts only in "
    "the small print. Could you put allergens at the top of each recipe?"
)


# --- priority 1: what a sentence does, in a reply that is otherwise excellent ----------------


def test_operator_act_sentence_is_not_patronising(coach: Coach) -> None:
    body = (
        "I'm sorry about the battery. Separately, I've reported the bike as faulty, because a "
        "battery that dies after 5 km is simply not acceptable and it's simply wrong. I've "
        "refunded the hire today; it reaches your card within 3 working days."
    )
    assert "patronising" not in found(coach, BIKE, body)


def test_instruction_with_simply_is_still_patronising(coach: Coach) -> None:
    body = "Simply hold the power button for ten seconds and the battery will reset."
    assert "patronising" in found(coach, BIKE, body)


def test_operator_adding_a_guide_still_judged(coach: Coach) -> None:
    # "added" a guide is reading matter handed over, not an act on the matter
    body = "I've added our beginner's guide to charging below, it's very easy once you know how."
    assert "patronising" in found(coach, BIKE, body)


def test_operator_act_sentence_is_not_a_workaround(coach: Coach) -> None:
    customer = "Suggestion: could the gym app warn me when my class is about to be cancelled?"
    body = (
        "Thanks for this. I've raised it with ClassPass, who run the booking app for us, and "
        "they've confirmed cancellation alerts can be switched on for our club. Our manager "
        "will turn them on from 1 March, and I'll confirm by email when they're live."
    )
    verdict = review(coach, customer, body)
    assert not verdict.irritants
    assert "feedback_outcome" in {f.category for f in verdict.strengths}


def test_customer_told_to_use_existing_setting_is_still_a_workaround(coach: Coach) -> None:
    customer = "Idea: let me pause my veg box for a fortnight instead of cancelling."
    body = "You can skip single deliveries under Account > Deliveries > Skip a week."
    assert "unsolicited_workaround" in found(coach, customer, body)


def test_bank_timing_inside_a_commitment_is_not_blame(coach: Coach) -> None:
    body = (
        "Sorry, that's a miserable way to end a ride. I've refunded the £18 hire, and it will "
        "reach your account within 3 working days, depending on your bank."
    )
    assert "blame_shifting" not in found(coach, BIKE, body)


def test_refund_that_can_take_longer_because_of_the_bank_is_blame(coach: Coach) -> None:
    body = "Refunds can sometimes take longer to arrive depending on your bank."
    assert "blame_shifting" in found(coach, BIKE, body)


def test_rule_with_its_rationale_and_an_alternative_done_is_not_blame(coach: Coach) -> None:
    body = (
        "Our terms don't allow a refund of the annual fee after 30 days, because the yearly "
        "price is discounted on that basis. What I can do is stop the renewal, and I've refunded "
        "the last four months, £96, to your card; it will show within 5 working days."
    )
    assert "blame_shifting" not in found(coach, STORAGE, body)


def test_rule_with_a_rationale_but_nothing_done_is_still_blame(coach: Coach) -> None:
    body = (
        "Our terms don't allow a refund of the annual fee after 30 days, because the yearly "
        "price is discounted on that basis."
    )
    assert "blame_shifting" in found(coach, STORAGE, body)


def test_rule_whose_rationale_names_the_customer_is_blame(coach: Coach) -> None:
    body = (
        "Our policy does not allow early release because you signed a 12-month agreement. "
        "I've cancelled the direct debit from next year."
    )
    assert "blame_shifting" in found(coach, STORAGE, body)


def test_message_opened_as_a_suggestion_is_not_distress(coach: Coach) -> None:
    body = (
        "Thanks for raising it. I've logged it with our recipe team, who review requests on the "
        "first Monday of each month, and I'll email you after the 3 March review."
    )
    assert "missing_empathy" not in found(coach, FEATURE, body)


def test_angry_loss_with_an_idea_at_the_end_still_needs_empathy(coach: Coach) -> None:
    customer = (
        "I'm furious. Your app crashed during checkout and charged me twice, £120 gone from my "
        "rent money. You should add a confirmation screen."
    )
    body = "The duplicate payment is being reviewed by our payments team."
    assert "missing_empathy" in found(coach, customer, body)


def test_name_from_company_is_a_person(coach: Coach) -> None:
    body = "I've rebooked your class for Thursday at 7pm."
    assert "impersonal" not in found(coach, BIKE, body, sign="Cheers,\nJess from Pedalhire")


def test_team_from_company_is_still_impersonal(coach: Coach) -> None:
    body = "I've rebooked your class for Thursday at 7pm."
    assert "impersonal" in found(coach, BIKE, body, sign="Cheers,\nThe Support Team at Pedalhire")


def test_feeling_granted_as_natural_is_empathy(coach: Coach) -> None:
    customer = "My mum's care home fees went up by £400 without warning. I'm really worried."
    body = (
        "Of course you're worried, and I'm sorry nobody called you first. I've put the increase "
        "on hold and our manager will call you on Friday at 10am to go through it."
    )
    verdict = review(coach, customer, body)
    assert "empathy" in {f.category for f in verdict.strengths}
    assert "missing_empathy" not in {f.category for f in verdict.irritants}


def test_idea_taken_to_the_meeting_that_decides_is_an_outcome(coach: Coach) -> None:
    customer = (
        "A suggestion: could the library open on Sunday afternoons? Many of us work Saturdays."
    )
    body = (
        "We appreciate the suggestion. Our branch manager is putting it to the council's "
        "libraries committee meeting on 14 May, and I'll write to you the week after with what "
        "they decide."
    )
    verdict = review(coach, customer, body)
    assert "feedback_outcome" in {f.category for f in verdict.strengths}
    assert "hollow_acknowledgement" not in {f.category for f in verdict.irritants}


def test_mission_statement_counting_people_is_boilerplate_only(coach: Coach) -> None:
    customer = "When will my blue badge renewal arrive? It's been six weeks."
    body = (
        "Our vision as a council is to put residents first, and we are proud to serve over "
        "300,000 people. Your badge was posted today by first-class mail."
    )
    cats = found(coach, customer, body)
    assert "irrelevant_boilerplate" in cats
    assert "boasting" not in cats


# --- priority 2: shapes of self-undermining, blame, patronising, workaround ------------------


@pytest.mark.parametrize(
    ("customer", "body"),
    [
        (FERRY, "Weather cancellations are unfortunately a fact of life with any island crossing."),
        (FERRY, "It's something every ferry operator has to live with in the winter months."),
        (KITCHEN, "Small scratches are sadly just part of fitting stone worktops, I'm afraid."),
        (FERRY, "I'm afraid that's the reality of running boats in the North Sea."),
        (GRANT, "I'm only in the customer contact team, so I can't see how the panel scored it."),
        (GRANT, "I don't really understand the technical side of the scoring, sorry."),
        (KITCHEN, "Our fitters' timings are often unpredictable, and we can't always say when."),
    ],
)
def test_self_undermining_shapes(coach: Coach, customer: str, body: str) -> None:
    assert "self_undermining" in found(coach, customer, body)


@pytest.mark.parametrize(
    ("customer", "body"),
    [
        # a benefit that is "part of every" visit is not a failure shrugged off
        (KITCHEN, "A free door adjustment is part of every fitting we do, so I've booked one."),
        # ease denied about the customer's task, not about our competence
        (KITCHEN, "It's not difficult to keep on top of: wipe the worktop with a damp cloth."),
        (FERRY, "Cancellations like this are rare; this was the first since 2019."),
    ],
)
def test_self_undermining_near_misses(coach: Coach, customer: str, body: str) -> None:
    assert "self_undermining" not in found(coach, customer, body)


@pytest.mark.parametrize(
    ("customer", "body"),
    [
        (KITCHEN, "Once the fitters leave, the worktop is the installation firm's responsibility."),
        (
            BIKE,
            "The terms were shown when you unlocked the bike, so the ride was at your own risk.",
        ),
        (BIKE, "You would have received a low-battery alert in the app, so the charge stands."),
        (KITCHEN, "Scratches like these are usually the result of pans being slid across the top."),
        (STORAGE, "Our system doesn't accept early terminations by phone."),
        (GRANT, "Your loft insulation quote didn't meet the scheme's eligibility criteria."),
    ],
)
def test_blame_shifting_shapes(coach: Coach, customer: str, body: str) -> None:
    assert "blame_shifting" in found(coach, customer, body)


@pytest.mark.parametrize(
    ("customer", "body"),
    [
        # our own fault named, not theirs
        (KITCHEN, "The scratch was caused by our fitter's tool belt, and I'm sorry."),
        # the system doing something for the customer
        (STORAGE, "Our system will accept the notice online and I've already entered it for you."),
    ],
)
def test_blame_shifting_near_misses(coach: Coach, customer: str, body: str) -> None:
    assert "blame_shifting" not in found(coach, customer, body)


@pytest.mark.parametrize(
    ("customer", "body"),
    [
        (BIKE, "Honestly, it isn't hard to check the charge: the bar on the handlebar shows it."),
        (
            FERRY,
            "For future trips, please check the weather warnings, as set out in our guidelines.",
        ),
        (GRANT, "The guidance notes are well worth reading properly before you apply again."),
    ],
)
def test_patronising_shapes(coach: Coach, customer: str, body: str) -> None:
    assert "patronising" in found(coach, customer, body)


def test_not_hard_to_see_is_empathy_not_patronising(coach: Coach) -> None:
    body = (
        "It isn't hard to see why you're annoyed, and I'm sorry. I've booked a fitter for Monday."
    )
    assert "patronising" not in found(coach, KITCHEN, body)


def test_diy_repair_offered_for_our_damage_is_a_workaround(coach: Coach) -> None:
    body = (
        "Light scratches can usually be hidden with a worktop repair kit, which you can pick up "
        "at most DIY stores."
    )
    assert "unsolicited_workaround" in found(coach, KITCHEN, body)


def test_repair_we_do_is_not_a_workaround(coach: Coach) -> None:
    body = (
        "I'm sorry about the worktop. Our repair specialist will fill and polish the scratch on "
        "Tuesday at 9am, and I've asked the fitter to rehang the door on the same visit."
    )
    assert "unsolicited_workaround" not in found(coach, KITCHEN, body)


@pytest.mark.parametrize(
    ("customer", "body", "category"),
    [
        (
            GRANT,
            "We take the privacy of our applicants' data extremely seriously.",
            "trust_appeal",
        ),
        (GRANT, "We are a long-established, reputable agency.", "trust_appeal"),
        (
            GRANT,
            "Your complaint has been passed to the appropriate team.",
            "hollow_acknowledgement",
        ),
        (GRANT, "Did this answer your question? Reply YES or NO.", "template_noise"),
        (
            GRANT,
            "The Energy Grants Office is an executive agency of the Department for Energy.",
            "irrelevant_boilerplate",
        ),
    ],
)
def test_smaller_shapes(coach: Coach, customer: str, body: str, category: str) -> None:
    assert category in found(coach, customer, body)


def test_customer_own_licence_does_not_mean_they_asked_about_regulation(coach: Coach) -> None:
    customer = "I sent my driving licence renewal six weeks ago. Where is it?"
    body = "The Licensing Office is an executive agency of the Department for Transport."
    assert "irrelevant_boilerplate" in found(coach, customer, body)


def test_customer_asking_who_licenses_the_company_gets_an_answer(coach: Coach) -> None:
    customer = "Are you licensed to sell insurance? Who regulates you?"
    body = "We are authorised and regulated by the Financial Conduct Authority, number 123456."
    assert "irrelevant_boilerplate" not in found(coach, customer, body)


def test_lowered_sentences_are_reused_and_match_the_original_pattern(coach: Coach) -> None:
    """Speed change: sentences are lowered once per draft and the twin cache is keyed by id."""
    from goodwill.coach.situation import lowercase_twin

    verdict = review(coach, BIKE, "SIMPLY Tap Settings. It’s VERY easy.")
    assert "patronising" in {f.category for f in verdict.irritants}
    from goodwill.coach.catalogue import patronising

    pattern = patronising.CATEGORY.pattern
    assert pattern is not None
    assert lowercase_twin(pattern) is lowercase_twin(pattern)
