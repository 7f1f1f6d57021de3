"""Content-safety signals for web text: a small offensive-language classifier trained on COLD.

Kept apart from the filtering steps so the model can be scored, retrained and swapped on its own;
a step decides what to do with the probability (tag, drop, route to review).
"""

from taoyu.safety.offensive import HashSpec, OffensiveModel, hashed_ngrams, normalize

__all__ = ["HashSpec", "OffensiveModel", "hashed_ngrams", "normalize"]
