# One long-lived local Spark for a test file: reads one JSON request per line on stdin ({"script", "argv"}),
# runs the script with sys.argv set (its SparkSession.builder.getOrCreate() reuses this session) and answers one
# JSON line ({"ok": true} or {"ok": false, "error": traceback}) on the real stdout.
import json
import os
import sys
import traceback

out = sys.stdout
sys.stdout = sys.stderr  # whatever the scripts print must not mix with the answers

from pyspark.sql import SparkSession

spark = (
    SparkSession.builder.master("local[2]")
    .appName("epoxy-tests")
    .config("spark.sql.session.timeZone", "UTC")
    .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
    .config("spark.sql.shuffle.partitions", "2")
    .config("spark.default.parallelism", "2")
    .config("spark.ui.enabled", "false")
    .config("spark.driver.memory", os.environ.get("EPOXY_SPARK_MEMORY", "1g"))
    .getOrCreate()
)
spark.sparkContext.setLogLevel("ERROR")
out.write(json.dumps({"ready": spark.version}) + "\n")
out.flush()

for line in sys.stdin:
    if not line.strip():
        continue
    req = json.loads(line)
    sys.argv = ["job.py"] + list(req.get("argv", []))
    try:
        code = compile(req["script"], req.get("name", "job.py"), "exec")
        exec(code, {"__name__": "__main__"})
        answer = {"ok": True}
    except BaseException:  # argparse exits with SystemExit on bad arguments
        answer = {"ok": False, "error": traceback.format_exc()}
    out.write(json.dumps(answer) + "\n")
    out.flush()
