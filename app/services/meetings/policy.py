"""The policy pack in use (DESIGN §2.1): the national defaults shipped in ``resources/policy``, or a
district's own pack laid over them.  Any thread; reads one small file per call.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from app import paths
from app.domain.policy import Policy, PolicyError, parse_policy
from app.services.core.errors import ServiceError

__all__ = ["PolicyFileError", "load_policy"]


class PolicyFileError(ServiceError):
    """A policy pack that cannot be read or used; the message names the file and every bad key."""

    def __init__(self, path: Path, detail: str) -> None:
        self.path, self.detail = path, detail
        super().__init__(f"规则包文件 {path} 无法使用：{detail}。"
                         "请参照 resources/policy/national.toml 的写法改正后再试。")


def load_policy(path: Path | None = None) -> Policy:
    """The national pack, with the district pack at ``path`` (if given) overriding the keys it names.

    Raises :class:`PolicyFileError` for a missing file, a TOML syntax error or a bad key."""
    national = _read(paths.national_policy_path(), Policy.national())
    return national if path is None else _read(path, national)


def _read(path: Path, base: Policy) -> Policy:
    try:
        with path.open("rb") as handle:
            mapping = tomllib.load(handle)
    except FileNotFoundError:
        raise PolicyFileError(path, "找不到该文件") from None
    except OSError as exc:
        raise PolicyFileError(path, f"读取失败（{exc.strerror or exc}）") from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyFileError(path, f"不是有效的 TOML 格式（{exc}）") from None
    except UnicodeDecodeError:
        raise PolicyFileError(path, "不是 UTF-8 编码的文本，请用 UTF-8 保存") from None
    try:
        return parse_policy(mapping, base=base)
    except PolicyError as exc:
        raise PolicyFileError(path, "；".join(exc.problems)) from None
