//! Order search and exports over HTTP.
mod export;
mod search;
