//! The Analytics area: bulk order ingest and sales metrics (`ingest`), product events and their
//! summary (`events`), and the dashboards (`pages`).

pub mod events;
pub mod ingest;
pub mod pages;
