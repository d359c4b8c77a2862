from mailparser_reply import EmailReplyParser

from goodwill.analysis.normalise import MAIL_LANGUAGES, normalise

PARSER = EmailReplyParser(languages=list(MAIL_LANGUAGES))

EMAIL = (
    "Hi Anna,\r\n\r\nThe router still drops every evening. Can you send an engineer?\r\n\r\n"
    "Best regards,\r\nJohn Smith\r\nAcme Ltd\r\n\r\n"
    "On Mon, 3 Jun 2024 at 10:02, Support <help@example.com> wrote:\r\n"
    "> Hello John,\r\n> Please restart the router.\r\n"
)


def test_quoted_history_and_signature_are_removed() -> None:
    result = normalise(EMAIL, PARSER)
    assert "Can you send an engineer?" in result.text
    assert "restart the router" not in result.text
    assert "John Smith" not in result.text
    kinds = {r.kind for r in result.removed}
    assert "signature" in kinds
    assert "quoted" in kinds


def test_offsets_map_back_to_the_original_text() -> None:
    result = normalise(EMAIL, PARSER)
    start = result.text.index("send an engineer")
    end = start + len("send an engineer")
    o_start, o_end = result.to_original(start, end)
    assert EMAIL[o_start:o_end] == "send an engineer"


def test_lines_quoted_with_a_marker_are_dropped() -> None:
    result = normalise("Great, thanks!\n> On Monday you said\n> it would work", PARSER)
    assert result.text == "Great, thanks!"


def test_a_sign_off_followed_by_text_is_kept() -> None:
    result = normalise("Hello,\nThanks, I got it working after the update.", PARSER)
    assert "I got it working" in result.text


def test_mojibake_is_repaired_and_flagged() -> None:
    original = "The cafÃ© charged me twice"
    result = normalise(original, PARSER)
    assert result.text == "The café charged me twice"
    assert result.encoding_fixed
    start = result.text.index("charged")
    o_start, o_end = result.to_original(start, start + len("charged"))
    assert original[o_start:o_end] == "charged"


def test_plain_text_is_unchanged() -> None:
    result = normalise("  Where is my parcel?  ", PARSER)
    assert result.text == "Where is my parcel?"
    assert result.to_original(0, 5) == (2, 7)
    assert not result.removed
