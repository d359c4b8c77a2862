"""The coach catches an irritant by the kind of sentence, not by the exact words it was built on.

Every rule widened in the generalisation pass has, here, two paraphrases written for this test
(not taken from any labelled set) that it must catch, and one near-miss it must leave alone.
"""

from __future__ import annotations

import pytest

from goodwill.coach import Coach, Draft, Verdict


@pytest.fixture(scope="module")
def coach() -> Coach:
    return Coach()


def review(coach: Coach, customer: str, body: str) -> Verdict:
    return coach.review(Draft(customer, f"Hi Maya,\n\n{body}\n\nBest wishes,\nOwen"))


def flagged(coach: Coach, customer: str, body: str, category: str) -> bool:
    return any(f.category == category for f in review(coach, customer, body).findings)


COMPLAINT = "I was charged a £40 fee on my account and nobody told me why. Please explain."
FAULTY = "The parcel I ordered arrived with a cracked screen. What are you going to do about it?"
IDEA = "Could you add a way to pause my card while I'm travelling? Other banks offer this."


@pytest.mark.parametrize(
    ("customer", "body"),
    [
        # a rule text as the subject that decides
        (COMPLAINT, "Our conditions of use specify that the fee is charged every quarter."),
        (COMPLAINT, "The account terms say that a fee applies when the balance drops below £500."),
        # another party is responsible, or the one we must wait for
        (FAULTY, "The courier company is responsible for anything damaged on the way to you."),
        (
            FAULTY,
            "We will have to wait for the manufacturer to inspect it before anything happens.",
        ),
        (FAULTY, "Deliveries are handled by an external logistics partner."),
        # the system decided and nobody can change it
        (COMPLAINT, "Fees are calculated each month by our automated billing system."),
        (COMPLAINT, "Our advisers are unable to override the fee once it has been applied."),
        # a product fact excused by where it was written down
        (FAULTY, "Screens are not covered in transit, as detailed in the product description."),
        # the customer's own input as the cause
        (FAULTY, "It was sent to the wrong flat because the address you entered was incomplete."),
    ],
)
def test_blame_shifting_by_its_shape(coach: Coach, customer: str, body: str) -> None:
    assert flagged(coach, customer, body, "blame_shifting")


@pytest.mark.parametrize(
    "body",
    [
        "The fee was added by our billing system in error, and that's our mistake; I've refunded "
        "it.",
        "The fee appeared because your card had expired; I've updated the record and refunded it.",
    ],
)
def test_owning_the_cause_is_not_blame_shifting(coach: Coach, body: str) -> None:
    assert not flagged(coach, COMPLAINT, body, "blame_shifting")


@pytest.mark.parametrize(
    "body",
    [
        "As you will already know, statements are posted on the first of each month.",
        "The fee is obviously shown on your statement.",
        "Please refer to our help guide for how fees work.",
        "The letter we sent in May was perfectly clear about the new fee.",
        "As set out in our terms, the fee applies to all current accounts.",
    ],
)
def test_patronising_by_its_shape(coach: Coach, body: str) -> None:
    assert flagged(coach, COMPLAINT, body, "patronising")


def test_citing_terms_mid_sentence_is_blame_not_patronising(coach: Coach) -> None:
    body = "Quarterly fees apply to this account, as set out in the account conditions."
    assert flagged(coach, COMPLAINT, body, "blame_shifting")
    assert not flagged(coach, COMPLAINT, body, "patronising")


@pytest.mark.parametrize(
    ("customer", "body"),
    [
        (FAULTY, "Our delivery partners' vans are sadly rather unreliable in winter."),
        (FAULTY, "Parcels tend to get lost around Christmas."),
        (FAULTY, "Damage in transit is sadly quite common with larger screens."),
        (FAULTY, "Breakages like this are not unusual during the sales."),
        (COMPLAINT, "Staff shortages have meant the billing team is behind."),
        (COMPLAINT, "Account mix-ups have been a real problem for us this spring."),
    ],
)
def test_self_undermining_by_its_shape(coach: Coach, customer: str, body: str) -> None:
    assert flagged(coach, customer, body, "self_undermining")


@pytest.mark.parametrize(
    "body",
    [
        "It's normal for a new payee to show as pending overnight; the money left on Monday.",
        "A cracked screen is not common with this model, and I'm sorry; I've sent a replacement.",
    ],
)
def test_normal_facts_are_not_self_undermining(coach: Coach, body: str) -> None:
    assert not flagged(coach, FAULTY, body, "self_undermining")


@pytest.mark.parametrize(
    "first_line",
    [
        "[Automatic reply] Thanks, we've received your email and will reply within 2 working days.",
        "We have received your enquiry and aim to respond within 48 hours.",
        "Ref: CX-40981",
        "Please quote reference AB-1234 in all future correspondence.",
    ],
)
def test_helpdesk_lines_are_template_noise(coach: Coach, first_line: str) -> None:
    reply = f"{first_line}\n\nHi Maya,\n\nI've refunded the £40 fee today.\n\nBest wishes,\nOwen"
    verdict = coach.review(Draft(COMPLAINT, reply))
    assert any(f.category == "template_noise" for f in verdict.findings)
    steps = [f for f in verdict.findings if f.category == "specific_next_step"]
    assert not any(first_line in (f.text or "") for f in steps)


def test_receiving_documents_is_not_template_noise(coach: Coach) -> None:
    body = "I've received your photos and approved the replacement; it ships tomorrow."
    assert not flagged(coach, FAULTY, body, "template_noise")


@pytest.mark.parametrize(
    "body",
    [
        "Our card is the top-rated travel card in the UK, with over 2 million downloads.",
        "We run one of the largest and most modern fleets in Europe.",
    ],
)
def test_boasting_by_its_shape(coach: Coach, body: str) -> None:
    assert flagged(coach, IDEA, body, "boasting")


def test_an_ordinary_superlative_is_not_boasting(coach: Coach) -> None:
    body = "Your request is one of the first in the queue, and I'll email you by Friday."
    assert not flagged(coach, IDEA, body, "boasting")


@pytest.mark.parametrize(
    "body",
    [
        "We can guarantee this will be sorted.",
        "Your account is in safe hands with our specialist team.",
    ],
)
def test_trust_appeal_by_its_shape(coach: Coach, body: str) -> None:
    assert flagged(coach, COMPLAINT, body, "trust_appeal")


def test_a_checkable_promise_is_not_a_trust_appeal(coach: Coach) -> None:
    body = "I promise I'll call you on Thursday before noon with the answer."
    assert not flagged(coach, COMPLAINT, body, "trust_appeal")


@pytest.mark.parametrize(
    ("customer", "body"),
    [
        (COMPLAINT, "The fee cannot be waived."),
        (IDEA, "Card controls are only available on premium accounts."),
        (COMPLAINT, "This fee applies to all customers."),
    ],
)
def test_dismissal_by_its_shape(coach: Coach, customer: str, body: str) -> None:
    assert flagged(coach, customer, body, "dismissal")


def test_a_refusal_with_an_alternative_is_not_dismissal(coach: Coach) -> None:
    body = "The fee cannot be waived, but I can spread it over your next three statements."
    assert not flagged(coach, COMPLAINT, body, "dismissal")


@pytest.mark.parametrize(
    "body",
    [
        "You can block the card temporarily at any time from the app.",
        "A simple way around it is to set a spending limit of zero.",
    ],
)
def test_unsolicited_workaround_by_its_shape(coach: Coach, body: str) -> None:
    assert flagged(coach, IDEA, body, "unsolicited_workaround")


def test_instructions_answering_a_question_are_not_a_workaround(coach: Coach) -> None:
    customer = "Can I stop my card working for a few weeks while I'm abroad?"
    body = "Yes: you can block the card temporarily at any time from the app."
    assert not flagged(coach, customer, body, "unsolicited_workaround")


@pytest.mark.parametrize(
    "body",
    [
        "Thank you for taking the time to let us know.",
        "We apologise for any confusion this has caused.",
        "It's always great to hear ideas from our customers.",
    ],
)
def test_hollow_acknowledgement_by_its_shape(coach: Coach, body: str) -> None:
    assert flagged(coach, IDEA, body, "hollow_acknowledgement")


def test_thanks_in_the_sentence_that_reports_the_change_is_not_hollow(coach: Coach) -> None:
    customer = "The menu in your café doesn't say which dishes contain nuts. That's dangerous."
    body = "I've passed your note to the kitchen team, and we're changing the labels this week."
    assert not flagged(coach, customer, body, "hollow_acknowledgement")


@pytest.mark.parametrize(
    "body",
    [
        "Your documents must be posted to our Leeds office before the claim can be reviewed.",
        "We require copies of both passports before the account can be opened.",
    ],
)
def test_blunt_demand_by_its_shape(coach: Coach, body: str) -> None:
    assert flagged(coach, "Where is my claim? I sent everything weeks ago.", body, "blunt_demand")


def test_amounts_with_several_digits_count_as_money(coach: Coach) -> None:
    body = "The remaining balance of £1,250 must be paid in full before the account can close."
    assert flagged(coach, "How do I close my account?", body, "blunt_demand")


@pytest.mark.parametrize(
    "customer",
    [
        "I sent the form a month ago and heard nothing. I'm starting to worry it got lost.",
        "Our tills have been offline since Monday. We are losing sales every hour. This can't go "
        "on.",
        "My mum has had no heating for four days and she's getting very weak. Please can someone "
        "help.",
    ],
)
def test_strong_feelings_in_plain_words_need_acknowledging(coach: Coach, customer: str) -> None:
    body = "An engineer will visit on Thursday between 8am and noon."
    assert flagged(coach, customer, body, "missing_empathy")


def test_mild_worry_does_not_need_a_feelings_sentence(coach: Coach) -> None:
    customer = "I'm a bit worried my form got lost. Could you check it arrived?"
    body = "Your form arrived on Monday and I've processed it today."
    assert not flagged(coach, customer, body, "missing_empathy")


@pytest.mark.parametrize(
    "body",
    [
        "A letter like that would alarm anyone. Nothing has been taken from your account.",
        "Four hours on the phone must have been exhausting. I've sorted the refund myself.",
    ],
)
def test_empathy_in_other_words(coach: Coach, body: str) -> None:
    customer = "I'm terrified, I got a letter saying my account is frozen! Please help."
    verdict = review(coach, customer, body)
    assert any(f.category == "empathy" for f in verdict.findings)
    assert not any(f.category == "missing_empathy" for f in verdict.findings)


@pytest.mark.parametrize("signature", ["Practice Manager", "Outpatient Secretaries"])
def test_a_role_is_not_a_person(coach: Coach, signature: str) -> None:
    reply = (
        f"Hi Maya,\n\nI've moved your appointment to 3pm on Friday.\n\nKind regards,\n{signature}"
    )
    verdict = coach.review(Draft("Can I move my appointment?", reply))
    assert any(f.category == "impersonal" for f in verdict.findings)


def test_a_first_name_is_a_person(coach: Coach) -> None:
    reply = "Hi Maya,\n\nI've moved your appointment to 3pm on Friday.\n\nKind regards,\nPriya"
    verdict = coach.review(Draft("Can I move my appointment?", reply))
    assert not any(f.category == "impersonal" for f in verdict.findings)


@pytest.mark.parametrize(
    ("category", "customer", "body"),
    [
        ("hollow_acknowledgement", FAULTY, "Our apologies for any trouble this has caused."),
        ("hollow_acknowledgement", FAULTY, "Sincere apologies for any disappointment."),
        ("dismissal", COMPLAINT, "The charge remains unchanged."),
        ("dismissal", COMPLAINT, "Our decision is final."),
        (
            "unsolicited_workaround",
            IDEA,
            "You can instead freeze spending on the card on the website.",
        ),
        ("patronising", FAULTY, "Please make sure your charger is plugged in properly."),
    ],
)
def test_more_shapes(coach: Coach, category: str, customer: str, body: str) -> None:
    assert flagged(coach, customer, body, category)


def test_a_specific_apology_is_not_hollow(coach: Coach) -> None:
    body = "I'm sorry the screen arrived cracked; a replacement ships today and arrives Friday."
    assert not flagged(coach, FAULTY, body, "hollow_acknowledgement")


def test_a_business_losing_clients_is_upset(coach: Coach) -> None:
    customer = "The booking page has been down since Monday and we are losing clients. Sort it out!"
    verdict = review(coach, customer, "The booking page is hosted by an external provider.")
    names = {f.category for f in verdict.findings}
    assert {"missing_empathy", "missing_next_step"} <= names


@pytest.mark.parametrize(
    ("category", "customer", "body"),
    [
        ("dismissal", COMPLAINT, "I'm certain it was just a mix-up on the phone."),
        ("dismissal", COMPLAINT, "Fees are not refunded for earlier months."),
        ("hollow_acknowledgement", IDEA, "We will definitely bear that in mind."),
        ("unsolicited_workaround", IDEA, "Spending limits are already available in the app."),
        ("patronising", COMPLAINT, "Please go through the fee table carefully."),
        ("patronising", COMPLAINT, "Setting up a reminder will help to avoid this in future."),
        ("blame_shifting", COMPLAINT, "The fee is applied automatically at month end."),
    ],
)
def test_shapes_found_on_new_wording(coach: Coach, category: str, customer: str, body: str) -> None:
    assert flagged(coach, customer, body, category)


@pytest.mark.parametrize(
    ("category", "body"),
    [
        ("patronising", "I'll call you tomorrow at 10am to go through the fee properly."),
        ("hollow_acknowledgement", "What a good idea, and good news: it's in the app since May."),
    ],
)
def test_near_misses_on_new_wording(coach: Coach, category: str, body: str) -> None:
    assert not flagged(coach, IDEA, body, category)


def test_sending_what_was_asked_for_is_an_action(coach: Coach) -> None:
    customer = "I've lost my policy schedule. Could you send me a copy?"
    body = "Of course: I've attached a fresh copy of your schedule to this email."
    assert not flagged(coach, customer, body, "missing_next_step")


def test_sending_a_leaflet_does_not_settle_a_complaint(coach: Coach) -> None:
    body = "I've attached our leaflet about how fees work."
    assert flagged(coach, COMPLAINT, body, "missing_next_step")


def test_a_fault_fixed_now_is_an_action(coach: Coach) -> None:
    customer = "My card keeps getting declined online. Please fix it."
    body = "There was a block on online payments; the card works normally now."
    assert not flagged(coach, customer, body, "missing_next_step")
