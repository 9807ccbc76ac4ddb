"""How a sync's outcome and account are put in words — shared by the ``sync`` command and the 同步 section.

Qt-free on purpose (the CLI imports it without PySide6): plain functions over the DTOs of
``app.services.sync``.  One wording for both places, so a user who reads the command's output and the
window's summary sees the same sentences.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from app import paths

if TYPE_CHECKING:
    from app.services.sync import Account, SyncReport

ROLE_LABELS = {"instructor": "党建指导员", "supervisor": "督导员", "admin": "管理员"}


def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, role)


def account_line(account: Account) -> str:
    """``张三（zhangsan，党建指导员）@ https://...``"""
    name = account.display_name or account.username
    return f"{name}（{account.username}，{role_label(account.role)}）@ {account.server_url}"


def report_lines(report: SyncReport) -> list[str]:
    """The summary line first, then one line per thing the user should know (rejections with reasons,
    confirmed notice numbers, organizations kept read-only, the service's own messages)."""
    outcomes = [(report.applied, "生效"), (report.merged, "与他人的修改合并"), (report.conflicts, "与他人的修改冲突"),
                (report.duplicates, "此前已送达"), (report.rejected, "未被接受")]
    told = "、".join(f"{count} 条{what}" for count, what in outcomes if count)
    summary = f"已发送 {report.pushed} 条修改{f'（{told}）' if told else ''}，接收 {report.pulled} 条"
    if report.uploaded_blobs:
        summary += f"，上传附件 {report.uploaded_blobs} 个"
    if report.added_scopes or report.removed_scopes:
        summary += f"；新分配的组织和党组织 {report.added_scopes} 个、不再负责的 {report.removed_scopes} 个"
    if report.open_conflicts:
        summary += f"；待确认的冲突 {report.open_conflicts} 条"
    lines = [summary + "。"]
    for provisional, confirmed in report.confirmed_numbers:
        lines.append(f"文书编号已由区服务器确认：{provisional} → {confirmed}")
    if report.quarantined_orgs:
        lines.append(f"以下组织已不再由您负责，但还有未发送的修改，暂时保留为只读（可在“同步”中导出未发送的数据）："
                     f"{'、'.join(report.quarantined_orgs)}")
    lines.extend(report.messages)
    if report.open_conflicts:
        lines.append("有冲突的修改：请在“同步”中点“查看冲突…”逐条确认保留哪个值。")
    return lines


def report_brief(report: SyncReport) -> str:
    """The status bar's one short line (the full summary is in the 同步 section)."""
    brief = f"同步完成：发送 {report.pushed} 条，接收 {report.pulled} 条"
    if report.rejected:
        brief += f"，{report.rejected} 条未被接受"
    if report.open_conflicts:
        brief += f"，{report.open_conflicts} 条冲突待确认"
    return brief + "。"


def synced_at_text(when: datetime | None) -> str:
    """``已同步 14:05`` (today) or ``已同步 3月2日 14:05``, in the district's civil time (the one clock)."""
    from app.services.core import clock

    if when is None:
        return "从未同步"
    local = clock.to_civil(when)
    shown = f"{local:%H:%M}" if local.date() == clock.today() else f"{local.month}月{local.day}日 {local:%H:%M}"
    return f"已同步 {shown}"


def server_url_problem(url: str) -> str:
    """What is wrong with a server address (empty when nothing is)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"服务器地址“{url.strip()}”无效：应以 https:// 或 http:// 开头，例如 https://dangjian.example.gov.cn"
    return ""


LOOPBACK = ("localhost", "127.0.0.1", "::1")


def server_url_warning(url: str) -> str:
    """A caution about a usable address (empty when none): http:// to another computer is not encrypted."""
    parts = urlsplit(url.strip())
    if parts.scheme == "http" and parts.hostname and parts.hostname not in LOOPBACK:
        return "注意：http:// 不加密，密码会以明文传输；有 https:// 地址时请用它。"
    return ""


def username_problem(name: str) -> str:
    """What is wrong with a user name for signing in (empty when nothing is): it names the profile."""
    if name == paths.DEMO_PROFILE:
        return f"演示数据（{paths.DEMO_PROFILE}）不参与同步，不能用它登录区服务器。"
    try:
        paths.check_profile_name(name)
    except paths.ProfileNameError:
        return (f"用户名“{name}”无效：区服务器的用户名只含小写英文字母、数字、下划线、点和连字符"
                "（登录后以它命名本机的用户配置）。")
    return ""
