"""Proper nouns that the casing rule may capitalise when found in lower case.

Only words that are never ordinary English words are listed: "may", "march",
"polish", "turkey", "china" and the like are left out on purpose.  The corpus
adds its own: words it only ever writes with a capital inside sentences.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

MONTHS = "january february april june july august september october november december"
DAYS = "monday tuesday wednesday thursday friday saturday sunday"
COUNTRIES = (
    "belarus russia ukraine lithuania latvia estonia poland germany france britain england "
    "scotland ireland italy spain portugal sweden norway finland denmark austria hungary "
    "romania moldova bulgaria serbia croatia slovakia slovenia czechia armenia azerbaijan "
    "kazakhstan uzbekistan iran iraq israel syria egypt india pakistan japan canada mexico "
    "brazil argentina australia europe asia africa america"
)
NATIONALITIES = (
    "belarusian belarusians russian russians ukrainian ukrainians lithuanian latvian estonian "
    "european europeans american americans british german french swedish norwegian finnish "
    "soviet"
)
CITIES = "minsk vilnius warsaw moscow kyiv kiev riga brussels washington london paris berlin geneva"
INSTITUTIONS = "kremlin nato viasna"

GAZETTEER: frozenset[str] = frozenset(
    " ".join((MONTHS, DAYS, COUNTRIES, NATIONALITIES, CITIES, INSTITUTIONS)).split()
)

_WORD = re.compile(r"[^\W\d_][\w’'-]*")
_MID_SENTENCE_CAPITAL = re.compile(r"(?<=[a-z,;] )([A-Z][a-z’'-]+)")


def corpus_proper_nouns(texts: Iterable[str], min_count: int = 2) -> frozenset[str]:
    """Lower-cased words seen capitalised mid-sentence and never in lower case."""
    capitalised: Counter[str] = Counter()
    lower: set[str] = set()
    for text in texts:
        # Headings and tables are title case: not evidence.
        prose = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(("#", "|")))
        for match in _MID_SENTENCE_CAPITAL.finditer(prose):
            capitalised[match.group(1).lower()] += 1
        lower.update(w for w in set(_WORD.findall(prose)) if w.islower())  # each distinct word once
    return frozenset(w for w, n in capitalised.items() if n >= min_count and w not in lower)
