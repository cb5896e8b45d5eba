"""The quality gates: measure what a build lays out and report what to fix."""
