"""``briefing eval summaries``: every summarizer against reference summaries.

Every method, ours and the baselines, gets the same sentences (our splitter
over each blank-line separated paragraph) and the same budget (the record's
``summary_sentences``; LEAD-3 always takes three), so the figures differ only
by the choice of sentences. Scores are ROUGE F1 with Porter stemming from the
``rouge-score`` package, as percentages.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from generator.analysis.summarize import METHODS, Document, Summarizer
from generator.errors import BriefingError
from generator.ingest import sentences

# rouge-score and sumy are development extras: their absence is reported,
# never a crash at import time.
try:
    from rouge_score import rouge_scorer
except ImportError:  # pragma: no cover - depends on the environment
    rouge_scorer = None
try:
    from nltk.tokenize import TreebankWordTokenizer
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.nlp.tokenizers import Tokenizer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.lsa import LsaSummarizer
    from sumy.summarizers.luhn import LuhnSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words
except ImportError as exc:  # pragma: no cover - depends on the environment
    SUMY_MISSING: str | None = f"sumy is not installed ({exc})"
else:
    SUMY_MISSING = None

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL")
OURS = ("briefing", "lead3", "leadk")
SUMY_METHODS = ("lexrank", "textrank", "lsa", "luhn")

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def evaluate(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Score every method on ``records`` (the shared eval JSONL format).

    Returns ``{"n": N, "methods": {name: {"rouge1", "rouge2", "rougeL",
    "words", "ms_per_doc"}}}``; when sumy is not installed its methods are
    listed under ``"skipped"`` with the reason instead of silently missing.
    """
    scorer = _rouge_scorer()
    docs = [document(record) for record in records]
    budgets = [budget(record) for record in records]
    references = [str(record.get("summary", "")) for record in records]
    methods: dict[str, Summarizer] = {name: METHODS[name] for name in OURS}
    result: dict[str, Any] = {"n": len(records), "methods": {}}
    if SUMY_MISSING is None:
        methods.update(sumy_methods())
    else:
        result["skipped"] = dict.fromkeys(SUMY_METHODS, SUMY_MISSING)
    for name, method in methods.items():
        result["methods"][name] = _score_method(method, docs, budgets, references, scorer)
    return result


def document(record: Mapping[str, Any]) -> Document:
    """The record's text as our own sentences, paragraph by paragraph."""
    texts: list[str] = []
    paragraphs: list[int] = []
    for number, paragraph in enumerate(_PARAGRAPH_BREAK.split(str(record["text"]))):
        for sentence in sentences.split(paragraph):
            texts.append(sentence)
            paragraphs.append(number)
    title = record.get("title")
    return Document(tuple(texts), tuple(paragraphs), title if isinstance(title, str) else None)


def budget(record: Mapping[str, Any]) -> int:
    """The record's sentence budget; 3 (as highlights sets use) when absent."""
    value = record.get("summary_sentences")
    return int(value) if isinstance(value, int) and value > 0 else 3


def _score_method(
    method: Summarizer,
    docs: Sequence[Document],
    budgets: Sequence[int],
    references: Sequence[str],
    scorer: Any,
) -> dict[str, float]:
    totals = dict.fromkeys(ROUGE_TYPES, 0.0)
    words = 0
    elapsed = 0.0
    for doc, k, reference in zip(docs, budgets, references, strict=True):
        # Only the summarizer is timed, not the scoring.
        started = time.perf_counter()
        chosen = method(doc, k)
        elapsed += time.perf_counter() - started
        summary = " ".join(doc.sentences[i] for i in chosen)
        words += len(summary.split())
        scores = scorer.score(reference, summary)
        for rouge_type in ROUGE_TYPES:
            totals[rouge_type] += scores[rouge_type].fmeasure
    n = max(1, len(docs))
    figures = {rouge_type: 100 * totals[rouge_type] / n for rouge_type in ROUGE_TYPES}
    figures["words"] = words / n
    figures["ms_per_doc"] = 1000 * elapsed / n
    return figures


def _rouge_scorer() -> Any:
    if rouge_scorer is None:
        raise BriefingError("Summary evaluation needs the 'rouge-score' package (install the dev extra)")
    return rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)


# --- sumy baselines -----------------------------------------------------------


class _WordTokenizer:
    """What sumy asks of a tokenizer, without NLTK's punkt data.

    Sentences are never re-split (we hand sumy our own); words come from
    NLTK's Treebank tokenizer (no data needed) filtered as sumy's own
    ``Tokenizer.to_words`` does.
    """

    language = "english"

    def __init__(self) -> None:
        self._tokenize = TreebankWordTokenizer().tokenize
        self._is_word: Callable[[str], bool] = Tokenizer._is_word

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(sentences.split(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(w for w in self._tokenize(sentence) if self._is_word(w))


def sumy_methods() -> dict[str, Summarizer]:
    """sumy's LexRank, TextRank, LSA and Luhn behind our interface.

    Only called when sumy (a development extra) is installed.
    """
    tokenizer = _WordTokenizer()
    classes = {"lexrank": LexRankSummarizer, "textrank": TextRankSummarizer, "lsa": LsaSummarizer, "luhn": LuhnSummarizer}
    methods: dict[str, Summarizer] = {}
    for name, cls in classes.items():
        # Configured as sumy's README example: English stemmer and stop words.
        summarizer = cls(Stemmer("english"))
        summarizer.stop_words = get_stop_words("english")
        methods[name] = _sumy_adapter(summarizer, tokenizer)
    return methods


def _sumy_adapter(summarizer: Any, tokenizer: _WordTokenizer) -> Summarizer:
    def run(doc: Document, k: int) -> tuple[int, ...]:
        objects = [Sentence(text, tokenizer) for text in doc.sentences]
        groups: dict[int, list[Any]] = {}
        for obj, paragraph in zip(objects, doc.paragraphs, strict=True):
            groups.setdefault(paragraph, []).append(obj)
        model = ObjectDocumentModel([Paragraph(group) for group in groups.values()])
        # sumy hands back the very Sentence objects we built; map by identity
        # because equal texts (a repeated sentence) compare equal.
        index = {id(obj): i for i, obj in enumerate(objects)}
        return tuple(sorted(index[id(s)] for s in summarizer(model, k)))

    return run
