"""What a person typed, as plain words: accents, apostrophes, quotes and hyphens folded (pure)."""

from __future__ import annotations

import re
import unicodedata

# Every apostrophe and single quote a keyboard or phone may send: dropped inside a word, so
# "women’s" = "women's" = "womens".
APOSTROPHES = "'\u2018\u2019\u201a\u201b\u2032\u02bc\u0060\u00b4"
_APOSTROPHE = re.compile(f"(?<=\\w)[{APOSTROPHES}](?=\\w)")
_NOT_WORD = re.compile(r"[^a-z0-9]+")

# Words that say nothing about the help wanted; left out so they never have to match.
STOPWORDS = frozenset(
    """a an and are at be by can do for from get give go going have help i id im in into is it its
    me my near need of on or our please some someone something support the to want where who with
    you your services service""".split()
)


def fold(text: str) -> str:
    """Lower case, accents removed, apostrophes dropped, every other mark a space."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(_NOT_WORD.split(_APOSTROPHE.sub("", plain))).strip()


def tokens(text: str) -> list[str]:
    """The folded words of a text, in order."""
    return fold(text).split()


def meaningful(words: list[str]) -> list[str]:
    """The words that say what is wanted (stop words left out)."""
    return [w for w in words if w not in STOPWORDS]
