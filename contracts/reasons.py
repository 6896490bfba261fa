"""Reasons the contract services write into history, on contracts and on
where their originals and copies are held; added to core.history's registry
by ContractsConfig.ready()."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class ContractReason(models.TextChoices):
    REGISTERED = "contract_registered", _("Entered in the contract ledger")
