"""Merge the BENCH lines collected by bench/report.sh into one table.

    python3 bench/report.py <results.jsonl> <REPORT.md> [<commit> [<seconds>]]

Each input line is ``{"size": N, "part": "vanilla"|"addons", "bench": {...}}``
where ``bench`` is the BENCH line of one script.  A figure of the addons
database whose reference was measured in the vanilla database (reference
seconds missing, the reference named as an operation of the vanilla run of
the same size) takes those seconds.  Prints the table and writes it as
Markdown, one row per operation x reference x N, with the ratio, the target
and the growth from the previous N (time ratio / N ratio: 1.0 = linear).
"""

import json
import os
import platform
import sys
import time


def load(path):
    runs = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    vanilla = {}
    for run in runs:
        if run["part"] == "vanilla":
            for fig in run["bench"]["figures"]:
                vanilla[run["size"], fig["operation"]] = fig
    rows, warnings = [], []
    for run in runs:
        if run["part"] != "addons":
            continue
        for fig in run["bench"]["figures"]:
            row = dict(fig, bench=run["bench"]["name"], size=run["size"])
            ref = vanilla.get((run["size"], fig.get("reference")))
            if ref is not None:
                if row.get("reference_seconds") is None:
                    row["reference_seconds"] = ref["seconds"]
                    row["reference"] += " (vanilla DB)"
                if "check" in row and "check" in ref and row["check"] != ref["check"]:
                    warnings.append(
                        f"N={row['size']} {row['operation']}: figures differ from"
                        f" {fig['reference']} ({row['check']} != {ref['check']})"
                    )
            rows.append(row)
    return rows, warnings


BENCH_ORDER = [
    "screens",
    "virtual_stock",
    "stock_shortage",
    "orders",
    "allocation",
    "forecast",
]


def enrich(rows):
    previous = {}
    for row in sorted(rows, key=lambda r: r["size"]):
        ref = row.get("reference_seconds")
        row["ratio"] = row["seconds"] / ref if ref else None
        target = None
        if row.get("target_ratio") is not None:
            limit = row["target_ratio"]
            target = f"<= {limit:.2f}x" if limit >= 0.1 else f"<= {limit:.3f}x"
            row["met"] = row["ratio"] is not None and row["ratio"] <= limit
        elif row.get("target_seconds") is not None:
            target = f"<= {row['target_seconds'] * 1000:g} ms"
            row["met"] = row["seconds"] <= row["target_seconds"]
        row["target"] = target
        key = (row["bench"], row["operation"], row.get("reference"))
        before = previous.get(key)
        row["growth"] = None
        if before and before["seconds"] > 0 and row["size"] > before["size"]:
            row["growth"] = (row["seconds"] / before["seconds"]) / (
                row["size"] / before["size"]
            )
        previous[key] = row
    order = {}
    rank = {name: i for i, name in enumerate(BENCH_ORDER)}
    rows.sort(key=lambda r: rank.get(r["bench"], len(rank)))  # stable
    for row in rows:
        order.setdefault(
            (row["bench"], row["operation"], row.get("reference")), len(order)
        )
    rows.sort(
        key=lambda r: (order[r["bench"], r["operation"], r.get("reference")], r["size"])
    )
    return rows


def fmt_seconds(value):
    if value is None:
        return "-"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def fmt_ratio(value):
    if value is None:
        return "-"
    return f"{value:.2f}x" if value >= 0.1 else f"{value:.3f}x"


def cells(row):
    met = row.get("met")
    return [
        row["bench"],
        row["operation"],
        str(row["size"]),
        fmt_seconds(row["seconds"]),
        row.get("reference") or "-",
        fmt_seconds(row.get("reference_seconds")),
        fmt_ratio(row["ratio"]),
        (row["target"] or "-") + ("" if met is None else (" ok" if met else " MISSED")),
        f"{row['growth']:.2f}" if row["growth"] is not None else "-",
        str(row["queries"]) if row.get("queries") is not None else "-",
    ]


HEADER = [
    "bench",
    "operation",
    "N",
    "time",
    "reference",
    "reference time",
    "ratio",
    "target",
    "growth",
    "queries",
]


def main(argv):
    results, output = argv[1], argv[2]
    commit = argv[3] if len(argv) > 3 else "unknown"
    seconds = argv[4] if len(argv) > 4 else None
    rows, warnings = load(results)
    if not rows:
        sys.exit("no benchmark figures")
    rows = enrich(rows)
    table = [HEADER] + [cells(row) for row in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADER))]
    numeric = {2, 3, 5, 6, 8, 9}
    for line in table:
        print(  # noqa: T201
            "  ".join(
                cell.rjust(width) if i in numeric else cell.ljust(width)
                for i, (cell, width) in enumerate(zip(line, widths, strict=True))
            )
        )
    for warning in warnings:
        print(f"WARNING: {warning}")  # noqa: T201
    sizes = sorted({row["size"] for row in rows})
    md = [
        "# Benchmark report",
        "",
        f"Generated {time.strftime('%Y-%m-%d %H:%M')} by `bench/report.sh` at commit"
        f" {commit}; N = {', '.join(map(str, sizes))} products x 3 warehouses,"
        " 10 N stock moves, N open order lines"
        + (f"; {seconds} s in all" if seconds else "")
        + f"; {os.cpu_count()} CPUs, Python {platform.python_version()}.",
        "",
        "ratio = time / reference time (below 1: faster than the reference);"
        " growth = (time at N / time at the previous N) / (N / previous N):"
        " 1.0 is linear, below 1 better than linear (a cost that does not depend"
        " on N, such as one order's confirmation or the trigger, shows as"
        " 1 / the N ratio). References marked"
        " (vanilla DB) were measured in a database without the addons holding the"
        " same data.",
        "",
        "| " + " | ".join(HEADER) + " |",
        "|"
        + "|".join("---:" if i in numeric else "---" for i in range(len(HEADER)))
        + "|",
    ]
    md += [
        "| " + " | ".join(c.replace("|", "\\|") for c in cells(row)) + " |"
        for row in rows
    ]
    missed = [row for row in rows if row.get("met") is False]
    md += ["", f"Targets missed: {len(missed)}."]
    for row in missed:
        got = cells(row)[6] if row["ratio"] is not None else fmt_seconds(row["seconds"])
        md.append(
            f"- N={row['size']} {row['operation']} vs"
            f" {row.get('reference') or 'budget'}: {got}, target {row['target']}"
        )
    md += [f"- WARNING: {warning}" for warning in warnings]
    with open(output, "w", encoding="utf-8") as handle:
        handle.write("\n".join(md) + "\n")


if __name__ == "__main__":
    main(sys.argv)
