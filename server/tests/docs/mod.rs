//! Documents: file storage and collaborative documents over HTTP and the Yjs WebSocket.
mod collab;
mod files;
mod sync;
