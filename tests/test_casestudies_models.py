import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from casestudies.models import Area, Initiative


def test_initiative_slug_is_unique(make_initiative):
    make_initiative(title="Street triage", slug="street-triage")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_initiative(title="Another", slug="street-triage")


def test_initiative_title_is_unique_within_an_area(make_initiative, make_area):
    area = make_area()
    make_initiative(title="Street triage", slug="a", area=area)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_initiative(title="Street triage", slug="b", area=area)


def test_the_same_title_may_be_used_in_another_area(make_initiative):
    make_initiative(title="Street triage", slug="a")
    make_initiative(title="Street triage", slug="b")
    assert Initiative.objects.filter(title="Street triage").count() == 2


def test_database_rejects_an_unknown_status(make_initiative):
    initiative = make_initiative()
    with pytest.raises(IntegrityError), transaction.atomic():
        Initiative.objects.filter(pk=initiative.pk).update(status="abandoned")


@pytest.mark.parametrize("year", [1066, 2300])
def test_database_rejects_an_implausible_start_year(make_initiative, year):
    initiative = make_initiative()
    with pytest.raises(IntegrityError), transaction.atomic():
        Initiative.objects.filter(pk=initiative.pk).update(year_started=year)


def test_validation_explains_an_implausible_start_year(make_initiative):
    initiative = make_initiative()
    initiative.year_started = 1066
    with pytest.raises(ValidationError) as excinfo:
        initiative.full_clean()
    assert "year_started" in excinfo.value.message_dict


def test_database_rejects_an_unknown_region(make_area):
    area = make_area()
    with pytest.raises(IntegrityError), transaction.atomic():
        Area.objects.filter(pk=area.pk).update(region="atlantis")


def test_area_ons_code_is_unique(make_area):
    make_area(ons_code="E23000001")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_area(ons_code="E23000001")


def test_natural_keys_round_trip(make_initiative):
    initiative = make_initiative()
    area = initiative.area
    assert Area.objects.get_by_natural_key(*area.natural_key()) == area
    assert Initiative.objects.get_by_natural_key(*initiative.natural_key()) == initiative


def test_an_area_with_practice_cannot_be_deleted(make_initiative):
    from django.db.models import ProtectedError

    initiative = make_initiative()
    with pytest.raises(ProtectedError):
        initiative.area.delete()


def test_published_leaves_out_drafts(make_initiative):
    make_initiative(title="Live")
    make_initiative(title="Draft", is_published=False)
    assert [i.title for i in Initiative.objects.published()] == ["Live"]


def test_search_needs_every_word_in_some_field(make_initiative):
    make_initiative(title="Street triage", summary="Nurses with officers.")
    make_initiative(title="Control room triage", summary="Clinicians on the phones.")
    found = Initiative.objects.search("TRIAGE nurses")
    assert [i.title for i in found] == ["Street triage"]
