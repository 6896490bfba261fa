"""The cheaper ways the record pages do their work (issue 11) show the same
as the ways they replace: drop-downs written in Python as Django's
templates write them, choice labels as get_<field>_display shows them, and
the counts by status in one statement compiled once, off the index."""
import pytest
from django import forms
from django.db import connection
from django.template import engines
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from records.filters import PlainSelect
from records.forms import CatalogueForm
from records.forms_search import RecordSearchForm
from records.maintenance.statistics import refresh_planner_statistics
from records.models import Category, Medium, Record, RecordStatus, SecurityLevel
from records.paging import capped_counts, capped_counts_by
from records.selectors import visible_records
from tests.query_counts import count_queries
from tests.records import volume


def _with_django_selects(form):
    """`form` with each PlainSelect replaced by Django's own Select."""
    for field in form.fields.values():
        if isinstance(field.widget, PlainSelect):
            plain = field.widget
            field.widget = forms.Select(attrs=plain.attrs, choices=plain.choices)
            field.widget.is_required = plain.is_required
    return form


class GroupedForm(forms.Form):
    choice = forms.ChoiceField(
        choices=[("", "—"), ("Group <b>", [("1", "one & two"), ("2", '"two"')]), ("3", "three")],
        widget=PlainSelect(attrs={"class": 'a"b', "disabled": True, "data-n": 5, "hidden": False}),
    )


FORMS = [
    (RecordSearchForm, None),
    (RecordSearchForm, {"q": "合同"}),
    (RecordSearchForm, {"status": "filed", "security_level": "internal", "retention": "y", "order": "date"}),
    (RecordSearchForm, {"category": "999999", "status": "bogus", "location": "x", "retention": "5"}),
    (CatalogueForm, None),
    (CatalogueForm, {"year": "2024", "format": "xlsx"}),
    (GroupedForm, {"choice": "2"}),
    (GroupedForm, {"choice": "nope"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(("form_class", "data"), FORMS)
def test_plain_select_writes_what_djangos_select_template_writes(form_class, data, language):
    volume.records(1)  # the categories of the file plan, and a location-less archive
    if data and "category" not in data and form_class is not GroupedForm:
        data = {**data, "category": str(Category.objects.get(code="HTDL").pk)}
    with translation.override(language):
        ours, djangos = form_class(data), _with_django_selects(form_class(data))
        selects = [name for name, field in ours.fields.items() if isinstance(field.widget, PlainSelect)]
        assert selects
        for name in selects:
            assert str(ours[name]) == str(djangos[name])
            assert "<option" in str(ours[name])


def test_the_record_search_filters_are_plain_selects():
    form = RecordSearchForm()
    assert {name for name, field in form.fields.items() if isinstance(field.widget, PlainSelect)} == {
        "category", "security_level", "status", "location", "retention", "order",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_choice_label_shows_what_get_display_shows(language):
    template = engines["django"].from_string(
        '{% load choice_labels %}{{ record|choice_label:"status" }}|{{ record|choice_label:"security_level" }}'
        '|{{ record|choice_label:"medium" }}|{{ missing|choice_label:"status" }}'
    )
    record = Record(status=RecordStatus.FILED, security_level=SecurityLevel.INTERNAL, medium=Medium.PAPER)
    with translation.override(language):
        for status in [*RecordStatus, "unknown"]:
            for level in [*SecurityLevel, "unknown"]:
                record.status, record.security_level = status, level
                expected = f"{record.get_status_display()}|{record.get_security_level_display()}"
                assert template.render({"record": record}) == f"{expected}|{record.get_medium_display()}|"


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.STAFF, Role.OUTSIDE_STAFF, Role.ARCHIVIST, Role.LEADERSHIP])
def test_capped_counts_by_counts_as_capped_counts(role_users, role, staff):
    volume.records(13)
    volume.records(4, status=RecordStatus.SUBMITTED, submitted_by=volume.people(2))
    volume.records(3, status=RecordStatus.DRAFT, submitted_by=role_users[role])
    visible = visible_records(role_users[role])
    for limit in (1, 5, 100):
        expected = capped_counts({status: visible.filter(status=status) for status in RecordStatus}, limit)
        with count_queries() as counted:
            assert capped_counts_by(visible, "status", RecordStatus, limit) == expected
        assert counted.total == 1
    assert capped_counts_by(visible.none(), "status", RecordStatus, 5) == {status: 0 for status in RecordStatus}
    assert capped_counts_by(visible, "status", [], 5) == {}


@pytest.mark.django_db
def test_the_home_page_counts_by_status_in_one_statement(client, staff):
    volume.records(12)
    volume.records(2, status=RecordStatus.DRAFT, submitted_by=staff)
    client.force_login(staff)
    client.get(reverse("home"))
    with count_queries() as counted:
        response = client.get(reverse("home"))
    # The to-do list (records.todo) counts the staff member's own drafts and
    # returned items apart; the statuses are one statement.
    counting = [sql for sql in counted.statements if "COUNT(*)" in sql and "UNION ALL" in sql and "records_record" in sql]
    assert len(counting) == 1 and counting[0].count("UNION ALL") == len(RecordStatus) - 1
    counts = {item["status"]: item["count"] for item in response.context["status_counts"]}
    # The staff member sees public and internal records, and their own drafts.
    assert counts == {RecordStatus.DRAFT: 2, RecordStatus.FILED: 9}


def _plan(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return " / ".join(row[-1] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL's autovacuum keeps its statistics")
@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.STAFF, Role.OUTSIDE_STAFF, Role.ARCHIVIST, Role.LEADERSHIP])
def test_with_statistics_each_status_is_counted_off_the_index(role_users, role):
    """A status nobody's records are in is counted without reading the
    table (before, the planner scanned all of it for each such status)."""
    volume.records(300, index=False)
    volume.records(30, status=RecordStatus.SUBMITTED, submitted_by=volume.people(3), index=False)
    refresh_planner_statistics()
    visible = visible_records(role_users[role])
    for status in (RecordStatus.DESTROYED, RecordStatus.FILED):
        arm = visible.filter(status=status).order_by().values("pk")[:10001]
        plan = _plan(*arm.query.sql_with_params())
        assert "COVERING INDEX record_status_visibility" in plan or "COVERING INDEX records_record_status" in plan, plan


@pytest.mark.django_db
def test_the_status_counts_index_reads_open_levels_first():
    """record_status_visibility orders each status's rows by level code,
    descending, so that public and internal records come before the
    confidential ones most users may not see: a count stopping at the cap
    then does not step over them first. That holds while the codes sort so."""
    assert sorted(SecurityLevel.values, reverse=True) == [
        SecurityLevel.PUBLIC, SecurityLevel.INTERNAL, SecurityLevel.CONFIDENTIAL,
    ]
    with connection.cursor() as cursor:
        index = connection.introspection.get_constraints(cursor, Record._meta.db_table)["record_status_visibility"]
    assert index["columns"] == ["status", "security_level", "submitted_by_id"]
    assert index["orders"] == ["ASC", "DESC", "ASC"]
