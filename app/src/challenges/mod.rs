//! The Challenges area.

pub mod pages;
