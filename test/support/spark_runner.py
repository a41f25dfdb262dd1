"""One local Spark session for a whole test file, driven by test/support/spark.ts.

Requests come as JSON lines on stdin; answers go as JSON lines on fd 3, so whatever Spark's JVM or a
script writes to fd 1/2 can never be mistaken for an answer. A script runs in the same session (its
`SparkSession.builder.getOrCreate()` returns it), with sys.argv set and its stdout/stderr captured.
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


def register(name, table):
    """A temporary view from {parquet: path} or {schema: 'a INT, d DATE', rows: [[...], ...]}."""
    if "parquet" in table:
        df = spark.read.parquet(table["parquet"])
    else:
        schema = T._parse_datatype_string(table["schema"])
        rows = [tuple(parse_value(v, f.dataType) for v, f in zip(row, schema.fields)) for row in table["rows"]]
        df = spark.createDataFrame(rows, schema)
    df.createOrReplaceTempView(name)


def temp_views():
    return {t.name for t in spark.catalog.listTables() if t.isTemporary}


def handle(req):
    before = temp_views()
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
                    register(name, table)
                df = spark.sql(req["query"])
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
        for view in temp_views() - before:
            spark.catalog.dropTempView(view)


for line in sys.stdin:
    if not line.strip():
        continue
    req = json.loads(line)
    if req.get("op") == "close":
        break
    reply = handle(req)
    reply["id"] = req.get("id")
    answer(reply)

SparkSession.stop = real_stop
spark.stop()
answer({"ok": True, "closed": True})
