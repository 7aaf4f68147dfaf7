//! Identifiers, access keys and secrets, all from the operating system's CSPRNG.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::rngs::OsRng;
use rand::RngCore;

fn random_b64(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    OsRng.fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

/// `prefix--` and a random url-safe tail (contract §2), e.g. `apikey--Xk3…`.
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}--{}", random_b64(12))
}

/// A visible API key: `onq.` and 24 random characters. Identifies a key; not a secret.
pub fn access_key() -> String {
    let mut buf = [0u8; 12];
    OsRng.fill_bytes(&mut buf);
    let hex: String = buf.iter().map(|b| format!("{b:02X}")).collect();
    format!("onq.{hex}")
}

/// A 256-bit secret with a recognisable prefix (helps secret scanners find leaks).
pub fn secret(prefix: &str) -> String {
    format!("{prefix}{}", random_b64(32))
}

/// A 256-bit opaque token (refresh tokens, signing keys).
pub fn token() -> String {
    random_b64(32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_uniqueness() {
        let a = new_id("apikey");
        assert!(a.starts_with("apikey--") && a.len() == "apikey--".len() + 16);
        assert_ne!(new_id("x"), new_id("x"));
        let k = access_key();
        assert!(k.starts_with("onq.") && k.len() == 28);
        assert_eq!(secret("onq_sk_").len(), 7 + 43);
        assert_ne!(token(), token());
    }
}
