"""The distribution list (documents_distribute, R-CTRL-2): rows of a
person or a department and how many copies, empty rows drawn without
script and more on request; a first post shows the controlled numbers the
list will get, the confirmed post issues them; bad rows come back naming
the row, a refused list (an inactive person, a department nobody can sign
for) issues nothing; copies issued meanwhile show the list again with its
new numbers; only the archivist, only while the document may be
distributed."""
import re

import pytest
from django.urls import reverse

from documents.models import ControlledCopy, CopyState, DocumentState
from tests.disposal.views_support import shown_messages, text_of
from tests.disposal.views_support import signed_in as _signed_in
from tests.documents.support import fresh, make_copy, make_document
from tests.factories import DepartmentFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_storage")]


def signed_in(client, user):
    # The builders get the "archivist" user again, which sets its password anew.
    user.refresh_from_db()
    return _signed_in(client, user)


def url(document):
    return reverse("documents_distribute", args=[document.pk])


def rows(*filled, total=5, **extra):
    """The formset's data: `filled` rows of (person, department, copies), then empty ones."""
    data = {"rows-TOTAL_FORMS": str(total), "rows-INITIAL_FORMS": "0", "rows-MIN_NUM_FORMS": "0",
            "rows-MAX_NUM_FORMS": "200"}
    for number in range(total):
        person, department, copies = filled[number] if number < len(filled) else ("", "", "")
        data[f"rows-{number}-person"] = getattr(person, "pk", person)
        data[f"rows-{number}-department"] = getattr(department, "pk", department)
        data[f"rows-{number}-copies"] = copies
    return {**data, **extra}


def confirmed(document, data):
    return {**data, "confirm": "True", "expected_last": str(fresh(document).last_copy_number)}


@pytest.fixture
def people():
    sales = DepartmentFactory(code="XSB", name="销售部")
    return {
        "zhang": UserFactory(full_name="张三"),
        "li": UserFactory(full_name="李四"),
        "sales": sales,
        "member": UserFactory(full_name="销售员", department=sales),
    }


def test_the_list_has_empty_rows_without_script_and_more_on_request(client, archivist):
    document = make_document()
    html = text_of(signed_in(client, archivist).get(url(document)))
    assert len(re.findall(r'<tr data-row="\d+"', html)) == 5
    # The rows come from the server: the page's content has no script (the
    # site's menu scripts in the header are not this list's).
    assert "<script" not in html.split("<main", 1)[1]
    more = text_of(client.post(url(document), rows(total=5, more_rows="1")))
    assert len(re.findall(r'<tr data-row="\d+"', more)) == 10
    assert not ControlledCopy.objects.exists()


def test_r_ctrl_2_the_confirmation_shows_the_numbers_then_issues_them(client, archivist, people):
    document = make_document(state=DocumentState.IN_FORCE)
    make_copy(document, recipient_user=people["li"])  # copy 1 is out already
    data = rows((people["zhang"], "", "2"), ("", people["sales"], ""))
    page = text_of(signed_in(client, archivist).post(url(document), data))
    first, last = (f"SK-{document.year}-{document.serial:03d}-{n:02d}" for n in (2, 4))
    assert f'data-first="{first}" data-last="{last}"' in page
    assert "张三" in page and "销售部" in page
    assert ControlledCopy.objects.count() == 1  # nothing issued before the confirmation
    response = client.post(url(document), confirmed(document, data))
    assert response.status_code == 302 and response.url == reverse("documents_document_detail", args=[document.pk])
    issued = list(ControlledCopy.objects.filter(copy_number__gt=1).order_by("copy_number"))
    assert [(c.control_number, c.recipient_user, c.recipient_department) for c in issued] == [
        (first, people["zhang"], None),
        (f"SK-{document.year}-{document.serial:03d}-03", people["zhang"], None),
        (last, None, people["sales"]),
    ]
    assert all(copy.state == CopyState.ISSUED for copy in issued)
    assert any(first in message and last in message for message in shown_messages(client, response))


def test_r_ctrl_2_the_first_distribution_puts_the_document_in_force(client, archivist, people):
    document = make_document()
    data = rows((people["zhang"], "", "1"))
    signed_in(client, archivist).post(url(document), confirmed(document, data))
    assert fresh(document).state == DocumentState.IN_FORCE
    assert ControlledCopy.objects.get().control_number.endswith("-01")


def test_copies_issued_meanwhile_show_the_list_again_with_its_new_numbers(client, archivist, people):
    document = make_document()
    data = confirmed(document, rows((people["zhang"], "", "1")))
    make_copy(document, recipient_user=people["li"])  # another archivist was quicker
    page = text_of(signed_in(client, archivist).post(url(document), data))
    assert "issued meanwhile" in page and f"SK-{document.year}-{document.serial:03d}-02" in page
    assert ControlledCopy.objects.count() == 1


@pytest.mark.parametrize("filled, words", [
    ([("", "", "")], "The distribution list is empty"),
    ([("zhang", "", "1"), ("zhang", "sales", "1")], "Row 2: Choose a person or a department, not both."),
    ([("zhang", "", "1"), ("", "", "3")], "Row 2: Choose a person or a department."),
    ([("zhang", "", "0")], "Row 1: Copies must be between 1 and 32767."),
    ([("zhang", "", "1"), ("", "", ""), ("", 999999, "1")], "Row 3: Select a valid choice."),
])
def test_bad_rows_come_back_naming_the_row_and_nothing_is_issued(client, archivist, people, filled, words):
    document = make_document()
    data = rows(*[tuple(people.get(value, value) if isinstance(value, str) else value for value in row) for row in filled])
    response = signed_in(client, archivist).post(url(document), confirmed(document, data))
    assert response.status_code == 200 and words in text_of(response)
    assert not ControlledCopy.objects.exists() and fresh(document).state == DocumentState.READY


def test_a_refused_list_issues_nothing(client, archivist, people):
    document = make_document()
    nobody = DepartmentFactory(code="KB", name="空部门")
    data = rows((people["zhang"], "", "2"), ("", nobody, "1"))
    response = signed_in(client, archivist).post(url(document), confirmed(document, data))
    assert response.status_code == 200 and "空部门" in text_of(response)
    assert not ControlledCopy.objects.exists() and fresh(document).last_copy_number == 0


def test_an_inactive_person_is_not_offered(client, archivist, people):
    gone = UserFactory(full_name="已离职", is_active=False)
    document = make_document()
    assert "已离职" not in text_of(signed_in(client, archivist).get(url(document)))
    response = client.post(url(document), confirmed(document, rows((gone, "", "1"))))
    assert "Row 1: Select a valid choice." in text_of(response)
    assert not ControlledCopy.objects.exists()


@pytest.mark.parametrize("state", [DocumentState.VOID, DocumentState.AWAITING_COUNTERSIGN, DocumentState.SUPERSEDED])
def test_a_document_not_distributable_sends_back_to_its_page(client, archivist, people, state):
    document = make_document(state=state)
    signed_in(client, archivist)
    response = client.post(url(document), confirmed(document, rows((people["zhang"], "", "1"))))
    assert response.status_code == 302 and not ControlledCopy.objects.exists()
    assert any("not distributed" in message for message in shown_messages(client, response))


def test_only_the_archivist_distributes(client, department_head, staff, people):
    document = make_document()
    for user in (department_head, staff):
        signed_in(client, user)
        assert client.get(url(document)).status_code == 403
        assert client.post(url(document), confirmed(document, rows((people["zhang"], "", "1")))).status_code == 403
    assert not ControlledCopy.objects.exists()
