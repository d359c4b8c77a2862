"""The journey map (touchpoint types by lifecycle phase: volume, customer sentiment, irritant
heat) and moments of truth (touchpoint types after which relationships change course, from a Cox
model on the organisation's history)."""
