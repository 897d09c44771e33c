//! The upsell's stub OpenAI-compatible model (one implementation, in `app`'s test support).

pub use app::storefront::upsell::stub::{Mode, Stub as OpenAiStub};
