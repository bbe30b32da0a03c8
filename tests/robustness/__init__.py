"""Robustness: a mutation corpus and property-based tests of the record loader."""
