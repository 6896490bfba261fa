"""What each role may do with client files (accounts.roles.register_grants,
called in ClientsConfig.ready())."""
from accounts.roles import Role, model_perms

ROLE_GRANTS = {
    # Marketing staff look after clients (R-CLIENT): they see client files
    # with personal data masked and record visits, complaints and feedback.
    Role.STAFF: [
        *model_perms("clients", "client"),
        *model_perms("clients", "clientevent", ("view", "add")),
    ],
    Role.ARCHIVIST: [
        *model_perms("clients", "client", ("view", "add", "change")),
        *model_perms("clients", "clientcontact", ("view", "add", "change")),
        *model_perms("clients", "clientevent", ("view", "add")),
        *model_perms("clients", "clientdataaccess"),
        *model_perms("clients", "clientpolicy"),
        # R-CLIENT: the keeper of client files sees personal data (unmasking is logged).
        "clients.view_client_data",
    ],
    Role.DEPARTMENT_HEAD: [
        *model_perms("clients", "client"),
        *model_perms("clients", "clientcontact"),
        *model_perms("clients", "clientevent", ("view", "add")),
        *model_perms("clients", "clientdataaccess"),
        *model_perms("clients", "clientpolicy", ("view", "change")),
        "clients.view_client_data",
    ],
    # Leadership reads client files and their timelines (issue 16) with
    # personal data masked (R-CLIENT): no clients.view_client_data.
    Role.LEADERSHIP: [
        *model_perms("clients", "client"),
        *model_perms("clients", "clientevent"),
    ],
    Role.SYSADMIN: [*model_perms("clients", "clientpolicy")],
}

SENSITIVE = {"clients.view_client_data"}
