"""Seeding of benchmarks/stocktake.py: records in boxes with a known truth
of what is on each shelf. Rooms, cabinets, boxes and records are written
with bulk_create (a seed, not what is measured); what each shelf really
holds and what the reconciliation must report is written to
manifest.json for the benchmark's own arithmetic.

Every record is filed in a box except the "extra" ones (filed, no box:
not on the books of any shelf). Fates, disjoint:

    missing        on the books of its box, on no shelf
    misplaced      on the books of its box, on the shelf of another box
    damaged        on its own shelf, scanned as damaged (R-INV-2)
    lent_out       on loan per the register, not on the shelf
    lent_on_shelf  on loan per the register but on its own shelf (conflict)
    plain          on its own shelf

plus extra records (no box) lying on a random shelf, a few codes that
are no record at all (unknown), and a second scan of some items by a
second archivist (already counted: two people counting the same box).
"""
import datetime
import json
import random
import time

SHARES = {"missing": 0.01, "misplaced": 0.01, "damaged": 0.01, "lent_out": 0.02, "lent_on_shelf": 0.002}
EXTRA_SHARE, UNKNOWN_SHARE, TWICE_SHARE = 0.005, 0.002, 0.005
BOXES_PER_CABINET = 50
BATCH = 10_000
YEAR = datetime.date.today().year - 1


def _fate(rng):
    roll = rng.random()
    for fate, share in SHARES.items():
        if roll < share:
            return fate
        roll -= share
    return "plain"


def _users():
    """Two archivists (two people may count the same box) in the department
    that owns the archive."""
    from accounts.models import Department, User
    from accounts.roles import Role, assign_role

    marketing, _ = Department.objects.get_or_create(code="SCB", defaults={"name": "市场部", "owns_archive": True})
    people = []
    for username, full_name in [("bench-archivist", "档案员"), ("bench-archivist-2", "档案员乙")]:
        user, _ = User.objects.get_or_create(username=username, defaults={"department": marketing, "full_name": full_name})
        assign_role(user, Role.ARCHIVIST)
        people.append(user)
    return marketing, people


def _boxes(count):
    """Room ST, its cabinets (50 boxes each) and `count` boxes: ids in order."""
    from records.models import Location, LocationKind

    room = Location(kind=LocationKind.ROOM, code="ST", name="盘点基准库房", full_code="ST")
    room.save()
    cabinets = Location.objects.bulk_create([
        Location(kind=LocationKind.CABINET, parent=room, code=f"C{n:03d}", name=f"{n}号柜", full_code=f"ST-C{n:03d}")
        for n in range(1, (count + BOXES_PER_CABINET - 1) // BOXES_PER_CABINET + 1)
    ])
    boxes = Location.objects.bulk_create([
        Location(
            kind=LocationKind.BOX, parent=cabinets[n // BOXES_PER_CABINET], code=f"B{n + 1:04d}", name=f"{n + 1}号盒",
            full_code=f"{cabinets[n // BOXES_PER_CABINET].full_code}-B{n + 1:04d}",
        )
        for n in range(count)
    ])
    return [box.pk for box in boxes]


def _record(n, category, department, box_id, status):
    from records.models import Record

    record = Record(
        archive_number=f"J001-HTQT·{YEAR}-D10-SCB-{n:06d}", item_number=n, title=f"盘点基准档案第{n}件", category=category,
        year=YEAR, responsible_party="市场部", security_level="internal", retention_years=10, pages=3,
        status=status, department=department, location_id=box_id,
    )
    record.retention_expires_on = record.compute_retention_expiry()
    return record


def _plan(rng, count, box_ids):
    """[(n, own box or None, fate, shelf box or None)] for every record."""
    plans = []
    for n in range(1, count + 1):
        if rng.random() < EXTRA_SHARE:
            plans.append((n, None, "extra", rng.choice(box_ids)))
            continue
        own = box_ids[(n - 1) % len(box_ids)]
        fate = _fate(rng)
        shelf = {"missing": None, "lent_out": None}.get(fate, own)
        if fate == "misplaced":
            shelf = rng.choice([box for box in box_ids if box != own]) if len(box_ids) > 1 else own
        plans.append((n, own, fate, shelf))
    return plans


def _write(plans, category, department):
    from django.db import transaction

    from records.models import Record, RecordStatus

    lent = {"lent_out", "lent_on_shelf"}
    ids = {}
    for start in range(0, len(plans), BATCH):
        rows = [
            _record(n, category, department, own, RecordStatus.ON_LOAN if fate in lent else RecordStatus.FILED)
            for n, own, fate, _shelf in plans[start:start + BATCH]
        ]
        with transaction.atomic():
            for record in Record.objects.bulk_create(rows):
                ids[record.item_number] = record.pk
    return ids


def _shelves(rng, plans, box_ids):
    """{box id: [(code, condition, second person)]} in the order scanned, and
    the truth the reconciliation must report."""
    from django.utils import timezone

    shelves = {box: [] for box in box_ids}
    truth = dict.fromkeys(["expected", "found", "on_loan", "missing", "misplaced", "extra", "conflicts", "damaged"], 0)
    for n, own, fate, shelf in plans:
        code = f"J001-HTQT·{YEAR}-D10-SCB-{n:06d}"
        if own is not None:
            truth["on_loan" if fate.startswith("lent") else "expected"] += 1
        counted = {"plain": "found", "damaged": "found", "missing": None, "misplaced": "misplaced", "extra": "extra",
                   "lent_out": None, "lent_on_shelf": "conflicts"}[fate]
        if fate == "missing":
            truth["missing"] += 1
        if counted:
            truth[counted] += 1
            condition = "damaged" if fate == "damaged" else "ok"
            truth["damaged"] += fate == "damaged"
            shelves[shelf].append((code, condition, False))
            if rng.random() < TWICE_SHARE:
                shelves[shelf].append((code, "ok", True))
    unknown = max(1, round(UNKNOWN_SHARE * len(plans)))
    for n in range(unknown):
        shelves[rng.choice(box_ids)].append((f"ZZ-{timezone.now():%Y}-NOT-ON-FILE-{n:05d}", "ok", False))
    for items in shelves.values():
        rng.shuffle(items)
    truth["unknown"] = unknown
    truth["twice"] = sum(second for items in shelves.values() for _code, _condition, second in items)
    return shelves, truth


def seed(count, box_count, run_dir, random_seed=2026):
    from records.models import Category

    rng = random.Random(random_seed)
    started = time.monotonic()
    department, _people = _users()
    category = Category.objects.get(code="HTQT")
    box_ids = _boxes(box_count)
    plans = _plan(rng, count, box_ids)
    _write(plans, category, department)
    print(f"  seeded {count:,} records in {box_count:,} boxes ({time.monotonic() - started:.0f} s)", flush=True)
    shelves, truth = _shelves(rng, plans, box_ids)
    manifest = {
        "records": count, "boxes": box_count, "shares": [SHARES, EXTRA_SHARE, UNKNOWN_SHARE, TWICE_SHARE],
        "truth": truth, "shelves": {str(box): items for box, items in shelves.items()},
    }
    (run_dir / "manifest.json").write_text(json.dumps(manifest))
