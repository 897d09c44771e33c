"""What SQLite itself allows for the ingest schema, without the server (docs/analytics/ingest.md).

usage: B=<orders per transaction> CACHE=<KiB> python3 scripts/sqlite_floor.py <variant> [orders]
variant words: full, nofts (no 0012 customers/FTS), noprod (drop sales_order_items_by_product if
present), noidx (no secondary indexes), ignore (0012's customer upsert
as DO NOTHING, like migration 0018), chrono (times follow order numbers), sorted, plain, nodel.
Writes a scratch database under $TMPDIR.
"""
import sqlite3, random, time, sys, os
variant = sys.argv[1]
N = int(sys.argv[2]) if len(sys.argv)>2 else 200000
random.seed(7)
import tempfile
db = os.path.join(tempfile.gettempdir(), f"sqlite_floor_{variant}.db")
for s in ["", "-wal", "-shm"]:
    try: os.remove(db+s)
    except FileNotFoundError: pass
c = sqlite3.connect(db, isolation_level=None)
c.execute("PRAGMA journal_mode=WAL"); c.execute("PRAGMA wal_autocheckpoint="+os.environ.get("CK","1000")); c.execute("PRAGMA synchronous=NORMAL"); c.execute("PRAGMA cache_size=-"+os.environ.get("CACHE","65536")+"")
mig = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "migrations") + "/"
c.executescript(open(mig+"0007_sales.sql").read())
c.execute("DROP INDEX IF EXISTS sales_orders_by_status_time")
if "nofts" not in variant:
    sql=open(mig+"0012_sales_search.sql").read()
    if "ignore" in variant:
        sql=sql.replace("""    VALUES (new.tenant_id, new.customer_id, new.customer_name, new.customer_email, 1)
    ON CONFLICT (tenant_id, customer_id, name, email) DO UPDATE SET orders = orders + 1;
END;

-- The ingest upsert""","""    VALUES (new.tenant_id, new.customer_id, new.customer_name, new.customer_email, 1)
    ON CONFLICT (tenant_id, customer_id, name, email) DO NOTHING;
END;

-- The ingest upsert""")
        assert "DO NOTHING" in sql
    c.executescript(sql)
    if "nofts5" in variant or "ftsbatch" in variant: c.execute("DROP TRIGGER sales_customers_ai")
    if "automerge" in variant: c.execute("INSERT INTO sales_customers_fts(sales_customers_fts, rank) VALUES('automerge', 16)")
if "noprod" in variant: c.execute("DROP INDEX sales_order_items_by_product")
if "noidx" in variant:
    c.execute("DROP INDEX sales_orders_by_time"); c.execute("DROP INDEX sales_order_items_by_product")
EPOCH=1704067200; SPAN=2*365*86400
orders=[]; items=[]
for i in range(N):
    cust=random.randrange(100000)
    ts=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(EPOCH+(i*SPAN//N + random.randrange(3600) if "chrono" in variant else random.randrange(SPAN))))
    orders.append(("company_a", f"o-{i:09}", f"c-{cust}", f"Ada Lovelace{cust%64}", f"c{cust}@example.com", "paid", ts, "EUR", 1234))
    for n in range(random.randint(1,5)):
        items.append(("company_a", f"o-{i:09}", n, f"p-{random.randrange(50000)}", 2, 999))
t=time.time(); cpu0=time.process_time()
B=int(os.environ.get("B","10000"))
oi=0; ii=0
for b in range(0, N, B):
    c.execute("BEGIN")
    if "ftsbatch" in variant: prev=c.execute("SELECT coalesce(max(id),0) FROM sales_customers").fetchone()[0]
    chunk=orders[b:b+B]
    if "sorted" in variant: chunk=sorted(chunk,key=lambda r:r[6])
    if "nodel" not in variant:
        c.executemany("DELETE FROM sales_order_items WHERE tenant_id=? AND order_id=?", [(o[0],o[1]) for o in chunk])
    if "plain" in variant:
        c.executemany("INSERT INTO sales_orders VALUES (?,?,?,?,?,?,?,?,?)", chunk)
    else:
        for k in range(0,len(chunk),500):
            part=chunk[k:k+500]
            c.execute("INSERT INTO sales_orders VALUES "+",".join(["(?,?,?,?,?,?,?,?,?)"]*len(part))+" ON CONFLICT(tenant_id,order_id) DO UPDATE SET customer_id=excluded.customer_id", [v for r in part for v in r])
        if 0: c.executemany("INSERT INTO sales_orders VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(tenant_id,order_id) DO UPDATE SET customer_id=excluded.customer_id, customer_name=excluded.customer_name, customer_email=excluded.customer_email, status=excluded.status, created_at=excluded.created_at, currency=excluded.currency, total_cents=excluded.total_cents", chunk)
    last=chunk[-1][1]
    its=[]
    while ii < len(items) and items[ii][1] <= last:
        its.append(items[ii]); ii+=1
    if "sorted" in variant:
        its.sort(key=lambda r: r[3])
    for k in range(0,len(its),1000):
        part=its[k:k+1000]
        c.execute("INSERT INTO sales_order_items VALUES "+",".join(["(?,?,?,?,?,?)"]*len(part)), [v for r in part for v in r])
    if "ftsbatch" in variant: c.execute("INSERT INTO sales_customers_fts(rowid,name,email) SELECT id,name,email FROM sales_customers WHERE id > ?", (prev,))
    c.execute("COMMIT")
dt=time.time()-t; cpu=time.process_time()-cpu0
rows=N+len(items)
print(f"{variant}: {N} orders {len(items)} items {dt:.2f}s {rows/dt:.0f} rows/s cpu {cpu:.2f}s")
c.close()
for s in ["", "-wal", "-shm"]:
    try: os.remove(db+s)
    except FileNotFoundError: pass
