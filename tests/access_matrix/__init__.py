"""The access matrix: every URL the site resolves, requested by anonymous
and by a user of every role, over a world holding one object of each kind
(records of every security level, a colleague's submission, clients with
personal data, a contract, requests, loans, a handover, attachments).

The URLs come from Django's resolver, so a new screen joins the matrix by
itself; one the matrix cannot fill fails tests/access_matrix until its
parameters are mapped in `patterns.py` (or it is excluded there, with the
reason)."""
