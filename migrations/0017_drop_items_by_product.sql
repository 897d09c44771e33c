-- Ingest speed (issue 6): `sales_order_items_by_product` was the costliest write of a bulk
-- ingest — items arrive in random product order, so every batch rewrote most of the index's
-- pages (measured on 1M orders + 3M items, 25k-order transactions: 90k rows/s with it, 204k
-- without; docs/analytics/ingest.md). No query reads it any more: the search's product filter
-- walks orders by time and probes each order's lines by primary key (≤ 5 rows), which costs the
-- same as probing this index; metrics and rollups join lines by order.
DROP INDEX IF EXISTS sales_order_items_by_product;
