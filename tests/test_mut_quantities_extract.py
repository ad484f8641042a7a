"""English quantities pinned whole: every field of every quantity read from a phrase (kind,
value, currency or unit, period, range, bound, span, text, working days) and the normalised
text it was read from. Each phrase is written here; each stands for one edge of the reader:
cents in words, a bound word in capitals, a range said with "or", a payment made once, a
figure of no currency that is money only with a period or two decimals, a reference word.
"""

from __future__ import annotations

import pytest

from qa.statements.numbers import digits
from qa.statements.quantities import extract

Row = tuple[object, ...]


def whole(text: str) -> tuple[str, list[Row]]:
    digits.cache_clear()  # each phrase read anew (see tests/test_mut_statements.py)
    t, found = extract(text)
    rows = [
        (q.kind, q.value, q.unit, q.period, q.high, q.bound, q.start, q.end, q.text, q.working)
        for q in found
    ]
    return t, rows


@pytest.mark.parametrize(
    ("said", "normalised", "want"),
    [
        # money with cents, in words or digits
        (
            "It's twenty dollars and fifty cents a month",
            "It's 20 dollars and 50 cents a month",
            [
                (
                    "money",
                    20.5,
                    "USD",
                    "month",
                    None,
                    None,
                    5,
                    36,
                    "20 dollars and 50 cents a month",
                    False,
                )
            ],
        ),
        (
            "12 dollars 5 cents",
            "12 dollars 5 cents",
            [("money", 12.05, "USD", None, None, None, 0, 18, "12 dollars 5 cents", False)],
        ),
        (
            "ten pounds and 99 pence per week",
            "10 pounds and 99 pence per week",
            [
                (
                    "money",
                    10.99,
                    "GBP",
                    "week",
                    None,
                    None,
                    0,
                    31,
                    "10 pounds and 99 pence per week",
                    False,
                )
            ],
        ),
        (
            "It costs 3 euros and 20 p",
            "It costs 3 euros and 20 p",
            [("money", 3.2, "EUR", None, None, None, 9, 25, "3 euros and 20 p", False)],
        ),
        ("$5 grand", "$5000 ¤", [("money", 5000.0, "USD", None, None, None, 0, 5, "$5000", False)]),
        (
            "two grand a month",
            "2000 ¤ a month",
            [("money", 2000.0, None, "month", None, None, 0, 14, "2000 ¤ a month", False)],
        ),
        ("a grand", "1000 ¤", [("money", 1000.0, None, None, None, None, 0, 6, "1000 ¤", False)]),
        ("5 grand", "5000 ¤", [("money", 5000.0, None, None, None, None, 0, 6, "5000 ¤", False)]),
        # bounds before the figure, in any case
        (
            "up to $40 a month",
            "up to $40 a month",
            [("money", 40.0, "USD", "month", None, "max", 6, 17, "$40 a month", False)],
        ),
        (
            "at least £15 per year",
            "at least £15 per year",
            [("money", 15.0, "GBP", "year", None, "min", 9, 21, "£15 per year", False)],
        ),
        (
            "from €9.99 monthly",
            "from €9.99 monthly",
            [("money", 9.99, "EUR", "month", None, "min", 5, 18, "€9.99 monthly", False)],
        ),
        ("under $5", "under $5", [("money", 5.0, "USD", None, None, "below", 6, 8, "$5", False)]),
        (
            "more than 20 dollars",
            "more than 20 dollars",
            [("money", 20.0, "USD", None, None, "above", 10, 20, "20 dollars", False)],
        ),
        (
            "cheaper than £20",
            "cheaper than £20",
            [("money", 20.0, "GBP", None, None, "below", 13, 16, "£20", False)],
        ),
        (
            "no more than 25% off",
            "no more than 25% off",
            [("percent", 25.0, None, None, None, "max", 13, 16, "25%", False)],
        ),
        (
            "starting at 30 percent",
            "starting at 30 percent",
            [("percent", 30.0, None, None, None, "min", 12, 22, "30 percent", False)],
        ),
        (
            "less than 10%",
            "less than 10%",
            [("percent", 10.0, None, None, None, "below", 10, 13, "10%", False)],
        ),
        (
            "below 3 percent",
            "below 3 percent",
            [("percent", 3.0, None, None, None, "below", 6, 15, "3 percent", False)],
        ),
        (
            "above 2.5%",
            "above 2.5%",
            [("percent", 2.5, None, None, None, "above", 6, 10, "2.5%", False)],
        ),
        (
            "over 2 years",
            "over 2 years",
            [("duration", 2.0, "year", None, None, "above", 5, 12, "2 years", False)],
        ),
        (
            "More Than 5 days",
            "More Than 5 days",
            [("duration", 5.0, "day", None, None, "above", 10, 16, "5 days", False)],
        ),
        (
            "MAX 5 days",
            "MAX 5 days",
            [("duration", 5.0, "day", None, None, "max", 4, 10, "5 days", False)],
        ),
        (
            "minimum of 3 months",
            "minimum of 3 months",
            [("duration", 3.0, "month", None, None, "min", 11, 19, "3 months", False)],
        ),
        (
            "maximum 6 months",
            "maximum 6 months",
            [("duration", 6.0, "month", None, None, "max", 8, 16, "6 months", False)],
        ),
        # ranges
        (
            "$10 to $15 a week",
            "$10 to $15 a week",
            [("money", 10.0, "USD", "week", 15.0, None, 0, 17, "$10 to $15 a week", False)],
        ),
        (
            "$10-15 per day",
            "$10-15 per day",
            [("money", 10.0, "USD", "day", 15.0, None, 0, 14, "$10-15 per day", False)],
        ),
        (
            "$10 or $12",
            "$10 or $12",
            [("money", 10.0, "USD", None, 12.0, None, 0, 10, "$10 or $12", False)],
        ),
        (
            "between 40 and 50 dollars",
            "between 40 to 50 dollars",
            [("money", 40.0, "USD", None, 50.0, None, 8, 24, "40 to 50 dollars", False)],
        ),
        (
            "between $40 and $50",
            "between $40 to $50",
            [("money", 40.0, "USD", None, 50.0, None, 8, 18, "$40 to $50", False)],
        ),
        (
            "5 to 10 per cent",
            "5 to 10 per cent",
            [("percent", 5.0, None, None, 10.0, None, 0, 16, "5 to 10 per cent", False)],
        ),
        ("5-10%", "5-10%", [("percent", 5.0, None, None, 10.0, None, 0, 5, "5-10%", False)]),
        (
            "2 to 3 years",
            "2 to 3 years",
            [("duration", 2.0, "year", None, 3.0, None, 0, 12, "2 to 3 years", False)],
        ),
        (
            "1-2 weeks",
            "1-2 weeks",
            [("duration", 1.0, "week", None, 2.0, None, 0, 9, "1-2 weeks", False)],
        ),
        (
            "within 3 to 5 working days",
            "within 3 to 5 working days",
            [("duration", 3.0, "day", None, 5.0, "max", 7, 26, "3 to 5 working days", True)],
        ),
        # periods, and payments made once
        (
            "£5 for the whole year",
            "£5 for the whole year",
            [("money", 5.0, "GBP", "year", None, None, 0, 21, "£5 for the whole year", False)],
        ),
        (
            "£5 over the year",
            "£5 over the year",
            [("money", 5.0, "GBP", "year", None, None, 0, 16, "£5 over the year", False)],
        ),
        (
            "£5 for a month",
            "£5 for a month",
            [("money", 5.0, "GBP", "month", None, None, 0, 14, "£5 for a month", False)],
        ),
        (
            "£5 in a month",
            "£5 in a month",
            [("money", 5.0, "GBP", "month", None, None, 0, 13, "£5 in a month", False)],
        ),
        (
            "£5 the month",
            "£5 the month",
            [("money", 5.0, "GBP", "month", None, None, 0, 12, "£5 the month", False)],
        ),
        (
            "£5 each month",
            "£5 each month",
            [("money", 5.0, "GBP", "month", None, None, 0, 13, "£5 each month", False)],
        ),
        (
            "£5 every week",
            "£5 every week",
            [("money", 5.0, "GBP", "week", None, None, 0, 13, "£5 every week", False)],
        ),
        ("£5/mo", "£5/mo", [("money", 5.0, "GBP", "month", None, None, 0, 5, "£5/mo", False)]),
        (
            "5 dollars annually",
            "5 dollars annually",
            [("money", 5.0, "USD", "year", None, None, 0, 18, "5 dollars annually", False)],
        ),
        (
            "5 dollars per annum",
            "5 dollars per annum",
            [("money", 5.0, "USD", "year", None, None, 0, 19, "5 dollars per annum", False)],
        ),
        (
            "5 dollars yearly",
            "5 dollars yearly",
            [("money", 5.0, "USD", "year", None, None, 0, 16, "5 dollars yearly", False)],
        ),
        (
            "5 dollars daily",
            "5 dollars daily",
            [("money", 5.0, "USD", "day", None, None, 0, 15, "5 dollars daily", False)],
        ),
        (
            "5 dollars weekly",
            "5 dollars weekly",
            [("money", 5.0, "USD", "week", None, None, 0, 16, "5 dollars weekly", False)],
        ),
        (
            "$99 one-off",
            "$99 one-off",
            [("money", 99.0, "USD", "once", None, None, 0, 11, "$99 one-off", False)],
        ),
        (
            "$99 as a one time payment",
            "$99 as a one time payment",
            [("money", 99.0, "USD", "once", None, None, 0, 17, "$99 as a one time", False)],
        ),
        (
            "$99 in a single payment",
            "$99 in a single payment",
            [("money", 99.0, "USD", "once", None, None, 0, 23, "$99 in a single payment", False)],
        ),
        (
            "$99 up front",
            "$99 up front",
            [("money", 99.0, "USD", "once", None, None, 0, 12, "$99 up front", False)],
        ),
        (
            "£10 per month for 12 months",
            "£10 per month for 12 months",
            [
                ("money", 10.0, "GBP", "month", None, None, 0, 13, "£10 per month", False),
                ("duration", 12.0, "month", None, None, None, 18, 27, "12 months", False),
            ],
        ),
        (
            "£10 a month, 12 months",
            "£10 a month, 12 months",
            [
                ("money", 10.0, "GBP", "month", None, None, 0, 11, "£10 a month", False),
                ("duration", 12.0, "month", None, None, None, 13, 22, "12 months", False),
            ],
        ),
        # durations and counts
        (
            "10 business days",
            "10 business days",
            [("duration", 10.0, "day", None, None, None, 0, 16, "10 business days", True)],
        ),
        (
            "14 calendar days",
            "14 calendar days",
            [("duration", 14.0, "day", None, None, None, 0, 16, "14 calendar days", False)],
        ),
        (
            "2 weeks",
            "2 weeks",
            [("duration", 2.0, "week", None, None, None, 0, 7, "2 weeks", False)],
        ),
        (
            "a 12-month contract",
            "a 12-month contract",
            [("duration", 12.0, "month", None, None, None, 2, 10, "12-month", False)],
        ),
        (
            "24 months",
            "24 months",
            [("duration", 24.0, "month", None, None, None, 0, 9, "24 months", False)],
        ),
        ("1 year", "1 year", [("duration", 1.0, "year", None, None, None, 0, 6, "1 year", False)]),
        (
            "3 days a week",
            "3 days a week",
            [("duration", 3.0, "day", "week", None, None, 0, 13, "3 days a week", False)],
        ),
        (
            "100 GB a month",
            "100 GB a month",
            [("count", 100.0, "gb", "month", None, None, 0, 14, "100 GB a month", False)],
        ),
        ("50 gigs", "50 gigs", [("count", 50.0, "gb", None, None, None, 0, 7, "50 gigs", False)]),
        ("5 gb", "5 gb", [("count", 5.0, "gb", None, None, None, 0, 4, "5 gb", False)]),
        (
            "500 Mbps",
            "500 Mbps",
            [("count", 500.0, "mbps", None, None, None, 0, 8, "500 Mbps", False)],
        ),
        ("3 meg", "3 meg", [("count", 3.0, "mbps", None, None, None, 0, 5, "3 meg", False)]),
        (
            "2 megabits",
            "2 megabits",
            [("count", 2.0, "mbps", None, None, None, 0, 10, "2 megabits", False)],
        ),
        ("10 mb", "10 mb", [("count", 10.0, "mbps", None, None, None, 0, 5, "10 mb", False)]),
        (
            "1000 minutes per month",
            "1000 minutes per month",
            [
                (
                    "count",
                    1000.0,
                    "minute",
                    "month",
                    None,
                    None,
                    0,
                    22,
                    "1000 minutes per month",
                    False,
                )
            ],
        ),
        (
            "1 minute",
            "1 minute",
            [("count", 1.0, "minute", None, None, None, 0, 8, "1 minute", False)],
        ),
        ("1 text", "1 text", [("count", 1.0, "text", None, None, None, 0, 6, "1 text", False)]),
        (
            "unlimited texts and 2 lines",
            "unlimited texts and 2 lines",
            [("count", 2.0, "line", None, None, None, 20, 27, "2 lines", False)],
        ),
        (
            "3 trips a year",
            "3 trips a year",
            [("count", 3.0, "trip", "year", None, None, 0, 14, "3 trips a year", False)],
        ),
        (
            "2 claims per year",
            "2 claims per year",
            [("count", 2.0, "claim", "year", None, None, 0, 17, "2 claims per year", False)],
        ),
        (
            "5 kwh a day",
            "5 kwh a day",
            [("count", 5.0, "kwh", "day", None, None, 0, 11, "5 kwh a day", False)],
        ),
        # rates per unit of energy, cents and pence
        (
            "26.4 cents per kWh",
            "26.4 cents per kWh",
            [("rate", 26.4, "cent/kwh", None, None, None, 0, 18, "26.4 cents per kWh", False)],
        ),
        (
            "26.4c per unit",
            "26.4c per unit",
            [("rate", 26.4, "cent/kwh", None, None, None, 0, 14, "26.4c per unit", False)],
        ),
        (
            "20 cents per kilowatt-hour",
            "20 cents per kilowatt-hour",
            [
                (
                    "rate",
                    20.0,
                    "cent/kwh",
                    None,
                    None,
                    None,
                    0,
                    26,
                    "20 cents per kilowatt-hour",
                    False,
                )
            ],
        ),
        (
            "30 p a day",
            "30 p a day",
            [("money", 0.3, None, "day", None, None, 0, 10, "30 p a day", False)],
        ),
        ("50 cents", "50 cents", [("money", 0.5, None, None, None, None, 0, 8, "50 cents", False)]),
        ("$0.25 per unit", "$0.25 per unit", []),
        # figures of no currency: money with a period or two decimals, years and references aside
        (
            "it's 39.99",
            "it's 39.99",
            [("money", 39.99, None, None, None, None, 5, 10, "39.99", False)],
        ),
        ("it's 39.9", "it's 39.9", []),
        (
            "55 a month",
            "55 a month",
            [("money", 55.0, None, "month", None, None, 0, 10, "55 a month", False)],
        ),
        ("in 2026", "in 2026", []),
        ("2026.50", "2026.50", [("money", 2026.5, None, None, None, None, 0, 7, "2026.50", False)]),
        (
            "12.5% or 15%",
            "12.5% or 15%",
            [
                ("percent", 12.5, None, None, None, None, 0, 5, "12.5%", False),
                ("percent", 15.0, None, None, None, None, 9, 12, "15%", False),
            ],
        ),
        (
            "10% and $5",
            "10% and $5",
            [
                ("percent", 10.0, None, None, None, None, 0, 3, "10%", False),
                ("money", 5.0, "USD", None, None, None, 8, 10, "$5", False),
            ],
        ),
        ("order #45 a month", "order #45 a month", []),
        ("invoice: 12.99", "invoice: 12.99", []),
        ("policy no. 55.00", "policy no. 55.00", []),
        ("house 12.50", "house 12.50", []),
        ("meter 44.10", "meter 44.10", []),
        ("unit no 3 a month", "unit no 3 a month", []),
        ("ref 12 a month", "ref 12 a month", []),
        ("account number 12345678", "account number 12345678", []),
        ("phone 0800 123 4567", "phone 0800 123 4567", []),
        ("at 5 pm", "at 5 pm", []),
        ("call 10:30", "call 10:30", []),
        ("code AB12", "code AB12", []),
        # dates
        (
            "the 31st of March",
            "the 31st of March",
            [("date", 331, "03-31", None, None, None, 4, 17, "31st of March", False)],
        ),
        ("3rd May", "3rd May", [("date", 503, "05-03", None, None, None, 0, 7, "3rd May", False)]),
        (
            "before 3 June",
            "before 3 June",
            [("date", 603, "06-03", None, None, None, 7, 13, "3 June", False)],
        ),
        (
            "March 3rd",
            "March 3rd",
            [("date", 303, "03-03", None, None, None, 0, 9, "March 3rd", False)],
        ),
        (
            "by March 5",
            "by March 5",
            [("date", 305, "03-05", None, None, None, 3, 10, "March 5", False)],
        ),
        (
            "May 5 at 5pm",
            "May 5 at 5pm",
            [("date", 505, "05-05", None, None, None, 0, 5, "May 5", False)],
        ),
        ("May 5:30", "May 5:30", []),
        ("Dec 12", "Dec 12", [("date", 1212, "12-12", None, None, None, 0, 6, "Dec 12", False)]),
        ("sept 9", "sept 9", [("date", 909, "09-09", None, None, None, 0, 6, "sept 9", False)]),
        (
            "until the end of February",
            "until the end of February",
            [("date", 228, "02-28", None, None, None, 0, 25, "until the end of February", False)],
        ),
        (
            "through December",
            "through December",
            [("date", 1231, "12-31", None, None, None, 0, 16, "through December", False)],
        ),
        (
            "till jan",
            "till jan",
            [("date", 131, "01-31", None, None, None, 0, 8, "till jan", False)],
        ),
        ("to Nov", "to Nov", [("date", 1130, "11-30", None, None, None, 0, 6, "to Nov", False)]),
        (
            "before April",
            "before April",
            [("date", 430, "04-30", None, None, None, 0, 12, "before April", False)],
        ),
        (
            "by June 30th",
            "by June 30th",
            [("date", 630, "06-30", None, None, None, 3, 12, "June 30th", False)],
        ),
        # words in capitals, and a duration paid up front is still a duration
        (
            "12 months up front",
            "12 months up front",
            [("duration", 12.0, "month", None, None, None, 0, 18, "12 months up front", False)],
        ),
        (
            "5 Working days",
            "5 Working days",
            [("duration", 5.0, "day", None, None, None, 0, 14, "5 Working days", True)],
        ),
        (
            "3 BUSINESS days",
            "3 BUSINESS days",
            [("duration", 3.0, "day", None, None, None, 0, 15, "3 BUSINESS days", True)],
        ),
        (
            "a 10 GB one-off",
            "a 10 GB one-off",
            [("count", 10.0, "gb", "once", None, None, 2, 15, "10 GB one-off", False)],
        ),
        ("$5 per KWH", "$5 per KWH", []),
        (
            "5 Pounds",
            "5 Pounds",
            [("money", 5.0, "GBP", None, None, None, 0, 8, "5 Pounds", False)],
        ),
        (
            "10 EUR a month",
            "10 EUR a month",
            [("money", 10.0, "EUR", "month", None, None, 0, 14, "10 EUR a month", False)],
        ),
        ("10 usd", "10 usd", [("money", 10.0, "USD", None, None, None, 0, 6, "10 usd", False)]),
        ("5 QUID", "5 pounds", [("money", 5.0, "GBP", None, None, None, 0, 8, "5 pounds", False)]),
        ("20 Cents", "20 Cents", [("money", 0.2, None, None, None, None, 0, 8, "20 Cents", False)]),
        (
            "5 gigabytes a month",
            "5 gigabytes a month",
            [("count", 5.0, "gb", "month", None, None, 0, 19, "5 gigabytes a month", False)],
        ),
        (
            "50.5 mbps",
            "50.5 mbps",
            [("count", 50.5, "mbps", None, None, None, 0, 9, "50.5 mbps", False)],
        ),
        (
            "1,000 minutes",
            "1000 minutes",
            [("count", 1000.0, "minute", None, None, None, 0, 12, "1000 minutes", False)],
        ),
        (
            "a 24 month deal",
            "a 24 month deal",
            [("duration", 24.0, "month", None, None, None, 2, 10, "24 month", False)],
        ),
        # a figure passed over (part of another, a date, a year) does not stop the next one; bounds on rates and cents; ranges of counts; a price of a year's digits
        (
            "It's 5 dollars and 50 cents, plus 20 cents a day",
            "It's 5 dollars and 50 cents, plus 20 cents a day",
            [
                ("money", 5.5, "USD", None, None, None, 5, 27, "5 dollars and 50 cents", False),
                ("money", 0.2, None, "day", None, None, 34, 48, "20 cents a day", False),
            ],
        ),
        (
            "up to 26.4 cents per kWh",
            "up to 26.4 cents per kWh",
            [("rate", 26.4, "cent/kwh", None, None, "max", 6, 24, "26.4 cents per kWh", False)],
        ),
        (
            "26.4 cents per kWh and 50 cents a day",
            "26.4 cents per kWh and 50 cents a day",
            [
                ("rate", 26.4, "cent/kwh", None, None, None, 0, 18, "26.4 cents per kWh", False),
                ("money", 0.5, None, "day", None, None, 23, 37, "50 cents a day", False),
            ],
        ),
        (
            "under 50 cents",
            "under 50 cents",
            [("money", 0.5, None, None, None, "below", 6, 14, "50 cents", False)],
        ),
        (
            "2 to 3 lines",
            "2 to 3 lines",
            [("count", 2.0, "line", None, 3.0, None, 0, 12, "2 to 3 lines", False)],
        ),
        (
            "10-20 GB a month",
            "10-20 GB a month",
            [("count", 10.0, "gb", "month", 20.0, None, 0, 16, "10-20 GB a month", False)],
        ),
        (
            "From June 5 it is 55 a month",
            "From June 5 it is 55 a month",
            [
                ("date", 605, "06-05", None, None, None, 5, 11, "June 5", False),
                ("money", 55.0, None, "month", None, None, 18, 28, "55 a month", False),
            ],
        ),
        (
            "In 2026 it is 55 a month",
            "In 2026 it is 55 a month",
            [("money", 55.0, None, "month", None, None, 14, 24, "55 a month", False)],
        ),
        (
            "It's 2000 a year",
            "It's 2000 a year",
            [("money", 2000.0, None, "year", None, None, 5, 16, "2000 a year", False)],
        ),
    ],
)
def test_quantities_whole(said: str, normalised: str, want: list[Row]) -> None:
    assert whole(said) == (normalised, want)
