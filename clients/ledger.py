"""The client directory (客户名录) as the legacy-ledger import wizard reads
it (records.ledgers, issue 15): the header texts departments use for its
columns, and who may import it. Registered in ClientsConfig.ready()."""
from django.utils.translation import gettext_lazy as _

from clients.resources import ClientResource
from records.ledgers.kinds import LedgerKind

CLIENT_SYNONYMS = {
    "code": ("客户编号", "客户号", "客户代码", "编号"),
    "name": ("客户名称", "单位名称", "客户", "公司名称", "名称"),
    "client_type": ("客户类型", "客户类别", "类型"),
    "gender": ("性别",),
    "age": ("年龄",),
    "preferences": ("喜好", "偏好"),
    "notes": ("备注", "说明"),
    "responsible": ("负责人", "业务员", "客户经理"),
    "is_active": ("有效", "是否有效"),
    "contact_name": ("联系人", "联系人姓名", "姓名"),
    "contact_position": ("职务", "职位"),
    "contact_phone": ("电话", "手机", "联系电话", "手机号", "手机号码"),
    "contact_email": ("电子邮箱", "邮箱", "email", "e-mail"),
    "contact_id_number": ("身份证号", "身份证", "身份证号码"),
    "contact_is_active": ("现任联系人",),
}


def may_import_clients(user):
    """An import adds clients and their contacts (the wizard and
    ClientAdmin.has_import_permission ask this)."""
    return user.has_perm("clients.add_client") and user.has_perm("clients.add_clientcontact")


LEDGER_KIND = LedgerKind(
    code="clients",
    label=_("Client directory"),
    resource_class=ClientResource,
    synonyms=CLIENT_SYNONYMS,
    fills=(),
    may_import=may_import_clients,
    make_resource=lambda user: ClientResource(user=user),
)
