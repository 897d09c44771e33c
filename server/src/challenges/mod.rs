//! Issue 7 (coding challenges): server-side pieces.

pub mod sandbox;
