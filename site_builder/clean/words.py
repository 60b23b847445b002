"""Common words that begin English sentences.

A lower-case word after a full stop is only taken for a sentence start the
author forgot to capitalise ("deserve. some of") when it is one of these;
otherwise it may be an identifier the author wrote in lower case on purpose
("size is optional", "sys.path", "logger.debug").  The same list lets the
spacing rule tell "officials.these" from "urllib.request".
"""

from __future__ import annotations

_OPENERS = """
    a about above according across after afterwards again against all almost along already also although
    always amid among an and another any anyone anything are as at because before being below besides
    both but by can certainly clearly consequently could currently despite did do does during each
    earlier either even eventually every everyone finally first following for from further furthermore
    given had has have having he her here hers his how however i if importantly in including indeed
    initially instead is it its just last later let like many may meanwhile more moreover most much
    my nearly neither never nevertheless next no none nonetheless nor not nothing now of often on once
    one only or other others otherwise our over perhaps previously rather recently second several she
    should similarly since so some someone something sometimes soon still subsequently such that the
    their them then there thereby therefore these they third this those though through throughout thus
    to today together too towards under unfortunately unless unlike until upon us was we were what
    whatever when whenever where whereas whether which while who whoever whom whose why will with
    within without would yet you your yesterday
    """
SENTENCE_OPENERS: frozenset[str] = frozenset(_OPENERS.split())
