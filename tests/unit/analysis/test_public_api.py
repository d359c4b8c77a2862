import goodwill.analysis as analysis


def test_analysis_public_api_is_exact() -> None:
    assert len(set(analysis.__all__)) == len(analysis.__all__)
    assert set(analysis.__all__) == {
        "EMOTIONS",
        "INTENTS",
        "SIGNALS",
        "Analyser",
        "Analysis",
        "Commitment",
        "CommitmentExtractor",
        "Commitments",
        "Context",
        "Direction",
        "Embedding",
        "EmbeddingAnalyser",
        "EmbeddingChoice",
        "Emotion",
        "EmotionAnalyser",
        "FeatureExtractor",
        "Features",
        "Intent",
        "IntentClassifier",
        "Language",
        "LanguageDetector",
        "Message",
        "MiniLMEncoder",
        "Normalised",
        "Normaliser",
        "Pipeline",
        "Politeness",
        "PolitenessAnalyser",
        "Sentiment",
        "SentimentAnalyser",
        "StaticEncoder",
        "TrustSignal",
        "TrustSignalDetector",
        "TrustSignals",
        "default_pipeline",
    }
    for name in analysis.__all__:
        assert hasattr(analysis, name), name


def test_analysis_imports_no_database_or_web_framework() -> None:
    import subprocess
    import sys

    code = (
        "import sys, goodwill.analysis, goodwill.analysis.training; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'fastapi')]; "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
