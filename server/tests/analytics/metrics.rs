//! Analytics metrics over HTTP.
