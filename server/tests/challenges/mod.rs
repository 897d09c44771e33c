//! Issue 7 (coding challenges): the sandboxed code runner.
mod sandbox;
