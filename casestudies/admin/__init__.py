"""The editors' admin: initiatives with their evidence, costs and people (initiatives.py),
approaches, areas, partners and sources (reference.py), and readers' suggestions and problem
reports (feedback.py)."""

from . import feedback, initiatives, reference  # noqa: F401 - each registers its admins
