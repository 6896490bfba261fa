"""Every URL pattern of the site, from Django's resolver, made concrete with
objects of the matrix's world (tests/access_matrix/world.py).

A pattern with parameters is filled by the tables below: the portal's by URL
name, the back office's from the model its URL belongs to. A pattern no
table fills and EXCLUDED does not name is reported by `concrete_pages` and
fails the matrix: a new screen must be mapped here (or excluded, with the
reason) before the suite passes."""
import datetime
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from disposal.registers import SOURCES
from tests.access_matrix import patterns_documents, patterns_ledgers

# The portal's URLs with parameters: URL name -> the world's objects of a
# model (label) whose pk fills <pk>, or (label, object -> kwargs).
PORTAL = {
    "record_detail": "records.record",
    "submission_edit": "records.record",
    "submission_submit": "records.record",
    "record_return": "records.record",
    "record_correct": "records.record",
    "attachment_upload": "records.record",
    "attachment_download": "records.attachment",
    # Previews and thumbnails (issue 16) pass the download's checks.
    "attachment_preview": "records.attachment",
    "attachment_thumbnail": "records.attachment",
    # The searchable copy of a scan and a new try at reading it (issue 17): the download's checks.
    "attachment_ocr_copy": "records.attachment",
    "attachment_ocr_retry": "records.attachment",
    "handover_detail": "records.handover",
    "handover_pdf": "records.handover",
    # What a box (or any place) holds (issue 16): every location of the world.
    "location_contents": "records.location",
    "client_detail": "clients.client",
    "client_unmask": "clients.client",
    "client_mark_reviewed": "clients.client",
    "client_event_add": "clients.client",
    "client_edit": "clients.client",
    "client_contact_add": "clients.client",
    "client_contact_edit": ("clients.clientcontact", lambda contact: {"pk": contact.client_id, "contact_pk": contact.pk}),
    "lending_request_cancel": "lending.loanrequest",
    "lending_request_decide": "lending.loanrequest",
    "lending_hand_out": "lending.loanrequest",
    "lending_view_shown": "lending.loanrequest",
    "lending_extension_request": "lending.loan",
    "lending_return": "lending.loan",
    "lending_remind": "lending.loan",
    "lending_lost": "lending.loan",
    "lending_extension_decide": "lending.extension",
    "lending_incident_resolve": "lending.incident",
    "job_detail": "jobs.job",
    "job_download": "jobs.job",
    "notice_read": "accounts.notice",
    "disposal_hold_release": "records.hold",
    # The disposal lists' screens (disposal.views): every list, item and witness of the world.
    "disposal_list_detail": "disposal.disposallist",
    "disposal_list_opinion": "disposal.disposallist",
    "disposal_list_add": "disposal.disposallist",
    "disposal_list_submit": "disposal.disposallist",
    "disposal_list_return": "disposal.disposallist",
    "disposal_list_approve": "disposal.disposallist",
    "disposal_destruction_record": "disposal.disposallist",
    "disposal_list_execute": "disposal.disposallist",
    "disposal_item_edit": "disposal.listitem",
    "disposal_item_strike": "disposal.listitem",
    "disposal_witness_confirm": "disposal.witness",
    "disposal_weed_record": "records.record",
    # reconcile-screens (inventory.views.reconcile, write_offs): every stocktake and write-off of the world.
    "inventory_reconciliation": "inventory.stocktake",
    "inventory_difference_resolve": "inventory.stocktake",
    "inventory_write_off_detail": "inventory.writeoff",
    "inventory_write_off_approve": "inventory.writeoff",
    "inventory_write_off_refuse": "inventory.writeoff",
    # repair-screens (inventory.views.repairs): every repair task, every record (restored if missing).
    "inventory_repair_done": "inventory.repairtask",
    "inventory_record_restore": "records.record",
    # stocktake-report (inventory.views_registers): the report of every stocktake of the world.
    "inventory_stocktake_report": "inventory.stocktake",
    # stocktake-screens (inventory.views.stocktakes, counting): every stocktake and box of the world.
    "inventory_stocktake_detail": "inventory.stocktake",
    "inventory_stocktake_close": "inventory.stocktake",
    "inventory_unit_count": "inventory.stocktakeunit",
    "inventory_unit_scan": "inventory.stocktakeunit",
    "inventory_unit_mark_counted": "inventory.stocktakeunit",
    # A one-time link: the matrix asks with a token that is not valid.
    "password_reset_confirm": (
        "accounts.user", lambda user: {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": "not-valid"}
    ),
}


def _days_from_today(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _disposal_lists(world, register):
    """A query per format for each list of the world the register prints:
    the report of an appraisal list, the weeding list of a weeding list,
    the certificate of an executed list with its destruction."""
    form_class = SOURCES[f"disposal_{register}"][0]
    printable = set(form_class.lists.values_list("pk", flat=True))
    return [
        {"list": disposal_list.pk, "format": file_format}
        for _name, disposal_list in world.objects_of("disposal.disposallist")
        if disposal_list.pk in printable
        for file_format in ("xlsx", "pdf")
    ]


# Pages opened a second time with a query (a search, a filter, a download),
# by URL name: world -> [query parameters]. Every back-office list is also
# searched, and every autocomplete of the back office asked (_autocomplete_queries).
QUERIES = {
    "record_list": lambda world: [{"q": "矩阵"}],
    "client_list": lambda world: [{"q": "矩阵"}],
    "catalogue": lambda world: [
        {"category": world.records["confidential"].category_id, "year": 2024, "format": file_format}
        for file_format in ("xlsx", "pdf")
    ],
    "lending_register": lambda world: [
        {"date_from": _days_from_today(-30), "date_to": _days_from_today(1), "format": file_format}
        for file_format in ("xlsx", "pdf")
    ],
    "contract_ledger": lambda world: [{"format": file_format} for file_format in ("xlsx", "pdf")],
    # The disposal registers (disposal.registers) of every list of the world they print.
    "disposal_report_register": lambda world: _disposal_lists(world, "report"),
    "disposal_weeding_register": lambda world: _disposal_lists(world, "weeding"),
    "disposal_certificate_register": lambda world: _disposal_lists(world, "certificate"),
    "disposal_destroyed_register": lambda world: [
        {"format": "pdf"}, {"format": "xlsx"}, {"q": "矩阵", "year": 2000, "format": "pdf"}
    ],
    "disposal_holds_register": lambda world: [{"show": "all", "format": file_format} for file_format in ("xlsx", "pdf")],
    # The year-end appraisal of the world's year, and the lists by kind, state and year.
    "disposal_appraisal": lambda world: [{"year": 2024}, {"year": 2024, "category": world.records["public"].category_id}],
    "disposal_lists": lambda world: [{"kind": "appraisal", "state": "submitted", "year": 2024}],
    # stocktake-screens: the stocktakes of the world's year.
    "inventory_stocktakes": lambda world: [{"year": 2024}],
    # reconcile-screens: the reconciliation of each box, the waiting write-offs, the form filled from a record.
    "inventory_reconciliation": lambda world: [
        {"unit": unit.pk} for _name, unit in world.objects_of("inventory.stocktakeunit")
    ],
    "inventory_write_offs": lambda world: [{"state": "requested"}],
    "inventory_write_off_new": lambda world: [
        {"record": record.pk, "stocktake": stocktake.pk}
        for record in world.records.values() for _name, stocktake in world.objects_of("inventory.stocktake")
    ],
    # repair-screens: the task form filled from each record, the overdue and done tabs.
    "inventory_repair_new": lambda world: [{"record": record.pk} for record in world.records.values()],
    "inventory_repairs": lambda world: [{"show": "overdue"}, {"show": "done"}],
}

# stocktake-report: each format of the whole report and of each of its boxes;
# the write-off register of the year the world's write-off was asked.
QUERIES["inventory_stocktake_report"] = lambda world: [
    {**box, "format": file_format}
    for box in [{}, *({"unit": unit.pk} for _name, unit in world.objects_of("inventory.stocktakeunit"))]
    for file_format in ("xlsx", "pdf")
]
QUERIES["inventory_write_off_register"] = lambda world: [
    {"year": timezone.localdate().year, "format": file_format} for file_format in ("xlsx", "pdf")
]

# The documents app's (issue 14), in a module of their own.
PORTAL.update(patterns_documents.PORTAL)
QUERIES.update(patterns_documents.QUERIES)

# The ledger import wizard's (issue 15), in a module of their own.
PORTAL.update(patterns_ledgers.PORTAL)
QUERIES.update(patterns_ledgers.QUERIES)

# Patterns the matrix does not request, by route, each with the reason.
# Nothing is excluded today: the password-reset link is asked with a token
# that is not valid, the site serves no media, and its static files are
# served by WhiteNoise outside the URLconf.
EXCLUDED = {}

ADMIN_MODEL_ROUTE = re.compile(r"^admin/(?P<app_label>\w+)/(?P<model_name>\w+)/")


@dataclass(frozen=True)
class Pattern:
    """One leaf of the URLconf with the chain of patterns leading to it."""

    route: str
    name: str | None
    callback: object
    parts: tuple

    @property
    def params(self):
        names = []
        for part in self.parts:
            if isinstance(part, RoutePattern):
                names.extend(part.converters)
            else:
                # Unnamed groups are named by position (#1, #2): simple-history's
                # page of one historical version has the object and the version.
                regex = part.regex
                named = {index: name for name, index in regex.groupindex.items()}
                names.extend(named.get(index, f"#{index}") for index in range(1, regex.groups + 1))
        return tuple(names)


@dataclass(frozen=True)
class Page:
    """One concrete URL of a pattern, with the object variant it names."""

    pattern: Pattern
    variant: str
    url: str

    @property
    def has_query(self):
        return "?" in self.url

    @property
    def key(self):
        """The same for the same page in every test, whatever the pks."""
        return (self.pattern.name or self.pattern.route, self.variant)

    @property
    def label(self):
        name = self.pattern.name or self.pattern.route
        return f"{name} [{self.variant}] {self.url}" if self.variant else f"{name} {self.url}"


def every_pattern(patterns=None, parts=(), namespace=""):
    """Every leaf pattern of the URLconf, the admin site's included."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        chain = (*parts, entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from every_pattern(entry.url_patterns, chain, inner)
        else:
            name = f"{namespace}{entry.name}" if entry.name else None
            route = "".join(str(part) for part in chain)
            yield Pattern(route=route, name=name, callback=entry.callback, parts=chain)


def _fill_route(part, values):
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda match: str(values[match.group(1)]), str(part))


def _fill_regex(part, values, positions):
    source = part.regex.pattern.removeprefix("^").removesuffix("$")

    def group(match):
        name = match.group(1) or f"#{next(positions)}"
        return str(values[name])

    filled = re.sub(r"\((?:\?P<(\w+)>)?[^()]*\)", group, source)
    if re.search(r"[\\()\[\]*+?|^$]", filled):
        raise ValueError(f"cannot build a URL from the regex {source!r}")
    return filled


def build_url(pattern, values):
    """The path of `pattern` with `values` ({parameter: value}); checked by
    resolving it back to the same view."""
    pieces = []
    for part in pattern.parts:
        if isinstance(part, RegexPattern):
            named = set(part.regex.groupindex.values())
            positions = iter(index for index in range(1, part.regex.groups + 1) if index not in named)
            pieces.append(_fill_regex(part, values, positions))
        else:
            pieces.append(_fill_route(part, values))
    url = "/" + "".join(pieces)
    if resolve(url).func is not pattern.callback:
        raise AssertionError(f"{url} does not resolve back to {pattern.route}")
    return url


def _portal_values(pattern, world):
    entry = PORTAL.get(pattern.name)
    if entry is None:
        return None
    label, to_values = (entry, lambda obj: {"pk": obj.pk}) if isinstance(entry, str) else entry
    return [(name, to_values(obj)) for name, obj in world.objects_of(label)]


def _admin_model_values(pattern, world):
    """admin/<app>/<model>/... with object_id (or id, or the two positional
    groups of a historical version) filled from the world's objects."""
    match = ADMIN_MODEL_ROUTE.match(pattern.route)
    params = set(pattern.params)
    if match is None or not params <= {"object_id", "id", "#1", "#2"}:
        return None
    label = f"{match['app_label']}.{match['model_name']}"
    try:
        if apps.get_model(label) not in admin.site._registry:
            return None
    except LookupError:
        return None
    values = []
    for name, obj in world.objects_of(label):
        row = {"object_id": obj.pk, "id": obj.pk, "#1": obj.pk}
        if "#2" in params:
            version = obj.history.order_by("-pk").first()
            if version is None:
                continue  # seeded without history: no version page to open
            row["#2"] = version.pk
        values.append((name, row))
    return values


def _admin_site_values(pattern, world):
    """The admin site's own pages with parameters."""
    params = pattern.params
    if params == ("content_type_id", "object_id"):
        # "View on site" of records, the objects whose visibility matters.
        content_type = ContentType.objects.get(app_label="records", model="record")
        return [
            (name, {"content_type_id": content_type.pk, "object_id": record.pk})
            for name, record in world.objects_of("records.record")
        ]
    if params == ("app_label",) and pattern.name == "admin:app_list":
        labels = sorted({model._meta.app_label for model in admin.site._registry})
        return [(label, {"app_label": label}) for label in labels]
    if params == ("url",) and pattern.route.startswith("admin/"):
        # The admin's catch-all: any unknown address under /admin/.
        return [("unknown page", {"url": "matrix-no-such-page/"})]
    return None


def pattern_values(pattern, world):
    """[(variant name, {parameter: value})] for `pattern`, or None when no
    table fills it."""
    if not pattern.params:
        return [("", {})]
    for fill in (_portal_values, _admin_model_values, _admin_site_values):
        values = fill(pattern, world)
        if values is not None:
            return values
    return None


def _autocomplete_queries():
    """Every autocomplete field of the back office (inlines' too), asked
    for the world's texts."""
    for model_admin in admin.site._registry.values():
        sources = [(model_admin.model, model_admin.autocomplete_fields)]
        sources.extend((inline.model, inline.autocomplete_fields) for inline in model_admin.inlines)
        for model, fields in sources:
            for field in fields:
                opts = model._meta
                yield {"app_label": opts.app_label, "model_name": opts.model_name, "field_name": field, "term": "矩阵"}


def _queries(pattern, world):
    name = pattern.name or ""
    if name in QUERIES:
        return QUERIES[name](world)
    if name == "admin:autocomplete":
        return list(_autocomplete_queries())
    if name.startswith("admin:") and name.endswith("_changelist"):
        return [{"q": "矩阵"}]
    return []


def _pages_of(pattern, values, world):
    pages = []
    for variant, row in values:
        url = build_url(pattern, row)
        pages.append(Page(pattern, variant, url))
        for query in _queries(pattern, world):
            encoded = urlencode(query)
            pages.append(Page(pattern, f"{variant} ?{encoded}".strip(), f"{url}?{encoded}"))
    return pages


def concrete_pages(world):
    """(pages, unfilled): every concrete URL of the site over `world`, and
    the routes no table fills and EXCLUDED does not name."""
    pages, unfilled = [], []
    for pattern in every_pattern():
        if pattern.route in EXCLUDED:
            continue
        values = pattern_values(pattern, world)
        if not values:
            unfilled.append(f"{pattern.route} (name {pattern.name}, parameters {pattern.params})")
            continue
        pages.extend(_pages_of(pattern, values, world))
    return pages, unfilled
