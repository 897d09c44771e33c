//! The Feed area.

pub mod pages;
