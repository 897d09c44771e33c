//! Collaborative documents: REST, the Yjs protocol, persistence and access.
