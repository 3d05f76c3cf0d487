"""The rows of the practice comparison (ComparePracticeView): each a label and, for each case
study, what its cell shows: text (`value`), or for the cells that hold links, lists or labels
the name of a partial of website/compare_practice.html (`partial`), which reads the cell."""

from django.template.defaultfilters import date


def cell(column, value=None, partial=None, **data):
    return {"initiative": column["initiative"], "column": column, "value": value,
            "partial": partial, **data}


def link(column, page, text):
    return cell(column, partial="link", url=page.get_absolute_url(), text=text)


def names(column, objects, none=None):
    """A list of the objects' names, or `none` (text) when there are none and it is given."""
    items = [obj.name for obj in objects]
    return cell(column, none) if none and not items else cell(column, partial="list", names=items)


def area(column, initiative):
    return link(column, initiative.area, initiative.area.name)


def approach(column, initiative):
    if not initiative.approach:
        return cell(column, "None")
    return link(column, initiative.approach, initiative.approach.name)


def year(column, initiative):
    started = initiative.year_started
    return cell(column, f"{started:d}" if started else "Not given")


def role(column, initiative):
    roles = initiative.commissioner_roles.all()
    if not roles:
        return cell(column, "Not known")
    said = "As the commissioner's office says: " if initiative.pcc_role_claimed else ""
    return cell(column, said + "; ".join(r.get_role_display() for r in roles))


def readiness(column, initiative):
    if initiative.ripe:
        return cell(column, "Ripe for replication")
    checklist = column["checklist"]
    missing = ", ".join(checklist["missing"])
    return cell(column, f"{checklist['met']} of {checklist['total']} met; {missing}")


def checked(column, initiative):
    if not initiative.last_verified:
        return cell(column, "Not yet checked")
    how = initiative.get_verified_how_display().lower()
    return cell(column, f"{date(initiative.last_verified, 'j F Y')} ({how})")


def shown_by(partial):
    """A cell drawn wholly by the partial, from the case study and its column."""
    return lambda column, initiative: cell(column, partial=partial)


ROWS = [
    ("Area", area),
    ("Approach", approach),
    ("Status", shown_by("status")),
    ("Year started", year),
    ("Themes", lambda column, initiative: names(column, initiative.themes.all())),
    ("Partners", lambda column, initiative: names(column, initiative.partners.all(),
                                                  none="Not named")),
    ("What the commissioner did", role),
    ("Cost and who paid", shown_by("cost")),
    ("Evidence", shown_by("evidence")),
    ("Outcomes and evidence", shown_by("outcomes")),
    ("What the entry documents", shown_by("emmie")),
    ("Ripe for replication?", readiness),
    ("How to replicate", shown_by("replicate")),
    ("Lead and contact", shown_by("contact")),
    ("Sources", shown_by("sources")),
    ("Information last checked", checked),
]


def rows(columns):
    """[{"label", "cells": [one per column]}] for the columns of ComparePracticeView."""
    return [{"label": label, "cells": [show(column, column["initiative"]) for column in columns]}
            for label, show in ROWS]
