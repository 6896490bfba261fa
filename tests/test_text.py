"""Lists inside translated sentences use the language's own punctuation."""
from django.utils import translation

from core.text import join_clauses, join_items


def test_chinese_lists_use_chinese_separators():
    with translation.override("zh-hans"):
        assert join_items(["甲", "乙", 3]) == "甲、乙、3"
        assert join_clauses(["超过 30 天", "外借"]) == "超过 30 天；外借"


def test_english_lists_use_commas_and_semicolons():
    with translation.override("en"):
        assert join_items(["a", "b"]) == "a, b"
        assert join_clauses(["a", "b"]) == "a; b"
