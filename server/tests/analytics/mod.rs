//! Analytics: order ingest and product events over HTTP.
mod events;
mod ingest;
