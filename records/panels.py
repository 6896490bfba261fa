"""Panels other apps add to the record page.

The records app imports none of the apps built on it (style.md), yet the
record page shows what they know about a record: lending shows who has it
and until when (R-LEND-1, R-LEND-5). An app registers a template and a
context function in its AppConfig.ready(); the record page renders every
registered panel whose function returns a context.

    register_record_panel("lending/_record_panel.html", lending_panel, order=50)

`context_function(request, record)` returns a dict or None when the panel
has nothing to show. The template is included in the page's context, with
the dict as `panel`."""
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class RecordPanel:
    template_name: str
    context_function: Callable
    order: int = 100


_panels = {}


def register_record_panel(template_name, context_function, order=100):
    """Add (or replace: ready() may run more than once) the panel drawn with
    `template_name`. Lower `order` comes first."""
    _panels[template_name] = RecordPanel(template_name, context_function, order)


def unregister_record_panel(template_name):
    _panels.pop(template_name, None)


def record_panels(request, record):
    """[(template_name, context)] of the panels that have something to show,
    in order. `record` is one the user may see (the caller checked)."""
    shown = []
    for panel in sorted(_panels.values(), key=lambda panel: (panel.order, panel.template_name)):
        context = panel.context_function(request, record)
        if context is not None:
            shown.append((panel.template_name, context))
    return shown


# --- home-page panels -------------------------------------------------------
# The same idea for the home page: contracts add "contracts expiring soon"
# for those who keep or sign them, without records importing contracts.
#
#     register_home_panel("contracts/_home_panel.html", expiring_panel, order=50)
#
# `context_function(request)` returns a dict or None when the user has
# nothing to see there.

_home_panels = {}


def register_home_panel(template_name, context_function, order=100):
    """Add (or replace) the home-page panel drawn with `template_name`."""
    _home_panels[template_name] = RecordPanel(template_name, context_function, order)


def unregister_home_panel(template_name):
    _home_panels.pop(template_name, None)


def home_panels(request):
    """[(template_name, context)] of the home-page panels that have
    something to show to `request.user`, in order."""
    shown = []
    for panel in sorted(_home_panels.values(), key=lambda panel: (panel.order, panel.template_name)):
        context = panel.context_function(request)
        if context is not None:
            shown.append((panel.template_name, context))
    return shown
