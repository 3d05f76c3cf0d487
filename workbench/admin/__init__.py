"""The editors' admin: initiatives with their evidence, costs and people (initiatives.py) and
their history in words (history.py), approaches, areas, partners and sources (reference.py),
themes (themes.py), readers' suggestions, problem reports and messages (feedback.py), areas'
answers to requests to confirm their entries (verification.py), and the review dashboard
(dashboard.py)."""

from . import feedback, initiatives, reference, themes, verification  # noqa: F401 - they register
