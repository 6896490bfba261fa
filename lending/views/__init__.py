"""The lending screens (R-LEND-1..6): the requester's page and request form,
the approvers' inbox, the archivist's desk, and the panel on the record
page. Views are thin: core.views.gate checks access, a form checks input,
a lending.services function does the work and re-checks the rules
(lending.policies), a message says what happened. A refusal
(LendingRefused) changes nothing and becomes a form error or a message
through core.views.refusal_to_form / refusal_to_message."""
