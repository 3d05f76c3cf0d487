"""The dataset page and the CSV's CSVW metadata."""

import csv
import datetime
import io

from django.urls import reverse

from casestudies.models import Initiative
from tests.pages import json_ld


def test_the_dataset_page_describes_the_data_with_schema_org(client, seed):
    response = client.get(reverse("opendata:dataset"))
    assert "Open Government Licence v3.0" in response.text
    [data] = json_ld(response)
    assert data["@type"] == "Dataset" and "open-government-licence" in data["license"]
    formats = {d["encodingFormat"]: d["contentUrl"] for d in data["distribution"]}
    assert formats["text/csv"] == "http://testserver/practice/export.csv"
    for url in formats.values():
        assert client.get(url.removeprefix("http://testserver")).status_code == 200
    latest = Initiative.objects.published().latest("updated").updated
    assert data["dateModified"] == latest.isoformat()
    assert 'href="/data/">Open data</a>' in client.get("/").text


def test_csvw_metadata_describes_every_column_of_the_csv(client, seed):
    response = client.get(reverse("opendata:export-csvw"))
    assert response["Content-Type"] == "application/csvm+json"
    metadata = response.json()
    assert metadata["url"] == "http://testserver/practice/export.csv"
    columns = metadata["tableSchema"]["columns"]
    text = b"".join(client.get("/practice/export.csv").streaming_content).decode()[1:]
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert [c["titles"] for c in columns] == rows[0]
    # Every value fits its column's datatype.
    for index, column in enumerate(columns):
        kind = column["datatype"]
        for row in rows[1:]:
            value = row[index]
            if not value:
                continue
            if kind == "integer":
                int(value)
            elif kind == "date":
                datetime.date.fromisoformat(value)
            elif kind == "dateTime":
                datetime.datetime.fromisoformat(value)
            elif kind == "anyURI":
                assert value.startswith("http")
            elif isinstance(kind, dict):
                assert value in kind["format"].split("|"), (column["name"], value)
