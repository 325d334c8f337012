#!/usr/bin/env python3
"""How low can RMSSE go on a data set? A forecaster that knows the future, scored like the backtest.

For every test window of the backtest (rolling origins, expanding window) this "oracle" forecasts each series as
    level(series) x share(day)
where share(day) is that very day's total over all series divided by the mean daily total (every effect the series
share: weekday, season, trend, holidays, promotions of the whole shop), and level(series) is fitted on the last year up
to the end of the test window. It sees the test days, so no honest forecast can be expected to beat it on data whose
series differ only by their level and noise (the store-item data: multiplicative store x item x weekday x month x year
effects with Poisson-like noise). Its score is the noise floor the targets should be compared with.

Scores are RMSSE as in ForecastWorker/Forecasting/ForecastMetrics.cs: RMSE over the window divided by the RMS of the
one-step naive errors of the history before it; mean over series and origins.

Usage: bench/forecast-floor.py FILE.csv[.gz] [--date date] [--keys store,item] [--value sales] [--window 365]
"""
import argparse
import csv
import gzip
import math
from collections import defaultdict


def read_series(path, date_column, key_columns, value_column):
    opener = gzip.open if path.endswith(".gz") else open
    values = defaultdict(dict)
    with opener(path, "rt", newline="") as f:
        for row in csv.DictReader(f):
            key = tuple(row[k] for k in key_columns)
            values[key][row[date_column]] = float(row[value_column])
    days = sorted({day for series in values.values() for day in series})
    return days, {key: [series.get(day, 0.0) for day in days] for key, series in values.items()}


def naive_rms_scale(history):
    steps = [(history[t] - history[t - 1]) ** 2 for t in range(1, len(history))]
    return math.sqrt(sum(steps) / len(steps)) if steps else 0.0


def oracle_rmsse(series, day_count, horizon, origins, window):
    totals = [sum(values[t] for values in series.values()) for t in range(day_count)]
    mean_total = sum(totals) / day_count
    share = [total / mean_total for total in totals]
    scores = []
    for values in series.values():
        for k in range(1, origins + 1):
            end = day_count - (k - 1) * horizon
            start = end - horizon
            fit_from = max(0, end - window)
            shares = sum(share[fit_from:end])
            if shares <= 0:
                continue
            level = sum(values[fit_from:end]) / shares
            scale = naive_rms_scale(values[:start])
            if scale <= 0:
                continue
            squared = sum((values[t] - level * share[t]) ** 2 for t in range(start, end))
            scores.append(math.sqrt(squared / horizon) / scale)
    return sum(scores) / len(scores)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file")
    parser.add_argument("--date", default="date")
    parser.add_argument("--keys", default="store,item")
    parser.add_argument("--value", default="sales")
    parser.add_argument("--window", type=int, default=365, help="days the level is fitted on, ending with the test window")
    args = parser.parse_args()
    days, series = read_series(args.file, args.date, args.keys.split(","), args.value)
    for horizon, origins in ((28, 4), (90, 1)):
        score = oracle_rmsse(series, len(days), horizon, origins, args.window)
        print(f"{origins}x{horizon}: hindsight floor RMSSE {score:.3f} ({len(series)} series)")


if __name__ == "__main__":
    main()
