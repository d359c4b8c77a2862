"""Sixth to eighth generalisation passes (2026-12-04, from the kinds of error `holdout_blind6`,
`holdout_blind7` and `holdout_blind8` showed).

As in the second pass: each changed rule has paraphrases written for this test (not taken from
any labelled set) that it must catch, and near-misses it must leave alone.
"""

from __future__ import annotations

import pytest

from goodwill.coach import Coach
from goodwill.coach.reading import InterimReader
from goodwill.coach.text import find_signature, is_human_name
from tests.unit.coach.drafts import flagged, review

LATE = "My order has been stuck for three weeks and I'm fed up. What is going on?"
BILL = "Why have I been charged £60 this month? It is normally £45."
PLAIN = "Can you tell me when my next delivery is due?"


@pytest.mark.parametrize(
    "name", ["Fiona McLeod", "Ross MacDonald", "DeShawn Carter", "Aoife FitzGerald"]
)
def test_gaelic_and_prefixed_surnames_are_people(name: str) -> None:
    assert is_human_name(name)


@pytest.mark.parametrize("name", ["SkyBridge Support", "FleetSight", "MacBook Care"])
def test_camel_case_brands_are_not_people(name: str) -> None:
    assert not is_human_name(name)


def test_a_mcname_signs_a_reply_in_person() -> None:
    reply = "Hi Maya,\n\nAll sorted.\n\nWarm regards,\nIain McAllister\nGeneral Manager, Loch Hotel"
    signature = find_signature(reply)
    assert signature is not None
    assert signature.human_name == "Iain McAllister"


@pytest.mark.parametrize(
    "body",
    [
        "Our registered office is at 1 Quay Street. Company No. 04812219.",
        "Please remember that the value of your investments can fall as well as rise.",
        "Water charges are levied under the Water Industry Act 1991.",
    ],
)
def test_corporate_numbers_risk_warnings_and_statutes_are_boilerplate(
    coach: Coach, body: str
) -> None:
    assert flagged(coach, PLAIN, body + " Your delivery comes on Friday.", "irrelevant_boilerplate")


def test_a_registration_number_in_the_customers_matter_is_not_boilerplate(coach: Coach) -> None:
    body = (
        "I've checked your application: the form was missing your vehicle registration number, "
        "so I've added it from your logbook and resubmitted it today."
    )
    assert not flagged(coach, PLAIN, body, "irrelevant_boilerplate")


@pytest.mark.parametrize(
    "body",
    [
        "Any unpaid balance will result in a county court claim against you.",
        "If the arrears remain, this may lead to enforcement action and further costs.",
    ],
)
def test_a_legal_threat_is_a_blunt_demand(coach: Coach, body: str) -> None:
    assert flagged(coach, BILL, body, "blunt_demand")


def test_nothing_to_pay_is_not_a_demand(coach: Coach) -> None:
    body = (
        "I've paused the direct debit so nothing needs to be paid until the meter is checked, "
        "and I'll call you on Tuesday with the result."
    )
    assert not flagged(coach, BILL, body, "blunt_demand")


def test_a_refusal_with_its_reason_and_another_way_is_not_a_dismissal(coach: Coach) -> None:
    body = (
        "The courier charges us per address, not per parcel. That is why I can't split the "
        "shipping cost for you. There is another way, though: if both orders go to one address, "
        "I'll refund the second delivery charge today."
    )
    assert not flagged(coach, BILL, body, "dismissal")


@pytest.mark.parametrize(
    "body",
    [
        "That isn't something our booking platform supports.",
        "We don't take special orders for individual customers.",
    ],
)
def test_a_bare_refusal_of_a_request_is_a_dismissal(coach: Coach, body: str) -> None:
    idea = "Could you let me book two classes at once? It would save a lot of time."
    assert flagged(coach, idea, body, "dismissal")


@pytest.mark.parametrize(
    "body",
    [
        "Honestly, punctuality has never really been our strong point.",
        "Our booking system is quite old, so changes take a while to show.",
    ],
)
def test_a_weakness_owned_as_a_trait_undermines(coach: Coach, body: str) -> None:
    assert flagged(coach, LATE, body, "self_undermining")


def test_a_failure_owned_and_acted_on_does_not_undermine(coach: Coach) -> None:
    body = (
        "That was a mistake on our part, and I've paused new orders until the backlog is cleared. "
        "Yours ships tomorrow and I'll send the tracking number by noon."
    )
    assert not flagged(coach, LATE, body, "self_undermining")


@pytest.mark.parametrize(
    "body",
    [
        "Your parcel was held in line with courier policy.",
        "The parcel was returned, as required under the depot's collection rules.",
        "The delay was caused by the late signing of your delivery form.",
        "The booking was made through an agent, so you will need to claim the refund from them "
        "directly.",
    ],
)
def test_rules_and_other_parties_cited_as_the_cause_shift_blame(coach: Coach, body: str) -> None:
    assert flagged(coach, LATE, body, "blame_shifting")


@pytest.mark.parametrize(
    "body",
    [
        "You're right to be disappointed: three weeks is far longer than we promised.",
        "I don't blame you for being fed up after three weeks of waiting.",
    ],
)
def test_granting_the_feeling_is_empathy(coach: Coach, body: str) -> None:
    verdict = review(coach, LATE, body + " I've sent a replacement today by tracked courier.")
    categories = {f.category for f in verdict.findings}
    assert "empathy" in categories
    assert "missing_empathy" not in categories


def test_reassurance_at_the_start_answers_panic_but_an_assurance_does_not(coach: Coach) -> None:
    panic = "I deleted the email with my tickets and I'm panicking! How do I get them back?"
    calm = "No need to panic, your tickets are safe in your account: open My Tickets in the app."
    assert not flagged(coach, panic, calm, "missing_empathy")
    angry = "This is outrageous. Three weeks and still no refund. I am furious!"
    assurance = "We can assure you that your refund will be paid and there is no need to worry."
    assert flagged(coach, angry, assurance, "missing_empathy")


def test_forgetting_how_is_not_feeling_forgotten(coach: Coach) -> None:
    howto = "How do I set the timer on my heating again? The engineer showed me but I've forgotten."
    body = "Press Menu, then Timer, and set the start to 06:00."
    assert not flagged(coach, howto, body, "missing_empathy")
    neglected = "I booked assistance and nobody came. I felt completely forgotten."
    assert flagged(coach, neglected, "Assistance is provided by the airport.", "missing_empathy")


# --- seventh pass -------------------------------------------------------------------------------

UNRESOLVED = "My repair has been waiting two weeks. When will the part arrive?"


@pytest.mark.parametrize(
    "closing",
    [
        "We're only ever a phone call away.",
        "Let us know if we can help with anything else!",
        "Thanks for being a Harbour customer.",
    ],
)
def test_generic_closings_in_other_words(coach: Coach, closing: str) -> None:
    body = f"Parts come from the manufacturer in batches. {closing}"
    assert flagged(coach, UNRESOLVED, body, "generic_closing")


def test_a_closing_line_after_a_resolved_matter_is_neutral(coach: Coach) -> None:
    body = (
        "I've ordered the part by express and booked your repair for Thursday at 10am. "
        "We're only ever a phone call away."
    )
    assert not flagged(coach, UNRESOLVED, body, "generic_closing")


@pytest.mark.parametrize(
    "body",
    [
        "I want to reassure you that your deposit is completely safe.",
        "We handle every complaint with the utmost seriousness.",
        "You can be confident that all our fitters are fully qualified.",
    ],
)
def test_trust_appeals_in_other_words(coach: Coach, body: str) -> None:
    assert flagged(coach, LATE, body, "trust_appeal")


def test_an_award_named_unasked_is_boasting(coach: Coach) -> None:
    body = "We were shortlisted at the Regional Garden Centre Awards this year."
    assert flagged(coach, LATE, body, "boasting")


def test_a_purpose_statement_is_boilerplate_but_a_membership_asked_about_is_not(
    coach: Coach,
) -> None:
    body = "Island Ferries' purpose is to keep island life moving. The 9:10 sails as normal."
    assert flagged(coach, PLAIN, body, "irrelevant_boilerplate")
    asked = "Are you members of a trade association? I want to know who I could complain to."
    answer = "Yes, we are a member of the Guild of Removers, and its code of practice applies."
    assert not flagged(coach, asked, answer, "irrelevant_boilerplate")


def test_no_intention_to_review_is_a_dismissal(coach: Coach) -> None:
    assert flagged(coach, BILL, "We have no intention of reviewing this charge.", "dismissal")


def test_a_refusal_with_reasons_then_good_news_is_not_a_dismissal(coach: Coach) -> None:
    idea = "Could I keep a dog at my flat? There's a garden at the back."
    body = (
        "I'm afraid dogs aren't allowed in the Elm Court flats. The building's lease forbids "
        "pets. It isn't something the management team can change. The good news is that our "
        "Birch Lane homes accept pets, and I've added you to their waiting list today."
    )
    assert not flagged(coach, idea, body, "dismissal")


@pytest.mark.parametrize(
    "body",
    [
        "Breakages like this nearly always come down to how the parcel was unpacked.",
        "Our packaging supplier let us down this month, which delayed many orders.",
    ],
)
def test_causes_placed_elsewhere_shift_blame(coach: Coach, body: str) -> None:
    assert flagged(coach, LATE, body, "blame_shifting")


def test_the_other_end_of_a_journey_is_no_blame(coach: Coach) -> None:
    body = "Your piano travels upright, strapped to the van wall, and comes off first at the end."
    assert not flagged(coach, PLAIN, body, "blame_shifting")
    body = "It travels strapped to the van wall and comes off first at the other end."
    assert not flagged(coach, PLAIN, body, "blame_shifting")


def test_simply_about_things_is_not_patronising_but_simply_about_them_is(coach: Coach) -> None:
    howto = "How do I change my delivery address?"
    assert not flagged(coach, howto, "The labels are simply reprinted overnight.", "patronising")
    tall = "The van is 3.5 m tall, so it simply won't fit."
    assert not flagged(coach, howto, tall, "patronising")
    assert flagged(coach, howto, "Simply tap Settings and change it.", "patronising")


def test_a_fix_offered_when_troubleshooting_fails_is_a_next_step(coach: Coach) -> None:
    fault = "My meter display has gone blank and I'm worried it's not recording."
    body = (
        "Sorry: that's worrying. Hold the red button for five seconds to wake it. If the display "
        "panel still doesn't come on, send me a photo here and I'll book an engineer."
    )
    categories = {f.category for f in review(coach, fault, body).findings}
    assert "missing_next_step" not in categories
    assert "missing_empathy" not in categories


def test_a_thing_of_ours_unreliable_in_general_undermines(coach: Coach) -> None:
    body = "Our delivery estimates aren't always the most accurate, to be fair."
    assert flagged(coach, LATE, body, "self_undermining")


# --- eighth pass --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "My daughter is desperate to try climbing. Can she come to the Saturday kids' session?",
        "Just moved in!! What do I do with the old meter readings card?",
    ],
)
def test_eagerness_and_how_to_questions_are_not_distress(message: str) -> None:
    reading = InterimReader().read(message)
    assert reading.emotion != "fear"


def test_new_documents_made_for_the_customer_are_an_action(coach: Coach) -> None:
    request = "Can you send new receipts with my company name on them, please?"
    body = "Of course. I've made new receipts for all four visits with Harlow Ltd on them."
    assert not flagged(coach, request, body, "missing_next_step")


def test_the_soonest_possible_date_is_an_alternative_not_a_dismissal(coach: Coach) -> None:
    rush = "Can you deliver the printed menus by Friday? We open on Saturday."
    body = (
        "Friday isn't possible, I'm afraid: the embossing plate takes three days to make, so "
        "the earliest we could deliver is Monday morning, and I've booked that slot for you."
    )
    assert not flagged(coach, rush, body, "dismissal")


@pytest.mark.parametrize(
    "body",
    [
        "We aren't able to offer refunds once a course has started.",
        "A waiting list isn't really something we'd take on.",
    ],
)
def test_bare_refusals_in_other_words_are_dismissals(coach: Coach, body: str) -> None:
    ask = "Could you refund my last two lessons? I can't make them after all."
    assert flagged(coach, ask, body, "dismissal")


def test_not_always_able_is_not_a_refusal(coach: Coach) -> None:
    body = "We are not always able to answer the phone during clinics, so email is quicker."
    assert not flagged(coach, PLAIN, body, "dismissal")


@pytest.mark.parametrize(
    "body",
    [
        "Refunds go through our head office, so it's really down to them now.",
        "The warehouse sent the wrong colour again; this is their mistake, not ours.",
        "Prices are set by the trust each year and are not something the office team has any say "
        "over.",
        "Your artwork wasn't prepared to our print specifications, so the colours shifted.",
        "The upgrade was processed by our billing system overnight, so the old price was taken.",
    ],
)
def test_the_cause_placed_elsewhere_in_other_words(coach: Coach, body: str) -> None:
    assert flagged(coach, LATE, body, "blame_shifting")


def test_naming_who_does_it_answers_a_who_question(coach: Coach) -> None:
    who = "Who actually runs the car park next to your shop?"
    body = "The car park is run by Parkwise, not by us; their number is on the entry sign."
    assert not flagged(coach, who, body, "blame_shifting")


def test_a_law_is_an_answer_to_a_legality_question_not_to_an_accusation(coach: Coach) -> None:
    legal = "Is it legal for me to keep bees on my allotment?"
    statute = "Beekeeping on allotments is permitted under the Allotments Act 1950."
    assert not flagged(coach, legal, statute, "irrelevant_boilerplate")
    accused = "You keep texting me after I opted out. Is this even legal?"
    number = "We are registered with the Information Commissioner's Office, number ZA123456."
    assert flagged(coach, accused, number, "irrelevant_boilerplate")


@pytest.mark.parametrize(
    "body",
    [
        "Late changes are part and parcel of working with freelance tutors.",
        "Between us, our filing system is a bit of a shambles.",
    ],
)
def test_failures_normalised_in_other_words_undermine(coach: Coach, body: str) -> None:
    assert flagged(coach, LATE, body, "self_undermining")


def test_normal_said_of_a_non_problem_does_not_undermine(coach: Coach) -> None:
    body = (
        "A small scuff is normal on a refurbished unit, but if the screen is faulty we'll swap it."
    )
    assert not flagged(coach, PLAIN, body, "self_undermining")


def test_one_sentence_that_blames_is_not_also_self_undermining(coach: Coach) -> None:
    body = "Our couriers are swamped this month and the delay is down to the courier, not us."
    categories = {f.category for f in review(coach, LATE, body).findings}
    assert "blame_shifting" in categories
    assert "self_undermining" not in categories


def test_an_act_reported_with_thanks_is_not_hollow(coach: Coach) -> None:
    body = (
        "I've logged your email as a formal complaint (ref C-2291) and asked our senior "
        "manager to review the decision by Friday."
    )
    assert not flagged(coach, LATE, body, "hollow_acknowledgement")


@pytest.mark.parametrize(
    "body",
    [
        "As your adviser would have explained, the times we give are estimates.",
        "You may not realise that the app logs you out after ten minutes.",
    ],
)
def test_knowledge_presumed_is_patronising(coach: Coach, body: str) -> None:
    assert flagged(coach, LATE, body, "patronising")


@pytest.mark.parametrize(
    "line",
    [
        "^^ Please write above these arrows so your reply reaches the ticket ^^",
        "This email was sent from a no-reply address.",
    ],
)
def test_ticket_machinery_in_other_words_is_template_noise(coach: Coach, line: str) -> None:
    assert flagged(coach, PLAIN, f"{line}\n\nYour delivery comes on Friday.", "template_noise")
