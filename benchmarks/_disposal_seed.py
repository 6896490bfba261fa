"""Seeding of benchmarks/disposal.py: records of which a known share is
due at the end of the appraisal year, some held, some on loan, files on
disk; what was seeded is written to manifest.json for the benchmark's own
arithmetic."""
import datetime
import hashlib
import json
import random
import time

from search import KINDS, TOPICS

TODAY = datetime.date.today()
# The appraisal year: the last one that has ended, so everything due is
# also past its retention on the day of destruction.
YEAR = TODAY.year - 1
DUE_SHARE, DUE_HELD, DUE_ON_LOAN, DUE_RELEASED = 0.12, 0.05, 0.03, 0.01
OTHER_HELD, OTHER_ON_LOAN, OTHER_FILES = 0.01, 0.02, 0.10
# Written into the manifest: a seed made with other shares is made again.
SHARES = [DUE_SHARE, DUE_HELD, DUE_ON_LOAN, DUE_RELEASED, OTHER_HELD, OTHER_ON_LOAN, OTHER_FILES]
BATCH = 10_000


# -- seeding -------------------------------------------------------------------


def _record_fields(rng, due):
    """(kind, year) of a record: due ones end their retention by 31
    December of YEAR, the others later or never."""
    if due:
        code, years, make_title = rng.choice([kind for kind in KINDS if kind[1] is not None])
        return code, years, make_title, rng.randint(YEAR - years - 12, YEAR - years)
    code, years, make_title = rng.choice(KINDS)
    if years is None:
        return code, years, make_title, rng.randint(2005, YEAR)
    return code, years, make_title, rng.randint(YEAR - years + 1, min(YEAR + 1, TODAY.year))


def _fate(rng, due):
    """What happens to a record after it is filed: held, lent, held and
    released, or nothing. Disjoint, so the expected count is plain."""
    roll = rng.random()
    if due:
        shares = [("held", DUE_HELD), ("on_loan", DUE_ON_LOAN), ("released", DUE_RELEASED)]
    else:
        shares = [("held", OTHER_HELD), ("on_loan", OTHER_ON_LOAN)]
    for fate, share in shares:
        if roll < share:
            return fate
        roll -= share
    return "plain"


def _write_file(media_root, record, rng):
    """A small PDF-like file of `record` in the storage; the Attachment row."""
    from records.models import Attachment

    name = f"{record.pk}/{rng.getrandbits(128):032x}"
    content = (f"%PDF-1.4\n% {record.archive_number} {record.title}\n".encode() + rng.randbytes(1500))
    path = media_root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return Attachment(
        record=record, file=name, original_name=f"{record.archive_number}.pdf", size=len(content),
        content_type="application/pdf", sha256=hashlib.sha256(content).hexdigest(),
        extracted_text=f"{record.title}。本件为{rng.choice(TOPICS)}的扫描件，共{rng.randint(1, 40)}页。",
    )


def _seed_batch(rng, count, counters, categories, department, uploader, manifest):
    from django.conf import settings
    from django.db import transaction

    from records.models import Attachment, Record, RecordStatus
    from records.models.choices import retention_code

    rows, plans = [], []
    for _ in range(count):
        due = rng.random() < DUE_SHARE
        code, years, make_title, year = _record_fields(rng, due)
        item = counters[(code, year)] = counters.get((code, year), 0) + 1
        record = Record(
            archive_number=f"J001-{code}·{year}-{retention_code(years)}-SCB-{item:04d}", item_number=item,
            title=make_title(rng), category=categories[code], year=year,
            document_date=datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
            responsible_party="市场部", security_level=rng.choice(["public", "internal", "internal", "confidential"]),
            retention_years=years, pages=rng.randint(1, 60), status=RecordStatus.FILED, department=department,
            keywords=rng.choice(TOPICS),
        )
        # bulk_create skips Record.save(), which computes the end of retention.
        record.retention_expires_on = record.compute_retention_expiry()
        rows.append(record)
        plans.append((due, _fate(rng, due), due or rng.random() < OTHER_FILES))
    with transaction.atomic():
        created = Record.objects.bulk_create(rows)
        attachments = []
        for record, (due, fate, with_file) in zip(created, plans):
            manifest["due" if due else "other"].setdefault(fate, []).append(record.pk)
            if with_file:
                attachments.append(_write_file(settings.PRIVATE_MEDIA_ROOT, record, rng))
        for attachment in attachments:
            attachment.uploaded_by = uploader
        Attachment.objects.bulk_create(attachments)
        manifest["files"].update({str(a.record_id): a.file.name for a in attachments})


def _users():
    """The archivist, the department head, leadership and two witnesses."""
    from accounts.models import Department, User
    from accounts.roles import Role, assign_role

    marketing, _ = Department.objects.get_or_create(code="SCB", defaults={"name": "市场部", "owns_archive": True})
    people = {}
    for username, full_name, role in [
        ("bench-archivist", "档案员", Role.ARCHIVIST), ("bench-head", "部门负责人", Role.DEPARTMENT_HEAD),
        ("bench-leader", "分管领导", Role.LEADERSHIP), ("bench-witness-1", "监销人甲", Role.STAFF),
        ("bench-witness-2", "监销人乙", Role.STAFF),
    ]:
        user, _ = User.objects.get_or_create(username=username, defaults={"department": marketing, "full_name": full_name})
        assign_role(user, role)
        people[username.removeprefix("bench-")] = user
    return marketing, people


def _holds_and_loans(manifest, people):
    """Through the records services, as the holds screen and lending do."""
    from records.history import ChangeReason
    from records.models import Hold, Record
    from records.services import record_check_out
    from records.services.holds import hold_release, holds_place

    held = manifest["due"].get("held", []) + manifest["other"].get("held", [])
    released = manifest["due"].get("released", [])
    if held:
        holds_place(records=held, by=people["head"], reason="合同纠纷诉讼，保全证据", scope="诉讼保全")
    if released:
        holds_place(records=released, by=people["head"], reason="审计抽查", scope="审计")
        for hold in Hold.objects.filter(record_id__in=released).order_by("pk"):
            hold_release(hold=hold, by=people["head"], reason="审计结束")
    lent = manifest["due"].get("on_loan", []) + manifest["other"].get("on_loan", [])
    for record in Record.objects.filter(pk__in=lent).order_by("pk"):
        record_check_out(record=record, reason=ChangeReason.CHECKED_OUT, by=people["archivist"])
    return len(held) + len(released), len(lent)


def seed(count, run_dir, random_seed=2026):
    from records.models import Category
    from records.search import rebuild_index

    rng = random.Random(random_seed)
    started = time.monotonic()
    marketing, people = _users()
    categories = {c.code: c for c in Category.objects.filter(code__in=[kind[0] for kind in KINDS])}
    manifest = {"records": count, "year": YEAR, "shares": SHARES, "due": {}, "other": {}, "files": {}}
    counters = {}
    for start in range(0, count, BATCH):
        _seed_batch(rng, min(BATCH, count - start), counters, categories, marketing, people["archivist"], manifest)
        print(f"  seeded {min(start + BATCH, count):,} of {count:,} records ({time.monotonic() - started:.0f} s)", flush=True)
    rebuild_index()
    print(f"  search index built ({time.monotonic() - started:.0f} s)", flush=True)
    holds, loans = _holds_and_loans(manifest, people)
    print(f"  {holds:,} holds placed, {loans:,} records handed out ({time.monotonic() - started:.0f} s)", flush=True)
    (run_dir / "manifest.json").write_text(json.dumps(manifest))
