//! The Dashboards area.

pub mod pages;
