"""Tab-separated event files (GDELT 1.0/2.0, ICEWS) read by DuckDB's own CSV reader.

Python never touches a row. DuckDB reads the file (``read_csv`` with explicit columns,
numbers and dates typed, no quoting, short rows padded with NULL, long or non-UTF-8 rows
and values not of their type set aside in its rejects table); the remaining checks are
SQL (integer arithmetic for calendar days, string tests), so a row either passes or has
a ``reason``.

A file is staged (:func:`stage_sql`): every row keeps its reason and its line, and the
good rows go into ``events`` with the code maps (:func:`dim_sql` over the distinct keys)
joined, in one write. A file too large to stage in memory takes the one-statement path
(:func:`fast_insert_sql`) into ``events`` with no join, so rows keep file order; each
actor's country, code and group are packed into the actor columns until the code map
replaces them (an UPDATE, which DuckDB pays for with a rewrite at COMMIT). Line numbers:
a row's line is its position plus the lines before it that gave no row (the header, rows
the reader set aside, blank lines).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..sources.icews import ICEWS_NEEDED

__all__ = [
    "NULLSTR",
    "TabSpec",
    "dim_sql",
    "fast_insert_sql",
    "gdelt_spec",
    "icews_spec",
    "keys_sql",
    "read_csv_sql",
    "reject_sql",
    "stage_sql",
]

#: Never found in an event file: empty fields stay '' and only padded columns are NULL.
NULLSTR = "\x01\x02\x03"


def lit(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _q(expr: str) -> str:
    """SQL giving ``'value'`` (the value in quotes, as the Python readers printed it)."""
    return f"'''' || {expr} || ''''"


def _valid_ymd(n: str) -> str:
    """SQL: the integer ``n`` (YYYYMMDD) is a day on the calendar (integer arithmetic only)."""
    y, m, d = f"({n} // 10000)", f"({n} // 100 % 100)", f"({n} % 100)"
    leap = f"(({y} % 4 = 0 AND {y} % 100 <> 0) OR {y} % 400 = 0)"
    days = (
        f"CASE WHEN {m} = 2 THEN CASE WHEN {leap} THEN 29 ELSE 28 END "
        f"WHEN {m} IN (4, 6, 9, 11) THEN 30 ELSE 31 END"
    )
    return (
        f"({n} BETWEEN 10000101 AND 99991231 AND {m} BETWEEN 1 AND 12 AND {d} BETWEEN 1 AND {days})"
    )


@dataclass(frozen=True)
class TabSpec:
    """How one tab-separated layout is read and checked."""

    kind: str
    width: int  # columns declared (the widest layout)
    min_width: int  # the narrowest layout: a row without this column is short
    widths: str  # "61", "57 or 58", for messages
    skip: int  # header lines
    types: dict[int, str]  # column (1-based) → DuckDB type read natively (else VARCHAR)
    names: dict[int, str]  # column → its name in messages
    select: str  # the staged columns over c1..cW (see stage_sql)
    checks: list[tuple[str, str]]  # (SQL condition that is true when bad, SQL reason)


#: Bounds of the integer columns whose out-of-range values DuckDB's reader refuses.
_INT_BOUNDS = {"INTEGER": "0 to 2147483647", "TINYINT": "1 to 4"}


def gdelt_spec(kind: str) -> TabSpec:
    """GDELT 1.0 (57/58 columns, DATEADDED YYYYMMDD) or 2.0 (61, YYYYMMDDHHMMSS).

    Numbers and dates are read as typed columns by DuckDB's reader (a value that is not
    one is a reject of the reader, with its column); the rest is checked in SQL with
    integer arithmetic (calendar days, DATEADDED not before SQLDATE) and string tests.
    """
    if kind == "gdelt2":
        width, min_width, widths, added, url, digits = 61, 61, "61", 60, 61, 14
    else:
        width, min_width, widths, added, url, digits = 58, 57, "57 or 58", 57, 58, 8
    types = {1: "UBIGINT", 2: "INTEGER", 30: "TINYINT", 31: "DOUBLE", 32: "INTEGER",
             33: "INTEGER", 34: "INTEGER", 35: "DOUBLE", added: "BIGINT"}  # fmt: skip
    names = {1: "GLOBALEVENTID", 2: "SQLDATE", 30: "QuadClass", 31: "GoldsteinScale",
             32: "NumMentions", 33: "NumSources", 34: "NumArticles", 35: "AvgTone",
             added: "DATEADDED"}  # fmt: skip
    day = f"(c{added} // 1000000)" if digits == 14 else f"c{added}"
    lo, hi = ("10000101000000", "99991231235959") if digits == 14 else ("10000101", "99991231")
    select = f"""
        CAST(c1 AS VARCHAR) AS event_id,
        CASE WHEN {_valid_ymd("c2")} THEN make_date(c2 // 10000, c2 // 100 % 100, c2 % 100)
             END AS date,
        c6 AS a_code, c8 AS a_country, c9 AS a_group,
        c16 AS b_code, c18 AS b_country, c19 AS b_group,
        c27 AS event_code, c29 AS root_code, c30 AS quad_, c31 AS goldstein,
        c32 AS mentions_, nullif(c{url}, '') AS url"""
    checks = [
        ("date IS NULL", "'impossible date in SQLDATE: ' || " + _q("c2")),
        (
            f"c{added} NOT BETWEEN {lo} AND {hi}",
            f"'DATEADDED ' || {_q(f'c{added}')} || ' is not {digits} digits'",
        ),
        (f"NOT {_valid_ymd(day)}", f"'impossible date in DATEADDED: ' || {_q(day)}"),
        (f"c2 > {day}", f"'SQLDATE ' || c2 || ' is after DATEADDED ' || c{added}"),
        (
            "NOT regexp_full_match(c27, '[0-9]{2,4}')",
            f"'EventCode is not a CAMEO code: ' || {_q('c27')}",
        ),
        (
            "c29 <> left(c27, 2)",
            f"'EventRootCode ' || {_q('c29')} || ' does not match EventCode ' || {_q('c27')}",
        ),
        ("c30 NOT BETWEEN 1 AND 4", "'QuadClass ' || c30 || ' is out of range (must be 1 to 4)'"),
        (
            "isnan(c31) OR c31 NOT BETWEEN -10 AND 10",
            "'GoldsteinScale ' || c31 || ' is out of range (must be -10.0 to 10.0)'",
        ),
        ("c32 < 0", "'NumMentions ' || c32 || ' is out of range (must be 0 to 2147483647)'"),
        ("c33 < 0", "'NumSources ' || c33 || ' is out of range (must be at least 0)'"),
        ("c34 < 0", "'NumArticles ' || c34 || ' is out of range (must be at least 0)'"),
        (
            "isnan(c35) OR c35 NOT BETWEEN -100 AND 100",
            "'AvgTone ' || c35 || ' is out of range (must be -100.0 to 100.0)'",
        ),
    ]
    return TabSpec(kind, width, min_width, widths, 0, types, names, select, checks)


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
    return TabSpec("icews", n, n, str(n), 1, {}, {}, select, checks)


def read_csv_sql(spec: TabSpec, path: str) -> str:
    """DuckDB's ``read_csv`` of ``path`` with the layout's columns (typed where checked)."""
    cols = ", ".join(f"'c{i}': '{spec.types.get(i, 'VARCHAR')}'" for i in range(1, spec.width + 1))
    return (
        f"read_csv({lit(path)}, delim = '\t', header = false, skip = {spec.skip}, quote = '', "
        f"escape = '', columns = {{{cols}}}, null_padding = true, nullstr = {lit(NULLSTR)}, "
        "auto_detect = false, store_rejects = true, rejects_table = 'bc_reject_errors', "
        "rejects_scan = 'bc_reject_scans', max_line_size = 1048576)"
    )


def stage_sql(spec: TabSpec, path: str) -> str:
    """Stage every row DuckDB read, with its checks, as ``bc_stage`` (in file order).

    ``reason`` is null for a good row. A short row (padded by the reader) gets the marker
    reason ``WIDTH``: its message is written from the line's own text.
    """
    whens = "\n".join(f"            WHEN {cond} THEN {reason}" for cond, reason in spec.checks)
    return f"""
    CREATE OR REPLACE TEMP TABLE bc_stage AS
    SELECT {spec.select},
        CASE
            WHEN c{spec.min_width} IS NULL THEN 'WIDTH'
{whens}
        END AS reason
    FROM {read_csv_sql(spec, path)}"""


def reject_sql(spec: TabSpec) -> str:
    """The lines DuckDB's reader set aside, as (line, reason): one row per line.

    A value that is not of its column's type gets the reason the Python readers gave
    (``GoldsteinScale is not a number: 'abc'``); a line with too many or too few columns
    gets the marker ``WIDTH`` (its message is written from the line's text).
    """
    cases = []
    for col, name in spec.names.items():
        typ = spec.types[col]
        value = f"split_part(csv_line, chr(9), {col})"
        if name == "SQLDATE":
            msg = f"'impossible date in SQLDATE: ' || {_q(value)}"
        elif name == "DATEADDED":
            msg = f"'DATEADDED ' || {_q(value)} || ' is not a whole number'"
        elif typ in _INT_BOUNDS:
            msg = (
                f"CASE WHEN regexp_full_match({value}, '[+-]?[0-9]+') THEN "
                f"'{name} ' || {value} || ' is out of range (must be {_INT_BOUNDS[typ]})' "
                f"ELSE '{name} is not a whole number: ' || {_q(value)} END"
            )
        else:
            msg = f"'{name} is not a number: ' || {_q(value)}"
        cases.append(f"WHEN column_idx = {col} THEN {msg}")
    reason = f"""
        CASE
            WHEN error_type IN ('TOO MANY COLUMNS', 'MISSING COLUMNS') THEN 'WIDTH'
            WHEN len(string_split(csv_line, chr(9))) < {spec.min_width} THEN 'WIDTH'
            WHEN error_type IN ('INVALID ENCODING', 'INVALID UNICODE') THEN 'not valid UTF-8'
            {" ".join(cases)}
            ELSE error_type || ': ' || error_message
        END"""
    return f"""
    SELECT line, first({reason} ORDER BY
        CASE WHEN error_type IN ('INVALID ENCODING', 'INVALID UNICODE') THEN 0 ELSE 1 END,
        column_idx) AS reason
    FROM bc_reject_errors GROUP BY line"""


def dim_sql(kind: str, keys: str | None = None) -> str:
    """The actor of each distinct (country, code, group): ``bc_dim``.

    GDELT: the row's ActorNCountryCode when the code map knows it, else the actor code
    itself or its longest prefix at a 3-letter boundary, else ActorNKnownGroupCode.
    ICEWS: the country name, else the actor's name, else the name in its final brackets.
    The keys are those of the staged good rows, or of ``keys``, a table of (k, country,
    code, grp) where ``k`` is the packed key written by :func:`fast_insert_sql`.
    """
    if keys is None:
        grp_a, grp_b = ("''", "''") if kind == "icews" else ("a_group", "b_group")
        keys_cte = f"""keys AS (
            SELECT DISTINCT NULL::VARCHAR AS k, a_country AS country, a_code AS code,
                   {grp_a} AS grp FROM bc_stage WHERE reason IS NULL
            UNION SELECT DISTINCT NULL, b_country, b_code, {grp_b} FROM bc_stage
            WHERE reason IS NULL)"""
    else:
        keys_cte = f"keys AS (SELECT k, country, code, grp FROM {keys})"
    if kind == "icews":
        return f"""
        CREATE OR REPLACE TEMP TABLE bc_dim AS
        WITH {keys_cte}
        SELECT k.k, k.country, k.code, k.grp,
               CASE WHEN k.country IS NOT NULL THEN mc.actor
                    ELSE coalesce(mn.actor, mp.actor) END AS actor
        FROM keys k
        LEFT JOIN bc_map mc ON mc.code = trim(k.country)
        LEFT JOIN bc_map mn ON mn.code = trim(k.code)
        LEFT JOIN bc_map mp
            ON mp.code = trim(regexp_extract(trim(k.code), '\\(([^(]*)\\)$', 1))
        """
    return f"""
    CREATE OR REPLACE TEMP TABLE bc_dim AS
    WITH {keys_cte},
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
    SELECT k.k, k.country, k.code, k.grp,
           CASE WHEN k.code = '' AND k.grp = '' THEN NULL
                ELSE coalesce(mc.actor, h.actor, mg.actor) END AS actor
    FROM keys k
    LEFT JOIN bc_map mc ON mc.code = trim(k.country) AND trim(k.country) <> ''
    LEFT JOIN hit h ON h.code = trim(k.code)
    LEFT JOIN bc_map mg ON mg.code = trim(k.grp) AND trim(k.grp) <> ''
    """


#: Separates the parts of an actor's key (country, code, group) while rows are written.
SEP = "chr(31)"
_NULL = "chr(1)"


def _key(side: str) -> str:
    """SQL packing one side's country, code and group into one string (NULLs kept)."""
    parts = (f"s.{side}_country", f"s.{side}_code", f"s.{side}_group")
    return f" || {SEP} || ".join(f"coalesce({p}, {_NULL})" for p in parts)


def keys_sql(new: str) -> str:
    """The distinct actor keys of the rows just written, unpacked: ``bc_keys``."""
    part = "nullif(split_part(k, chr(31), {}), chr(1))"
    return f"""
    CREATE OR REPLACE TEMP TABLE bc_keys AS
    SELECT k, {part.format(1)} AS country, {part.format(2)} AS code, {part.format(3)} AS grp
    FROM (SELECT source_actor AS k FROM events WHERE {new}
          UNION SELECT target_actor FROM events WHERE {new})"""


def fast_insert_sql(spec: TabSpec, path: str) -> str:
    """One statement: DuckDB's reader and every check, straight into ``events``.

    No join: rows are written in file order (so each row's line follows from its
    position), with each actor's country, code and group packed into ``source_actor``
    and ``target_actor`` until the code map replaces them (:func:`dim_sql` on the
    distinct keys). Rows that fail a check are left out; the store then takes the staged
    path to report them.
    """
    whens = "\n".join(f"            WHEN {cond} THEN {reason}" for cond, reason in spec.checks)
    inner = f"""
        SELECT {spec.select},
            CASE
                WHEN c{spec.min_width} IS NULL THEN 'WIDTH'
{whens}
            END AS reason
        FROM {read_csv_sql(spec, path)}"""
    return f"""
    INSERT INTO events
    SELECT '{spec.kind}', s.event_id, s.date, {_key("a")}, {_key("b")},
           nullif(s.a_code, ''), nullif(s.b_code, ''), s.event_code, s.root_code,
           CAST(s.quad_ AS TINYINT), s.goldstein, CAST(s.mentions_ AS INTEGER), NULL, NULL,
           s.url, $file, NULL
    FROM ({inner}) s
    WHERE s.reason IS NULL"""
