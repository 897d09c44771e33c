//! Analytics query over HTTP.
