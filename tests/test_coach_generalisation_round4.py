"""Fourth generalisation pass (2026-12-04, from the kinds of error `holdout_blind4` showed).

Each new shape is described by the function of the sentence (who is the agent of the failure,
who disowns what, what the customer is presumed not to know), so the cases below are written for
this test in other trades and other words than any labelled set: paraphrases the coach must catch
and near-misses it must leave alone. Replies are whole drafts (greeting, body, sign-off).
"""

from __future__ import annotations

import pytest

from goodwill.coach import Coach, Draft, Verdict
from goodwill.coach.reading import InterimReader


@pytest.fixture(scope="module")
def coach() -> Coach:
    return Coach(reader=InterimReader())


def review(coach: Coach, customer: str, body: str, sign: str = "Kind regards,\nPriya") -> Verdict:
    return coach.review(Draft(customer, f"Hi Tomasz,\n\n{body}\n\n{sign}"))


def found(coach: Coach, customer: str, body: str) -> set[str]:
    return {f.category for f in review(coach, customer, body).findings}


BOILER = "My boiler has been broken for nine days and nobody has come to fix it. I'm furious."
WASHER = "The washing machine you installed on Monday leaks every time it spins. What now?"
TICKET = "I was fined £60 on the tram even though I had bought an e-ticket on my phone."
GAME = "My account got banned overnight and I've lost two years of progress. Why?"
STUDIO = "My photo prints came back with the wrong colours and the order was late too."
VOLUNTEER = "I applied to volunteer at the food bank a month ago and never heard back."
LIFT = "The lift in our block has been out again since Friday; my dad can't manage the stairs."
INVOICE = "Why was I charged for a second visit when the plumber left after ten minutes?"
PARKING = "I got a parking ticket outside my own house. There were no signs at all."
LOAN = "Can you explain what the arrangement fee on my car loan actually is?"


# --- blame_shifting: who is the agent of the failure ------------------------------------------


@pytest.mark.parametrize(
    ("customer", "body"),
    [
        # another party has to act first (a modal passive with the party as agent)
        (BOILER, "Any part over £400 must be authorised by the landlord before we can order it."),
        # waiting on someone else
        (BOILER, "We're still waiting on the manufacturer to send us the replacement valve."),
        # nobody here could have acted
        (
            WASHER,
            "The installer only told us about the fault on Thursday, so there was nothing "
            "the customer team could have done sooner.",
        ),
        (
            GAME,
            "Bans are applied by the security review, and this is not something our support "
            "staff can overturn.",
        ),
        # a machine as the one that decided against the customer
        (GAME, "Our detection software automatically suspends accounts that trade too fast."),
        # the customer's act named as a breach
        (GAME, "Sharing a login with a friend is a clear breach of the player agreement."),
        # the customer's input, in the passive, as the cause
        (
            TICKET,
            "Fines like this usually happen because the ticket was activated too late or "
            "the journey was selected wrongly.",
        ),
        (
            STUDIO,
            "The colours differ because the files were uploaded in the wrong colour space "
            "and the order form was completed incorrectly.",
        ),
        # responsibility named as the customer's anywhere in the sentence
        (WASHER, "The inlet hose was fitted by you afterwards, which is your responsibility."),
        # a failure with an outside cause
        (STUDIO, "Your order was delayed because of a backlog at the courier's sorting hub."),
        # a document the customer signed, as the subject that decides
        (INVOICE, "The booking form you accepted states that every call-out is charged in full."),
        # another party's omission told as the reason
        (
            BOILER,
            "The letting agent didn't pass your report on until Wednesday, so we could not "
            "book an engineer any earlier.",
        ),
        # the customer sent elsewhere for the remedy
        (
            TICKET,
            "Appeals against penalty fares have to be lodged directly with TramPay, the "
            "ticketing company.",
        ),
        # the failure guessed to lie on the customer's side
        (WASHER, "It is most likely that the hose was knocked loose by someone in your household."),
        # the customer's own bank or office as the one that acted, or has not acted yet
        (GAME, "The account was frozen after your card issuer reversed the last two payments."),
        (
            VOLUNTEER,
            "Applications move on once your referee has replied, and they haven't done so yet.",
        ),
        # a passive refusal whose missing agent is on the customer's side
        (
            INVOICE,
            "The discount couldn't be applied because the form had not been stamped by your "
            "employer.",
        ),
        # someone else's people as the agent, and a team here with no say
        (STUDIO, "The parcel was held up by their depot staff over the weekend."),
        (BOILER, "Visit times are set by the contractor, which our office has no say over."),
        # the customer's own settings cited as the reason
        (
            STUDIO,
            "The prints were sent second class, in line with the delivery settings on your "
            "account.",
        ),
    ],
)
def test_blame_agent_shapes(coach: Coach, customer: str, body: str) -> None:
    assert "blame_shifting" in found(coach, customer, body)


@pytest.mark.parametrize(
    ("customer", "body"),
    [
        # we are the agent, and say so
        (WASHER, "Our fitter connected the hose wrongly on Monday; that was our error."),
        # our action, done in line with the customer's settings
        (STUDIO, "I've re-sent the prints by courier, in line with the settings on your account."),
        # a third party kept informed, and we act
        (BOILER, "I've ordered the valve from the manufacturer and booked an engineer for Friday."),
        # "records show" that confirms what the customer said is not a contradiction
        (TICKET, "Our records show your e-ticket was bought at 08:12, so I've cancelled the fine."),
        # a rule the customer asked about, answered plainly
        (PARKING, "To answer your question: no, it isn't our policy to ticket residents."),
        # a courier contacting the customer directly is not a redirect
        (STUDIO, "The courier will contact you directly to arrange a time, and I'll check on it."),
    ],
)
def test_blame_agent_near_misses(coach: Coach, customer: str, body: str) -> None:
    assert "blame_shifting" not in found(coach, customer, body)


def test_a_lesson_about_a_page_is_patronising_not_blame(coach: Coach) -> None:
    body = (
        "As explained on our parking FAQ page, residents need a permit displayed on the "
        "dashboard at all times."
    )
    categories = found(coach, PARKING, body)
    assert "patronising" in categories
    assert "blame_shifting" not in categories


def test_a_lesson_citing_the_terms_is_still_blame(coach: Coach) -> None:
    body = "As set out in our terms, permits are not transferable between vehicles."
    assert "blame_shifting" in found(coach, PARKING, body)


# --- self_undermining: a failure told as normal, competence or authority disowned -------------


@pytest.mark.parametrize(
    ("customer", "body"),
    [
        # a failure event with a frequency
        (LIFT, "The lifts in the older blocks go down every so often, I'm afraid."),
        (VOLUNTEER, "Forms sent through the website get lost more often than we'd like."),
        (STUDIO, "Colour mismatches crop up now and then with glossy paper."),
        (BOILER, "These boilers break down several times a year, unfortunately."),
        (STUDIO, "Our lab mixes the matte and gloss orders up now and again."),
        # a vague subject, failure normalised
        (VOLUNTEER, "It's been a hectic month and things slip through the cracks."),
        # a problem said to be impossible to prevent
        (LIFT, "With lifts this old, breakdowns are impossible to prevent."),
        # smallness or the season as the excuse
        (VOLUNTEER, "We're only a tiny charity and it's a particularly busy season for us."),
        # a failure we meet all the time, and staff shortage as the reason
        (LIFT, "Stuck lifts are an issue we deal with every week across the estate."),
        (BOILER, "We're short four engineers this winter, so visits are slipping."),
        # competence or authority disowned
        (INVOICE, "I only deal with bookings, so I can't comment on how the invoice was made."),
        (INVOICE, "I'm just the receptionist, so I don't really know how the billing works."),
        (INVOICE, "I'm not entirely sure, but I think the second visit is charged automatically."),
        (BOILER, "I can't promise anything, but I'll ask the engineers."),
        (GAME, "I'm fairly new to the team, so I don't have any say over bans."),
    ],
)
def test_self_undermining_shapes(coach: Coach, customer: str, body: str) -> None:
    assert "self_undermining" in found(coach, customer, body)


@pytest.mark.parametrize(
    ("customer", "body"),
    [
        # a frequency denied is reassurance
        (LIFT, "Breakdowns like this rarely happen more than once a year in your block."),
        (LIFT, "This doesn't happen often, and I've booked the lift engineer for 9am tomorrow."),
        # "a lot of" counts people, not failures
        (STUDIO, "I'm sorry: a late order on a gift happens to a lot of people at Christmas."),
        # a routine we run, not a failure
        (BOILER, "Our engineers service these boilers regularly, and I've booked one for Friday."),
        # "just" + an agent that is not a disowned role
        (INVOICE, "I'm just checking the job sheet now and will call you back before 4pm."),
    ],
)
def test_self_undermining_near_misses(coach: Coach, customer: str, body: str) -> None:
    assert "self_undermining" not in found(coach, customer, body)


# --- patronising: what the customer is presumed not to know ------------------------------------


@pytest.mark.parametrize(
    ("customer", "body"),
    [
        # knowledge presumed
        (PARKING, "The bay is marked with a white line, which you'll be familiar with."),
        # advice to read with care
        (INVOICE, "I'd suggest reviewing the call-out section of your quote thoroughly."),
        (LOAN, "It would be worth re-reading your credit agreement carefully."),
        # the information was there all along, and a reminder for the future
        (PARKING, "Restrictions are clearly displayed on the lamp posts in your street."),
        (
            TICKET,
            "Just a gentle reminder that tickets must be activated before boarding, so please "
            "keep that in mind going forward.",
        ),
        (LOAN, "The fee is explained in black and white on page two of the agreement."),
        # a plain word defined for the customer
        (LOAN, "To clarify, a fee is an amount you pay for a service."),
        (LOAN, "An instalment is simply a sum of money you repay each month."),
    ],
)
def test_patronising_shapes(coach: Coach, customer: str, body: str) -> None:
    assert "patronising" in found(coach, customer, body)


@pytest.mark.parametrize(
    ("customer", "body"),
    [
        # we read carefully, not the customer
        (INVOICE, "I've reviewed the plumber's job sheet carefully and refunded the second visit."),
        # a rule text shown plainly is not a lesson (it may be blame, judged elsewhere)
        (
            LOAN,
            "The arrangement fee of £99 covers setting up the loan; I've attached the page of "
            "your agreement that lists it.",
        ),
        # a tip in a reply that has answered the question is not a lesson
        (
            LOAN,
            "The arrangement fee covers the credit checks and paperwork, and I've refunded the "
            "£20 we took twice. Remember that you can see every charge under Loan details.",
        ),
        # an answer to a how-to question with the place to look
        (LOAN, "You'll find the fee under Loan details > Charges in the app."),
    ],
)
def test_patronising_near_misses(coach: Coach, customer: str, body: str) -> None:
    assert "patronising" not in found(coach, customer, body)


# --- one sentence, one problem -----------------------------------------------------------------


def test_a_rule_that_makes_a_fee_apply_is_blame_not_a_demand(coach: Coach) -> None:
    body = "Our terms require 48 hours' notice to cancel a class, so the £25 fee applies here."
    categories = found(coach, INVOICE, body)
    assert "blame_shifting" in categories
    assert "blunt_demand" not in categories


def test_a_refusal_under_a_cited_rule_is_blame_not_dismissal(coach: Coach) -> None:
    body = (
        "Under our membership conditions, section 4, the centre can move classes at short "
        "notice and refunds are not given for moved sessions."
    )
    categories = found(coach, INVOICE, body)
    assert "blame_shifting" in categories
    assert "dismissal" not in categories


# --- missing_empathy: an apology in any position acknowledges the customer ---------------------


@pytest.mark.parametrize(
    "body",
    [
        "Thanks for telling us, and sorry it has dragged on this long. An engineer will be "
        "with you tomorrow between 8 and 10am.",
        "Sorry this happened. An engineer will be with you tomorrow between 8 and 10am.",
        "I understand you're angry about the wait. An engineer will be with you tomorrow "
        "between 8 and 10am.",
        "Nine days without heating would upset any household. An engineer will be with you "
        "tomorrow between 8 and 10am.",
    ],
)
def test_apologies_in_any_position_count(coach: Coach, body: str) -> None:
    assert "missing_empathy" not in found(coach, BOILER, body)


def test_facts_alone_still_miss_empathy(coach: Coach) -> None:
    body = "An engineer will be with you tomorrow between 8 and 10am."
    assert "missing_empathy" in found(coach, BOILER, body)


# --- missing_next_step: a troubleshooting step is the next step --------------------------------


def test_troubleshooting_step_after_a_blame_is_a_next_step(coach: Coach) -> None:
    customer = "the parcel locker says my pin is wrong, I've tried twice"
    body = (
        "Pins usually fail because they have been typed incorrectly. If it still doesn't "
        "open, tap 'Help' on the locker screen and scan the code shown."
    )
    categories = found(coach, customer, body)
    assert "blame_shifting" in categories
    assert "missing_next_step" not in categories


# --- smaller shapes: closings, ticket fields, statutes, verdicts --------------------------------


@pytest.mark.parametrize(
    ("customer", "body", "category"),
    [
        (VOLUNTEER, "We'll see. Anything else, just drop us a line!", "generic_closing"),
        (
            STUDIO,
            "[Ref PR-20931 | Status: With Lab | Assigned to: Print Team]\n\nWe are looking "
            "into it.",
            "template_noise",
        ),
        (
            STUDIO,
            "Our lab is accredited under the Consumer Protection Act 1987 standards. We are "
            "looking into it.",
            "irrelevant_boilerplate",
        ),
        (PARKING, "Your appeal has been reviewed and turned down.", "dismissal"),
    ],
)
def test_smaller_shapes(coach: Coach, customer: str, body: str, category: str) -> None:
    assert category in found(coach, customer, body)


def test_statute_asked_about_is_an_answer(coach: Coach) -> None:
    customer = "Under which law are you registered to give driving lessons?"
    body = "Our instructors are registered under the Road Traffic Act 1988, section 123."
    assert "irrelevant_boilerplate" not in found(coach, customer, body)


# --- speed: the lower-case twin finds exactly what the case-insensitive pattern finds ---------


TRICKY = [
    "As Per Our POLICY, the Courier Is Responsible.",
    "We’re STILL waiting on the Landlord to reply — it’s NOT something WE can override.",
    "İstanbul office: the system automatically REJECTS such claims.",  # lower() changes length
    "Thanks for letting us know!!! Happy Travelling!",
    "Ref #AB-1 | Status: Open | Assigned: Queue 2",
]


def test_lowercase_twin_matches_like_the_case_insensitive_pattern() -> None:
    from goodwill.coach import catalogue
    from goodwill.coach.situation import lowercase_twin

    for category in catalogue.load():
        pattern = category.pattern
        if pattern is None:
            continue
        twin = lowercase_twin(pattern)
        assert twin is not None, category.name
        for text in TRICKY:
            low = text.lower()
            if len(low) != len(text):
                continue  # sentence_hits falls back to the original pattern here
            a, b = pattern.search(text), twin.search(low)
            assert (a.span() if a else None) == (b.span() if b else None), (category.name, text)


def test_lowercase_twin_refuses_a_source_with_capitals() -> None:
    import re

    from goodwill.coach.situation import lowercase_twin

    assert lowercase_twin(re.compile(r"[A-Z]\w+ Ltd", re.I)) is None
    assert lowercase_twin(re.compile(r"\bno\W+way\b", re.I)) is not None


def test_length_changing_lowercase_falls_back(coach: Coach) -> None:
    body = "İstanbul office note: this is not something our team can override."
    assert "blame_shifting" in found(coach, GAME, body)
