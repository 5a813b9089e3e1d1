# Copyright 2026 ERP Order Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo.tests import TransactionCase, tagged

TODAY = date(2026, 3, 2)
DAY5 = date(2026, 3, 7)
DAY9 = date(2026, 3, 11)

# segments and supply in, confirmed quantities and dates out: each case is
# (name, today's stock on hand, future supply [(date, qty)], lines in serving
# order [(strategy, demand, held on hand[, held on future supply])], expected
# [(on hand, confirmed, date)])
CASES = [
    (
        "win takes what a redistribute line held",
        4,
        [],
        [("redistribute", 4, 4), ("win", 4, 0)],
        [(0, 0, False), (4, 4, TODAY)],
    ),
    (
        "win cannot take what gain and fill lines hold",
        6,
        [],
        [("gain", 4, 4), ("fill", 2, 2), ("win", 4, 0)],
        [(4, 4, TODAY), (2, 2, TODAY), (0, 0, False)],
    ),
    (
        "win not covered today is confirmed from incoming supply",
        4,
        [(DAY5, 10)],
        [("gain", 4, 4), ("win", 4, 0)],
        [(4, 4, TODAY), (0, 4, DAY5)],
    ),
    (
        "gain keeps what it holds and gains what is left",
        6,
        [],
        [("redistribute", 4, 0), ("gain", 4, 2)],
        [(4, 4, TODAY), (2, 2, TODAY)],
    ),
    (
        "gain gains before a lower redistribute line",
        6,
        [],
        [("gain", 4, 2), ("redistribute", 4, 4)],
        [(4, 4, TODAY), (2, 2, TODAY)],
    ),
    (
        "fill keeps what it holds and never gains",
        6,
        [(DAY5, 10)],
        [("fill", 4, 1), ("redistribute", 4, 0)],
        [(1, 1, TODAY), (4, 4, TODAY)],
    ),
    (
        "lose gives everything back",
        4,
        [],
        [("lose", 4, 4), ("redistribute", 4, 0)],
        [(0, 0, False), (4, 4, TODAY)],
    ),
    (
        "redistribute lines share by serving order, the rest by date",
        6,
        [(DAY5, 4), (DAY9, 10)],
        [("redistribute", 4, 0), ("redistribute", 4, 4), ("redistribute", 4, 2)],
        [(4, 4, TODAY), (2, 4, DAY5), (0, 4, DAY9)],
    ),
    (
        "SAP interplay: win first, gain protected, fill kept, lose gives back",
        8,
        [(DAY5, 3)],
        [
            ("win", 5, 0),
            ("gain", 3, 2),
            ("redistribute", 2, 2),
            ("fill", 3, 1),
            ("lose", 3, 3),
        ],
        [(5, 5, TODAY), (2, 3, DAY5), (0, 2, DAY5), (1, 1, TODAY), (0, 0, False)],
    ),
    # promises on future supply (confirmed by an applied run) of Gain and
    # Fill lines are protected as their stock on hand is
    (
        "fill keeps its promise on future supply from a redistribute line",
        0,
        [(DAY5, 4)],
        [("redistribute", 4, 0), ("fill", 4, 0, 4)],
        [(0, 0, False), (0, 4, DAY5)],
    ),
    (
        "win cannot take a fill line's promise on future supply",
        0,
        [(DAY5, 4)],
        [("win", 4, 0), ("fill", 4, 0, 4)],
        [(0, 0, False), (0, 4, DAY5)],
    ),
    (
        "an equal gain line cannot take a gain line's future promise",
        0,
        [(DAY5, 3), (DAY9, 10)],
        [("gain", 4, 0), ("gain", 4, 0, 3)],
        [(0, 4, DAY9), (0, 4, DAY9)],
    ),
    (
        "gain keeps its future promise and gains the rest in serving order",
        2,
        [(DAY5, 2), (DAY9, 10)],
        [("gain", 4, 1, 2), ("redistribute", 4, 0)],
        [(2, 4, DAY5), (0, 4, DAY9)],
    ),
    (
        "a future promise keeps its quantity when the receipt slips",
        0,
        [(DAY9, 4)],
        [("redistribute", 4, 0), ("fill", 4, 0, 4)],
        [(0, 0, False), (0, 4, DAY9)],
    ),
    (
        "a future promise is capped by what still arrives",
        0,
        [(DAY5, 2)],
        [("redistribute", 4, 0), ("fill", 4, 0, 4)],
        [(0, 0, False), (0, 2, DAY5)],
    ),
    (
        "a promise on hand is not taken again from future supply",
        4,
        [(DAY5, 4)],
        [("fill", 4, 4, 4), ("redistribute", 4, 0)],
        [(4, 4, TODAY), (0, 4, DAY5)],
    ),
    (
        "redistribute and lose future promises are not protected",
        0,
        [(DAY5, 4)],
        [("win", 4, 0), ("redistribute", 4, 0, 4), ("lose", 4, 0, 4)],
        [(0, 4, DAY5), (0, 0, False), (0, 0, False)],
    ),
]


@tagged("post_install", "-at_install")
class TestBackorderStrategies(TransactionCase):
    """The confirmation strategies as a table: no database state, only the
    algorithm of erp.allocation.run."""

    def test_strategies_table(self):
        Run = self.env["erp.allocation.run"]
        for name, pool, events, lines, expected in CASES:
            with self.subTest(name):
                buckets = Run._erp_available_to_promise(TODAY, pool, events, 0.01)
                result = Run._erp_confirm_by_strategy(
                    [
                        {
                            "key": index,
                            "strategy": s,
                            "demand": d,
                            "held": h,
                            "held_future": future[0] if future else 0.0,
                        }
                        for index, (s, d, h, *future) in enumerate(lines)
                    ],
                    buckets,
                    0.01,
                )
                self.assertEqual(
                    [
                        (
                            result[index]["on_hand"],
                            result[index]["confirmed"],
                            result[index]["date"],
                        )
                        for index in range(len(lines))
                    ],
                    expected,
                )

    def test_available_to_promise_never_promises_what_leaves_later(self):
        """Given 5 on hand, 10 arriving on day 5 and an entry of 4 ending on
        day 9, only 6 of the 10 can be promised from day 5."""
        buckets = self.env["erp.allocation.run"]._erp_available_to_promise(
            TODAY, 5, [(DAY5, 10), (DAY9, -4)], 0.01
        )
        self.assertEqual(buckets, [[TODAY, 5, True], [DAY5, 6, False]])

    def test_past_events_count_from_today(self):
        """Given supply dated before today, it is promised from today, apart
        from the reservable stock on hand."""
        buckets = self.env["erp.allocation.run"]._erp_available_to_promise(
            TODAY, 2, [(date(2026, 2, 1), 3)], 0.01
        )
        self.assertEqual(buckets, [[TODAY, 2, True], [TODAY, 3, False]])
