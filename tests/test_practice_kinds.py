"""Entries that are one practice each: several approaches (one main, others "also included"),
shown, counted and filterable; practice withdrawn or stopped findable, with no stray status."""

import pytest
from django.urls import reverse

from casestudies.models import Approach
from tests.pages import card_titles, links, select, text
from tests.test_editing import admin_form_data, change_url
from tests.test_facets_and_compare import facets

LIST = reverse("website:initiative-list")


@pytest.fixture
def triage(make_area, make_initiative):
    street = Approach.objects.create(name="Street triage", slug="street-triage", summary="S.")
    control = Approach.objects.create(name="Control-room triage", slug="control-room-triage",
                                      summary="C.")
    kent = make_initiative("Kent counsellors", area=make_area("Kent"), approach=street)
    kent.also_approaches.set([control])
    make_initiative("Suffolk control room", area=make_area("Suffolk"), approach=control)
    make_initiative("Essex cars", area=make_area("Essex"), approach=street)
    return street, control, kent


def test_an_entry_shows_the_approaches_it_also_includes(client, triage):
    _, control, kent = triage
    page = client.get(kent.get_absolute_url())
    assert "Also includes: Control-room triage" in text(select(page, ".govuk-summary-list")[0])
    assert control.get_absolute_url() in [href for _, href in links(page)]


def test_an_approach_counts_and_lists_every_entry_that_includes_it(client, triage):
    street, control, kent = triage
    page = client.get(control.get_absolute_url())
    assert kent.title in page.text and "Suffolk control room" in page.text
    listed = client.get(reverse("website:approach-list")).text
    row = next(r for r in select(listed, "tr") if "Control-room triage" in text(r))
    assert [text(cell) for cell in row.select("td")][-2:] == ["2", "2"]
    assert set(card_titles(client.get(LIST, {"approach": control.slug}))) == {
        "Kent counsellors", "Suffolk control room"}
    counts = facets(client.get(LIST))
    assert counts["approach"][control.slug] == 2 and counts["approach"][street.slug] == 2
    counts = facets(client.get(LIST, {"approach": street.slug}))
    assert counts["approach"][control.slug] == 2, "a facet ignores its own filter"
    picture = client.get(reverse("website:picture")).text
    assert "Control-room triage" in picture


def test_the_main_approach_is_not_also_included(editor_client, triage):
    street, control, kent = triage
    data = admin_form_data(kent, approach=street.pk, also_approaches=[street.pk, control.pk])
    response = editor_client.post(change_url(kent), data)
    assert response.status_code == 200
    assert "is the main approach already" in response.text


def test_withdrawn_practice_is_findable_with_a_count_and_evaluated_is_no_status(
        client, make_initiative):
    make_initiative("Retired scheme", status="withdrawn",
                    why_stopped="The trust withdrew its nurses.")
    make_initiative("Finished study", status="ended")
    counts = facets(client.get(LIST))
    assert counts["status"]["withdrawn"] == 1 and counts["status"]["ended"] == 1
    assert "evaluated" not in counts["status"]
    assert card_titles(client.get(LIST, {"status": "withdrawn"})) == ["Retired scheme"]
    assert "Select a valid choice" in client.get(LIST, {"status": "evaluated"}).text
    picture = client.get(reverse("website:picture")).text
    assert "Withdrawn or stopped" in picture and ">Evaluated<" not in picture
    page = client.get(reverse("website:initiative-detail", args=["retired-scheme"])).text
    assert "Why it stopped: The trust withdrew its nurses." in page


def test_approach_pages_list_every_area_the_library_records_for_them(client, seed):
    street = client.get(reverse("website:approach-detail", args=["street-triage"])).text
    for area in ["Suffolk", "Hertfordshire", "Devon and Cornwall", "Bedfordshire"]:
        assert area in street, area
    control = client.get(reverse("website:approach-detail", args=["control-room-triage"]))
    assert "Kent" in control.text


def test_a_contact_is_an_organisations_published_route(make_initiative, client):
    from django.core.exceptions import ValidationError

    from casestudies.models import Initiative

    entry = make_initiative("Triage car", contact="The commissioner's office",
                            contact_email="someone@gmail.com")
    with pytest.raises(ValidationError, match="not a private mailbox"):
        entry.full_clean()
    entry.contact_email = ""
    entry.save()
    assert not Initiative.objects.get(pk=entry.pk).ready_contact, "a name alone is no route"
    entry.contact_url = "https://example.org/contact-us"
    entry.save()
    assert Initiative.objects.get(pk=entry.pk).ready_contact
    page = client.get(entry.get_absolute_url())
    assert "https://example.org/contact-us" in [href for _, href in links(page)]


def test_an_approach_page_offers_its_own_alert_and_feed(client, triage):
    street, _, kent = triage
    page = client.get(street.get_absolute_url())
    found = dict(links(page))
    alert = found["Get emails when practice of this approach is published"]
    assert alert == f"{reverse('alerts:subscribe')}?approach={street.slug}"
    assert "2 published initiatives match it now" in client.get(alert).text
    feed = found["Follow new and updated practice of this approach (Atom feed)"]
    entries = client.get(feed).text
    assert "Essex cars" in entries and "Suffolk control room" not in entries
    assert select(page, f'link[rel="alternate"][href="{feed}"]')
