"""Quantities in Chinese sentences, for campaign checks and journeys.

Chinese numerals and mixed forms (三十五元, 两千, 1.5万, 百分之二十, 零点五), discounts
(八折 is 20% off, 九五折 5% off, 一成半 15%, 半价 50%, "只交百分之八十五" 15% off), instalments
(12期免息), durations (半年, 一年半, 十二个月), dates (3月31日前, 六月底) and money with its
currency (元, 块, 人民币, 港币, 新台币, NT$, HK$) and period (每月, 一年, /月) are read into the same
`Quantity` shapes as English, so the campaign checker compares them the same way.

Traditional script is read as Simplified (OpenCC t2s) and full-width forms as ASCII (NFKC)
first. Numerals are converted by cn2an (a maintained converter: 两千一百八十, 零点八五, 1.5万),
only where a number stands: a run of numeral characters next to a unit, a currency or a
percent marker, or one that reads as a multi-character number; words that merely contain a
numeral character (一样, 统一, 万一, 十分) stay as they are.

Relative dates (月底, 下个月, 明天) need the contact's date: `relative_dates(text, day)`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import lru_cache

from qa.language import ZH_DIGITS, normalise
from qa.statements.quantities import Quantity, month_end

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def has_han(text: str) -> bool:
    return bool(HAN.search(text))


def simplified(text: str) -> str:
    """NFKC (full-width digits and punctuation as ASCII) and Traditional as Simplified, by
    qa.language's one conversion."""
    return normalise(text, "zh")


# --- numerals -------------------------------------------------------------------------------

_DIG = "".join(ZH_DIGITS)  # numerals only: 幺/么 are digits read out, not numbers
_CN_RUN = re.compile(rf"[{_DIG}十百千万亿]+(?:点[{_DIG}]+)?[万亿]?")
# What may follow a number (its unit), so that a run of numeral characters is a number.
_UNIT_AFTER = re.compile(
    r"^(?:多|来|余|几)?(?:元|块|圆|蚊|毛|角|个|年|天|日|周|星期|期|种|次|折|成|%|岁|周岁|倍|份|件|"
    r"张|台|条|号|月|位|人|分钟|小时|秒|万|千|百|亿|美元|港币|港元|人民币|新台币|台币|欧元|英镑)"
)
_MARK_BEFORE = re.compile(
    r"(?:百分之|第|乘以|乘|×|满|每|打|只要|只需|仅需|保额|年费|月费|保费|原价|是)$"
)
# Words with a numeral character that are not numbers.
_NOT_NUMBERS = re.compile(
    r"^(?:一样|一起|一下|一些|一直|一定|一般|一切|一旦|一共|一点点|一致|一向|一律|一边|一方面|"
    r"统一|唯一|之一|万一|千万|一一|十分|九成九|三思|一把|一口气|一再|一心|一时|一概|一同|"
    r"一五一十|一模一样|一路|一次性)"
)
_SCALE = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
_ARABIC_SCALE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s?([万千亿])(?![分])")
_PERCENT_OF = re.compile(r"百分之(\d+(?:\.\d+)?)")


def _convert_run(run: str) -> str | None:
    import cn2an  # lazy: only Chinese text needs it

    try:
        value = cn2an.cn2an(run, "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return f"{float(value):.10g}"


def _numerals(text: str) -> str:
    out: list[str] = []
    pos = 0
    for m in _CN_RUN.finditer(text):
        run = m.group(0)
        before, after = text[max(0, m.start() - 4) : m.start()], text[m.end() : m.end() + 4]
        if _NOT_NUMBERS.match(text[m.start() : m.start() + 5]) or (
            m.start() and _NOT_NUMBERS.match(text[m.start() - 1 : m.start() + 4])
        ):
            continue
        numeric = len(run) >= 2 and (any(c in _DIG for c in run) or run[0] == "十")
        if not (_UNIT_AFTER.match(after) or _MARK_BEFORE.search(before) or numeric):
            continue
        value = _convert_run(run)
        if value is None:
            continue
        out.append(text[pos : m.start()])
        # A numeral said right after a figure is a number of its own: "¥50一个月" is 50 a
        # month, not 501 months.
        out.append(f" {value}" if text[m.start() - 1 : m.start()].isdigit() else value)
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


@lru_cache(maxsize=16384)
def zh_digits(text: str) -> str:
    """The text in Simplified script with every Chinese number written in Arabic digits:
    "三十五块一个月" -> "35块1个月", "1.5万" -> "15000", "百分之二十" -> "20%"."""
    t = _numerals(simplified(text))
    t = _ARABIC_SCALE.sub(lambda m: f"{float(m.group(1)) * _SCALE[m.group(2)]:.10g}", t)
    t = _PERCENT_OF.sub(r"\1%", t)
    t = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", t)  # 4,860 -> 4860
    return t


# --- quantities -----------------------------------------------------------------------------

_N = r"\d+(?:\.\d+)?"
CURRENCIES = {
    "nt$": "TWD", "ntd": "TWD", "twd": "TWD", "新台币": "TWD", "台币": "TWD",
    "hk$": "HKD", "hkd": "HKD", "港币": "HKD", "港元": "HKD", "港纸": "HKD",
    "rmb": "CNY", "cny": "CNY", "¥": "CNY", "人民币": "CNY",
    "us$": "USD", "usd": "USD", "美元": "USD", "美金": "USD",
    "欧元": "EUR", "英镑": "GBP", "$": None,
    # The unit words of everyday speech name no currency: the contact's own.
    "元": None, "块钱": None, "块": None, "圆": None, "蚊": None,
}  # fmt: skip
_CUR_BEFORE = (
    r"(nt\$|ntd|twd|hk\$|hkd|us\$|usd|rmb|cny|¥|\$|新台币|台币|港币|港元|人民币|美元|美金)"
)
_CUR_AFTER = r"(新台币|台币|港币|港元|港纸|人民币|美元|美金|欧元|英镑|块钱|块|元|圆|蚊|rmb|ntd|hkd|twd|usd|cny)"
_MONEY_BEFORE = re.compile(rf"{_CUR_BEFORE}\s?({_N})(?:\s?(?:元|块钱|块))?(多)?", re.I)
# The jiao (and fen) of a price said in yuan: "九十九块五" is 99.5, "两块五毛" 2.5, "三元五角八分"
# 3.58; not a number with a unit of its own ("35块一个月", "一百块5个人").
_ZH_DIGIT = rf"[1-9{''.join(d for d, v in ZH_DIGITS.items() if v)}]"
_JIAO = (
    rf"(?<=[块元圆蚊])({_ZH_DIGIT})(?![\d.{_DIG}十百千万亿])"
    rf"(?:\s?[毛角](?:\s?({_ZH_DIGIT})\s?分)?|(?!\s?[个年月天日周星期次种岁倍份件张台条号位人分小时秒折成%万千百gG]))"
)
_MONEY_AFTER = re.compile(
    rf"(?<![\d.])({_N})(?:\s?(?:到|至|-|~)\s?({_N}))?\s?{_CUR_AFTER}(?:(多)|{_JIAO})?", re.I
)
# A bare figure after a word that prices something ("年费399", "只要199"): money; not one
# that a discount follows ("只要8折", "价格5成").
_MONEY_CUE = re.compile(rf"(?:年费|月费|月供|包月|月缴|月交|年缴|年交|保费|保额|原价|售价|定价|价格|只要|只需|仅需|仅要|满)(?:是|为|只要|只需)?\s?({_N})(?![\d.%]|\s?[天年月日期种次岁倍个折成])")  # fmt: skip
_PERIOD_AFTER = re.compile(
    r"^\s?(?:/|每|一个?|1个?|一|1)?\s?(个月|月|年|天|日|周|星期)(?!底|初|份|\d|半)"
)
_PERIOD_BEFORE = re.compile(
    r"(每个?月|月费|月缴|月交|月供|按月|包月|每期|一个月|1个月|每年|年费|年缴|年交|按年|一年|1年|每天|每日|每周|每星期|一次性)"
    r"[^,，。;；!?！？\d]{0,6}$"
)
_PERIOD_WORDS = {"月": "month", "个月": "month", "年": "year", "天": "day", "日": "day",
                 "周": "week", "星期": "week"}  # fmt: skip
_DISCOUNT = re.compile(rf"(?<![\d.])({_N})\s?折(?!扣|旧|叠|算|合)")
_HALF_PRICE = re.compile(r"半价|对折")
_TENTHS = re.compile(rf"(?<![\d.])({_N})成(半)?(?!功|为|了|交|员|本|立|熟|年|品|绩|就|果|都)")
_PERCENT = re.compile(rf"(?<![\d.])({_N})(?:\s?(?:到|至|-|~)\s?({_N}))?\s?%(?:\s?off)?", re.I)
# "只交百分之八十五", "按原价的85%", "乘以0.85": the share paid, so the discount is the rest.
_PAID_SHARE = re.compile(r"(?:只交|只需交|只要交|只付|只需付|只要付|交|付|原价的|按)\s?$")
_MULTIPLY = re.compile(r"(?:乘以|乘|×|\*|x)\s?(0\.\d+)", re.I)
_DURATION = re.compile(
    rf"(?<![\d.第])({_N})(?:\s?(?:到|至|-|~)\s?({_N}))?\s?(个半月|个月|年半|年|天|日|周(?!岁)|星期|个工作日|工作日)(?!底|初|份)"
)
_HALF_DURATION = re.compile(r"(?<![\d个])半(年|个月|天)")
_COUNT = re.compile(
    rf"(?<![\d.第])({_N})(?:\s?(?:到|至|-|~)\s?({_N}))?\s?(期|种|次|张|倍|件|份|周岁|岁|gb|g)", re.I
)
_DATE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})(?:日|号)")
_MONTH_END = re.compile(r"(?<!\d)(?:(\d{4})年)?(\d{1,2})月(?:份)?(?:底|末)")
_YEAR_END = re.compile(r"年底|年末")
_REFERENCE = re.compile(
    r"(?:尾号|后四位|后三位|末四位|末三码|末四码|末三位|保单号|订单号|单号|工号|编号|卡号|手机号?|电话|"
    r"号码|账号|账户|验证码|身份证|#|no\.?)\s?(?:是|为|:)?\s?$",
    re.I,
)
_LONG_NUMBER = re.compile(r"\d[\d -]{6,}\d")
_CLOCK = re.compile(r"\d{1,2}:\d{2}|\d{1,2}点(?:\d{1,2}分?|半)?(?!\d)")
BOUNDS_BEFORE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("max", ("最多", "最高", "不超过", "至多", "上限", "高达", "最长", "顶多")),
    ("min", ("至少", "最低", "最少", "起码", "不低于", "不少于")),
    ("below", ("不到", "低于", "少于", "不足", "未满")),
    ("above", ("超过", "多于", "高于")),
)
BOUNDS_AFTER: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("max", ("以内", "之内")),
    ("min", ("以上", "起")),
    ("below", ("以下",)),
)

# A bound said of a share paid (最低7折, 7折起, 低于7折) turned into one of the discount; 最多
# and 最高 with 折 already speak of the discount ("最多打8折": at most 20 % off).
_PAID_BOUND: dict[str | None, str | None] = {"min": "max", "below": "above", "above": "below"}


# The currency said between a bound word and its figure ("最多 US $500", "不超过人民币 ¥50").
_CURRENCY_BEFORE = re.compile(r"(?:\s|[$¥]|nt|hk|us|新台币|台币|港币|港元|人民币)*$", re.I)


def _bound(t: str, start: int, end: int) -> str | None:
    before = _CURRENCY_BEFORE.sub("", t[:start])
    for kind, words in BOUNDS_BEFORE:
        if before.endswith(words):
            return kind
    after = t[end:]
    for kind, words in BOUNDS_AFTER:
        if after.startswith(words):
            return kind
    return None


def _period(
    t: str, start: int, end: int, spans: list[tuple[int, int]] | None = None
) -> tuple[str | None, int]:
    """The period said with a money figure, after it ("35块一个月") or before it ("每月35元");
    a period said before it is added to `spans` (it is no duration of its own)."""
    m = _PERIOD_AFTER.match(t[end:])
    if m:
        return _PERIOD_WORDS[m.group(1)], end + m.end()
    if re.match(r"^\s?一次性", t[end:]):
        return "once", end
    b = _PERIOD_BEFORE.search(t[:start])
    if b:
        word = b.group(1)
        if spans is not None:
            spans.append(b.span(1))
        if "次" in word:
            return "once", end
        # 星期 before 期: "每星期" is a week, not an instalment.
        for key, period in (("月", "month"), ("星期", "week"), ("期", "month"), ("年", "year"),
                            ("天", "day"), ("日", "day"), ("周", "week")):  # fmt: skip
            if key in word:
                return period, end
    return None, end


def _f(s: str | None) -> float | None:
    return float(s) if s else None


def _digit(s: str) -> int:
    return int(s) if s.isdigit() else ZH_DIGITS[s]


def extract_zh(text: str) -> tuple[str, list[Quantity]]:
    """The normalised text (Simplified, Arabic digits) and every quantity in it, in order."""
    t = zh_digits(text)
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = [m.span() for m in _CLOCK.finditer(t)]
    taken += [m.span() for m in _LONG_NUMBER.finditer(t)]

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    def add(q: Quantity) -> None:
        found.append(q)
        taken.append((q.start, q.end))

    def reference(start: int) -> bool:
        return bool(_REFERENCE.search(t[:start]))

    periods: list[tuple[int, int]] = []
    for m in _DATE.finditer(t):
        month, day = int(m.group(2)), int(m.group(3))
        if free(*m.span()) and 1 <= month <= 12 and 1 <= day <= 31:
            add(Quantity("date", month * 100 + day, f"{month:02d}-{day:02d}", None, None, None,
                         m.start(), m.end(), m.group(0)))  # fmt: skip
    for m in _MONTH_END.finditer(t):
        month = int(m.group(2))
        if free(*m.span()) and 1 <= month <= 12:
            add(month_end(month, int(m.group(1)) if m.group(1) else None, m.start(), m.end(),
                          m.group(0)))  # fmt: skip
    for m in _YEAR_END.finditer(t):
        if free(*m.span()):
            add(Quantity("date", 1231, "12-31", None, None, None, m.start(), m.end(), m.group(0)))
    for rx, cur_group, value_group, high_group, more_group in (
        (_MONEY_BEFORE, 1, 2, None, 3),
        (_MONEY_AFTER, 3, 1, 2, 4),
    ):
        for m in rx.finditer(t):
            if not free(*m.span()) or reference(m.start()):
                continue
            value = float(m.group(value_group))
            high = _f(m.group(high_group)) if high_group else None
            if m.group(more_group):  # "十六块多": a little over sixteen
                value += 0.5
            elif rx is _MONEY_AFTER and m.group(5):  # "九十九块五": yuan and jiao
                cents = _digit(m.group(5)) / 10 + (_digit(m.group(6)) / 100 if m.group(6) else 0)
                if high is None:
                    value = round(value + cents, 2)
                else:
                    high = round(high + cents, 2)
            currency = CURRENCIES.get(m.group(cur_group).lower())
            period, end = _period(t, m.start(), m.end(), periods)
            add(Quantity("money", value, currency, period, high,
                         _bound(t, m.start(), m.end()), m.start(), end, t[m.start() : end]))  # fmt: skip
    for m in _MONEY_CUE.finditer(t):
        a, b = m.span(1)
        if free(a, b) and not reference(a):
            period, end = _period(t, a, b, periods)
            add(Quantity("money", float(m.group(1)), None, period, None, _bound(t, a, b), a, end,
                         t[a:end]))  # fmt: skip
    taken += periods  # "一个月大概十六块多": the month is the price's period
    for m in _DISCOUNT.finditer(t):
        if not free(*m.span()):
            continue
        x = float(m.group(1))
        paid = x * 10 if x <= 10 else x  # 8折 -> 80% paid, 85折 -> 85% paid, 10折 -> all of it
        if paid <= 0 or paid >= 100:
            continue
        # The bound is said of the share paid: 最低7折 (at least 70 % paid) is at most 30 % off.
        bound = _bound(t, *m.span())
        bound = _PAID_BOUND.get(bound, bound)
        add(Quantity("percent", round(100 - paid, 4), None, None, None, bound,
                     m.start(), m.end(), m.group(0), extra={"form": "zhe"}))  # fmt: skip
    for m in _HALF_PRICE.finditer(t):
        if free(*m.span()):
            add(Quantity("percent", 50.0, None, None, None, None, m.start(), m.end(), m.group(0),
                         extra={"form": "half_price"}))  # fmt: skip
    for m in _TENTHS.finditer(t):
        if free(*m.span()):
            value = float(m.group(1)) * 10 + (5 if m.group(2) else 0)
            if 0 < value <= 100:
                add(Quantity("percent", value, None, None, None, _bound(t, *m.span()), m.start(),
                             m.end(), m.group(0), extra={"form": "cheng"}))  # fmt: skip
    for m in _MULTIPLY.finditer(t):
        if free(*m.span()):
            paid = float(m.group(1)) * 100
            add(Quantity("percent", round(100 - paid, 4), None, None, None, None, m.start(),
                         m.end(), m.group(0), extra={"form": "paid_share"}))  # fmt: skip
    for m in _PERCENT.finditer(t):
        if not free(*m.span()):
            continue
        value, high = float(m.group(1)), _f(m.group(2))
        extra = {}
        if _PAID_SHARE.search(t[: m.start()]) and value > 50:
            value, high, extra = round(100 - value, 4), None, {"form": "paid_share"}
        add(Quantity("percent", value, None, None, high, _bound(t, *m.span()), m.start(),
                     m.end(), m.group(0), extra=extra))  # fmt: skip
    for m in _HALF_DURATION.finditer(t):
        if free(*m.span()):
            unit = m.group(1)
            value, u = (6.0, "month") if unit == "年" else (15.0, "day") if unit == "个月" else (0.5, "day")  # fmt: skip
            add(Quantity("duration", value, u, None, None, _bound(t, *m.span()), m.start(),
                         m.end(), m.group(0)))  # fmt: skip
    for m in _DURATION.finditer(t):
        if not free(*m.span()) or reference(m.start()):
            continue
        value, high, word = float(m.group(1)), _f(m.group(2)), m.group(3)
        if word == "年" and value >= 1000:
            continue  # a year: 2026年, 1899年
        if word in ("日",) and re.search(r"月\s?$", t[: m.start()]):
            continue  # a date's day
        unit = {"个半月": "month", "个月": "month", "年半": "month", "年": "year", "天": "day",
                "日": "day", "周": "week", "星期": "week", "个工作日": "day",
                "工作日": "day"}[word]  # fmt: skip
        if word == "个半月":
            value += 0.5
        elif word == "年半":
            value, high = value * 12 + 6, None
        add(Quantity("duration", value, unit, None, high, _bound(t, *m.span()), m.start(),
                     m.end(), m.group(0), working="工作日" in word))  # fmt: skip
    for m in _COUNT.finditer(t):
        if not free(*m.span()) or reference(m.start()):
            continue
        unit = {"周岁": "岁", "g": "gb"}.get(m.group(3).lower(), m.group(3).lower())
        extra = (
            {"interest_free": "yes"} if unit == "期" and "免息" in t[m.end() : m.end() + 3] else {}
        )
        add(Quantity("count", float(m.group(1)), unit, None, _f(m.group(2)),
                     _bound(t, *m.span()), m.start(), m.end(), m.group(0), extra=extra))  # fmt: skip
    found.sort(key=lambda q: q.start)
    return t, found


# --- relative dates -------------------------------------------------------------------------

_RELATIVE = re.compile(
    r"(?P<today>今天|今日)|(?P<tomorrow>明天|明日)|(?P<after>后天)|(?P<week>下周|下个星期|下星期|下礼拜)"
    r"|(?P<next_month_end>下个?月底|下个?月末)|(?P<next_month>下个?月)|(?P<month_end>月底|月末|本月底|这个月底)"
    r"|(?P<year_end>年底|年末)|(?P<days>(\d+)天(?:内|之内|后|以后))"
)


def relative_dates(text: str, day: dt.date) -> list[tuple[str, dt.date]]:
    """Dates said relative to the contact's day (月底, 下个月, 明天, 三天内): (the words, the date).
    下个月 is the first day of the next month; 月底 the last day of this month."""
    t = zh_digits(text)
    out: list[tuple[str, dt.date]] = []
    for m in _RELATIVE.finditer(t):
        kind = m.lastgroup
        if kind == "days" or m.group("days"):
            n = int(re.match(r"\d+", m.group(0)).group(0))  # type: ignore[union-attr]
            out.append((m.group(0), day + dt.timedelta(days=n)))
            continue
        nxt = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        when = {
            "today": day,
            "tomorrow": day + dt.timedelta(days=1),
            "after": day + dt.timedelta(days=2),
            "week": day + dt.timedelta(days=7 - day.weekday()),
            "next_month": nxt,
            "next_month_end": nxt.replace(day=calendar.monthrange(nxt.year, nxt.month)[1]),
            "month_end": day.replace(day=calendar.monthrange(day.year, day.month)[1]),
            "year_end": dt.date(day.year, 12, 31),
        }[kind or "today"]
        out.append((m.group(0), when))
    return out
