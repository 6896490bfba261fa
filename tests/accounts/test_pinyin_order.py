"""People in pinyin order (issue 15): the key of a name (core.pinyin) and
every list of people by name (choices in the portal's forms, the back
office's list of users). 华 hua before 王 wang before 张 zhang; Latin names
among them; a polyphonic surname read as a surname. The order is the stored
key's, not the database's collation: the same on SQLite and PostgreSQL."""
import importlib

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from accounts.admin.users import UserAdmin
from clients.forms import ClientProfileForm
from core.pinyin import fill_pinyin_keys, pinyin_key
from disposal.forms import DestructionForm
from documents.forms_correspondence import CorrespondenceForm
from documents.forms_desk import recipient_choices
from tests.admin_support import admin_url
from tests.factories import UserFactory

User = get_user_model()

# Code-point order would be: Alice, Wang, 华, 张, 王, 黄.
PEOPLE = ["Alice Wu", "华强", "黄蓉", "Wang Lei", "王小明", "张伟"]


def make_people(names):
    # Usernames in reverse order, so that neither pk nor username order passes the tests.
    return [UserFactory(username=f"u{index}", full_name=name) for index, name in enumerate(reversed(names))]


@pytest.mark.parametrize(
    ("text", "person", "key"),
    [
        ("华", False, "hua2"),
        ("王小明", False, "wang2xiao3ming2"),
        ("张", False, "zhang1"),
        ("黄", False, "huang2"),
        ("绿", False, "lv4"),
        ("Alice Wang", False, "alice0wang0"),
        ("ＡＢＣ１２３公司", False, "abc1230gong1si1"),  # full-width as half-width
        ("Élodie", False, "elodie0"),
        ("（北京）广告有限公司", False, "bei3jing1guang3gao4you3xian4gong1si1"),
        ("重庆广告", False, "chong2qing4guang3gao4"),  # pypinyin's phrase dictionary
        ("曾国藩", True, "zeng1guo2fan1"),
        ("曾国藩", False, "ceng2guo2fan1"),
        ("单雄信", True, "shan4xiong2xin4"),
        ("尉迟恭", True, "yu4chi2gong1"),
        ("", False, ""),
        (None, False, ""),
    ],
)
def test_pinyin_key(text, person, key):
    assert pinyin_key(text, person=person) == key


def test_keys_order_syllable_by_syllable_latin_before_the_same_reading():
    names = ["张", "王", "华", "黄", "花", "Wang", "Hua Wei", "华为", "王五", "王"]
    assert sorted(names, key=lambda name: (pinyin_key(name), name)) == [
        "Hua Wei", "花", "华", "华为", "黄", "Wang", "王", "王", "王五", "张",
    ]


def test_keys_are_plain_lower_case_ascii_letters_and_digits():
    """Every collation (binary, C.UTF-8, en_US.UTF-8, ICU) orders such keys alike."""
    for name in ["Зоя Иванова", "山田 太郎", "O'Brien-Smith", "李·明", "𠮷野家", "Ǆemal"]:
        key = pinyin_key(name, person=True)
        assert key and key.isascii() and key.isalnum() and key == key.lower(), (name, key)


def test_a_long_name_is_cut_to_the_column():
    assert len(pinyin_key("庄" * 200)) == 255


def test_a_person_is_keyed_by_the_name_shown(db):
    named = UserFactory(username="zz", full_name="华强")
    assert named.name_sort_key == "hua4qiang2"
    western = UserFactory(username="yy", full_name="", first_name="Alice", last_name="Wu")
    assert western.name_sort_key == "alice0wu0"
    plain = UserFactory(username="Admin", full_name="")
    assert plain.name_sort_key == "admin0"


def test_a_renamed_person_gets_a_new_key(db):
    person = UserFactory(full_name="张伟")
    person.full_name = "曾伟"
    person.save()
    person.refresh_from_db()
    assert person.name_sort_key == "zeng1wei3"


def test_the_sort_key_leaves_no_history_of_its_own(db):
    person = UserFactory(full_name="张伟")
    assert not hasattr(person.history.model, "name_sort_key")


def test_people_are_listed_in_pinyin_order_by_default(db):
    make_people(PEOPLE)
    assert [user.full_name for user in User.objects.filter(full_name__in=PEOPLE)] == PEOPLE


def test_the_client_form_offers_staff_in_pinyin_order(db):
    make_people(PEOPLE)
    names = [user.full_name for user in ClientProfileForm().fields["responsible"].queryset]
    assert [name for name in names if name in PEOPLE] == PEOPLE


def test_the_destruction_form_offers_people_in_pinyin_order(db):
    make_people(PEOPLE)
    names = [label for _value, label in DestructionForm().fields["executor"].choices][1:]
    assert [name.split(" (")[0] for name in names if name.split(" (")[0] in PEOPLE] == PEOPLE


def test_the_correspondence_form_offers_handlers_in_pinyin_order(db):
    make_people(PEOPLE)
    names = [user.full_name for user in CorrespondenceForm().fields["handler"].queryset]
    assert [name for name in names if name in PEOPLE] == PEOPLE


def test_the_distribution_list_offers_people_in_pinyin_order(db):
    make_people(PEOPLE)  # all in the marketing department (the factory's)
    people, _departments = recipient_choices()
    names = [label.split(" · ")[0] for _value, label in people[1:]]
    assert [name for name in names if name in PEOPLE] == PEOPLE


def test_the_back_office_lists_users_in_pinyin_order(client, sysadmin):
    make_people(PEOPLE)
    assert UserAdmin.ordering[0] == "name_sort_key"
    client.force_login(sysadmin)
    page = client.get(admin_url(User, "changelist")).content.decode()
    positions = [page.index(f">{name}<") for name in PEOPLE]
    assert positions == sorted(positions)


def test_the_migration_keys_existing_people_in_batches(db):
    make_people(PEOPLE)
    User.objects.update(name_sort_key="")
    migration = importlib.import_module("accounts.migrations.0006_user_name_sort_key")
    migration.key_existing_users(apps, None)
    assert [user.full_name for user in User.objects.filter(full_name__in=PEOPLE)] == PEOPLE
    User.objects.update(name_sort_key="")
    fill_pinyin_keys(User, lambda user: pinyin_key(user.full_name or user.username), fields=["full_name", "username"],
                     batch_size=2)
    assert User.objects.filter(name_sort_key="").count() == 0
    assert User.objects.get(full_name="王小明").name_sort_key == "wang2xiao3ming2"


def test_the_back_office_sorts_the_name_column_in_pinyin_order(client, sysadmin):
    make_people(PEOPLE)
    client.force_login(sysadmin)
    url = admin_url(User, "changelist")
    index = client.get(url).context["cl"].list_display.index("full_name_column")
    page = client.get(f"{url}?o=-{index}").content.decode()
    positions = [page.index(f">{name}<") for name in reversed(PEOPLE)]
    assert positions == sorted(positions)
