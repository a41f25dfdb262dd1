"""One local Spark (one JVM) for a whole vitest run, driven by test/support/spark-broker.ts.

Requests come as JSON lines on stdin; answers go as JSON lines on fd 3, so whatever Spark's JVM or a
script writes to fd 1/2 can never be mistaken for an answer. Each test file opens its own SparkSession
(`newSession()`: its own SQL settings, temporary views and UDFs on the one SparkContext), so a file sees
what it saw when it had a JVM of its own, without paying 30-60 s to start one. A script runs in its
file's session (its `SparkSession.builder.getOrCreate()` returns it), with sys.argv set and its
stdout/stderr captured. Requests run one at a time: sys.argv, sys.stdout and the builder's session are
process-wide.
"""
import base64
import contextlib
import datetime
import decimal
import io
import json
import os
import sys
import traceback

answers = os.fdopen(3, "w", buffering=1, encoding="utf-8")


def answer(obj):
    answers.write(json.dumps(obj) + "\n")
    answers.flush()


try:
    from pyspark.sql import SparkSession
    from pyspark.sql import types as T

    conf = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    builder = (
        SparkSession.builder.master(conf.pop("master", "local[2]"))
        .appName("epoxy-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.driver.extraJavaOptions", "-Duser.timezone=UTC")
        .config("spark.executor.extraJavaOptions", "-Duser.timezone=UTC")
    )
    for key, value in conf.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    # Exported scripts end with spark.stop(); in the tests the session outlives them.
    real_stop = SparkSession.stop
    SparkSession.stop = lambda self: None
except BaseException:
    answer({"ok": False, "error": traceback.format_exc()})
    sys.exit(1)

answer({"ok": True, "ready": True, "version": spark.version})


def plain(v):
    """A value as JSON: dates and timestamps ISO, decimals as strings, bytes base64, rows as objects."""
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, float):
        # JSON has no Infinity or NaN: spark.ts turns this marker back into the number.
        if v != v:
            return {"$float": "NaN"}
        if v in (float("inf"), float("-inf")):
            return {"$float": "Infinity" if v > 0 else "-Infinity"}
        return v
    if isinstance(v, datetime.datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, (datetime.date, datetime.time)):
        return v.isoformat()
    if isinstance(v, decimal.Decimal):
        return str(v)
    if isinstance(v, (bytes, bytearray)):
        return base64.b64encode(bytes(v)).decode()
    if isinstance(v, T.Row):
        return {k: plain(x) for k, x in v.asDict(recursive=False).items()}
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    return str(v)


def parse_value(v, dt):
    if v is None:
        return None
    if isinstance(dt, T.DateType):
        return datetime.date.fromisoformat(v)
    if isinstance(dt, (T.TimestampType, T.TimestampNTZType)):
        return datetime.datetime.fromisoformat(v.replace("Z", ""))
    if isinstance(dt, T.DecimalType):
        return decimal.Decimal(str(v))
    if isinstance(dt, (T.FloatType, T.DoubleType)):
        return float(v)
    if isinstance(dt, T.ArrayType):
        return [parse_value(x, dt.elementType) for x in v]
    if isinstance(dt, T.StructType):
        return tuple(parse_value(v.get(f.name), f.dataType) for f in dt.fields)
    if isinstance(dt, T.MapType):
        return {k: parse_value(x, dt.valueType) for k, x in v.items()}
    return v


def register(session, name, table):
    """A temporary view from {parquet: path} or {schema: 'a INT, d DATE', rows: [[...], ...]}."""
    if "parquet" in table:
        df = session.read.parquet(table["parquet"])
    else:
        schema = T._parse_datatype_string(table["schema"])
        rows = [tuple(parse_value(v, f.dataType) for v, f in zip(row, schema.fields)) for row in table["rows"]]
        df = session.createDataFrame(rows, schema)
    df.createOrReplaceTempView(name)


sessions = {}


def open_session(conf):
    """A new session on the running context, with the file's own SQL settings (e.g. its time zone)."""
    fixed = [k for k in conf if not spark.conf.isModifiable(k)]
    if fixed:
        raise ValueError(
            "cannot set " + ", ".join(fixed) + " for one test file: Spark fixes it when it starts"
            " (give it in the runner's start settings, which start a Spark of their own)"
        )
    session = spark.newSession()
    for key, value in conf.items():
        session.conf.set(key, value)
    return session


def use(session):
    """Make `session` the one SparkSession.builder.getOrCreate() and getActiveSession() return."""
    SparkSession._instantiatedSession = session
    SparkSession._activeSession = session
    jvm = spark.sparkContext._jvm
    jvm.SparkSession.setDefaultSession(session._jsparkSession)
    jvm.SparkSession.setActiveSession(session._jsparkSession)


def temp_views(session):
    return {t.name for t in session.catalog.listTables() if t.isTemporary}


def handle(req):
    if req["op"] == "open":
        try:
            sessions[req["session"]] = open_session(req.get("conf") or {})
            return {"ok": True, "version": spark.version}
        except BaseException:
            return {"ok": False, "error": traceback.format_exc()}
    if req["op"] == "drop":
        sessions.pop(req["session"], None)
        return {"ok": True}
    session = sessions.get(req.get("session"))
    if session is None:
        return {"ok": False, "error": "ValueError: no open Spark session " + repr(req.get("session"))}
    use(session)
    before = temp_views(session)
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            if req["op"] == "run":
                sys.argv = [req.get("name", "script.py")] + list(req.get("argv", []))
                code = compile(req["script"], req.get("name", "script.py"), "exec")
                try:
                    exec(code, {"__name__": "__main__", "__file__": req.get("name", "script.py")})
                except SystemExit as e:
                    if e.code not in (None, 0):
                        raise
                result = None
            elif req["op"] == "sql":
                for name, table in (req.get("tables") or {}).items():
                    register(session, name, table)
                df = session.sql(req["query"])
                rows = df.collect()
                result = {
                    "columns": [{"name": f.name, "type": f.dataType.simpleString()} for f in df.schema.fields],
                    "rows": [[plain(v) for v in row] for row in rows],
                }
            else:
                raise ValueError("unknown op " + str(req["op"]))
        return {"ok": True, "stdout": out.getvalue(), "stderr": err.getvalue(), "result": result}
    except BaseException:
        return {"ok": False, "stdout": out.getvalue(), "stderr": err.getvalue(), "error": traceback.format_exc()}
    finally:
        sys.argv = [sys.argv[0]]
        # Each request starts clean: views a script or a query registered are dropped.
        for view in temp_views(session) - before:
            session.catalog.dropTempView(view)


for line in sys.stdin:
    if not line.strip():
        continue
    req = json.loads(line)
    if req.get("op") == "close":
        break
    reply = handle(req)
    reply["id"] = req.get("id")
    answer(reply)

use(spark)
SparkSession.stop = real_stop
spark.stop()
answer({"ok": True, "closed": True})
