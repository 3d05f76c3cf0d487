"""The review dashboard on the admin's front page (workbench/admin/dashboard.py)."""

from django import template

from workbench import spreadsheet
from workbench.admin import dashboard

register = template.Library()


@register.inclusion_tag("admin/review_dashboard.html", takes_context=True)
def review_dashboard(context):
    user = context["request"].user
    shows_overdue = user.has_perm("casestudies.view_initiative")
    return {"queues": dashboard.queues(user),
            "overdue": list(dashboard.overdue()[:dashboard.OVERDUE_SHOWN]) if shows_overdue
            else []}


@register.simple_tag
def import_report(result):
    """The rows of a spreadsheet import's dry run, in words (workbench/spreadsheet.py)."""
    return spreadsheet.report(result)
