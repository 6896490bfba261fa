"""The ledger import wizard's URLs in the access matrix (issue 15): every
step is asked for every upload of the world (tests/access_matrix/
world_ledgers.py: the archivist's draft and imported uploads, the
colleague's draft, the staff user's draft of a kind staff may not import),
the upload page with a kind chosen; patterns.py merges them."""
PORTAL = {}
QUERIES = {}

for _name in ("ledger_sheet", "ledger_mapping", "ledger_preview", "ledger_confirm", "ledger_done", "ledger_cancel"):
    PORTAL[_name] = "records.ledgerupload"
QUERIES["ledger_upload"] = lambda world: [{"kind": "clients"}]
