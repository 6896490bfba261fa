"""The contract ledger (合同台帐) as the legacy-ledger import wizard reads it
(records.ledgers, issue 15): the header texts departments use for its
columns, and who may import it. Registered in ContractsConfig.ready()."""
from django.utils.translation import gettext_lazy as _

from contracts.resources import ContractResource
from records.ledgers.kinds import LedgerKind

CONTRACT_SYNONYMS = {
    "contract_number": ("合同编号", "合同号", "合同编码", "编号"),
    "contract_type": ("合同类型", "合同类别", "类型"),
    "counterparty_name": ("合同相对方", "相对方", "对方单位", "客户名称", "签约单位", "对方", "合作单位"),
    "signed_on": ("签订日期", "签约日期", "签署日期", "签订时间"),
    "starts_on": ("起始日期", "开始日期", "生效日期"),
    "ends_on": ("终止日期", "结束日期", "到期日期", "截止日期"),
    "amount": ("金额", "合同金额", "合同额", "合同价款"),
    "currency": ("币种", "币别"),
    "responsible_person": ("经办人", "承办人", "负责人"),
    "original_or_copy": ("原件/复印件", "原件或复印件"),
    "review_date": ("评审日期", "审核日期"),
    "review_result": ("评审结果", "审核结果"),
    "held_by": ("保管方", "保管部门"),
    # Export-only columns the import reads all the same (contracts.resources).
    "archive_number": ("档号", "档案号"),
    "title": ("题名", "合同名称", "名称"),
}


def may_import_contracts(user):
    """An imported contract is filed as a record: the archivist's work
    (R-FILE-3), as ContractAdmin.has_import_permission."""
    return user.has_perm("records.file_record") and user.has_perm("contracts.add_contract")


LEDGER_KIND = LedgerKind(
    code="contracts",
    label=_("Contract ledger"),
    resource_class=ContractResource,
    synonyms=CONTRACT_SYNONYMS,
    fills=(),
    may_import=may_import_contracts,
    make_resource=lambda user: ContractResource(user=user),
)
