# Atrium SQL harness: builds a throw-away SQLite database (the task's setup script), runs the
# user's SQL, records the rows and EXPLAIN QUERY PLAN of the user's last query in the tables
# atrium_result and atrium_plan, then runs each test's SQL on a fresh copy of that database
# and prints one result line per test: "@@ATRIUM-<nonce>@@ <json>" with the rows it got (the
# server compares them with the expected rows, which never come here).
import json, math, os, re, sqlite3, sys, time

NONCE = os.urandom(12).hex()
OUT = sys.stdout


def emit(obj):
    OUT.write("\n@@ATRIUM-%s@@ %s\n" % (NONCE, json.dumps(obj)))
    OUT.flush()


OUT.write("ATRIUM-HARNESS %s sql\n" % NONCE)
OUT.flush()
with open("tests.json", encoding="utf-8") as f:
    SPEC = json.load(f)
os.remove("tests.json")
LIMIT = SPEC.get("per_test_ms", 2500) / 1000.0
USER_LIMIT = 4.0


def statements(script):
    """Splits a script into complete statements (triggers and quoted ';' handled by SQLite)."""
    out, start = [], 0
    for i, ch in enumerate(script):
        if ch == ";" and sqlite3.complete_statement(script[start:i + 1]):
            out.append(script[start:i + 1])
            start = i + 1
    rest = script[start:]
    if strip_comments(rest):
        out.append(rest)
    return [s for s in out if strip_comments(s)]


def strip_comments(s):
    return re.sub(r"--[^\n]*|/\*.*?\*/", " ", s, flags=re.S).strip().rstrip(";").strip()


def is_query(s):
    return re.match(r"(?i)(select|with|values)\b", strip_comments(s)) is not None


def norm(v):
    if isinstance(v, float):
        if not math.isfinite(v):
            return repr(v)
        return int(v) if v.is_integer() else round(v, 9)
    if isinstance(v, bytes):
        return v.hex()
    if isinstance(v, (list, tuple)):
        return [norm(x) for x in v]
    return v


def deadline_handler(conn, seconds):
    end = time.monotonic() + seconds
    conn.set_progress_handler(lambda: 1 if time.monotonic() > end else 0, 10000)


def connect():
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


db = connect()
try:
    db.executescript(SPEC.get("setup") or "")
except sqlite3.Error as e:
    emit({"fatal": "the task's setup script failed: %s" % e})
    sys.exit(0)

with open("solution.sql", encoding="utf-8") as f:
    user_sql = f.read()
last_query = None
deadline_handler(db, USER_LIMIT)
for n, stmt in enumerate(statements(user_sql), 1):
    try:
        db.execute(stmt).fetchall()
    except sqlite3.Error as e:
        text = str(e)
        if text == "interrupted":
            text = "took longer than %.0f s" % USER_LIMIT
        first = strip_comments(stmt).splitlines()[0][:120]
        emit({"fatal": "SQL error in your statement %d (%s): %s" % (n, first, text)})
        sys.exit(0)
    except sqlite3.Warning as e:
        emit({"fatal": "SQL error in your statement %d: %s" % (n, e)})
        sys.exit(0)
    if is_query(stmt):
        last_query = strip_comments(stmt)
db.set_progress_handler(None, 0)

db.execute("CREATE TABLE atrium_plan (id INTEGER, parent INTEGER, detail TEXT)")
if last_query is not None:
    try:
        plan = db.execute("EXPLAIN QUERY PLAN " + last_query).fetchall()
        db.executemany("INSERT INTO atrium_plan VALUES (?, ?, ?)",
                       [(r[0], r[1], r[3]) for r in plan])
        db.execute("CREATE TABLE atrium_result AS " + last_query)
        depth = {0: -1}
        lines = []
        for r in plan:
            depth[r[0]] = depth.get(r[1], -1) + 1
            lines.append("  " * depth[r[0]] + r[3])
        emit({"plan": "\n".join(lines)})
    except sqlite3.Error as e:
        emit({"fatal": "your last query could not be analysed: %s" % e})
        sys.exit(0)
else:
    db.execute("CREATE TABLE atrium_result (no_query_found)")

template = sqlite3.connect(":memory:")
db.backup(template)
db.close()


def run(test):
    res = {"i": test["i"]}
    start = time.perf_counter()
    conn = connect()
    try:
        template.backup(conn)
        conn.execute("PRAGMA foreign_keys = ON")
        deadline_handler(conn, LIMIT)
        rows = []
        for stmt in statements(test["code"]):
            rows = [list(r) for r in conn.execute(stmt).fetchall()]
        if test.get("compare"):
            res["value"] = norm(rows)
        res["ok"] = True
    except sqlite3.Error as e:
        text = "timed out after %.1f s" % LIMIT if str(e) == "interrupted" else str(e)
        res.update(ok=False, kind="error", message="SQL error: %s" % text)
    finally:
        conn.close()
    res["ms"] = int((time.perf_counter() - start) * 1000)
    return res


for t in SPEC["tests"]:
    try:
        emit(run(t))
    except BaseException as e:
        emit({"i": t["i"], "ok": False, "kind": "error", "message": repr(e)})
