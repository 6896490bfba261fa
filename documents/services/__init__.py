"""Every change to correspondence and controlled documents, by part:

    correspondence.py  the incoming and outgoing registers (R-SCOPE 3–4)
    controlled.py      registering a controlled document and its papers (R-CTRL-1)
    distribution.py    copies, controlled numbers, signing for (R-CTRL-1, R-CTRL-2)
    copies.py          lost and damaged copies (R-CTRL-3, R-CTRL-4)
    voiding.py         void, recall, return, destroy, reference copies; lapse (R-CTRL-5)
    revisions.py       revisions and countersignature (R-CTRL-6)
    retention.py       register lines due for disposal, purge lists (R-CTRL-7)
    downloads.py       stamped copies, every download logged (R-CTRL-2)

Import from the module (documents.services.distribution import
copies_distribute)."""
