//! The one error type of the API client, and the mapping from HTTP answers to it.

use std::fmt;

use platform_types::FieldError;

/// What the platform said when it refused a request: its message, safe to show a person, and
/// the correlation id to quote to support (contract §2.1: every error panel shows it).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Said {
    /// The platform's message; may be empty.
    pub message: String,
    /// The id to quote to support; may be empty.
    pub correlation_id: String,
}

impl Said {
    /// A refusal the console decided itself: no message, nothing to quote.
    pub fn nothing() -> Self {
        Self::default()
    }
}

/// Everything that can go wrong with a platform request, as the UI needs to tell it apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// No answer: offline, DNS, connection dropped, CORS.
    Network(String),
    /// An HTTP answer whose body is not JSON: a gateway's error page, or a web server that is
    /// not the platform (a misconfigured `api_base_url` answering with the console's own page).
    /// A network-level failure (contract §2.1), told apart only in its words.
    NotJson {
        /// HTTP status of that answer.
        status: u16,
    },
    /// No answer within the configured deadline.
    Timeout,
    /// The view that asked went away; nobody is waiting for this answer.
    Cancelled,
    /// 401: the session is missing, expired or revoked (or the credentials were wrong).
    Unauthorized(Said),
    /// 403 with the server's reason.
    Forbidden(Said),
    /// 404.
    NotFound(Said),
    /// 409: an operation on the same key (or the same create intent) is in flight.
    Conflict(Said),
    /// 410: the one-time secrets were already handed out.
    Gone(Said),
    /// 400/422 with field details.
    Validation {
        /// Overall message.
        message: String,
        /// Per-field problems.
        fields: Vec<FieldError>,
        /// Id to quote to support.
        correlation_id: String,
    },
    /// 429, with the wait the server asked for.
    RateLimited {
        /// Seconds to wait, from `Retry-After`.
        retry_after_secs: Option<u64>,
        /// The server's message.
        message: String,
        /// Id to quote to support.
        correlation_id: String,
    },
    /// 5xx (or an unknown status): the platform failed; quote the correlation id to support.
    Server {
        /// HTTP status.
        status: u16,
        /// Safe message from the server, or a generic one.
        message: String,
        /// Id to quote to support.
        correlation_id: String,
        /// Seconds to wait, from `Retry-After` (503).
        retry_after_secs: Option<u64>,
    },
    /// A success answer whose body does not have the expected shape.
    Decode(String),
    /// The answer is larger than the console reads (`MAX_RESPONSE_BYTES`).
    TooLarge,
}

impl ApiError {
    /// The message to show a person.
    pub fn user_message(&self) -> String {
        match self {
            Self::Network(_) => {
                "The platform could not be reached. Check your connection and try again.".into()
            }
            Self::NotJson { status } if (200..300).contains(status) => {
                "Something other than the platform answered (a page, not the platform's data). \
                 Try again; if it goes on, the console's platform address (config.json) or a \
                 proxy on the way is wrong."
                    .into()
            }
            Self::NotJson { status } => format!(
                "The platform could not be reached: the way to it answered HTTP {status}. \
                 Try again in a moment."
            ),
            Self::Timeout => "The platform took too long to answer. Try again.".into(),
            Self::Cancelled => "The request was cancelled.".into(),
            Self::Unauthorized(s) if !s.message.is_empty() => s.message.clone(),
            Self::Unauthorized(_) => "Your session has ended. Sign in again.".into(),
            Self::Forbidden(s) if !s.message.is_empty() => s.message.clone(),
            Self::Forbidden(_) => "You are not allowed to do this.".into(),
            Self::NotFound(s) if !s.message.is_empty() => s.message.clone(),
            Self::NotFound(_) => "It does not exist, or it is no longer available.".into(),
            Self::Conflict(s) if !s.message.is_empty() => s.message.clone(),
            Self::Conflict(_) => {
                "Another operation is in progress. Wait a moment and try again.".into()
            }
            Self::Gone(s) if !s.message.is_empty() => s.message.clone(),
            Self::Gone(_) => "This is no longer available.".into(),
            Self::Validation { message, .. } if !message.is_empty() => message.clone(),
            Self::Validation { .. } => "The request was not accepted.".into(),
            Self::RateLimited {
                retry_after_secs: Some(s),
                ..
            } => format!("Too many requests. Try again in {}.", wait_text(*s)),
            Self::RateLimited { .. } => "Too many requests. Wait a moment and try again.".into(),
            Self::Server {
                status: 503,
                retry_after_secs: Some(s),
                ..
            } => format!(
                "The platform is temporarily unavailable. Try again in {}.",
                wait_text(*s)
            ),
            Self::Server { status: 503, .. } => {
                "The platform is temporarily unavailable. Try again in a moment.".into()
            }
            Self::Server { message, .. } if !message.is_empty() => message.clone(),
            Self::Server { .. } => "Something went wrong on the platform.".into(),
            Self::Decode(_) => {
                "The platform sent an answer this console does not understand.".into()
            }
            Self::TooLarge => format!(
                "The platform's answer is larger than this console accepts ({} MB).",
                super::MAX_RESPONSE_BYTES / (1024 * 1024)
            ),
        }
    }

    /// " (reference …)", said after an error's message, when the platform sent a correlation id.
    pub fn reference(&self) -> Option<String> {
        self.correlation_id().map(|c| format!(" (reference {c})"))
    }

    /// "Reference for support: …", a line of its own, when the platform sent a correlation id.
    pub fn support_reference(&self) -> Option<String> {
        self.correlation_id()
            .map(|c| format!("Reference for support: {c}"))
    }

    /// The correlation id to quote to support, when the platform sent one.
    pub fn correlation_id(&self) -> Option<&str> {
        let id = match self {
            Self::Unauthorized(s)
            | Self::Forbidden(s)
            | Self::NotFound(s)
            | Self::Conflict(s)
            | Self::Gone(s) => &s.correlation_id,
            Self::Validation { correlation_id, .. }
            | Self::RateLimited { correlation_id, .. }
            | Self::Server { correlation_id, .. } => correlation_id,
            Self::Network(_)
            | Self::NotJson { .. }
            | Self::Timeout
            | Self::Cancelled
            | Self::Decode(_)
            | Self::TooLarge => return None,
        };
        (!id.is_empty()).then_some(id.as_str())
    }

    /// Whether no answer of the platform's came: the request may or may not have been carried
    /// out (the contract's network-level failures).
    pub fn is_unanswered(&self) -> bool {
        matches!(
            self,
            Self::Network(_) | Self::NotJson { .. } | Self::Timeout
        )
    }

    /// The wait the platform asked for before the next request (`Retry-After`, with a 429 or a
    /// platform failure), in milliseconds; a minute at most: what asks again by itself (the
    /// key step waiting for a key's secrets among them) does not leave the person waiting
    /// longer on a wait it may not show.
    pub fn asked_wait_ms(&self) -> u32 {
        match self {
            Self::RateLimited {
                retry_after_secs: Some(s),
                ..
            }
            | Self::Server {
                retry_after_secs: Some(s),
                ..
            } => s.saturating_mul(1000).min(60_000) as u32,
            _ => 0,
        }
    }

    /// Whether trying the same request again may help (offer a retry button).
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::Network(_)
                | Self::NotJson { .. }
                | Self::Timeout
                | Self::RateLimited { .. }
                | Self::Server { .. }
                | Self::Decode(_)
        )
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.user_message())
    }
}

impl std::error::Error for ApiError {}

/// What is wrong with a JSON text, said without quoting it: serde's own message quotes values with
/// `{:?}`, and that formatting (with its Unicode tables) is not worth shipping for a detail no
/// person reads.
pub fn json_problem(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match e.classify() {
        Category::Syntax => "not valid JSON",
        Category::Eof => "cut short",
        Category::Data => "a value of the wrong type or shape",
        Category::Io => "unreadable",
    };
    format!("{what} at line {}, column {}", e.line(), e.column())
}

/// "42 seconds" / "3 minutes".
pub fn wait_text(secs: u64) -> String {
    match secs {
        0..=1 => "1 second".into(),
        2..=90 => format!("{secs} seconds"),
        _ => format!("{} minutes", secs.div_ceil(60)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_for_people() {
        let e = ApiError::RateLimited {
            retry_after_secs: Some(120),
            message: String::new(),
            correlation_id: String::new(),
        };
        assert_eq!(
            e.user_message(),
            "Too many requests. Try again in 2 minutes."
        );
        let down = ApiError::Server {
            status: 503,
            message: String::new(),
            correlation_id: String::new(),
            retry_after_secs: Some(30),
        };
        assert_eq!(
            down.user_message(),
            "The platform is temporarily unavailable. Try again in 30 seconds."
        );
        assert!(ApiError::Timeout.is_retryable());
        assert!(!ApiError::Forbidden(Said::nothing()).is_retryable());
        assert_eq!(wait_text(1), "1 second");
        assert_eq!(wait_text(30), "30 seconds");
    }

    #[test]
    fn the_wait_the_platform_asked_for_is_kept_to_a_minute() {
        let limited = |secs| ApiError::RateLimited {
            retry_after_secs: secs,
            message: String::new(),
            correlation_id: String::new(),
        };
        assert_eq!(limited(Some(20)).asked_wait_ms(), 20_000);
        assert_eq!(limited(None).asked_wait_ms(), 0);
        assert_eq!(limited(Some(3_600)).asked_wait_ms(), 60_000);
        assert_eq!(limited(Some(u64::MAX)).asked_wait_ms(), 60_000);
        let down = ApiError::Server {
            status: 503,
            message: String::new(),
            correlation_id: String::new(),
            retry_after_secs: Some(2),
        };
        assert_eq!(down.asked_wait_ms(), 2_000);
        assert_eq!(ApiError::Timeout.asked_wait_ms(), 0);
    }
}
