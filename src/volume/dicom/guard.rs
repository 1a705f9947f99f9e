//! A last line of defence: third-party parsers and codecs (including C code
//! behind FFI for JPEG-LS) are fed untrusted files. A panic inside one of them
//! becomes an error for that file instead of taking the application down.

use std::panic::{AssertUnwindSafe, catch_unwind};

use super::error::DicomError;

/// Run `f`, a call into a third-party parser or codec (never Remnant's own
/// code: a bug of ours must not be hidden as a damaged file); a panic inside it
/// is turned into `Err("<what>: internal decoder error")`.
pub fn no_panic<T>(what: &str, f: impl FnOnce() -> T) -> Result<T, DicomError> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => Ok(result),
        Err(payload) => {
            let detail = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(DicomError::DecoderPanic {
                what: what.to_string(),
                detail: detail.trim().to_string(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_become_errors() {
        let r: Result<(), DicomError> = no_panic("decoding", || panic!("boom"));
        assert_eq!(
            r.unwrap_err().to_string(),
            "decoding: internal decoder error boom"
        );
        assert_eq!(no_panic("x", || 3), Ok(3));
    }
}
