"""What each role may do with the documents app's rows (accounts.roles.
register_grants, called in DocumentsConfig.ready()). Every change goes
through documents.services, which ask documents.policies: the archivist
(records.file_record) keeps the correspondence registers and distributes
controlled documents (R-CTRL-1); the department head countersigns
revisions (R-CTRL-6) and approves disposing of expired register lines
(R-CTRL-7). Every holder signs for, downloads and reports their own copies
without any grant."""
from accounts.roles import Role, model_perms

_VIEW_ALL = [
    *model_perms("documents", "correspondence"),
    *model_perms("documents", "controlleddocument"),
    *model_perms("documents", "documentpaper"),
    *model_perms("documents", "controlledcopy"),
    *model_perms("documents", "copydownload"),
    *model_perms("documents", "registerpurge"),
]

COUNTERSIGN_REVISION = "documents.countersign_revision"
APPROVE_REGISTER_PURGE = "documents.approve_register_purge"

# Sign-offs: an administrator who does not hold them may not hand them out
# (accounts.roles.grantable_roles, R-ACCESS).
SENSITIVE = {COUNTERSIGN_REVISION, APPROVE_REGISTER_PURGE}

ROLE_GRANTS = {
    Role.ARCHIVIST: _VIEW_ALL,
    Role.DEPARTMENT_HEAD: [*_VIEW_ALL, COUNTERSIGN_REVISION, APPROVE_REGISTER_PURGE],
}
