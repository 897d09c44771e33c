//! Order search and exports over HTTP.
mod search;
