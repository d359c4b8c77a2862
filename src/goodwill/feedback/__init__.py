"""The feedback loop (seed 000, recommendation 5): customers' suggestions grouped into ideas by
meaning, ideas with a status, and a personal, coach-reviewed message to every customer who asked
when the outcome is decided; with the loop's metrics."""
