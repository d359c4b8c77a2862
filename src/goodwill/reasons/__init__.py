"""Contact reasons: why customers contact us, learnt from examples or discovered without labels.

The pure part (no database) is :mod:`~goodwill.reasons.classifier` (reasons from labelled
examples) and :mod:`~goodwill.reasons.discovery` (groups of messages, named, without labels).
"""
