"""Tab-separated event files (GDELT 1.0/2.0, ICEWS) read by DuckDB's own CSV reader.

Python never touches a row: DuckDB reads the file (``read_csv`` with explicit VARCHAR
columns, no quoting, short rows padded with NULL and long or non-UTF-8 rows set aside in
its rejects table), and one SQL statement per step checks every field, maps actor codes
through the code map (a small table of the file's distinct codes), and gives each row the
line it came from. A row that fails a check gets its reason in the ``reason`` column of
the staging table; the store sets those rows aside.

Line numbers: rows are staged in file order (DuckDB keeps insertion order), so a row's
line is its position plus the lines before it that gave no row (the header, rows DuckDB
rejected, blank lines).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "NULLSTR",
    "TabSpec",
    "dim_sql",
    "gdelt_spec",
    "icews_spec",
    "read_csv_sql",
    "reject_sql",
    "stage_sql",
]

#: Never found in an event file: empty fields stay '' and only padded columns are NULL.
NULLSTR = "\x01\x02\x03"

# Lines DuckDB set aside, in our words.
_REJECT_REASON = """
CASE error_type
    WHEN 'TOO MANY COLUMNS' THEN
        len(string_split(csv_line, chr(9))) || ' columns, expected {widths}'
    WHEN 'INVALID ENCODING' THEN 'not valid UTF-8'
    WHEN 'INVALID UNICODE' THEN 'not valid UTF-8'
    ELSE error_type || ': ' || error_message
END"""


def lit(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _q(expr: str) -> str:
    """SQL giving ``'value'`` (the value in quotes, as the Python readers printed it)."""
    return f"'''' || {expr} || ''''"


def _whole(col: str) -> str:
    return f"CASE WHEN regexp_full_match({col}, '[+-]?[0-9]+') THEN try_cast({col} AS HUGEINT) END"


def _date8(col: str) -> str:
    return (
        f"CASE WHEN regexp_full_match({col}, '[0-9]{{8}}') "
        f"THEN CAST(try_strptime({col}, '%Y%m%d') AS DATE) END"
    )


@dataclass(frozen=True)
class TabSpec:
    """How one tab-separated layout is read and checked."""

    kind: str
    width: int  # columns declared (the widest layout)
    min_width: int  # the narrowest layout: a row without this column is short
    widths: str  # "61", "57 or 58", for messages
    skip: int  # header lines
    select: str  # the staged columns over c1..cW (see stage_sql)
    checks: list[tuple[str, str]]  # (SQL condition that is true when bad, SQL reason)


def gdelt_spec(kind: str) -> TabSpec:
    """GDELT 1.0 (57/58 columns, DATEADDED YYYYMMDD) or 2.0 (61, YYYYMMDDHHMMSS)."""
    if kind == "gdelt2":
        width, min_width, widths, added, url, digits = 61, 61, "61", 60, 61, 14
    else:
        width, min_width, widths, added, url, digits = 58, 57, "57 or 58", 57, 58, 8
    select = f"""
        c1 AS event_id, {_date8("c2")} AS date,
        c6 AS a_code, c8 AS a_country, c9 AS a_group,
        c16 AS b_code, c18 AS b_country, c19 AS b_group,
        c27 AS event_code, c29 AS root_code,
        {_whole("c30")} AS quad_, try_cast(c31 AS DOUBLE) AS goldstein,
        {_whole("c32")} AS mentions_, {_whole("c33")} AS sources_, {_whole("c34")} AS articles_,
        try_cast(c35 AS DOUBLE) AS tone_, c{added} AS added_,
        {_date8(f"left(c{added}, 8)")} AS added_day_, nullif(c{url}, '') AS url"""
    checks = [
        ("NOT regexp_full_match(c1, '[0-9]+')", f"'GLOBALEVENTID is not a number: ' || {_q('c1')}"),
        ("date IS NULL", f"'impossible date in SQLDATE: ' || {_q('c2')}"),
        (
            f"length(added_) <> {digits} OR NOT regexp_full_match(added_, '[0-9]+')",
            f"'DATEADDED ' || {_q('added_')} || ' is not {digits} digits'",
        ),
        ("added_day_ IS NULL", f"'impossible date in DATEADDED: ' || {_q('left(added_, 8)')}"),
        ("date > added_day_", "'SQLDATE ' || c2 || ' is after DATEADDED ' || added_"),
        (
            "NOT regexp_full_match(c27, '[0-9]{2,4}')",
            f"'EventCode is not a CAMEO code: ' || {_q('c27')}",
        ),
        (
            "c29 <> left(c27, 2)",
            f"'EventRootCode ' || {_q('c29')} || ' does not match EventCode ' || {_q('c27')}",
        ),
        ("quad_ IS NULL", f"'QuadClass is not a whole number: ' || {_q('c30')}"),
        (
            "quad_ NOT BETWEEN 1 AND 4",
            "'QuadClass ' || quad_ || ' is out of range (must be 1 to 4)'",
        ),
        ("goldstein IS NULL", f"'GoldsteinScale is not a number: ' || {_q('c31')}"),
        (
            "isnan(goldstein) OR goldstein NOT BETWEEN -10 AND 10",
            "'GoldsteinScale ' || c31 || ' is out of range (must be -10.0 to 10.0)'",
        ),
        ("mentions_ IS NULL", f"'NumMentions is not a whole number: ' || {_q('c32')}"),
        (
            "mentions_ NOT BETWEEN 0 AND 2147483647",
            "'NumMentions ' || mentions_ || ' is out of range (must be 0 to 2147483647)'",
        ),
        ("sources_ IS NULL", f"'NumSources is not a whole number: ' || {_q('c33')}"),
        ("sources_ < 0", "'NumSources ' || sources_ || ' is out of range (must be at least 0)'"),
        ("articles_ IS NULL", f"'NumArticles is not a whole number: ' || {_q('c34')}"),
        (
            "articles_ < 0",
            "'NumArticles ' || articles_ || ' is out of range (must be at least 0)'",
        ),
        ("tone_ IS NULL", f"'AvgTone is not a number: ' || {_q('c35')}"),
        (
            "isnan(tone_) OR tone_ NOT BETWEEN -100 AND 100",
            "'AvgTone ' || c35 || ' is out of range (must be -100.0 to 100.0)'",
        ),
    ]
    return TabSpec(kind, width, min_width, widths, 0, select, checks)


#: The ICEWS columns the reader needs (found by name in the header).
ICEWS_NEEDED = (
    "Event ID",
    "Event Date",
    "Source Name",
    "Source Country",
    "CAMEO Code",
    "Intensity",
    "Target Name",
    "Target Country",
)


def icews_spec(header: list[str]) -> TabSpec:
    """ICEWS ``.tab``: the columns found by name in ``header`` (already checked)."""
    c = {name: f"c{header.index(name) + 1}" for name in ICEWS_NEEDED}

    def na(col: str) -> str:
        return f"CASE WHEN {col} IN ('NA', '') THEN NULL ELSE {col} END"

    code, date, inten = c["CAMEO Code"], c["Event Date"], c["Intensity"]
    select = f"""
        {c["Event ID"]} AS event_id,
        CASE WHEN regexp_full_match({date}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}')
             THEN CAST(try_strptime({date}, '%Y-%m-%d') AS DATE) END AS date,
        {na(c["Source Name"])} AS a_code, {na(c["Source Country"])} AS a_country,
        {na(c["Target Name"])} AS b_code, {na(c["Target Country"])} AS b_country,
        '' AS a_group, '' AS b_group,
        {code} AS event_code, left({code}, 2) AS root_code,
        CASE WHEN left({code}, 2) BETWEEN '01' AND '05' THEN 1
             WHEN left({code}, 2) BETWEEN '06' AND '09' THEN 2
             WHEN left({code}, 2) BETWEEN '10' AND '14' THEN 3
             WHEN left({code}, 2) BETWEEN '15' AND '20' THEN 4 END AS quad_,
        {na(inten)} AS intensity_, try_cast(intensity_ AS DOUBLE) AS goldstein,
        NULL::HUGEINT AS mentions_, NULL::VARCHAR AS url"""
    checks = [
        (
            f"NOT regexp_full_match({c['Event ID']}, '[0-9]+')",
            f"'Event ID is not a number: ' || {_q(c['Event ID'])}",
        ),
        ("date IS NULL", f"'impossible date in Event Date: ' || {_q(date)}"),
        (
            f"NOT regexp_full_match({code}, '[0-9]{{2,4}}')",
            f"'CAMEO Code is not a CAMEO code: ' || {_q(code)}",
        ),
        ("quad_ IS NULL", f"'CAMEO Code ' || {_q(code)} || ' has no root code 01-20'"),
        (
            "intensity_ IS NOT NULL AND goldstein IS NULL",
            f"'Intensity is not a number: ' || {_q(inten)}",
        ),
        (
            "isnan(goldstein) OR goldstein NOT BETWEEN -10 AND 10",
            f"'Intensity ' || {inten} || ' is out of range (must be -10.0 to 10.0)'",
        ),
    ]
    n = len(header)
    return TabSpec("icews", n, n, str(n), 1, select, checks)


def read_csv_sql(spec: TabSpec, path: str) -> str:
    """DuckDB's ``read_csv`` of ``path`` with the layout's columns, all VARCHAR."""
    cols = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(1, spec.width + 1))
    return (
        f"read_csv({lit(path)}, delim = '\t', header = false, skip = {spec.skip}, quote = '', "
        f"escape = '', columns = {{{cols}}}, null_padding = true, nullstr = {lit(NULLSTR)}, "
        "auto_detect = false, store_rejects = true, rejects_table = 'bc_reject_errors', "
        "rejects_scan = 'bc_reject_scans', max_line_size = 1048576)"
    )


def stage_sql(spec: TabSpec, path: str) -> str:
    """Stage every row of the file with its checks: ``bc_stage`` (rowid = file order)."""
    count = "len(list_filter([{}], x -> x IS NOT NULL))".format(
        ", ".join(f"c{i}" for i in range(1, spec.width + 1))
    )
    whens = "\n".join(f"            WHEN {cond} THEN {reason}" for cond, reason in spec.checks)
    raw = "left(concat_ws(chr(9), {}), 200)".format(
        ", ".join(f"c{i}" for i in range(1, spec.width + 1))
    )
    return f"""
    CREATE OR REPLACE TEMP TABLE bc_stage AS
    SELECT {spec.select},
        CASE
            WHEN c{spec.min_width} IS NULL
                THEN {count} || ' columns, expected {spec.widths}'
{whens}
        END AS reason,
        CASE WHEN reason IS NOT NULL THEN {raw} END AS raw
    FROM {read_csv_sql(spec, path)}"""


def reject_sql(spec: TabSpec) -> str:
    """The lines DuckDB set aside, as (line, reason, text)."""
    reason = _REJECT_REASON.format(widths=spec.widths)
    return f"""
    SELECT line, first({reason} ORDER BY column_idx) AS reason,
           first(left(csv_line, 200)) AS text
    FROM bc_reject_errors GROUP BY line"""


def dim_sql(kind: str) -> str:
    """The actor of each distinct (country, code, group) of the staged rows: ``bc_dim``.

    GDELT: the row's ActorNCountryCode when the code map knows it, else the actor code
    itself or its longest prefix at a 3-letter boundary, else ActorNKnownGroupCode.
    ICEWS: the country name, else the actor's name, else the name in its final brackets.
    """
    if kind == "icews":
        return r"""
        CREATE OR REPLACE TEMP TABLE bc_dim AS
        WITH keys AS (
            SELECT DISTINCT a_country AS country, a_code AS code FROM bc_stage
            WHERE reason IS NULL
            UNION SELECT DISTINCT b_country, b_code FROM bc_stage WHERE reason IS NULL
        )
        SELECT k.country, k.code, '' AS grp,
               CASE WHEN k.country IS NOT NULL THEN mc.actor
                    ELSE coalesce(mn.actor, mp.actor) END AS actor
        FROM keys k
        LEFT JOIN bc_map mc ON mc.code = trim(k.country)
        LEFT JOIN bc_map mn ON mn.code = trim(k.code)
        LEFT JOIN bc_map mp ON mp.code = trim(regexp_extract(trim(k.code), '\(([^(]*)\)$', 1))
        """
    return """
    CREATE OR REPLACE TEMP TABLE bc_dim AS
    WITH keys AS (
        SELECT DISTINCT a_country AS country, a_code AS code, a_group AS grp FROM bc_stage
        WHERE reason IS NULL
        UNION SELECT DISTINCT b_country, b_code, b_group FROM bc_stage WHERE reason IS NULL
    ),
    codes AS (SELECT DISTINCT trim(code) AS code FROM keys WHERE trim(code) <> ''),
    cand AS (
        SELECT code, CASE WHEN k = 0 THEN code ELSE left(code, k) END AS prefix,
               CASE WHEN k = 0 THEN 1000 ELSE k END AS rank
        FROM (SELECT code, unnest(list_concat([0], range(3, length(code) + 1, 3))) AS k
              FROM codes)
    ),
    hit AS (
        SELECT c.code, arg_max(m.actor, c.rank) AS actor
        FROM cand c JOIN bc_map m ON m.code = c.prefix GROUP BY c.code
    )
    SELECT k.country, k.code, k.grp,
           CASE WHEN k.code = '' AND k.grp = '' THEN NULL
                ELSE coalesce(mc.actor, h.actor, mg.actor) END AS actor
    FROM keys k
    LEFT JOIN bc_map mc ON mc.code = trim(k.country) AND trim(k.country) <> ''
    LEFT JOIN hit h ON h.code = trim(k.code)
    LEFT JOIN bc_map mg ON mg.code = trim(k.grp) AND trim(k.grp) <> ''
    """
