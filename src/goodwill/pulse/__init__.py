"""Q12 pulse (seed 001): the twelve Gallup questions, answered anonymously by team members."""
