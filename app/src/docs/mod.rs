//! The Documents area: tenant file storage (`files`) and collaborative rich-text documents
//! (`collab`, Yjs via yrs on the server and yjs + ProseMirror in the browser).

pub mod collab;
pub mod files;
