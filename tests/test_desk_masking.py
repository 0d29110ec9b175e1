"""Masking: phones, landlines, ID cards and bank cards in any common writing are hidden from
the desk; dates, amounts, article, ticket and year numbers stay readable."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import sqlite_utils
from fakes import T0, ScriptedIndex, load_org, msg
from hypothesis import given
from hypothesis import strategies as st

from bot.app import build_service
from bot.desk.masking import luhn_ok, mask

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
SEPARATORS = [" ", "-", ".", "　", "－", ""]
CONTEXT = st.sampled_from(["", "我的电话是", "请联系", "身份证号：", "卡号", "（", "，谢谢", "。"])


def digits(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


@st.composite
def mobiles(draw: st.DrawFn) -> tuple[str, str]:
    """(how it is written, its 11 digits)."""
    number = "1" + draw(st.sampled_from("3456789")) + draw(digits(9))
    sep = draw(st.sampled_from(SEPARATORS))
    written = sep.join([number[:3], number[3:7], number[7:]])
    prefix = draw(st.sampled_from(["", "+86", "+86 ", "0086", "0086 ", "(+86)", "（+86）"]))
    written = prefix + written
    if draw(st.booleans()):
        written = written.translate(FULL_WIDTH)
    return written, number


@st.composite
def id_cards(draw: st.DrawFn) -> tuple[str, str]:
    area = draw(digits(6))
    year = draw(st.integers(1930, 2025))
    month, day = draw(st.integers(1, 12)), draw(st.integers(1, 28))
    if draw(st.booleans()):
        number = f"{area}{year}{month:02}{day:02}{draw(digits(3))}"
        number += draw(st.sampled_from(["X", "x", "7"]))
        groups = [number[:6], number[6:14], number[14:]]
    else:
        number = f"{area}{year % 100:02}{month:02}{day:02}{draw(digits(3))}"
        groups = [number[:6], number[6:12], number[12:]]
    written = draw(st.sampled_from(SEPARATORS[:3])).join(groups)
    if draw(st.booleans()):
        written = written.translate(FULL_WIDTH)
    return written, number


@st.composite
def bank_cards(draw: st.DrawFn) -> tuple[str, str]:
    body = draw(st.sampled_from("3456")) + draw(digits(draw(st.integers(14, 17))))
    check = next(d for d in "0123456789" if luhn_ok(body + d))
    number = body + check
    sep = draw(st.sampled_from([" ", "-", ""]))
    written = sep.join(number[i : i + 4] for i in range(0, len(number), 4))
    return written, number


@st.composite
def landlines(draw: st.DrawFn) -> tuple[str, str]:
    area = draw(st.sampled_from(["010", "020", "021", "0755", "0571", "0898"]))
    local = draw(st.sampled_from("2345678")) + draw(digits(draw(st.sampled_from([6, 7]))))
    written = draw(st.sampled_from(["{a}-{l}", "({a}) {l}", "（{a}）{l}", "{a} {l}", "{a}{l}"]))
    split = draw(st.sampled_from(["", " ", "-"]))
    written = written.format(a=area, l=local[:4] + split + local[4:])
    return written, area + local


def skeleton(text: str) -> str:
    """The digits and stars of ``text``, full-width digits read as ASCII."""
    plain = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    return "".join(ch for ch in plain if ch.isdigit() or ch == "*")


def assert_hidden(text: str, number: str) -> None:
    """A card keeps exactly its first and last four digits; every digit between is a star.

    An 18-digit card that also reads as an ID card (a date in the right place) may be masked
    as one instead: area code and sequence shown, the eight birth-date digits hidden.
    """
    masked = mask(text)
    as_card = number[:4] + "*" * (len(number) - 8) + number[-4:]
    as_id = number[:6] + "*" * 8 + number[-4:]
    assert skeleton(masked) in (as_card, as_id if len(number) == 18 else as_card), (text, masked)


@given(mobiles(), CONTEXT, CONTEXT)
def test_every_mobile_writing_is_masked(phone: tuple[str, str], before: str, after: str) -> None:
    written, number = phone
    masked = mask(before + written + after)
    assert number[:3] + "****" + number[-4:] in masked, (written, masked)
    assert masked.startswith(before) and masked.endswith(after)


@given(id_cards(), CONTEXT)
def test_every_id_card_writing_is_masked(card: tuple[str, str], before: str) -> None:
    written, number = card
    masked = mask(before + written)
    assert number[:6] in masked and "*****" in masked, (written, masked)
    assert number[6:12] not in masked.replace(" ", "").replace("-", ""), (written, masked)


@given(bank_cards(), CONTEXT)
def test_luhn_valid_bank_cards_are_masked(card: tuple[str, str], before: str) -> None:
    written, number = card
    assert_hidden(before + written, number)


@st.composite
def unionpay_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """A 16–19 digit number in UnionPay's range (62…) with whatever last digit, so mostly
    one that fails the Luhn check: a card mistyped by one digit, or one that skips the check."""
    number = "62" + draw(digits(draw(st.integers(14, 17))))
    sep = draw(st.sampled_from([" ", "-", ""]))
    written = sep.join(number[i : i + 4] for i in range(0, len(number), 4))
    return written, number


@given(unionpay_numbers(), CONTEXT)
def test_unionpay_card_numbers_are_masked_even_when_the_check_digit_is_wrong(
    card: tuple[str, str], before: str
) -> None:
    written, number = card
    assert_hidden(before + written, number)


def test_a_mistyped_debit_card_is_masked() -> None:
    assert not luhn_ok("6222021234567890123")
    assert mask("卡号 6222 0212 3456 7890 123，转错了") == "卡号 6222***********0123，转错了"


@given(landlines(), CONTEXT)
def test_landlines_with_area_codes_are_masked(line: tuple[str, str], before: str) -> None:
    written, number = line
    masked = mask(before + written)
    assert "-****" + number[-4:] in masked, (written, masked)
    shown = skeleton(masked)  # the area code, four stars, the last four digits: nothing else
    area = shown[:-8]
    assert len(area) in (3, 4) and number.startswith(area), (written, masked)
    assert shown[-8:] == "****" + number[-4:], (written, masked)


READABLE = [
    "2026-12-05 下午三点",
    "2026年12月5日签的合同",
    "2026.12.05",
    "押金 5000 元，拖了 3 个月",
    "工资 12,345.67 元",
    "借了 100000 元",
    "《民法典》第1079条第2款",
    "劳动合同法第82条",
    "工单 #12 还没人回",
    "/reply 12 已处理",
    "1990年出生，住 3 号楼 1202 室",
    "2019 2020 2021 2022 年都没交物业费",
    "房号 12-3-1202",
    "身高 175 cm，体重 65.5 kg",
    "12348 是法律援助热线，110 报警",
    "合同编号 2026120500012",
    "4222021234567890",  # 16 digits outside UnionPay's range that fail Luhn: not a card
]


def test_dates_amounts_articles_tickets_and_years_stay_readable() -> None:
    for text in READABLE:
        assert mask(text) == text


def test_a_phone_inside_other_numbers_is_still_found() -> None:
    assert mask("2026-12-05 138 1234 5678 打过 3 次") == "2026-12-05 138****5678 打过 3 次"
    assert mask("电话13812345678，身份证440104199003071234") == (
        "电话138****5678，身份证440104********1234"
    )


WRITINGS = [
    ("+86 138 1234 5678", "12345678"),
    ("138-1234-5678", "1234-5678"),
    ("１３８１２３４５６７８", "１２３４５６７８"),
    ("440104 19900307 123X", "19900307"),
    ("020-87654321", "87654321"),
]


def test_the_desk_never_sees_a_residents_number(db: sqlite_utils.Database) -> None:
    load_org(db)
    service = build_service(db, ZoneInfo("Asia/Shanghai"), ScriptedIndex())
    residents = [f"r{n}" for n in range(len(WRITINGS))]
    for n, (written, _) in enumerate(WRITINGS):  # a ticket each
        service.handle(msg("/start xinhepu", who=residents[n]), T0)
        service.handle(msg(f"公司拖欠了我三个月工资，我的号码 {written}", who=residents[n]), T0)
    desk = [i.out.text for i in service.outbox.pending() if i.out.chat_id not in residents]
    for n in range(len(WRITINGS)):
        desk.append(service.desk_command("王律师", f"/show {n + 1}", T0).ack)
    assert sum(text.count("****") for text in desk) >= 2 * len(WRITINGS)  # the post and /show
    for written, secret in WRITINGS:
        assert all(secret not in text for text in desk), (written, desk)
