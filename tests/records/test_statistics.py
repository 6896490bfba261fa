"""The statistics page (/statistics/) and the home page's charts: for the
archivist, the department head and leadership only; every chart drawn as
SVG that parses, with its numbers as a table; queries that do not grow with
the archive."""
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from accounts.roles import Role
from records.models import Record, RecordStatus
from tests.lending import volume
from tests.query_counts import queries_for

pytestmark = pytest.mark.django_db

ALLOWED = [Role.ARCHIVIST, Role.DEPARTMENT_HEAD, Role.LEADERSHIP]
REFUSED = [Role.STAFF, Role.OUTSIDE_STAFF, Role.SYSADMIN]
CHARTS = ["records.holdings", "records.intake", "lending.loans_per_month", "lending.overdue", "records.retention"]
HOME_CHARTS = ["records.intake", "lending.overdue"]


def _svgs(html):
    return [ET.fromstring(svg) for svg in re.findall(r"<svg xmlns=.*?</svg>", html, flags=re.S)]


def _chart_keys(html):
    return re.findall(r'<figure class="chart" data-chart="([^"]+)"', html)


@pytest.mark.parametrize("role", ALLOWED)
def test_statistics_page_shows_every_chart_with_its_table(client, role_users, role):
    volume.records(7)
    client.force_login(role_users[role])
    response = client.get(reverse("statistics"))
    html = response.content.decode()
    assert response.status_code == 200
    assert _chart_keys(html) == CHARTS
    # Each chart with data is a picture that parses; each has its table.
    drawn = {svg.get("data-chart") for svg in _svgs(html)}
    assert {"records.holdings", "records.intake"} <= drawn
    assert html.count("<details class=\"chart__data\">") == len(CHARTS)
    holdings = next(chart for chart in response.context["charts"] if chart.key == "records.holdings")
    assert holdings.total == Record.objects.filter(status__in=RecordStatus.on_the_books()).count() == 7
    assert '<td class="num">7</td>' in html


@pytest.mark.parametrize("role", REFUSED)
def test_others_are_refused(client, role_users, role):
    client.force_login(role_users[role])
    response = client.get(reverse("statistics"))
    assert response.status_code == 403
    assert "chart__svg" not in response.content.decode()


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("statistics"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_statistics_page_only_reads(client, archivist):
    client.force_login(archivist)
    assert client.post(reverse("statistics")).status_code == 405


def test_empty_archive_says_so_instead_of_drawing(client, archivist):
    client.force_login(archivist)
    html = client.get(reverse("statistics")).content.decode()
    assert _svgs(html) == []
    assert html.count('class="empty chart__empty"') == len(CHARTS)


@pytest.mark.parametrize("role", ALLOWED)
def test_home_page_shows_the_summary_charts_and_the_way_to_all(client, role_users, role):
    volume.records(3)
    client.force_login(role_users[role])
    html = client.get(reverse("home")).content.decode()
    assert 'data-panel="charts-summary"' in html
    assert _chart_keys(html) == HOME_CHARTS
    assert f'href="{reverse("statistics")}"' in html
    assert "css/charts.css" in html


@pytest.mark.parametrize("role", REFUSED)
def test_home_page_of_others_has_no_charts(client, role_users, role):
    volume.records(3)
    client.force_login(role_users[role])
    html = client.get(reverse("home")).content.decode()
    assert 'data-panel="charts-summary"' not in html
    assert _chart_keys(html) == []


@pytest.mark.parametrize("role", [Role.ARCHIVIST, Role.LEADERSHIP])
def test_statistics_page_queries_do_not_grow_with_rows(client, role_users, staff, archivist, role):
    client.force_login(role_users[role])
    volume.records(10)
    small = queries_for(client, reverse("statistics"))
    volume.records(990)
    large = queries_for(client, reverse("statistics"))
    assert small == large
    # The page's own reads: the session and the user, then one per chart.
    assert large <= len(CHARTS) + 8, large
