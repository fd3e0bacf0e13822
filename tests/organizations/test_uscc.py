import pytest
from django.core.exceptions import ValidationError

from organizations.uscc import check_character, normalize, passes_check, validate_credit_code

WORKED_EXAMPLE = "91350100M000100Y43"  # GB 32100-2015's own example


def test_worked_example_is_valid():
    assert check_character(WORKED_EXAMPLE[:17]) == "3"
    assert validate_credit_code(WORKED_EXAMPLE) == WORKED_EXAMPLE


@pytest.mark.parametrize("wrong", "012456789ABCDEFGHJ")
def test_every_wrong_check_character_is_refused(wrong):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(WORKED_EXAMPLE[:17] + wrong)
    assert exc.value.code == "check"
    assert "应为“3”" in exc.value.messages[0]


def test_lowercase_spaces_and_full_width_are_normalised():
    assert normalize(" 9135 0100m000 100y43 ") == WORKED_EXAMPLE
    assert validate_credit_code("91350100m000100y43") == WORKED_EXAMPLE
    assert validate_credit_code("９１３５０１００Ｍ０００１００Ｙ４３") == WORKED_EXAMPLE


@pytest.mark.parametrize("letter", "IOSVZ")
def test_forbidden_letters_are_named(letter):
    code = WORKED_EXAMPLE[:8] + letter + WORKED_EXAMPLE[9:]
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert exc.value.code == "alphabet"
    assert f"第 9 位为“{letter}”" in exc.value.messages[0]


@pytest.mark.parametrize("code,length", [("91350100M000100Y4", 17), ("91350100M000100Y433", 19), ("", 0)])
def test_wrong_length(code, length):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert exc.value.code == "length"
    assert f"当前为 {length} 位" in exc.value.messages[0]


def test_other_characters_are_refused():
    with pytest.raises(ValidationError) as exc:
        validate_credit_code("91350100M000100Y4#")
    assert exc.value.code == "alphabet"


def test_failed_check_can_be_accepted_only_when_allowed():
    bad = WORKED_EXAMPLE[:17] + "4"
    assert validate_credit_code(bad, accept_failed_check=True) == bad
    assert not passes_check(bad)
    # Format errors are never waived.
    with pytest.raises(ValidationError):
        validate_credit_code("91350100M000100Y4", accept_failed_check=True)
