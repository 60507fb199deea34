//! Main-content extraction (work in progress).
