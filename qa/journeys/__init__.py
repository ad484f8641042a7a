"""Customer journeys across channels: who the customer is, which contacts are one matter,
repeats and first-contact resolution, two stories, promises and survey gaming."""
