"""The documents app's URLs in the access matrix (issue 14): which of the
world's objects fill each URL's parameters (PORTAL) and the queries each
list or register is asked with (QUERIES); patterns.py merges them."""
from django.utils import timezone

PORTAL = {}
QUERIES = {}

# life-screens (documents.views.lifecycle, revisions, retention): every controlled document,
# copy and purge list of the world.
PORTAL["documents_void"] = "documents.controlleddocument"
PORTAL["documents_recall_remind"] = "documents.controlleddocument"
PORTAL["documents_copy_return"] = "documents.controlledcopy"
PORTAL["documents_copy_destroy"] = "documents.controlledcopy"
PORTAL["documents_copy_keep_reference"] = "documents.controlledcopy"
PORTAL["documents_revise"] = "documents.controlleddocument"
PORTAL["documents_countersign"] = "documents.controlleddocument"
PORTAL["documents_purge_detail"] = "documents.registerpurge"
# life-screens: the reference copies' tab of the recalls.
QUERIES["documents_recalls"] = lambda world: [{"show": "reference"}]

# registers (documents.views_registers): the distribution register of the year and of each controlled
# document, the list of documents in force, the certificate of each purge list (approved ones only).
PORTAL["documents_purge_certificate"] = "documents.registerpurge"
QUERIES["documents_distribution_register"] = lambda world: [
    {**selection, "format": file_format}
    for selection in [
        {"year": timezone.localdate().year},
        *({"document": document.pk} for _name, document in world.objects_of("documents.controlleddocument")),
    ]
    for file_format in ("xlsx", "pdf")
]
QUERIES["documents_valid_register"] = lambda world: [{"format": file_format} for file_format in ("xlsx", "pdf")]
QUERIES["documents_purge_certificate"] = lambda world: [{"format": file_format} for file_format in ("xlsx", "pdf")]

# holder (documents.views.copies): every copy of the world signed for and reported (another person's is
# not found); the list of documents in force searched.
PORTAL["documents_copy_sign"] = "documents.controlledcopy"
PORTAL["documents_copy_report"] = "documents.controlledcopy"
QUERIES["documents_valid_list"] = lambda world: [{"q": "矩阵"}]

# stamp (documents.views.downloads): every copy of the world downloaded stamped, and as a void document's
# reference copy (anyone but its holder, or the archivist for a reference copy, is not found).
PORTAL["documents_copy_download"] = "documents.controlledcopy"
PORTAL["documents_reference_download"] = "documents.controlledcopy"

# corr (documents.views.correspondence): every register line of the world, the list filtered and searched,
# the form asked for each direction, both registers of the world's line's year in each format.
PORTAL["documents_correspondence_detail"] = "documents.correspondence"
PORTAL["documents_correspondence_edit"] = "documents.correspondence"
PORTAL["documents_correspondence_file"] = "documents.correspondence"
QUERIES["documents_correspondence"] = lambda world: [{"direction": "out", "year": 2024, "q": "矩阵"}]
QUERIES["documents_correspondence_new"] = lambda world: [{"direction": "in"}]
QUERIES["documents_correspondence_register"] = lambda world: [
    {"direction": direction, "year": 2024, "format": file_format}
    for direction in ("in", "out") for file_format in ("xlsx", "pdf")
]

# desk (documents.views.desk, desk_copies): every controlled document, paper and copy of the world; the
# desk searched and by state, the register form filled from each register line.
PORTAL["documents_document_detail"] = "documents.controlleddocument"
PORTAL["documents_distribute"] = "documents.controlleddocument"
PORTAL["documents_paper_download"] = "documents.documentpaper"
PORTAL["documents_copy_paper_signature"] = "documents.controlledcopy"
PORTAL["documents_copy_reissue"] = "documents.controlledcopy"
PORTAL["documents_copy_replace"] = "documents.controlledcopy"
QUERIES["documents_desk"] = lambda world: [{"q": "矩阵"}, {"show": "ended"}]
QUERIES["documents_document_new"] = lambda world: [
    {"correspondence": line.pk} for _name, line in world.objects_of("documents.correspondence")
]
