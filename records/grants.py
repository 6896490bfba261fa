"""What each role may do with records (accounts.roles.register_grants,
called in RecordsConfig.ready()).

R-LEND-4 / R-ACCESS: confidential records are seen by leadership and by
those authorised. The archivist is the keeper (保管者) named by the same
rule; receiving, shelving, lending and counting a file require seeing it."""
from accounts.roles import Role, model_perms

_VIEW_ALL = [
    *model_perms("records", "record"),
    *model_perms("records", "category"),
    *model_perms("records", "location"),
    *model_perms("records", "attachment"),
    *model_perms("records", "accessgrant"),
    *model_perms("records", "handover"),
    *model_perms("records", "handoveritem"),
    *model_perms("records", "accesslog"),
    *model_perms("records", "hold"),
]

ROLE_GRANTS = {
    Role.STAFF: ["records.add_record"],
    Role.ARCHIVIST: [
        *_VIEW_ALL,
        *model_perms("records", "record", ("add", "change")),
        *model_perms("records", "location", ("add", "change")),
        *model_perms("records", "attachment", ("add",)),
        *model_perms("records", "hold", ("add", "change")),
        "records.view_confidential",
        "records.file_record",
        "records.view_policy",
        # The back office's read-only lists of the ledger wizard's uploads
        # and templates (who imported what, and how it ended).
        *model_perms("records", "ledgerupload", ("view",)),
        *model_perms("records", "ledgertemplate", ("view",)),
    ],
    Role.DEPARTMENT_HEAD: [
        *_VIEW_ALL,
        *model_perms("records", "category", ("add", "change")),
        *model_perms("records", "policy", ("view", "change")),
        *model_perms("records", "accessgrant", ("add", "change")),
        *model_perms("records", "hold", ("add", "change")),
        "records.view_confidential",
        # Placeholder until the disposal app (issue 12): the head signs the
        # year-end disposal list (R-DISP).
        "records.approve_disposal",
    ],
    Role.LEADERSHIP: [
        "records.view_confidential",
        # Leadership freezes records too, e.g. for a dispute (issue 12).
        *model_perms("records", "hold", ("view", "add", "change")),
        # Placeholder until the disposal app (issue 12): leadership gives the
        # final approval of destruction (R-DISP).
        "records.approve_destruction",
    ],
    Role.SYSADMIN: ["records.view_policy"],
}

# A role carrying one of these is handed out only by someone who holds it too
# (in practice a superuser), so a system administrator cannot make
# themselves leadership.
SENSITIVE = {
    "records.view_confidential",
    "records.file_record",
    "records.approve_disposal",
    "records.approve_destruction",
}
