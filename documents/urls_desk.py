"""The distribution desk's screens (documents.views.desk, desk_copies):
the desk, registering and distributing a controlled document, its page,
its papers and what the archivist does to one copy (R-CTRL-1..4)."""
from django.urls import path

from documents.views import desk, desk_copies

urlpatterns = [
    path("", desk.desk, name="documents_desk"),
    path("controlled/new/", desk.document_new, name="documents_document_new"),
    path("controlled/<int:pk>/", desk.document_detail, name="documents_document_detail"),
    path("controlled/<int:pk>/distribute/", desk.distribute, name="documents_distribute"),
    path("papers/<int:pk>/", desk.paper_download, name="documents_paper_download"),
    path("copies/<int:pk>/paper-signature/", desk_copies.copy_paper_signature, name="documents_copy_paper_signature"),
    path("copies/<int:pk>/reissue/", desk_copies.copy_reissue, name="documents_copy_reissue"),
    path("copies/<int:pk>/replace/", desk_copies.copy_replace, name="documents_copy_replace"),
]
