"""What each role may do with disposal's rows (accounts.roles.
register_grants, called in DisposalConfig.ready()). Every change goes
through disposal.services, which ask disposal.policies: the archivist
drafts and executes (records.file_record), the department head approves
(records.approve_disposal), leadership gives the final approval of
destruction (records.approve_destruction). The roles here only read."""
from accounts.roles import Role, model_perms

_VIEW_ALL = [
    *model_perms("disposal", "disposallist"),
    *model_perms("disposal", "listitem"),
    *model_perms("disposal", "destruction"),
    *model_perms("disposal", "witness"),
]

ROLE_GRANTS = {
    Role.ARCHIVIST: _VIEW_ALL,
    Role.DEPARTMENT_HEAD: _VIEW_ALL,
    Role.LEADERSHIP: _VIEW_ALL,
}
