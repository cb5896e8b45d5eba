"""Run the stages: plan, render in workers, cache, and write the output."""
