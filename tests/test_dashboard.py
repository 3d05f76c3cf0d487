"""The review dashboard: what waits for editors, counted, with links to the lists."""

from datetime import timedelta

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alerts.models import Subscription
from casestudies.models import (
    ContactMessage,
    Initiative,
    ProblemReport,
    State,
    Suggestion,
    VerificationRequest,
)
from tests.pages import rows

INDEX = reverse("admin:index")


def counts(html):
    """{label: count} as the dashboard shows them."""
    return {label: (int(count), url)
            for label, count, url in rows(html, "#review-dashboard table")}


def test_the_dashboard_counts_what_waits_and_links_to_it(editor_client, make_initiative,
                                                         make_area, today):
    old = make_initiative("Old", last_verified=today - timedelta(days=800),
                          verified_how="sources")
    never = make_initiative("Zulu scheme, never checked")  # last by title, first by date
    make_initiative("Fresh", last_verified=today - timedelta(days=10), verified_how="sources")
    make_initiative("A draft", state=State.DRAFT)
    make_initiative("Another draft", state=State.DRAFT)
    in_review = make_initiative("Waiting", state=State.REVIEW)
    ProblemReport.objects.create(initiative=old, problem="Wrong figure.")
    ProblemReport.objects.create(initiative=old, problem="Fixed.", state="resolved")
    ContactMessage.objects.create(kind="site", message="A broken link.")
    Suggestion.objects.create(title="Crisis cafe", area=make_area(), summary="A cafe.",
                              description="A cafe.", lead_organisation="A charity",
                              sources="https://example.org/")
    VerificationRequest.objects.create(initiative=in_review, email="a@example.org",
                                       state="answered", answer="running")
    VerificationRequest.objects.create(initiative=in_review, email="a@example.org")

    html = editor_client.get(INDEX).text
    shown = counts(html)
    overdue = Initiative.objects.published().exclude(title="Fresh").count()
    assert shown["Published entries overdue for verification"][0] == overdue == 2
    assert shown["Drafts"][0] == 2
    assert shown["Entries in review"][0] == 1
    assert shown["Open problem reports from readers"][0] == 1
    assert shown["Open messages from the contact form"][0] == 1
    assert shown["Suggestions waiting for review"][0] == 1
    assert shown["Areas' answers waiting for an editor"][0] == 1
    # Editors have no permission on subscribers' addresses, so not on their count either.
    assert "Alert subscriptions waiting for confirmation" not in shown

    # Each link leads to a list holding exactly what was counted.
    for label, (count, url) in shown.items():
        response = editor_client.get(url)
        assert response.status_code == 200, label
        assert response.context["cl"].result_count == count, label

    # The overdue list is sorted as the dashboard names them: never verified, then the oldest.
    listed = editor_client.get(shown["Published entries overdue for verification"][1])
    assert [i.title for i in listed.context["cl"].result_list] == [never.title, old.title]

    # Overdue entries are named, never-verified first, then the oldest.
    names = [name for name, _, _ in rows(html, "#overdue-entries table")]
    assert names == [never.title_with_area, old.title_with_area]


def test_administrators_also_see_subscriptions_waiting(db):
    Subscription.objects.create(email="a@example.org", query="area=kent")
    Subscription.objects.create(email="b@example.org", confirmed=timezone.now())
    admin = Client()
    admin.force_login(User.objects.create_superuser("chief"))
    count, url = counts(admin.get(INDEX).text)["Alert subscriptions waiting for confirmation"]
    assert count == 1
    assert admin.get(url).context["cl"].result_count == 1
