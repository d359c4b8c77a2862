"""Second generalisation pass (2026-12-03, from the kinds of error `holdout_blind2` showed).

Each changed rule has two paraphrases written for this test (not taken from any labelled set)
that it must catch, and one near-miss it must leave alone. Replies are whole drafts, so the
greeting and the sign-off are judged too.
"""

from __future__ import annotations

import pytest

from goodwill.coach import Coach, Draft
from goodwill.coach.situation import SIGNALS
from tests.unit.coach.drafts import categories, flagged, review

FAULTY = "The parcel I ordered arrived with a cracked screen. What are you going to do about it?"
LATE = "My insurance claim has been open for five weeks. What is going on?"
BILL = "I was charged a £40 fee on my account and nobody told me why. Please explain."
IDEA = "Could you add a way to share a shopping list with my partner? Other apps do this."
EARLY = "I've sent you my meter reading a few days early as I'm away next week."


# --- blame_shifting: another party, the customer's choice, "not us" ---------------------------


@pytest.mark.parametrize(
    ("customer", "body"),
    [
        (LATE, "The hold-up is with the insurer's assessor, not with us."),
        (LATE, "The delay is down to the surveyor, who is an independent firm."),
        (FAULTY, "Any refund has to be claimed through the retailer that sold you the item."),
        (FAULTY, "The courier sets their own delivery times, so we can't say when it will come."),
        (
            BILL,
            "You didn't add the overdraft buffer when you opened it, which was your choice.",
        ),
        (BILL, "You should have notified us in writing before you moved out."),
    ],
)
def test_blame_placed_on_another_party_or_the_customer(
    coach: Coach, customer: str, body: str
) -> None:
    assert flagged(coach, customer, body, "blame_shifting")


@pytest.mark.parametrize(
    ("customer", "body"),
    [
        (FAULTY, "I've chased the courier myself and a replacement arrives tomorrow before noon."),
        (BILL, "You should have received a letter about this fee, and I'm sorry it never came."),
        (BILL, "The refund has been sent and is with your bank now; it should show by Friday."),
    ],
)
def test_taking_the_matter_on_is_not_blame(coach: Coach, customer: str, body: str) -> None:
    assert not flagged(coach, customer, body, "blame_shifting")


@pytest.mark.parametrize(
    "body",
    [
        "Your loyalty discount is applied automatically at checkout.",
        "The voucher is applied automatically when you pay online.",
    ],
)
def test_a_benefit_applied_automatically_is_not_blame(coach: Coach, body: str) -> None:
    customer = "Do I need to enter a code to get my loyalty discount when I book?"
    assert not flagged(coach, customer, body, "blame_shifting")


def test_a_fee_applied_automatically_is_still_blame(coach: Coach) -> None:
    body = "The late fee was applied automatically by the system, so I can't remove it."
    assert flagged(coach, BILL, body, "blame_shifting")


# --- blunt_demand: an obligation with a deadline, a penalty as the other branch ---------------


@pytest.mark.parametrize(
    "body",
    [
        "Payment of the remaining £120 is required within 7 days to avoid further charges.",
        "Please make sure your account has enough money in it to avoid a returned payment fee.",
        "You must return the signed form by Friday or your application will be closed.",
        "Please send a copy of your ID within 10 days, otherwise the account will be suspended.",
        "The outstanding balance must be settled no later than 30 June.",
    ],
)
def test_blunt_demand_by_its_shape(coach: Coach, body: str) -> None:
    assert flagged(coach, BILL, body, "blunt_demand")


@pytest.mark.parametrize(
    "body",
    [
        "Your next payment of £45 will be taken on 2 June, as usual.",
        "We will send your final statement within 14 days of the account closing.",
        "Items over £1,000 need to be listed by name, so I've added your watch to the policy.",
    ],
)
def test_information_about_payments_is_not_a_demand(coach: Coach, body: str) -> None:
    assert not flagged(coach, BILL, body, "blunt_demand")


def test_a_demand_answering_a_voluntary_reading_is_high(coach: Coach) -> None:
    body = "Thanks. Payment is required within 14 days to avoid further action."
    found = [f for f in review(coach, EARLY, body).findings if f.category == "blunt_demand"]
    assert found
    assert found[0].severity == "high"


def test_a_demand_citing_the_contract_is_one_finding_not_two(coach: Coach) -> None:
    body = (
        "Please note that the fee must be paid by the 5th of each month, as set out in your "
        "membership agreement."
    )
    found = categories(review(coach, BILL, body))
    assert "blunt_demand" in found
    assert "blame_shifting" not in found


# --- unsolicited_workaround: what already exists, offered for a proposal ----------------------


@pytest.mark.parametrize(
    "body",
    [
        "You can already export a list using the Download button on the dashboard.",
        "Printed lists can already be ordered by calling our helpline on 0300 123 4567.",
        "Our family plan already includes a shared calendar, which you can open from the sidebar.",
        "You can start a co-owned list at any time from the Sharing tab.",
    ],
)
def test_workaround_for_a_proposal(coach: Coach, body: str) -> None:
    assert flagged(coach, IDEA, body, "unsolicited_workaround")


def test_the_same_instructions_answer_a_how_to_question(coach: Coach) -> None:
    customer = "How do I export my shopping list? I can't find the option."
    body = "You can export a list using the Download button on the dashboard."
    assert not flagged(coach, customer, body, "unsolicited_workaround")


# --- dismissal: consideration refused, flat "no" in chat; reason + alternative is fine --------

SUNDAY = "Could you open the Hillside branch on Sundays? I work six days a week."


@pytest.mark.parametrize(
    ("customer", "body"),
    [
        (SUNDAY, "We won't be revisiting our opening hours."),
        (SUNDAY, "The decision to keep Hillside closed on Sundays has been made."),
        (FAULTY, "Hello, we don't offer refunds on sale items."),
    ],
)
def test_dismissal_by_its_shape(coach: Coach, customer: str, body: str) -> None:
    assert flagged(coach, customer, body, "dismissal")


@pytest.mark.parametrize(
    "turn",
    [
        "That said, our Riverside branch opens 10 to 4 on Sundays and you can book there online.",
        "However, our Riverside branch opens 10 to 4 on Sundays and you can book there online.",
    ],
)
def test_a_reasoned_refusal_turning_to_an_alternative_is_not_dismissal(
    coach: Coach, turn: str
) -> None:
    body = f"We can't open Hillside on Sundays because we don't have the staff to cover it. {turn}"
    assert not flagged(coach, SUNDAY, body, "dismissal")


def test_a_reason_alone_is_still_a_dismissal(coach: Coach) -> None:
    body = "We can't open Hillside on Sundays because of staffing."
    assert flagged(coach, SUNDAY, body, "dismissal")


# --- self_undermining, boasting, trust_appeal -------------------------------------------------


@pytest.mark.parametrize(
    ("category", "body"),
    [
        ("self_undermining", "The team is badly short-staffed this month, so callbacks are slow."),
        ("self_undermining", "Honestly our website isn't the most reliable place to check stock."),
        ("boasting", "We have been insuring homes in Wales for more than forty years."),
        ("boasting", "Did you know our app now has over 200 recipes?"),
        ("trust_appeal", "You can be certain our engineers checked everything twice."),
        ("trust_appeal", "You can be confident that the charge is correct."),
    ],
)
def test_more_irritant_shapes(coach: Coach, category: str, body: str) -> None:
    assert flagged(coach, LATE, body, category)


@pytest.mark.parametrize(
    ("category", "body"),
    [
        ("boasting", "Honestly our website isn't the most reliable place to check stock."),
        ("boasting", "Your policy has been active for 12 years, so your discount is the highest."),
        ("self_undermining", "We are fully staffed again and your engineer is booked for Tuesday."),
        ("trust_appeal", "You can check the charge yourself in the Billing tab."),
    ],
)
def test_more_irritant_near_misses(coach: Coach, category: str, body: str) -> None:
    assert not flagged(coach, LATE, body, category)


# --- false alarms on excellent replies --------------------------------------------------------


@pytest.mark.parametrize(
    "sign", ["Kind regards,\nLucas van Dijk\nBilling Support", "Best,\nMaria da Silva"]
)
def test_a_surname_with_a_particle_is_a_person(coach: Coach, sign: str) -> None:
    verdict = review(coach, BILL, "I've refunded the £40 fee just now.", sign)
    assert "impersonal" not in categories(verdict)


def test_a_team_signature_is_still_impersonal(coach: Coach) -> None:
    verdict = review(
        coach, BILL, "I've refunded the £40 fee just now.", "Regards,\nThe Billing Team"
    )
    assert "impersonal" in categories(verdict)


@pytest.mark.parametrize("closing", ["Regards,\nTom", "Cheers,\nTom"])
def test_a_valediction_is_not_a_greeting(coach: Coach, closing: str) -> None:
    reply = f"Hello,\n\nYour refund of £40 was sent to your card today.\n\n{closing}"
    verdict = coach.review(Draft(BILL, reply))
    assert "personal_address" not in categories(verdict)


@pytest.mark.parametrize("greeting", ["Dear Resident,", "Dear Homeowner,"])
def test_a_role_greeting_is_impersonal(coach: Coach, greeting: str) -> None:
    reply = f"{greeting}\n\nThe water will be back on by 6pm today.\n\nSam"
    found = categories(coach.review(Draft("When is the water coming back on?", reply)))
    assert "personal_address" not in found
    assert "impersonal" in found


def test_a_named_greeting_is_personal(coach: Coach) -> None:
    reply = "Dear Mrs Patel,\n\nThe water will be back on by 6pm today.\n\nSam"
    found = categories(coach.review(Draft("When is the water coming back on?", reply)))
    assert "personal_address" in found


@pytest.mark.parametrize(
    ("customer", "body"),
    [
        ("when does the winter sale end??", "It ends at midnight on Sunday 12 January."),
        (
            "how do i change the email on my account??",
            "In the app, tap Profile, then Email, and enter the new address.",
        ),
    ],
)
def test_impatient_punctuation_on_a_plain_question_needs_no_empathy(
    coach: Coach, customer: str, body: str
) -> None:
    assert not flagged(coach, customer, body, "missing_empathy")


def test_impatient_punctuation_on_a_complaint_still_needs_empathy(coach: Coach) -> None:
    customer = "You've charged me twice AGAIN?? Third time this year."
    assert flagged(coach, customer, "The duplicate payment will be refunded.", "missing_empathy")


THANKS = (
    "Just a note to say thank you to Marcus on your helpline. My dad had just died and "
    "everything was a mess, and he sorted the account closure in one call.",
    "I wanted to say how patient your engineer Kofi was. Our heating failed in the middle of a "
    "freezing week and he stayed until it worked.",
)


@pytest.mark.parametrize("customer", THANKS)
def test_praise_telling_of_a_hard_time_is_praise(coach: Coach, customer: str) -> None:
    body = "Thank you for writing. I've shared your message with him and his manager."
    found = categories(review(coach, customer, body))
    assert "missing_next_step" not in found
    assert "hollow_acknowledgement" not in found


def test_praise_with_a_complaint_after_but_still_needs_a_next_step(coach: Coach) -> None:
    customer = "Marcus was kind, but the account is still not closed three weeks later."
    body = "Thank you for writing. I've shared your message with him and his manager."
    assert flagged(coach, customer, body, "missing_next_step")


@pytest.mark.parametrize(
    "customer",
    [
        "Is there an export option for invoices, or do we have to copy them by hand?",
        "Is there a setting to turn off the weekly summary email?",
    ],
)
def test_asking_whether_a_function_exists_is_a_how_to(customer: str) -> None:
    assert SIGNALS["howto"].search(customer)


def test_asking_for_a_reason_is_not_a_how_to() -> None:
    assert not SIGNALS["howto"].search("Is there a reason you charged me twice this month?")


# --- strengths: ownership, empathy, feedback_outcome ------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "I refunded your £30 this morning, so it is already on its way to your card.",
        "I'm sending a replacement charger by courier today.",
        "The missing payment was our clerical error.",
        "You're right, we should have told you about the change before it happened.",
        "Our latest app update had a bug that logged some customers out.",
        "I've checked your booking and rebooked you onto the 9:40 train.",
    ],
)
def test_ownership_in_other_shapes(coach: Coach, body: str) -> None:
    assert flagged(coach, LATE, body, "ownership")


@pytest.mark.parametrize(
    "body",
    [
        "We replaced the old card readers across all branches last year.",
        "Your bank's system had a glitch that evening.",
    ],
)
def test_ownership_near_misses(coach: Coach, body: str) -> None:
    assert not flagged(coach, LATE, body, "ownership")


@pytest.mark.parametrize(
    "body",
    [
        "Losing a whole weekend to a broken boiler is a real headache.",
        "It's completely understandable to be anxious when a letter like that arrives.",
        "Please don't worry, nothing has been taken from your account.",
        "I'm sorry it cost you a morning off work.",
        "Thank you for writing to us at such a difficult time.",
    ],
)
def test_empathy_in_other_shapes(coach: Coach, body: str) -> None:
    assert flagged(coach, LATE, body, "empathy")


def test_a_trailing_dont_worry_is_not_empathy(coach: Coach) -> None:
    assert not flagged(
        coach, LATE, "The update is quick, so don't worry about downtime.", "empathy"
    )


@pytest.mark.parametrize(
    "body",
    [
        "The design team reviews requests like this every month, and I'll write to you with "
        "their answer.",
        "Shared lists are being rolled out now and will reach your account by 12 May.",
    ],
)
def test_feedback_outcome_in_other_shapes(coach: Coach, body: str) -> None:
    assert flagged(coach, IDEA, body, "feedback_outcome")


def test_thanks_alone_is_no_feedback_outcome(coach: Coach) -> None:
    assert not flagged(coach, IDEA, "Thanks for the idea.", "feedback_outcome")


# --- specific_next_step: more shapes of "when" and "what next"; a demand is not a step --------


@pytest.mark.parametrize(
    "body",
    [
        "The credit should be back on your card within 2-4 working days.",
        "Your rebooked appointment is Thursday 14th at 9:30am.",
        "You keep the premium features until 30 June, and you won't be charged again.",
        "The balance will be spread over the next six months, at £12 a month.",
        "The bonus miles will show next time you log in to the app.",
        "The case handler has committed to a decision by Friday at noon.",
    ],
)
def test_next_step_in_other_shapes(coach: Coach, body: str) -> None:
    assert flagged(coach, LATE, body, "specific_next_step")


@pytest.mark.parametrize(
    "body",
    [
        "Please send the signed form within 14 days, otherwise the claim will be closed.",
        "The remaining £80 is due on 1 May.",
    ],
)
def test_a_demand_is_not_a_next_step(coach: Coach, body: str) -> None:
    assert not flagged(coach, LATE, body, "specific_next_step")


def test_due_to_ship_is_a_next_step_not_a_demand(coach: Coach) -> None:
    body = "Your order is due to ship tomorrow, and the tracking link follows by email then."
    assert flagged(coach, LATE, body, "specific_next_step")


# --- template_noise, patronising, generic_closing: the same lines in other words --------------


@pytest.mark.parametrize(
    ("category", "customer", "body"),
    [
        (
            "template_noise",
            LATE,
            "This email was generated automatically by our claims system. Replies to this "
            "mailbox are not read.",
        ),
        (
            "template_noise",
            LATE,
            "This notification was sent from the MyPolicy portal.",
        ),
        ("patronising", LATE, "It's honestly really easy once you find the claims page."),
        ("patronising", LATE, "It is genuinely very simple to upload the photos yourself."),
        ("generic_closing", IDEA, "Anything else we can help you with?"),
        ("generic_closing", IDEA, "We don't have that yet. Anything else I can do for you today?"),
    ],
)
def test_more_formula_lines(coach: Coach, category: str, customer: str, body: str) -> None:
    assert flagged(coach, customer, body, category)


@pytest.mark.parametrize(
    ("category", "body"),
    [
        ("template_noise", "I generated a new claim reference for you: CL-2231."),
        ("patronising", "It's not easy to find, and that's on us; I've sent you the link."),
        ("generic_closing", "Is there anything else on the policy you'd like me to change?"),
    ],
)
def test_formula_near_misses(coach: Coach, category: str, body: str) -> None:
    assert not flagged(coach, LATE, body, category)


# --- ownership: passing a suggestion or praise on is not ownership ----------------------------


@pytest.mark.parametrize(
    "body",
    [
        "I've added Harbour Dental to the early-access list for shared lists.",
        "I've put your vote on the request in our public tracker.",
    ],
)
def test_logging_a_suggestion_is_not_ownership(coach: Coach, body: str) -> None:
    assert not flagged(coach, IDEA, body, "ownership")


def test_making_sure_praise_reaches_someone_is_not_ownership(coach: Coach) -> None:
    customer = "Please thank Dr Lowe, she was so patient with my son."
    body = "Thank you - I'll make sure Dr Lowe hears your kind words."
    assert not flagged(coach, customer, body, "ownership")


@pytest.mark.parametrize(
    "body",
    [
        "I've already made the 30-day change on your account.",
        "I traced the payment this morning, moved it to your account and emailed the bank.",
    ],
)
def test_ownership_with_hyphens_and_lists_of_actions(coach: Coach, body: str) -> None:
    assert flagged(coach, LATE, body, "ownership")


# --- near-misses found while probing the new rules on good replies -----------------------------


@pytest.mark.parametrize(
    ("category", "body"),
    [
        ("boasting", "We've held your account open for 2 years, as you asked."),
        ("blunt_demand", "You must bring photo ID by 9am on the day of your appointment."),
        ("dismissal", "The decision to refund you has been made and the money goes back today."),
        ("trust_appeal", "You can be sure I'll call you at 10am tomorrow."),
        (
            "blame_shifting",
            "The delay is with our own warehouse team, and I've asked them to ship.",
        ),
    ],
)
def test_good_sentences_near_the_new_rules(coach: Coach, category: str, body: str) -> None:
    assert not flagged(coach, LATE, body, category)


@pytest.mark.parametrize(
    "apology",
    ["Sorry about that - a soaked book is no way to get a present.", "Sorry for all of this."],
)
def test_a_specific_apology_acknowledges_the_feeling(coach: Coach, apology: str) -> None:
    customer = "My parcel was left out in the rain and the book inside is ruined."
    body = f"{apology} I've sent a replacement today, so it arrives tomorrow."
    assert not flagged(coach, customer, body, "missing_empathy")


def test_a_stock_apology_still_does_not(coach: Coach) -> None:
    customer = "My parcel was left out in the rain and the book inside is ruined."
    body = "We apologise for any inconvenience. A replacement has been sent today."
    assert flagged(coach, customer, body, "missing_empathy")


# --- found on a second probe of my own drafts (8 bad replies, 4 caught before these rules) ----


@pytest.mark.parametrize(
    "body",
    [
        "How quickly it moves is entirely up to the other bank.",
        "Any problem on arrival is a matter for the venue, which runs its own ticketing.",
        "When the refund lands is in the hands of your card issuer.",
    ],
)
def test_the_outcome_placed_in_another_partys_hands(coach: Coach, body: str) -> None:
    assert flagged(coach, LATE, body, "blame_shifting")


@pytest.mark.parametrize(
    "body",
    [
        "Whether you keep the old router is entirely up to you.",
        "I've spoken to the venue myself and they have reissued your tickets.",
    ],
)
def test_choice_left_to_the_customer_is_not_blame(coach: Coach, body: str) -> None:
    assert not flagged(coach, LATE, body, "blame_shifting")


@pytest.mark.parametrize(
    "body",
    [
        "You can add each person one at a time from the Members screen by pressing Invite.",
        "Lists can already be shared by sending a screenshot to your partner.",
    ],
)
def test_more_workaround_places_and_verbs(coach: Coach, body: str) -> None:
    assert flagged(coach, IDEA, body, "unsolicited_workaround")


# --- found on a third probe of my own drafts (12 bad, 7 caught; 8 good, 1 false alarm) --------


@pytest.mark.parametrize(
    "body",
    [
        "Installation slots are handled on the fitter's side, so I can't see them.",
        "Applications are screened by our lender's credit system, and we are not told the reason.",
    ],
)
def test_the_other_side_holds_it(coach: Coach, body: str) -> None:
    assert flagged(coach, LATE, body, "blame_shifting")


def test_our_side_is_not_blame(coach: Coach) -> None:
    body = "The fault was on our side, and I've fixed it this morning."
    assert not flagged(coach, LATE, body, "blame_shifting")


@pytest.mark.parametrize(
    "body",
    [
        "The fee needs to be paid before your next class, or your booking will be released.",
        "Any scratches found at collection will be charged to your deposit.",
    ],
)
def test_penalties_after_an_obligation(coach: Coach, body: str) -> None:
    assert flagged(coach, BILL, body, "blunt_demand")


def test_an_or_without_an_obligation_is_no_penalty(coach: Coach) -> None:
    body = "You can collect it from the branch, or it will be delivered on Monday."
    assert not flagged(coach, BILL, body, "blunt_demand")


@pytest.mark.parametrize(
    "body",
    [
        "Shared lists are available as a printable page on our website under Tools.",
        "A family view is also available in the Household section of the app.",
    ],
)
def test_pointing_to_what_is_available_after_a_proposal(coach: Coach, body: str) -> None:
    assert flagged(coach, IDEA, body, "unsolicited_workaround")


def test_a_document_cited_after_a_complaint_is_not_a_workaround(coach: Coach) -> None:
    body = "The fee is listed in our price guide, which is available on our website."
    assert not flagged(coach, BILL, body, "unsolicited_workaround")


@pytest.mark.parametrize(
    "body",
    [
        "I've added a second check to your account so that it won't happen again this year.",
        "We have changed the rota so this can't happen again before the holidays.",
    ],
)
def test_a_stated_safeguard_is_not_a_trust_appeal(coach: Coach, body: str) -> None:
    assert not flagged(coach, LATE, body, "trust_appeal")


def test_a_bare_promise_is_still_a_trust_appeal(coach: Coach) -> None:
    assert flagged(coach, LATE, "I promise you this won't happen again.", "trust_appeal")


# --- found on a fourth probe (10 bad, 4 caught before these rules; 8 good, no false alarm) ----


@pytest.mark.parametrize(
    ("customer", "body"),
    [
        (LATE, "The wait now rests with the valuation firm."),
        (LATE, "Your employer sent the forms too late, so the claim slipped a month."),
        (FAULTY, "You'd need to chase the seller about a cracked screen."),
    ],
)
def test_more_blame_frames(coach: Coach, customer: str, body: str) -> None:
    assert flagged(coach, customer, body, "blame_shifting")


def test_the_next_step_resting_with_us_is_not_blame(coach: Coach) -> None:
    body = "I've sent the forms to the assessor today and will chase them on Friday myself."
    assert not flagged(coach, LATE, body, "blame_shifting")


@pytest.mark.parametrize(
    ("category", "body"),
    [
        ("self_undermining", "The portal has a tendency to freeze on older phones."),
        ("trust_appeal", "We have always treated your privacy very seriously."),
        ("trust_appeal", "Sleep easy: your savings are safe."),
    ],
)
def test_more_appeal_and_undermining_shapes(coach: Coach, category: str, body: str) -> None:
    assert flagged(coach, LATE, body, category)


@pytest.mark.parametrize(
    "customer",
    [
        "It would really help if the surgery sent reminders the day before.",
        "It would make life a lot easier if I could pay by bank transfer.",
    ],
)
def test_it_would_help_if_is_a_suggestion(coach: Coach, customer: str) -> None:
    body = "Appointments can be viewed online through your patient account."
    assert flagged(coach, customer, body, "unsolicited_workaround")
