"""The help page (/help/, issue 16 point 7): each role's routines in a few
words with links to the screens that do them, the reader's own roles
first, the others folded away below. The texts live in templates/help/,
one partial per role (accounts.roles.Role)."""
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.roles import Role, roles_of
from core.views import gate

# The roles in the order a newcomer meets them; each has templates/help/_<role>.html.
ROLE_ORDER = (
    Role.STAFF,
    Role.OUTSIDE_STAFF,
    Role.ARCHIVIST,
    Role.DEPARTMENT_HEAD,
    Role.LEADERSHIP,
    Role.SYSADMIN,
)


def help_sections(user):
    """(own, others): the roles `user` holds and the rest, each a dict of
    the role's label and its partial, in ROLE_ORDER."""
    held = set(roles_of(user))
    sections = [{"role": role, "label": role.label, "template": f"help/_{role.value}.html"} for role in ROLE_ORDER]
    return (
        [section for section in sections if section["role"] in held],
        [section for section in sections if section["role"] not in held],
    )


@require_safe
def help_page(request):
    gate(request.user.is_authenticated and request.user.is_active)
    own, others = help_sections(request.user)
    return render(request, "help/help.html", {"own_sections": own, "other_sections": others})
