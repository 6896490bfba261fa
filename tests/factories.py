import datetime

import factory

from accounts.models import Department, User
from records.models import Category, Location, LocationKind, Record, RecordStatus, SecurityLevel


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.Sequence(lambda n: f"部门{n}")


def marketing_department():
    department, _ = Department.objects.get_or_create(
        code="SCB", defaults={"name": "市场部", "owns_archive": True}
    )
    return department


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    department = factory.LazyFunction(marketing_department)
    password = factory.PostGenerationMethodCall("set_password", "pass-for-tests-1")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def category(code="HTDL"):
    """A seeded category of the file plan (records.file_plan)."""
    return Category.objects.get(code=code)


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    kind = LocationKind.ROOM
    code = factory.Sequence(lambda n: f"R{n}")
    name = factory.Sequence(lambda n: f"档案室{n}")


class RecordFactory(factory.django.DjangoModelFactory):
    """An item as submitted; use records.services.record_file to file it."""

    class Meta:
        model = Record

    title = factory.Sequence(lambda n: f"代理商协议第{n}号")
    category = factory.LazyFunction(category)
    year = 2024
    document_date = datetime.date(2024, 3, 1)
    responsible_party = "市场部"
    security_level = SecurityLevel.INTERNAL
    retention_years = 30
    status = RecordStatus.SUBMITTED
    department = factory.LazyFunction(marketing_department)
