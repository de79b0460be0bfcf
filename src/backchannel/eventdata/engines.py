"""Engines that run the engagement expression: DuckDB (embedded default) and PySpark.

``events_table(source, engine)`` gives an Ibis table of events on the chosen engine.
``source`` is a DuckDB file made by ``backchannel ingest``, or a Parquet file or folder
with the same columns. PySpark reads Parquet: a DuckDB file is first exported (the
needed columns only) to a temporary Parquet file. On a cluster, give the Parquet path
on shared storage instead. The Spark session runs locally (``local[2]``, 2 shuffle
partitions, no UI) unless ``SPARK_MASTER``, ``PYSPARK_SUBMIT_ARGS --master`` or
``spark.master`` in ``$SPARK_CONF_DIR/spark-defaults.conf`` says otherwise.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir

from ..core.errors import BackchannelError
from .store import _open_error, connect

__all__ = ["ENGINES", "NEEDED", "events_table", "known_actors", "spark_session"]

ENGINES = ("duckdb", "pyspark")
#: The columns the engagement expression reads.
NEEDED = ("date", "source_actor", "target_actor", "quad_class", "root_code", "goldstein")


def _is_parquet(path: Path) -> bool:
    return path.suffix.lower() == ".parquet" or path.is_dir()


def _parquet_glob(path: Path) -> str:
    """The Parquet files of a file or folder (a folder must hold some)."""
    if not path.is_dir():
        return str(path)
    if not any(path.rglob("*.parquet")):
        raise BackchannelError(
            f"{path}: a folder without Parquet files (give the DuckDB file made by `ingest` "
            "as --db, or a folder written by `ingest --parquet` as --parquet)"
        )
    return str(path / "**" / "*.parquet")


def known_actors(source: str | Path) -> set[str]:
    """Every actor id that occurs in the events of ``source`` (DuckDB file or Parquet)."""
    import duckdb

    path = Path(source)
    sql = (
        "SELECT DISTINCT a FROM (SELECT source_actor AS a FROM {t} UNION ALL "
        "SELECT target_actor FROM {t}) WHERE a IS NOT NULL"
    )
    if _is_parquet(path):
        glob = _parquet_glob(path).replace("'", "''")
        with duckdb.connect() as con:
            rows = con.execute(sql.format(t=f"read_parquet('{glob}')")).fetchall()
    else:
        con = connect(path, read_only=True)
        try:
            rows = con.execute(sql.format(t="events")).fetchall()
        finally:
            con.close()
    return {r[0] for r in rows}


def _spark_master() -> str | None:
    if os.environ.get("SPARK_MASTER"):
        return os.environ["SPARK_MASTER"]
    if "--master" in os.environ.get("PYSPARK_SUBMIT_ARGS", ""):
        return None
    conf = Path(os.environ.get("SPARK_CONF_DIR", "/nonexistent")) / "spark-defaults.conf"
    if conf.is_file() and any(
        ln.split()[:1] == ["spark.master"] for ln in conf.read_text().splitlines()
    ):
        return None
    return "local[2]"


def spark_session() -> Any:
    """A small Spark session (see the module docstring); names the extra if missing."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise BackchannelError(
            "the pyspark engine needs PySpark: pip install backchannel[spark]"
        ) from None
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        raise BackchannelError("the pyspark engine needs Java 17 (set JAVA_HOME or PATH)")
    # PySpark warns that it does not yet support pandas 3; the engagement results are
    # checked against DuckDB's row by row in the tests.
    warnings.filterwarnings("ignore", category=FutureWarning, module=r"pyspark(\.|$)")
    builder = SparkSession.builder.appName("backchannel")
    master = _spark_master()
    if master:
        builder = builder.master(master)
    spark = (
        builder.config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", os.environ.get("BACKCHANNEL_SPARK_MEMORY", "1g"))
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


@contextmanager
def events_table(source: str | Path, engine: str = "duckdb") -> Iterator[ir.Table]:
    """An Ibis table of the events in ``source`` on ``engine`` (DuckDB or PySpark)."""
    path = Path(source)
    if engine not in ENGINES:
        raise BackchannelError(f"--engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if not path.exists():
        raise BackchannelError(f"{path}: event database not found (make it with `ingest`)")
    if engine == "duckdb":
        if _is_parquet(path):
            con = ibis.duckdb.connect()
            yield con.read_parquet(_parquet_glob(path), hive_partitioning=path.is_dir())
        else:
            connect(path, read_only=True).close()  # a clear error if it is not our file
            try:
                con = ibis.duckdb.connect(str(path), read_only=True)
            except Exception as exc:  # DuckDB's lock and I/O errors, in our words
                raise _open_error(path, exc) from None
            try:
                yield con.table("events")
            finally:
                con.disconnect()
        return
    spark = spark_session()
    con = ibis.pyspark.connect(spark)
    if _is_parquet(path):
        _parquet_glob(path)
        yield con.read_parquet(str(path))
        return
    tmp = Path(tempfile.mkdtemp(prefix="backchannel-spark-"))
    try:
        parquet = tmp / "events.parquet"
        db = connect(path, read_only=True)
        target = str(parquet).replace("'", "''")
        try:
            db.execute(
                f"COPY (SELECT {', '.join(NEEDED)} FROM events) TO '{target}' (FORMAT parquet)"
            )
        finally:
            db.close()
        yield con.read_parquet(str(parquet))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
