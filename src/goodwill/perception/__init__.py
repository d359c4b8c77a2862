"""Two-sided perception (seed 000, "regular assessment of interactions from both perspectives"):
the customer's short pulse, the owner's estimate of it, and the gap between them."""
