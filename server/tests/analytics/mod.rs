//! Analytics over HTTP: ingest, search and exports (`query`), sales metrics, the catalogue
//! (price events, stock) and product events.
mod catalog;
mod events;
mod ingest;
mod metrics;
mod query;
