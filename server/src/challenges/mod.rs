pub mod feedback_config;
