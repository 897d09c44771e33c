//! The Storefront area.

pub mod pages;
