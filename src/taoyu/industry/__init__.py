"""Industry labels: which section of GB/T 4754-2017 (or of a user's own taxonomy) a document is
about, and what kind of text it is (news, notice, tutorial...)."""
