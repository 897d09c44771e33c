//! API bearer tokens (random, stored as SHA-256) and HS256 JWTs whose `org_id` names the tenant.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Prefix of every token Atrium issues, so leaked tokens are easy to recognise.
pub const TOKEN_PREFIX: &str = "atr_";

/// A new random token: `atr_` + 32 random bytes, base64url.
pub fn generate_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("{TOKEN_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// What is stored: the SHA-256 of the token. Tokens are high-entropy, so a fast hash suffices.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// JWT claims Atrium accepts: `sub` is the username, `org_id` the tenant.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct JwtClaims {
    pub sub: String,
    pub org_id: String,
    pub exp: i64,
    #[serde(default)]
    pub iat: i64,
}

/// True when a bearer credential looks like a JWT (three dot-separated parts).
pub fn looks_like_jwt(credential: &str) -> bool {
    credential.split('.').count() == 3
}

/// Verifies an HS256 JWT's signature and expiry.
pub fn decode_jwt(token: &str, secret: &[u8]) -> Result<JwtClaims, jsonwebtoken::errors::Error> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_required_spec_claims(&["exp", "sub"]);
    validation.leeway = 5;
    decode::<JwtClaims>(token, &DecodingKey::from_secret(secret), &validation).map(|d| d.claims)
}

/// Signs claims as an HS256 JWT.
pub fn encode_jwt(
    claims: &JwtClaims,
    secret: &[u8],
) -> Result<String, jsonwebtoken::errors::Error> {
    encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp_offset: i64) -> JwtClaims {
        let now = chrono::Utc::now().timestamp();
        JwtClaims {
            sub: "admin_a".into(),
            org_id: "company_a".into(),
            exp: now + exp_offset,
            iat: now,
        }
    }

    #[test]
    fn tokens_are_prefixed_random_and_hash_stably() {
        let (a, b) = (generate_token(), generate_token());
        assert!(a.starts_with(TOKEN_PREFIX) && a.len() > 40);
        assert_ne!(a, b);
        assert_eq!(hash_token(&a), hash_token(&a));
        assert_ne!(hash_token(&a), hash_token(&b));
    }

    #[test]
    fn jwt_round_trips_and_rejects_wrong_secret_and_expiry() {
        let token = encode_jwt(&claims(60), b"secret").expect("encode");
        assert!(looks_like_jwt(&token));
        assert_eq!(
            decode_jwt(&token, b"secret").map(|c| c.org_id).ok(),
            Some("company_a".into())
        );
        assert!(decode_jwt(&token, b"other").is_err());
        let expired = encode_jwt(&claims(-3600), b"secret").expect("encode");
        assert!(decode_jwt(&expired, b"secret").is_err());
    }

    #[test]
    fn plain_tokens_are_not_mistaken_for_jwts() {
        assert!(!looks_like_jwt("token_admin_a"));
        assert!(!looks_like_jwt(&generate_token()));
    }
}
