"""The review dashboard on the admin's front page (casestudies/admin/dashboard.py)."""

from django import template

from ..admin import dashboard

register = template.Library()


@register.inclusion_tag("admin/review_dashboard.html", takes_context=True)
def review_dashboard(context):
    user = context["request"].user
    shows_overdue = user.has_perm("casestudies.view_initiative")
    return {"queues": dashboard.queues(user),
            "overdue": list(dashboard.overdue()[:dashboard.OVERDUE_SHOWN]) if shows_overdue
            else []}
