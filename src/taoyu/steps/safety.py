"""Safety: porn and gambling content by lexicon density, offensive text by a trained classifier.

Two different kinds of unsafe page, judged differently:

* **Porn and gambling pages** are recognised by how densely they use the curated lexicon
  (:mod:`taoyu.text.spam_lexicon`), not by a hit: a news report on a gambling ring or a law on
  obscene material uses the words once or twice, a gambling page uses them in every line.
* **Offensive text** (slurs, attacks on a region, gender or race) is scored line by line by the
  classifier taoyu trains on COLD and on neutral text about the same topics
  (:mod:`taoyu.safety.offensive`, model card beside it). The classifier was trained on short
  comments and sentences, so a page is scored in units of that size: its lines, with a long line
  cut into sentences. A page is dropped when offensive units make up a large share of its
  characters *and* there are at least two of them: one sentence that scores high (a heated
  comment under an article, or a news sentence about hate crime) is not a reason to lose the
  page. The line threshold here is set above the one tuned on COLD (web text has fewer offensive
  lines and more unfamiliar ones; see docs/filters.md).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from pydantic import Field

from taoyu.document import Document
from taoyu.registry import register
from taoyu.safety.offensive import OffensiveModel, packaged_model_path
from taoyu.steps.base import Filter, StepParams, Verdict
from taoyu.text import spam_lexicon

# A sentence and its closing mark, or a line's unclosed end: as splitting after each mark cuts, but
# found by a character class (a split on a look-behind tries every position of the line).
_SENTENCES = re.compile(r"[^。！？!?；;]*[。！？!?；;]|[^。！？!?；;]+$")


class SafetyParams(StepParams):
    """The thresholds of both judgements (lexicon density for porn and gambling, share and count of
    offensive units) and how a page is cut into the comment-sized units the classifier knows."""

    max_lexicon_per_1k: float = Field(3.0, gt=0)
    """Porn/gambling lexicon matches per 1,000 characters at or above which the page is dropped."""
    min_lexicon_hits: int = Field(3, ge=1)
    """...and at least this many matches, so one phrase in a short text is not a density."""
    offensive: bool = True
    """Score lines with the offensive-text classifier."""
    offensive_threshold: float = Field(0.9, gt=0, lt=1)
    """Classifier probability at which a line counts as offensive."""
    max_offensive_share: float = Field(0.3, gt=0, le=1)
    """Share of the page's scored characters in offensive units at or above which the page is dropped."""
    min_offensive_lines: int = Field(2, ge=1)
    """...and at least this many offensive units: one high-scoring sentence is not enough evidence."""
    max_unit_chars: int = Field(100, ge=10)
    """Longer lines are cut into sentences (after 。！？; ) and each is scored: the classifier was
    trained on comment-sized text, and one hot sentence should not flag a whole paragraph."""
    min_line_chars: int = Field(6, ge=1)
    """Shorter units are not scored (the classifier has nothing to go on)."""
    max_scored_chars: int = Field(3000, ge=100)
    """Lines are scored up to this many characters from the top: an offensive page is offensive
    throughout, and the classifier's cost grows with the text."""


@register("safety")
class Safety(Filter):
    """Drop porn/gambling pages (lexicon density) and offensive pages (COLD-trained classifier, by line)."""

    Params = SafetyParams
    params: SafetyParams

    def artifacts(self) -> list[tuple[str, Path]]:
        """The offensive-language model, when the step uses it."""
        return [("model", packaged_model_path())] if self.params.offensive else []

    def setup(self) -> None:
        """Load the offensive-text classifier once per worker, and only when the recipe uses it."""
        self._model = OffensiveModel.load() if self.params.offensive else None
        self._prepared: dict[int, tuple[str, list[int], list[float]]] = {}

    def prepare(self, docs: Sequence[Document]) -> None:
        """Score the batch's lines with one call of the classifier: per page, its fixed cost was a
        fifth of the step. Each page's probabilities wait for ``score``, which checks that the
        text is still the one prepared."""
        if not hasattr(self, "_model"):
            self.setup()
        self._prepared = {}
        if self._model is None:
            return
        try:
            pages = [(doc, self._scored_lines(doc.text)) for doc in docs]
            probs = self._model.predict_proba([line for _, lines in pages for line in lines]).tolist()
        except Exception:  # each page is scored again, and fails alone, in score()
            return
        start = 0
        for doc, lines in pages:
            self._prepared[id(doc)] = (doc.text, list(map(len, lines)), probs[start : start + len(lines)])
            start += len(lines)

    def _scored_lines(self, text: str) -> list[str]:
        """The units the classifier scores: lines, a long line cut into its sentences, those long
        enough to judge, up to the unit that takes their running length past the budget (that one
        included)."""
        shortest, longest = self.params.min_line_chars, self.params.max_unit_chars
        lines = []
        for line in map(str.strip, text.split("\n")):
            pieces = _SENTENCES.findall(line) if len(line) > longest else (line,)
            lines += [piece for piece in map(str.strip, pieces) if len(piece) >= shortest]
        running = list(itertools.accumulate(map(len, lines)))
        del lines[bisect.bisect_right(running, self.params.max_scored_chars) + 1 :]
        return lines

    def score(self, doc: Document) -> Mapping[str, float]:
        """Porn and gambling lexicon hits and their density per 1,000 characters; the share of scored
        characters in units the classifier calls offensive, their count and the top probability."""
        if not hasattr(self, "_model"):
            self.setup()
        text = doc.text
        chars = max(len(text), 1)
        hits = spam_lexicon.hits(text)
        porn, gambling = hits.get("porn", 0), hits.get("gambling", 0)
        scores = {
            "porn_hits": float(porn),
            "gambling_hits": float(gambling),
            "lexicon_per_1k": round(1000 * (porn + gambling) / chars, 3),
            "offensive_share": 0.0,
            "offensive_lines": 0.0,
            "offensive_max": 0.0,
        }
        if self._model is not None:
            prepared = self._prepared.pop(id(doc), None)
            if prepared is not None and prepared[0] is text:
                lengths, probs = prepared[1], prepared[2]
            else:
                lines = self._scored_lines(text)
                lengths = list(map(len, lines))
                probs = self._model.predict_proba(lines).tolist() if lines else []
            if lengths:
                threshold = self.params.offensive_threshold
                flagged = [n for n, p in zip(lengths, probs, strict=True) if p >= threshold]
                scores["offensive_share"] = round(sum(flagged) / sum(lengths), 4)
                scores["offensive_lines"] = float(len(flagged))
                scores["offensive_max"] = round(max(probs), 4)
        return scores

    def decide(self, scores: Mapping[str, float]) -> Verdict:
        """Drop on lexicon density (porn or gambling, whichever has more hits) or on offensive share, each
        only with enough hits or units behind it: one word or one heated sentence does not make a page
        unsafe."""
        p = self.params
        hits = scores["porn_hits"] + scores["gambling_hits"]
        if hits >= p.min_lexicon_hits and scores["lexicon_per_1k"] >= p.max_lexicon_per_1k:
            kind = "porn" if scores["porn_hits"] >= scores["gambling_hits"] else "gambling"
            return Verdict.drop(f"safety:{kind}", scores["lexicon_per_1k"], p.max_lexicon_per_1k)
        if (
            scores["offensive_share"] >= p.max_offensive_share
            and scores["offensive_lines"] >= p.min_offensive_lines
        ):
            return Verdict.drop("safety:offensive", scores["offensive_share"], p.max_offensive_share)
        return Verdict.ok(scores["offensive_share"], p.max_offensive_share)
