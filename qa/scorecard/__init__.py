"""Scorecards: the YAML schema, the criterion types and the scoring engine."""
