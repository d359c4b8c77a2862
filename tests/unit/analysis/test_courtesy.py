from goodwill.analysis import Message, Pipeline
from goodwill.analysis.courtesy import content, is_formula


def test_formula_only_sentences_are_left_out_of_the_content() -> None:
    assert content("Your app keeps crashing. Thank you.") == "Your app keeps crashing."
    assert content("Hello John,\nWhere is my parcel?\nKind regards, Anna") == "Where is my parcel?"
    assert content("Thanks for the quick fix, it works!") == "Thanks for the quick fix, it works!"
    assert content("Thanks!") == "Thanks!"  # nothing else left: kept
    assert is_formula("Many thanks in advance!")
    assert not is_formula("Thanks, but it still fails")


def test_a_closing_thanks_does_not_turn_a_complaint_positive(pipeline: Pipeline) -> None:
    text = "Your app keeps crashing when I open my statements. Thank you."
    customer = pipeline.run(Message("1", text, "inbound")).summary()
    assert customer["sentiment"]["label"] != "positive"
    assert "praise" not in customer["intent"]
    assert "complaint" in customer["intent"]
    assert customer["politeness"] > 0  # the thanks still counts for tone
