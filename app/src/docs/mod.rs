//! The Documents area.

pub mod pages;
