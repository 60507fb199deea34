//! Errors: why a [`Cleaner`](crate::Cleaner) cannot be built, and why a
//! name cannot be parsed.
//!
//! Cleaning itself never fails on a `&str`: the errors of reading and
//! writing (invalid UTF-8, I/O) belong to the streaming and JSON Lines
//! APIs ([`StreamError`](crate::stream::StreamError),
//! [`JsonlError`](crate::jsonl::JsonlError)). What is left is set-up:
//! options that ask for a converter this build or this machine does not
//! have, and names (`"hk"`, `"s2twp"`) that name nothing.

use std::fmt;

/// Why a [`Cleaner`](crate::Cleaner) could not be built.
///
/// ```
/// # #[cfg(not(feature = "opencc-sys"))] {
/// use zh_clean::{Backend, Cleaner, ErrorKind, Options};
/// let e = Cleaner::try_new(Options::default().backend(Backend::OpenccSys)).unwrap_err();
/// assert_eq!(e.kind(), ErrorKind::BackendNotBuilt);
/// assert!(e.to_string().contains("`opencc-sys` feature"));
/// # }
/// ```
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

/// What kind of [`Error`] it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The options ask for the C++ OpenCC library ([`Backend::OpenccSys`](crate::Backend::OpenccSys))
    /// and the crate was built without the `opencc-sys` feature.
    BackendNotBuilt,
    /// The C++ OpenCC library cannot open a configuration the options use:
    /// every configuration is bundled, so this happens only when its files
    /// cannot be written to a temporary directory for OpenCC to read.
    ConfigurationUnavailable,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error { kind, message: message.into() }
    }

    /// What kind of error this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// No underlying error: the OpenCC library reports a failure to open a
/// configuration as a message, which the error's own message includes.
impl std::error::Error for Error {}

/// A name that names nothing: the `Err` of every `FromStr` of the crate's
/// options ([`Profile`](crate::Profile), [`Stage`](crate::Stage),
/// [`Variants`](crate::Variants), [`Config`](crate::opencc::Config)).
///
/// ```
/// use zh_clean::Profile;
/// let e = "mo".parse::<Profile>().unwrap_err();
/// assert_eq!(e.input(), "mo");
/// assert_eq!(e.to_string(), r#"unknown profile "mo" (expected hk, tw or cn)"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    what: &'static str,
    input: String,
    expected: String,
}

impl ParseError {
    pub(crate) fn new(what: &'static str, input: &str, expected: impl Into<String>) -> ParseError {
        ParseError { what, input: input.to_owned(), expected: expected.into() }
    }

    /// The text that was parsed.
    pub fn input(&self) -> &str {
        &self.input
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {} {:?} (expected {})", self.what, self.input, self.expected)
    }
}

impl std::error::Error for ParseError {}
