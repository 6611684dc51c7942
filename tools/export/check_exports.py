#!/usr/bin/env python3
"""Reads rasad's exports with the analysts' own tools and checks them against what rasad printed.

Usage: check_exports.py PLAN.json, where PLAN is a list of checks written by
crates/rasad/tests/export.rs:
  {"stix": "bundle.json", "objects": {"report": 4, ...}}  stix2-validator 3.2.0 finds no error,
      stix2.parse(..., allow_custom=True) reads it back, and its objects per type are rasad's;
  {"parquet": "dir", "rows": {"articles": 4, ...}}       DuckDB reads every table with its typed
      columns, each has rasad's row count, and the facts join their articles and incidents;
  {"csv": "dir", "rows": {...}}                          DuckDB reads every CSV with the same counts.
Prints one line per check and exits 1 when any fails.
"""
import collections
import json
import os
import sys

import duckdb
import stix2
from stix2validator import ValidationOptions, validate_file

FAILED = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        FAILED.append(what)


def stix_check(path, expected):
    results = validate_file(path, ValidationOptions(version="2.1"))
    errors = [e for r in results.object_results for e in r.errors]
    errors += [str(e) for e in getattr(results, "fatal", None) and [results.fatal] or []]
    for e in errors[:10]:
        print("     ", e)
    check(results.is_valid and not errors, f"{path}: stix2-validator, {len(errors)} errors")
    with open(path, encoding="utf-8") as f:
        bundle = stix2.parse(f.read(), allow_custom=True)
    counts = collections.Counter(o["type"] for o in bundle.objects)
    check(dict(counts) == expected, f"{path}: stix2.parse reads {dict(sorted(counts.items()))}, rasad wrote {dict(sorted(expected.items()))}")


def parquet_check(path, expected):
    con = duckdb.connect()
    for table, n in expected.items():
        file = os.path.join(path, f"{table}.parquet")
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{file}')")
        got = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        check(got == n, f"{file}: {got} rows, rasad wrote {n}")
    types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE articles)").fetchall())
    check(types.get("published") == "TIMESTAMP WITH TIME ZONE", f"articles.published is {types.get('published')}")
    types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE events)").fetchall())
    check(types.get("sources") == "VARCHAR[]", f"events.sources is {types.get('sources')}")
    for table in ["mentions", "quotes", "events", "victims", "attributions", "denials", "responses"]:
        joined = con.execute(f"SELECT count(*) FROM {table} t JOIN articles a USING (article_id)").fetchone()[0]
        check(joined == expected[table], f"{table} joined to articles: {joined}, rasad wrote {expected[table]}")
    orphans = con.execute(
        "SELECT count(*) FROM attributions t WHERE incident_id IS NOT NULL "
        "AND incident_id NOT IN (SELECT incident_id FROM incidents)").fetchone()[0]
    check(orphans == 0, f"attributions whose incident is not exported: {orphans}")
    by_incident = con.execute(
        "SELECT count(*) FROM attributions t JOIN incidents i USING (incident_id)").fetchone()[0]
    with_incident = con.execute("SELECT count(*) FROM attributions WHERE incident_id IS NOT NULL").fetchone()[0]
    check(by_incident == with_incident, f"attributions joined to incidents: {by_incident} of {with_incident}")
    print("     attributions by accused:",
          con.execute("SELECT accused_actor, count(*) n FROM attributions GROUP BY 1 ORDER BY n DESC LIMIT 5").fetchall())


def csv_check(path, expected):
    con = duckdb.connect()
    for table, n in expected.items():
        file = os.path.join(path, f"{table}.csv")
        got = con.execute(
            f"SELECT count(*) FROM read_csv('{file}', header=true, quote='\"', escape='\"', all_varchar=true)"
        ).fetchone()[0]
        check(got == n, f"{file}: {got} rows, rasad wrote {n}")


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        plan = json.load(f)
    for item in plan:
        if "stix" in item:
            stix_check(item["stix"], item["objects"])
        if "parquet" in item:
            parquet_check(item["parquet"], item["rows"])
        if "csv" in item:
            csv_check(item["csv"], item["rows"])
    print(f"{len(FAILED)} checks failed" if FAILED else "exports: all checks passed")
    sys.exit(1 if FAILED else 0)


if __name__ == "__main__":
    main()
