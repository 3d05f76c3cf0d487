"""Text in a spreadsheet cell that a spreadsheet will never run as a formula: a cell that starts
like one is written with a leading apostrophe, which reading it back takes off."""

FORMULA_STARTS = frozenset(("=", "+", "-", "@", "\t", "\r"))


def defused(text):
    return "'" + text if text[:1] in FORMULA_STARTS else text


def restored(text):
    return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_STARTS else text
