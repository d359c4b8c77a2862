"""The demo organisation: Northwind Money, a seeded fictional fintech with 18 months of history.

``generator`` writes import files (no database); ``service.build`` creates the organisation and
loads the files through the real importer; ``cli`` adds ``goodwill demo``.

Inbound messages are enriched from Banking77 (Casanueva et al. 2020, CC BY 4.0) and purchase
histories from the CDNOW log (as shipped in ``lifetimes``, MIT) when ``GOODWILL_DATA_DIR`` holds
them; without them the generator uses its own, smaller, built-in texts and simulated purchases.
"""
