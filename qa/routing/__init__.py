"""Work types and scorecard routing: what kind of contact this is, and which cards judge it."""
