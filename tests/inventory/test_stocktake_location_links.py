"""Stocktake screens link each place they name to what it holds
(inventory.views.boxes.location_contents, issue 16): the scope on the list,
the confirmation and the stocktake's page, and every box in its table.
Whoever reads a stocktake may open those pages (anyone signed in may), and
they list only the records the reader may see."""
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from inventory import services
from tests.disposal.views_support import signed_in, text_of
from tests.inventory.support import filed_in, shelves

YEAR = timezone.localdate().year


def contents_url(location):
    return reverse("location_contents", args=[location.pk])


def linked_places(html):
    """{href: link text} of the links to a place's contents."""
    prefix = reverse("location_contents", args=[0]).rsplit("0/", 1)[0]
    return {
        href: re.sub(r"<[^>]+>|\s+", " ", text).split()
        for href, text in re.findall(r'<a href="(' + re.escape(prefix) + r'\d+/)"[^>]*>(.*?)</a>', html, re.S)
    }


@pytest.fixture
def shelved(archivist, filed_record):
    _room, cabinet, (box1, box2) = shelves(2)
    filed_in(filed_record, box1, 2)
    filed_in(filed_record, box2, 1)
    return cabinet, box1, box2


def test_the_stocktake_page_links_its_scope_and_every_box_to_their_contents(client, department_head, archivist, shelved):
    cabinet, box1, box2 = shelved
    stocktake = services.stocktake_open(year=YEAR, locations=[cabinet], by=archivist)
    html = text_of(signed_in(client, department_head).get(reverse("inventory_stocktake_detail", args=[stocktake.pk])))
    links = linked_places(html)
    assert links[contents_url(cabinet)] == ["R1-C1", "一号柜"]
    assert links[contents_url(box1)] == ["R1-C1-B001", "1号盒"]
    assert links[contents_url(box2)] == ["R1-C1-B002", "2号盒"]
    # The head reads the stocktake without running it, and may follow the link.
    box_page = client.get(contents_url(box1))
    assert box_page.status_code == 200 and len(box_page.context["records"]) == 2


def test_the_list_and_the_confirmation_link_the_scope(client, archivist, shelved):
    cabinet, box1, _box2 = shelved
    signed_in(client, archivist)
    confirm = client.post(reverse("inventory_stocktake_open"), {"year": YEAR, "scope": "chosen", "locations": [box1.pk]})
    assert linked_places(text_of(confirm))[contents_url(box1)] == ["R1-C1-B001", "1号盒"]
    services.stocktake_open(year=YEAR, locations=[cabinet], by=archivist)
    listed = linked_places(text_of(client.get(reverse("inventory_stocktakes"), {"year": YEAR})))
    assert listed[contents_url(cabinet)] == ["R1-C1", "一号柜"]
