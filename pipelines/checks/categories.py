"""MQM categories (Google MQM naming) for the artifact types the checks write into the corpus."""
from __future__ import annotations

MQM_CATEGORY: dict[str, str] = {
    "untranslated": "Accuracy/Untranslated text",
    "wrong-language": "Non-translation",
    "number-mismatch": "Accuracy/Mistranslation",
    "entity-mismatch": "Accuracy/Mistranslation",
    "markup": "Fluency/Display",
    "truncation": "Accuracy/Omission",
    "omission": "Accuracy/Omission",
    "repetition": "Accuracy/Addition",
    "segmentation": "Fluency/Punctuation",
    "quote-style": "Fluency/Punctuation",
    "calque-candidate": "Accuracy/Mistranslation",
    # artifact types that catalogue entries carry
    "calque": "Accuracy/Mistranslation",
    "false-friend": "Accuracy/Mistranslation",
    "terminology-inconsistency": "Terminology/Inconsistent use of terminology",
}
DEFAULT_CATEGORY = "Other"


def mqm_category(artifact_type: str | None) -> str:
    return MQM_CATEGORY.get(artifact_type or "", DEFAULT_CATEGORY)
