"""What each role may do with inventory's rows (accounts.roles.
register_grants, called in InventoryConfig.ready()). Every change goes
through inventory.services, which ask inventory.policies: the archivist
(records.file_record) runs stocktakes, requests write-offs and does repair
tasks; the department head approves write-offs (inventory.approve_writeoff,
R-INV-3). The view permissions let both read the rows in the back office."""
from accounts.roles import Role, model_perms

_VIEW_ALL = [
    *model_perms("inventory", "stocktake"),
    *model_perms("inventory", "stocktakeunit"),
    *model_perms("inventory", "scan"),
    *model_perms("inventory", "difference"),
    *model_perms("inventory", "writeoff"),
    *model_perms("inventory", "repairtask"),
]

APPROVE_WRITE_OFF = "inventory.approve_writeoff"

# A sign-off: an administrator who does not hold it may not hand it out
# (accounts.roles.grantable_roles, R-ACCESS).
SENSITIVE = {APPROVE_WRITE_OFF}

ROLE_GRANTS = {
    Role.ARCHIVIST: _VIEW_ALL,
    Role.DEPARTMENT_HEAD: [*_VIEW_ALL, APPROVE_WRITE_OFF],
}
