"""Statement understanding: what an agent sentence claims (values, polarity, attribution, tense)."""
