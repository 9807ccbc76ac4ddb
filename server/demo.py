"""A small demo district for ``make server``: two instructors, a supervisor, twenty organizations.

Written through the same paths as the admin CLI (users.create_user, assignments.assign, write_record), so a
client signing in to it pulls what a real district would serve.  Only into an empty database: a district
that already has accounts is left alone and the demo accounts are listed again.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from uuid6 import uuid7

from app import wire
from server import clock
from server.admin.common import open_factory
from server.assignments import ADMIN_WRITER, assign
from server.config import Settings
from server.db import claim_write
from server.ledger.import_orgs import empty_org
from server.models import User
from server.orgs import SOCIAL_ORG
from server.store import next_version, write_record
from server.users import create_user

# (username, role, display name, password): printed by `make server`; a demo, never a real district.
ACCOUNTS = (
    ("zhangsan", "instructor", "张三", "demo-zhangsan"),
    ("lisi", "instructor", "李四", "demo-lisi-2026"),
    ("wangwu", "supervisor", "王五（督导）", "demo-wangwu"),
)
SUB_DISTRICTS = ("城关街道", "东湖街道", "西山街道")
# (name, org type, 机构类别 digit of the code)
ORGS = (
    ("城关街道老年人协会", "SOCIAL_GROUP", "1"), ("东湖书画研究会", "SOCIAL_GROUP", "1"),
    ("西山登山运动协会", "SOCIAL_GROUP", "1"), ("区青年企业家商会", "SOCIAL_GROUP", "1"),
    ("区餐饮行业协会", "SOCIAL_GROUP", "1"), ("区物业管理协会", "SOCIAL_GROUP", "1"),
    ("区家庭教育研究会", "SOCIAL_GROUP", "1"), ("阳光社会工作服务中心", "SOCIAL_SERVICE", "2"),
    ("启明星儿童康复中心", "SOCIAL_SERVICE", "2"), ("乐龄居家养老服务中心", "SOCIAL_SERVICE", "2"),
    ("东湖培训学校", "SOCIAL_SERVICE", "2"), ("和谐社区调解服务中心", "SOCIAL_SERVICE", "2"),
    ("西山职业技能培训学校", "SOCIAL_SERVICE", "2"), ("区助学慈善基金会", "FOUNDATION", "3"),
    ("城关公益基金会", "FOUNDATION", "3"), ("幸福里社区志愿者服务队", "COMMUNITY_FILED", "9"),
    ("东湖社区舞蹈队", "COMMUNITY_FILED", "9"), ("西山社区读书会", "COMMUNITY_FILED", "9"),
    ("城关社区邻里互助会", "COMMUNITY_FILED", "9"), ("东湖社区环保志愿队", "COMMUNITY_FILED", "9"),
)
REGION = "350102"  # 福州市鼓楼区, as the workbench's own demo
CIVIL_AFFAIRS = "福州市鼓楼区民政局"  # the 登记管理机关 of the registered ones
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: the code's alphabet, and its check weights
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


def uscc(type_digit: str, serial: int) -> str:
    """A well-formed 统一社会信用代码 (5 = civil affairs, the type digit, the region, a body, its check)."""
    first17 = f"5{type_digit}{REGION}{5000000 + serial:08d}X"
    total = sum(CHARSET.index(ch) * weight for ch, weight in zip(first17, WEIGHTS, strict=True))
    return first17 + CHARSET[(31 - total % 31) % 31]


def _org_data(serial: int, name: str, org_type: str, type_digit: str, now: str) -> dict[str, object]:
    org_id = str(uuid7())
    data = empty_org(org_id)
    registered = org_type != "COMMUNITY_FILED"
    sub_district = next((s for s in SUB_DISTRICTS if name.startswith(s[:2])), SUB_DISTRICTS[serial % 3])
    data.update(name=name, org_type=org_type, sub_district=sub_district,
                registration_authority=CIVIL_AFFAIRS if registered else "",
                uscc=uscc(type_digit, serial) if registered else "",
                community_category="文体活动类" if org_type == "COMMUNITY_FILED" else "",
                party_member_count=serial % 7, contact_person="联络员", updated_at=now, updated_by=ADMIN_WRITER)
    return data


def _create(session: Session) -> None:
    users = [create_user(session, name, role=role, password=password, display_name=display)
             for name, role, display, password in ACCOUNTS]
    version = next_version(session)
    now = clock.now_text()
    org_ids = []
    for serial, (name, org_type, digit) in enumerate(ORGS, start=1):
        data = _org_data(serial, name, org_type, digit, now)
        org_id = str(data["id"])
        write_record(session, entity=SOCIAL_ORG, record_id=org_id, scope=wire.org_scope(org_id), data=data,
                     version=version, user_id="")
        org_ids.append(org_id)
    instructors = [user for user in users if user.role == "instructor"]
    for index, org_id in enumerate(org_ids[:16]):  # the last four stay unassigned
        assign(session, instructors[index % len(instructors)], org_id, version)


def init(settings: Settings) -> int:
    """Fill an empty district with the demo, then list the demo accounts."""
    factory = open_factory(settings)
    with claim_write(factory()) as session:
        fresh = session.execute(select(User.id).limit(1)).first() is None
        if fresh:
            _create(session)
            session.commit()
    print(("已建好演示区：" if fresh else "数据目录里已有账号，未改动；演示账号：") + str(settings.home))
    for name, role, display, password in ACCOUNTS:
        print(f"  {name}\t密码 {password}\t{display}（{role}）")
    return 0
