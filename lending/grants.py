"""What each role may do in lending (accounts.roles.register_grants, called
in LendingConfig.ready())."""
from accounts.roles import Role, model_perms

_VIEW_ALL = [
    *model_perms("lending", "loanrequest"),
    *model_perms("lending", "approval"),
    *model_perms("lending", "loan"),
    *model_perms("lending", "extension"),
    *model_perms("lending", "incident"),
]

ROLE_GRANTS = {
    Role.ARCHIVIST: [*_VIEW_ALL, *model_perms("lending", "lendingpolicy"), "lending.handle_loan"],
    Role.DEPARTMENT_HEAD: [
        *_VIEW_ALL,
        *model_perms("lending", "lendingpolicy", ("view", "change")),
        "lending.approve_loan",
    ],
    Role.SYSADMIN: [*model_perms("lending", "lendingpolicy")],
}

SENSITIVE = {"lending.approve_loan", "lending.handle_loan"}
