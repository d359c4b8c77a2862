"""Sentences keep their offsets; greetings and signatures are told apart from the body."""

from __future__ import annotations

from goodwill.coach.text import find_signature, generic_greeting, greeting_name, split_sentences


def test_sentences_keep_offsets_and_respect_abbreviations() -> None:
    text = (
        "Hi Ann,\n\nMr. Smith called at 3 p.m. today. It cost £12.50! Is that right?\n- One item."
    )
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Hi Ann,",
        "Mr. Smith called at 3 p.m. today.",
        "It cost £12.50!",
        "Is that right?",
        "One item.",
    ]
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_greeting_names_a_person_or_is_generic() -> None:
    assert greeting_name("Hi Michael,") == (3, 10)
    assert greeting_name("Dear Mrs Doyle,") is not None
    assert greeting_name("Dear Customer,") is None
    assert greeting_name("Hello! Yes, you can.") is None
    assert generic_greeting("Dear valued customer,")
    assert not generic_greeting("Hi there,")


def test_signature_with_a_person_or_only_a_team() -> None:
    human = find_signature("Thanks for waiting.\n\nBest wishes,\nOliver Grant\nClaims, Harbour")
    assert human is not None
    assert human.human_name == "Oliver Grant"
    team = find_signature("It is done.\n\nKind regards,\nCustomer Support")
    assert team is not None
    assert team.valediction
    assert team.human_name is None
    brand = find_signature("It is done.\n\nRegards,\nSkyBridge")
    assert brand is not None
    assert brand.human_name is None
    nobody = find_signature("It is done.\n\nBest regards,\n")
    assert nobody is not None
    assert nobody.human_name is None


def test_chat_reply_without_sign_off_has_no_signature() -> None:
    assert find_signature("Hi! Yes, it ships tomorrow.") is None


def test_ticket_footer_after_the_signature_is_skipped() -> None:
    reply = "Done.\n\nGood luck!\nKai, Home Team\n\nTicket #20394 has been set to Solved."
    signature = find_signature(reply)
    assert signature is not None
    assert signature.human_name == "Kai"
