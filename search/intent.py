"""Question intent: does a question seek recommendations, and which of its words only say so?

« Que recommandent les rapports sur la cybersécurité ? » asks for recommendation records about
cybersecurity: « recommandent » and « rapports » state the intent and name the corpus, they are
not the topic. Such words neither score in BM25 nor get highlighted (`topic_text` removes
them), and a recommendation-seeking question favours recommendation records (the factor is a
fusion setting, measured on the tune split: docs/retrieval.md). Patterns are matched on folded
text (lower case, no accents), deterministically; nothing here raises.
"""

from __future__ import annotations

import re

# Questions that ask what to do: « que recommande/propose/préconise/prévoit… », « quelles
# mesures/propositions… », « comment … ? », « faut-il … », « what do … recommend »,
# « how to/can/should … », « which measures … », or any mention of recommendations.
SEEKING = re.compile(
    r"\bque\s+(?:recommand|propos|preconis|prevoi|conseill)\w*"
    r"|\bqu\s*est[\s-]ce\s+que\s+(?:\w+\s+){0,4}(?:recommand|propos|preconis)\w*"
    r"|\bquel(?:le)?s?\s+(?:sont\s+les\s+)?(?:mesures?|propositions?|recommandations?"
    r"|preconisations?|actions?|pistes?|solutions?)\b"
    r"|^\W*comment\b|\bfaut[\s-]il\b"
    r"|\bwhat\s+(?:do|does|did|would)\b(?:\s+\w+){0,6}\s+(?:recommend|propose|suggest)\w*"
    r"|^\W*how\s+(?:to|can|could|should|do|does|might|would)\b"
    r"|\b(?:which|what)\s+(?:measures?|proposals?|recommendations?|actions?)\b"
    r"|\b(?:recommandations?|propositions?|preconisations?|recommendations?|proposals?)\b"
)
# Words that only state the intent or name the corpus (folded). Removed from the topic text.
INTENT_WORDS = re.compile(
    r"\b(?:rapports?|etudes?|missions?|auteurs?|documents?"
    r"|recommand\w*|propos(?:e|es|ee|ees|ent|er|ez|ons|ed|als?|itions?)?|preconis\w*"
    r"|reports?|stud(?:y|ies)|recommend\w*|suggest\w*)\b"
)
# « quelles mesures » / « which measures »: the intent phrase, not the topic « mesure ».
INTENT_PHRASE = re.compile(
    r"\bquel(?:le)?s?\s+(?:sont\s+les\s+)?(?:mesures?|actions?|pistes?|solutions?)\b"
    r"|\b(?:which|what)\s+(?:measures?|actions?)\b"
)


def seeks_recommendations(folded: str) -> bool:
    """Whether a folded question asks for what to do (recommendations, measures, how to)."""
    return SEEKING.search(folded) is not None


def topic_text(folded: str) -> str:
    """The folded question without the words that only state its intent or name the corpus."""
    return INTENT_WORDS.sub(" ", INTENT_PHRASE.sub(" ", folded))
