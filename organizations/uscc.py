"""The unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters from a 31-character alphabet (digits and capitals without I, O, S, V, Z);
the 18th is a check character over the first 17, with weights 3^(i-1) mod 31.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = [pow(3, i, 31) for i in range(17)]
FORBIDDEN_LETTERS = "IOSVZ"
LENGTH = 18


def normalize(raw: str) -> str:
    """Full-width characters to half-width, spaces removed, upper case."""
    text = unicodedata.normalize("NFKC", raw or "")
    return "".join(text.split()).upper()


def check_character(first17: str) -> str:
    total = sum(VALUES[ch] * weight for ch, weight in zip(first17, WEIGHTS, strict=False))
    return ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(raw: str, *, accept_failed_check: bool = False) -> str:
    """Return the normalised code or raise ValidationError.

    The error's `code` is "length", "alphabet" or "check"; only a failed check can be
    accepted (codes from early pilot regions), and only when the caller allows it.
    """
    code = normalize(raw)
    if len(code) != LENGTH:
        raise ValidationError(
            _("统一社会信用代码应为 18 位，当前为 %(n)s 位。") % {"n": len(code)}, code="length"
        )
    for position, ch in enumerate(code, start=1):
        if ch in FORBIDDEN_LETTERS:
            raise ValidationError(
                _("统一社会信用代码不使用字母 I、O、S、V、Z，第 %(pos)s 位为“%(ch)s”。") % {"pos": position, "ch": ch},
                code="alphabet",
            )
        if ch not in VALUES:
            raise ValidationError(
                _("第 %(pos)s 位“%(ch)s”不是有效字符：只能是数字和大写字母（不含 I、O、S、V、Z）。")
                % {"pos": position, "ch": ch},
                code="alphabet",
            )
    expected = check_character(code[:17])
    if code[17] != expected and not accept_failed_check:
        raise ValidationError(
            _(
                "校验位不符：按 GB 32100-2015 计算第 18 位应为“%(expected)s”，实际为“%(actual)s”。"
                "请核对代码；早期试点地区颁发的代码确属真实的，可由民政局工作人员注明原因后录入。"
            )
            % {"expected": expected, "actual": code[17]},
            code="check",
        )
    return code


def passes_check(code: str) -> bool:
    return len(code) == LENGTH and all(ch in VALUES for ch in code) and check_character(code[:17]) == code[17]
