# Runs a generated `<process>.audit.sql` with DuckDB over CSV files that have a `line` column,
# and prints the three views as JSON.
# Usage: run_duckdb.py SQL HISTORY_CSV PROCESS [DEALS_CSV [CASTS]]   (HISTORY_CSV `-`: no history)
# CASTS types the deals columns, `column=TYPE,...` (default: created, closed and stage_changed
# as TIMESTAMPTZ, amount as DOUBLE); the other columns stay text.
import json
import sys

import duckdb

sql_path, history_path, process = sys.argv[1:4]
deals_path = sys.argv[4] if len(sys.argv) > 4 else None
casts = sys.argv[5] if len(sys.argv) > 5 else (
    "created=TIMESTAMPTZ,closed=TIMESTAMPTZ,stage_changed=TIMESTAMPTZ,amount=DOUBLE"
)
con = duckdb.connect()
con.execute("SET TimeZone = 'UTC'")
# Loaded as text first, then typed: a date that does not parse is left out, as the audit does.
if history_path != "-":
    con.execute(
        "CREATE TABLE raw AS SELECT * FROM read_csv(?, header = true, all_varchar = true)",
        [history_path],
    )
    con.execute(
        """CREATE TABLE stage_history AS
        SELECT deal, stage, TRY_CAST("at" AS TIMESTAMPTZ) AS "at", TRY_CAST(amount AS DOUBLE) AS amount,
               TRY_CAST(probability AS DOUBLE) AS probability, CAST(line AS BIGINT) AS line
        FROM raw"""
    )
if deals_path:
    # Field columns stay text: the views read them by each field's type.
    con.execute(
        "CREATE TABLE raw_deals AS SELECT * FROM read_csv(?, header = true, all_varchar = true)",
        [deals_path],
    )
    typed = [c.split("=") for c in casts.split(",") if c]
    replaced = ", ".join(f'TRY_CAST("{c}" AS {t}) AS "{c}"' for c, t in typed)
    con.execute(
        f"CREATE TABLE deals AS SELECT * REPLACE ({replaced}, CAST(line AS BIGINT) AS line) FROM raw_deals"
    )
with open(sql_path, encoding="utf-8") as f:
    con.execute(f.read())


def rows(view):
    cur = con.execute(f'SELECT * FROM "{process}_{view}"')
    names = [d[0] for d in cur.description]
    return [dict(zip(names, (v if isinstance(v, (int, float, str, type(None))) else str(v) for v in row))) for row in cur.fetchall()]


print(json.dumps({"stages": rows("stages"), "kpis": rows("kpis")[0], "findings": rows("findings")}))
