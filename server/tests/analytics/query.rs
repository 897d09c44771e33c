//! Analytics query over HTTP.
mod export;
