"""The filing desk (R-FILE-2, R-FILE-3): submissions, the receiving queue,
handovers and corrections."""
from django.urls import path

from records.views import filing, handovers

urlpatterns = [
    path("filing/new/", filing.submission_create, name="submission_create"),
    path("filing/mine/", filing.my_submissions, name="my_submissions"),
    path("filing/<int:pk>/edit/", filing.submission_edit, name="submission_edit"),
    path("filing/<int:pk>/submit/", filing.submission_submit, name="submission_submit"),
    path("filing/queue/", filing.receiving_queue, name="receiving_queue"),
    path("filing/receive/", filing.handover_receive, name="handover_receive"),
    path("filing/<int:pk>/return/", filing.record_return, name="record_return"),
    path("records/<int:pk>/correct/", filing.record_correct, name="record_correct"),
    path("handovers/", handovers.handover_list, name="handover_list"),
    path("handovers/<int:pk>/", handovers.handover_detail, name="handover_detail"),
    path("handovers/<int:pk>/handover-list.pdf", handovers.handover_pdf, name="handover_pdf"),
]
