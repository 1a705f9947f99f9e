//! A last line of defence: third-party parsers and codecs (including C code
//! behind FFI for JPEG-LS) are fed untrusted files. A panic inside one of them
//! becomes an error for that file instead of taking the application down.

use std::panic::{AssertUnwindSafe, catch_unwind};

/// Run `f`; a panic inside it is turned into `Err("<what>: internal decoder error")`.
pub fn no_panic<T>(what: &str, f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => {
            let detail = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(format!("{what}: internal decoder error {detail}")
                .trim_end()
                .to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_become_errors() {
        let r: Result<(), String> = no_panic("decoding", || panic!("boom"));
        assert_eq!(r, Err("decoding: internal decoder error boom".to_string()));
        assert_eq!(no_panic("x", || Ok(3)), Ok(3));
    }
}
