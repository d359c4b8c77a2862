"""Third generalisation pass (2026-12-04, from the kinds of error `holdout_blind3` showed).

Each shape added to the catalogue has paraphrases written for this test, in other words and
other industries than the labelled sets, that it must catch, and a near-miss it must leave
alone. Replies are whole drafts, so the greeting and the sign-off are judged too.
"""

from __future__ import annotations

import pytest

from goodwill.coach import Coach, Draft, Verdict
from goodwill.coach.reading import InterimReader
from goodwill.coach.text import find_signature


@pytest.fixture(scope="module")
def coach() -> Coach:
    return Coach(reader=InterimReader())


def review(coach: Coach, customer: str, body: str, sign: str = "Best wishes,\nOwen") -> Verdict:
    return coach.review(Draft(customer, f"Hi Maya,\n\n{body}\n\n{sign}"))


def flagged(coach: Coach, customer: str, body: str, category: str) -> bool:
    return category in {f.category for f in review(coach, customer, body).findings}


DAMAGED = "The sofa you delivered has a torn cushion and I want it replaced. What will you do?"
LATE_REFUND = "My refund for the cancelled course still hasn't arrived after three weeks."
FEE = "Why has a £30 fee been added to my account? I paid on time as always."
IDEA = "Suggestion: could the app show how many loyalty points I have left this month?"
REQUEST_IDEA = "Love the podcast app. One request: a sleep timer that fades out the audio?"
LEAVING = "I'm moving abroad for work, so please close my gym membership."


# --- blame_shifting ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("customer", "body"),
    [
        # responsibility handed to the customer's role
        (DAMAGED, "Checking goods on arrival is the recipient's responsibility under our terms."),
        (DAMAGED, "It is the buyer's responsibility to inspect the item before signing for it."),
        # a passive with another party as the agent
        (LATE_REFUND, "Course refunds are handled by our payment processor, not this office."),
        (FEE, "Fees like this are set by our head office and apply to every branch."),
        # nobody here can touch the outcome
        (FEE, "The billing desk is unable to change the outcome of an automated review."),
        (FEE, "The branch had no option but to add the charge."),
        # the customer's own input as the source
        (DAMAGED, "The delivery address used was the one entered by yourself at checkout."),
        # a condition not met, so nothing could be done
        (DAMAGED, "The cushion was not reported within 48 hours, so it could not be replaced."),
        # the outcome depends on a step the customer took or skipped
        (LATE_REFUND, "Payments can only be traced unless you registered the card beforehand."),
        # a rule cited as the frame of a refusal
        (LATE_REFUND, "Under our booking conditions, refunds cannot be sped up."),
    ],
)
def test_blame_shapes(coach: Coach, customer: str, body: str) -> None:
    assert flagged(coach, customer, body, "blame_shifting")


@pytest.mark.parametrize(
    ("customer", "body"),
    [
        (
            FEE,
            "Our rule is to text a reminder before any fee, and this time nobody did. That was "
            "our mistake, not yours, and I have removed the £30 today.",
        ),
        (DAMAGED, "I've booked a replacement cushion, made by our upholsterer, for Friday."),
    ],
)
def test_blame_shapes_near_misses(coach: Coach, customer: str, body: str) -> None:
    assert not flagged(coach, customer, body, "blame_shifting")


# --- dismissal ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("customer", "body"),
    [
        (FEE, "Nothing more we can do about it, I'm afraid."),
        (FEE, "There isn't anything the accounts team can do about this fee."),
        (FEE, "The fee therefore stands, and your complaint has now been closed."),
        (IDEA, "A points counter is not a feature available in the current app."),
        (IDEA, "We no longer offer monthly statements for loyalty points."),
    ],
)
def test_dismissal_shapes(coach: Coach, customer: str, body: str) -> None:
    assert flagged(coach, customer, body, "dismissal")


def test_not_much_we_can_do_is_not_a_refusal(coach: Coach) -> None:
    body = "I've refunded the fee today and it will show on your statement within 3 days."
    assert not flagged(coach, FEE, body, "dismissal")


# --- unsolicited_workaround --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("customer", "body"),
    [
        (IDEA, "For now, open Rewards and tap History to add up the points yourself."),
        (IDEA, "Quick tip: the points total is shown on the receipt of every purchase."),
        (IDEA, "You can already see the total by logging in on the website."),
        (REQUEST_IDEA, "Handy trick: set your phone's own clock timer to stop the audio."),
    ],
)
def test_workaround_shapes(coach: Coach, customer: str, body: str) -> None:
    assert flagged(coach, customer, body, "unsolicited_workaround")


def test_a_promise_to_tell_them_is_not_a_workaround(coach: Coach) -> None:
    body = (
        "Good idea: from March the app will show your points on the home screen. I'll email "
        "you when it goes live so you can try it."
    )
    assert not flagged(coach, IDEA, body, "unsolicited_workaround")


def test_how_to_question_instructions_are_not_a_workaround(coach: Coach) -> None:
    customer = "How do I see how many loyalty points I have?"
    body = "Open Rewards and tap History; the total is at the top."
    assert not flagged(coach, customer, body, "unsolicited_workaround")


# --- generic_closing ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "closing",
    ["Keep up the good work!", "See you on the slopes!", "Happy baking!"],
)
def test_cheer_lines_close_an_unresolved_reply(coach: Coach, closing: str) -> None:
    body = f"Refunds take a while at this time of year. {closing}"
    assert flagged(coach, LATE_REFUND, body, "generic_closing")


def test_contact_thanks_as_the_last_line_is_a_closing(coach: Coach) -> None:
    body = (
        "We have your message about the refund. Refunds are paid in the order they come in. "
        "Thank you for contacting Northfield College."
    )
    verdict = review(coach, LATE_REFUND, body)
    found = {f.category: f.text for f in verdict.findings}
    assert found.get("generic_closing") == "Thank you for contacting Northfield College."
    assert "hollow_acknowledgement" not in found


def test_contact_thanks_at_the_top_is_an_opener(coach: Coach) -> None:
    body = (
        "Thank you for contacting Northfield College. Refunds are paid in the order they come "
        "in. We will look at it."
    )
    verdict = review(coach, LATE_REFUND, body)
    assert "generic_closing" not in {f.category for f in verdict.findings}


# --- blunt_demand ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("customer", "body"),
    [
        (LEAVING, "Please settle the £60 balance, otherwise late charges will apply."),
        (LEAVING, "Payments made after the 5th attract a £15 admin fee."),
        (LEAVING, "Your final month of £45 must still be paid before we can close the account."),
    ],
)
def test_demand_shapes(coach: Coach, customer: str, body: str) -> None:
    assert flagged(coach, customer, body, "blunt_demand")


def test_no_fee_is_not_a_demand(coach: Coach) -> None:
    body = "I've closed your membership today; you won't incur a fee for leaving early."
    assert not flagged(coach, LEAVING, body, "blunt_demand")


# --- self_undermining, trust_appeal, irrelevant_boilerplate, hollow_acknowledgement ------------


@pytest.mark.parametrize(
    "body",
    [
        "Late deliveries are something our drivers struggle with every winter.",
        "Torn covers are unfortunately part and parcel of the furniture business.",
        "Our sofas are on the pricier side, and you could find one cheaper elsewhere.",
        "Damage in transit happens with us most weeks.",
    ],
)
def test_self_undermining_shapes(coach: Coach, body: str) -> None:
    assert flagged(coach, DAMAGED, body, "self_undermining")


def test_our_standing_as_proof_is_a_trust_appeal(coach: Coach) -> None:
    body = "As an established family retailer, we always treat delivery damage fairly."
    assert flagged(coach, DAMAGED, body, "trust_appeal")


def test_a_data_protection_notice_is_boilerplate(coach: Coach) -> None:
    customer = "How do I change my delivery address?"
    body = (
        "Open My account and choose Addresses. Homely Furniture Ltd is the data controller for "
        "your personal information; read our privacy notice at homely.example/privacy."
    )
    assert flagged(coach, customer, body, "irrelevant_boilerplate")


def test_plural_any_inconveniences_is_the_stock_formula(coach: Coach) -> None:
    body = (
        "I've booked a replacement cushion for Friday morning. We apologize for any inconveniences."
    )
    assert flagged(coach, DAMAGED, body, "hollow_acknowledgement")


# --- reading: denied worry, distress idioms, thanks written as praise --------------------------


def test_a_denied_worry_is_not_distress() -> None:
    reading = InterimReader().read("Where is my transfer up to? I'm not worried, just curious.")
    assert reading.emotion == "neutral"


@pytest.mark.parametrize(
    "message",
    [
        "The boiler has failed again and I'm at my wits' end with it. Please help.",
        "Our order still hasn't shipped. This is not acceptable.",
        "Eighty pounds for a single call abroad is a rip-off.",
    ],
)
def test_distress_idioms_need_empathy(coach: Coach, message: str) -> None:
    body = "The engineer's report is attached."
    assert flagged(coach, message, body, "missing_empathy")


def test_thanks_for_a_hard_time_eased_needs_no_empathy(coach: Coach) -> None:
    customer = (
        "We wanted to thank the ward staff. Mum was frightened before the operation and they "
        "sat with her all evening."
    )
    body = "Thank you for writing. I've shared your words with the ward sister and her team."
    verdict = review(coach, customer, body)
    assert not verdict.irritants


# --- impersonal: a company name under a team line, or used as a brand in the body -------------


def test_company_line_below_a_team_line_is_not_a_person() -> None:
    text = "Hi Maya,\n\nYour card is on its way.\n\nKind regards,\nCard Services\nHarbour Mutual"
    signature = find_signature(text)
    assert signature is not None
    assert signature.human_name is None


def test_brand_named_in_the_body_is_not_a_person() -> None:
    text = "Hi Maya,\n\nLog in to your Brackley account to see it.\n\nBrackley Insurance"
    signature = find_signature(text)
    assert signature is None or signature.human_name is None


def test_a_person_above_the_team_line_is_kept() -> None:
    text = "Hi Maya,\n\nYour card is on its way.\n\nKind regards,\nRuth Evans\nCard Services"
    signature = find_signature(text)
    assert signature is not None
    assert signature.human_name == "Ruth Evans"


# --- missing_next_step: what was asked for, handed over ----------------------------------------


def test_a_requested_code_handed_over_is_done(coach: Coach) -> None:
    customer = "I need the PUK code for my SIM please, it's locked. Number 07700 900123."
    body = "Your PUK code is 55120934. Type it in when the phone asks, then choose a new PIN."
    assert not flagged(coach, customer, body, "missing_next_step")


def test_a_code_of_no_use_is_not_an_action(coach: Coach) -> None:
    customer = "My SIM is locked and I need the PUK code, please help me unlock it."
    body = "Our opening hours are on the website."
    assert flagged(coach, customer, body, "missing_next_step")


# --- missing_next_step: the reply itself shows a matter was raised -----------------------------


def test_a_refusal_with_no_step_misses_the_next_step(coach: Coach) -> None:
    customer = "Hello, the gym card reader has been broken since Monday."
    body = "The entry gates are maintained by the landlord's contractor. Opening hours are 6-22."
    assert flagged(coach, customer, body, "missing_next_step")


def test_closing_the_case_is_not_an_action(coach: Coach) -> None:
    customer = "You've charged me twice for the same lesson. I want one refunded."
    body = "Both charges are correct. The charge therefore stands and your case has been closed."
    assert flagged(coach, customer, body, "missing_next_step")


def test_a_refund_done_is_an_action(coach: Coach) -> None:
    customer = "You've charged me twice for the same lesson. I want one refunded."
    body = "You're right, that was our error: the second charge has been refunded today."
    assert not flagged(coach, customer, body, "missing_next_step")


# --- reading: distress told without an emotion word -------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "This is the fourth e-mail I have sent about the broken heater in my flat.",
        "The nurse on the phone was extremely rude and hung up on me.",
        "The price rise was a real shock to our family budget.",
    ],
)
def test_distress_without_emotion_words(coach: Coach, message: str) -> None:
    body = "The engineer's report is attached."
    assert flagged(coach, message, body, "missing_empathy")


def test_a_withdrawn_service_without_alternative_is_a_dismissal(coach: Coach) -> None:
    customer = "Why can't I get my statements on paper any more? I don't use the internet."
    body = "Paper statements are no longer available for this account."
    assert flagged(coach, customer, body, "dismissal")
