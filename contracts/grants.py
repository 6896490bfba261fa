"""What each role may do with the contract ledger
(accounts.roles.register_grants, called in ContractsConfig.ready())."""
from accounts.roles import Role, model_perms

_VIEW_ALL = [*model_perms("contracts", "contract"), *model_perms("contracts", "contractholding")]

ROLE_GRANTS = {
    Role.ARCHIVIST: [
        *_VIEW_ALL,
        *model_perms("contracts", "contract", ("add", "change")),
        *model_perms("contracts", "contractholding", ("add", "change")),
    ],
    Role.DEPARTMENT_HEAD: _VIEW_ALL,
    # Leadership reads the ledger (issue 16): the contracts whose record
    # they may see, like the head; they change nothing.
    Role.LEADERSHIP: _VIEW_ALL,
}
