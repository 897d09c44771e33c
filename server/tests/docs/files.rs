//! File storage: uploads, listing, downloads, deletes, access rules and bad names.
