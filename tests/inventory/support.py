"""Builders for the inventory tests: a room with a cabinet of boxes,
records filed into them, a stocktake, and a snapshot of everything a
refused step must leave as it was."""
from django.contrib.auth.models import Permission

from inventory import services
from inventory.models import Difference, Expected, RepairTask, Scan, Stocktake, StocktakeCounter, StocktakeUnit, WriteOff
from records.models import Location, LocationKind, Record
from records.services import record_check_out, record_mark_missing
from tests.factories import LocationFactory, UserFactory


def shelves(boxes=2, room_code="R1"):
    """(room, cabinet, [boxes]): the cabinet C1 of the room holds the boxes B001..."""
    room = LocationFactory(code=room_code, name="一号档案室")
    cabinet = LocationFactory(kind=LocationKind.CABINET, parent=room, code="C1", name="一号柜")
    return room, cabinet, [
        LocationFactory(kind=LocationKind.BOX, parent=cabinet, code=f"B{n:03d}", name=f"{n}号盒")
        for n in range(1, boxes + 1)
    ]


def filed_in(filed_record, box, count=1, **kwargs):
    return [filed_record(location=box, **kwargs) for _ in range(count)]


def on_loan(record, by):
    return record_check_out(record=record, reason="借出", by=by)


def missing(record, by):
    return record_mark_missing(record=record, reason="遗失", by=by)


def unit_of(stocktake, box):
    return StocktakeUnit.objects.get(stocktake=stocktake, location=box)


def scan(stocktake, box, record_or_code, by, **kwargs):
    code = record_or_code if isinstance(record_or_code, str) else record_or_code.archive_number
    return services.scan_record(unit=unit_of(stocktake, box), code=code, by=by, **kwargs)


def counter_without_confidential(username="counter"):
    """Someone who files records (records.file_record) but may not see
    confidential ones."""
    user = UserFactory(username=username)
    user.user_permissions.add(Permission.objects.get(codename="file_record", content_type__app_label="records"))
    return type(user).objects.get(pk=user.pk)


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def state():
    """Everything a refused step must leave as it was."""
    return {
        "stocktakes": list(Stocktake.objects.order_by("pk").values()),
        "units": list(StocktakeUnit.objects.order_by("pk").values()),
        "expected": Expected.objects.count(),
        "scans": list(Scan.objects.order_by("pk").values()),
        "differences": list(Difference.objects.order_by("pk").values()),
        "write_offs": list(WriteOff.objects.order_by("pk").values()),
        "repairs": list(RepairTask.objects.order_by("pk").values()),
        "counters": list(StocktakeCounter.objects.order_by("pk").values()),
        "records": list(Record.objects.order_by("pk").values("pk", "status", "location_id", "copies", "updated_at")),
        "locations": Location.objects.count(),
        "history": {
            model.__name__: model.history.count()
            # Scans keep no history: they are compared row by row above.
            for model in (Stocktake, StocktakeUnit, Difference, WriteOff, RepairTask, Record)
        },
    }


def one_of_each(archivist, filed_record):
    """One row with history of every inventory model the back office shows
    (the every-history-page test opens them): a stocktake of one box with
    a damaged item scanned, its difference accepted, a write-off requested
    and a repair task."""
    from django.utils import timezone

    from inventory.models import Condition, DifferenceKind, Resolution

    _room, _cabinet, (box,) = shelves(1, room_code="RH")
    record = filed_in(filed_record, box)[0]
    stocktake = services.stocktake_open(year=timezone.localdate().year, locations=[box], by=archivist)
    scan(stocktake, box, record, archivist, condition=Condition.DAMAGED, note="破损")
    services.difference_resolve(stocktake=stocktake, record=record, kind=DifferenceKind.DAMAGED,
                                resolution=Resolution.ACCEPTED, note="已知", by=archivist)
    now = timezone.now()
    WriteOff.objects.create(record=record, kind="loss", reason="遗失", requested_by=archivist, requested_at=now)
    RepairTask.objects.create(record=record, kind="repair", due_on=now.date(), opened_by=archivist, opened_at=now)
    return stocktake
