"""The disposal registers (R-DISP-1..3), under /disposal/registers/."""
from django.urls import path

from disposal import views_registers

urlpatterns = [
    path("registers/report/", views_registers.report_register, name="disposal_report_register"),
    path("registers/weeding/", views_registers.weeding_register, name="disposal_weeding_register"),
    path("registers/certificate/", views_registers.certificate_register, name="disposal_certificate_register"),
    path("registers/destroyed/", views_registers.destroyed_register, name="disposal_destroyed_register"),
    path("registers/holds/", views_registers.holds_register, name="disposal_holds_register"),
]
