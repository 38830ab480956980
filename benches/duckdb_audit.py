# Times DuckDB running a generated `<process>.audit.sql` over a stage history CSV, for the
# audit benchmark (benches/audit.rs), in two ways: the three result views queried as written
# (each recomputes the views it reads), and every view of the script materialized as a table
# in order, as the dbt package builds them. Prints
# `load_seconds views_seconds tables_seconds deals`; `-` for a way not asked for.
# Usage: duckdb_audit.py SQL CSV PROCESS [--tables-only]
import re
import sys
import time

import duckdb

sql_path, csv_path, process = sys.argv[1:4]
tables_only = "--tables-only" in sys.argv[4:]
con = duckdb.connect()
con.execute("SET TimeZone = 'UTC'")
start = time.perf_counter()
# As a warehouse holds it: typed columns and each row's place in the export. Rows whose date
# does not parse keep a NULL time and rows that are not UTF-8 are skipped, both left out as
# the audit leaves them out.
con.execute(
    """CREATE TABLE stage_history AS
    SELECT deal, stage, TRY_CAST("at" AS TIMESTAMPTZ) AS "at", TRY_CAST(amount AS DOUBLE) AS amount,
           TRY_CAST(probability AS DOUBLE) AS probability, ROW_NUMBER() OVER () + 1 AS line
    FROM read_csv(?, header = true, all_varchar = true, ignore_errors = true)""",
    [csv_path],
)
loaded = time.perf_counter()
with open(sql_path, encoding="utf-8") as f:
    script = f.read()
con.execute(script)
results = [f"{process}_{view}" for view in ("stages", "kpis", "findings")]

views = "-"
if not tables_only:
    began = time.perf_counter()
    for name in results:
        con.execute(f'CREATE TABLE "once_{name}" AS SELECT * FROM "{name}"')
    views = time.perf_counter() - began

began = time.perf_counter()
for name in re.findall(r'^CREATE OR REPLACE VIEW "([^"]+)"', script, re.M):
    con.execute(f'CREATE TABLE "table_{name}" AS SELECT * FROM "{name}"')
    con.execute(f'DROP VIEW "{name}"')
    con.execute(f'ALTER TABLE "table_{name}" RENAME TO "{name}"')
tables = time.perf_counter() - began

deals = con.execute(f'SELECT deals FROM "{process}_kpis"').fetchone()[0]
print(f"{loaded - start} {views} {tables} {deals}")
