"""Text analysis shared by the filter steps: sentences, words, lexicons."""
