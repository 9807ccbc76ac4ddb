"""Files that are no 台账 get one Chinese sentence saying what they are and what to do; nothing is written."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from ledger_files import write_csv, write_encrypted_office_file, write_xls, write_xlsx

from app.services.core.database import Database
from app.services.ledger_io.errors import PASSWORD_PROTECTED, LedgerFileError
from app.services.ledger_io.headers import HEADER_SEARCH_ROWS
from app.services.ledger_io.plan import plan_import


def refused(db: Database, path: Path) -> str:
    with pytest.raises(LedgerFileError) as caught:
        plan_import(db.session_factory, path)
    return str(caught.value)


def test_a_zip_archive(tmp_path: Path, db: Database) -> None:
    path = tmp_path / "台账.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("台账/东街.xlsx", b"not really")
    assert "是 zip 压缩包，不是 Excel 表格" in refused(db, path)


def test_a_word_document_named_xlsx(tmp_path: Path, db: Database) -> None:
    path = tmp_path / "台账.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "是 Word 文档" in refused(db, path)


def test_a_truncated_xlsx(tmp_path: Path, db: Database) -> None:
    whole = write_xlsx(tmp_path / "whole.xlsx", [["组织名称", "组织类型"], ["甲", "社会团体"]]).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    message = refused(db, path)
    assert "Excel 文件已损坏" in message and "zip" not in message


def test_a_damaged_word_document_is_called_one(tmp_path: Path, db: Database) -> None:
    whole = tmp_path / "whole.docx"
    with zipfile.ZipFile(whole, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>" + "段落" * 2000 + "</w:document>")
    path = tmp_path / "台账.xlsx"
    path.write_bytes(whole.read_bytes()[:-200])  # the central directory cut off
    message = refused(db, path)
    assert message.startswith("台账.xlsx 是 Word 文档") and ".xlsx 或 zip" not in message


@pytest.mark.parametrize(("magic", "what"), [(b"\x89PNG\r\n\x1a\n", "PNG 图片"), (b"\xff\xd8\xff\xe0", "JPEG 图片"),
                                             (b"%PDF-1.7", "PDF 文件")])
def test_an_image_or_pdf(tmp_path: Path, db: Database, magic: bytes, what: str) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(magic + bytes(range(256)) * 4)
    assert refused(db, path) == f"台账.xlsx 是 {what}，不是表格：请选择 .xlsx、.xls 或 .csv 文件"


def test_a_renamed_text_file(tmp_path: Path, db: Database) -> None:
    path = tmp_path / "台账.xls"
    path.write_text("组织名称,组织类型\n甲协会,社会团体\n", encoding="utf-8")
    assert "不是 Excel 文件（内容是纯文本）：如果它是 CSV，请把扩展名改为 .csv" in refused(db, path)


def test_an_html_page_saved_as_xls(tmp_path: Path, db: Database) -> None:
    path = tmp_path / "导出.xls"
    path.write_text("<html><body><table><tr><td>组织名称</td></tr></table></body></html>", encoding="utf-8")
    assert "实际是网页" in refused(db, path)


@pytest.mark.parametrize("content", [b"", b"   \r\n  "])
def test_an_empty_file(tmp_path: Path, db: Database, content: bytes) -> None:
    path = tmp_path / "空.csv"
    path.write_bytes(content)
    assert refused(db, path) == "空.csv 是空文件，没有可导入的内容"


def test_an_empty_sheet(tmp_path: Path, db: Database) -> None:
    assert "没有任何内容（工作表是空的）" in refused(db, write_xlsx(tmp_path / "空.xlsx", []))
    assert "没有任何内容（工作表是空的）" in refused(db, write_xls(tmp_path / "空.xls", [[None]]))


def test_a_header_without_data_rows(tmp_path: Path, db: Database) -> None:
    message = refused(db, write_xlsx(tmp_path / "表头.xlsx", [["组织名称", "组织类型", "统一社会信用代码"]]))
    assert "在表头（第 1 行）下面没有数据行" in message


def test_no_recognizable_header_lists_the_headers_looked_for(tmp_path: Path, db: Database) -> None:
    rows = [["序号", "姓名", "性别", "出生年月"], [1, "张三", "男", "1980.1"]]
    message = refused(db, write_csv(tmp_path / "党员名册.csv", rows))
    assert message.startswith(f"党员名册.csv 中没有找到台账的表头：前 {HEADER_SEARCH_ROWS} 行里应有一行列名")
    for header in ("组织名称", "单位名称", "统一社会信用代码", "组织类型", "成立日期", "所在街道"):
        assert header in message


def test_a_password_protected_workbook(tmp_path: Path, db: Database) -> None:
    path = write_encrypted_office_file(tmp_path / "加密.xlsx")
    assert refused(db, path) == PASSWORD_PROTECTED == "文件有密码保护，请在 Excel 中取消密码后再导入"


def test_an_encrypted_xls(tmp_path: Path, db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """xlrd refuses an RC4-encrypted .xls with "Workbook is encrypted": the same sentence."""
    import xlrd

    def encrypted(*_args: object, **_kwargs: object) -> None:
        raise xlrd.XLRDError("Workbook is encrypted")

    monkeypatch.setattr(xlrd, "open_workbook", encrypted)
    path = write_xls(tmp_path / "加密.xls", [["组织名称"], ["甲"]])
    assert refused(db, path) == PASSWORD_PROTECTED


def test_a_missing_file_and_a_folder(tmp_path: Path, db: Database) -> None:
    assert refused(db, tmp_path / "没有.xlsx").startswith("找不到文件")
    assert refused(db, tmp_path).startswith("这是一个文件夹，请选择台账文件")


def test_undecodable_csv(tmp_path: Path, db: Database) -> None:
    path = tmp_path / "乱码.csv"
    path.write_bytes("组织名称,组织类型\n".encode("gbk") + b"\xff\xff,\x80\n")  # neither UTF-8 nor GBK
    assert refused(db, path).startswith("无法识别 乱码.csv 的文字编码")
