//! Analytics catalog over HTTP.
