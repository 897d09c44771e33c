//! Cross-cutting HTTP layers: request ids, the error envelope, security headers and CSRF.

use app::error::{AppError, ErrorCode, ErrorEnvelope};
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::request_id::RequestId;

/// Header that carries the request id in and out.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Completes API error bodies with the request id (handlers do not know it).
pub async fn complete_error_envelope(req: Request, next: Next) -> Response {
    let request_id = req
        .extensions()
        .get::<RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .map(str::to_string);
    let mut response = next.run(req).await;
    if let Some(ErrorEnvelope(err)) = response.extensions_mut().remove::<ErrorEnvelope>() {
        let body = err.envelope(request_id.as_deref()).to_string();
        response.headers_mut().remove(header::CONTENT_LENGTH);
        *response.body_mut() = Body::from(body);
    }
    response
}

/// Unknown `/api/…` paths answer with the envelope, not the HTML 404 page.
pub async fn api_not_found() -> Response {
    AppError::not_found("Endpoint").into_response()
}

/// nosniff, no framing, a strict referrer policy; a locked-down CSP unless the page set its own.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; \
                 frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
            ),
        );
    }
    response
}

/// CSRF defence for cookie-authenticated state changes, by origin verification (OWASP's
/// "verifying origin with standard headers", as Go's `CrossOriginProtection` does): a browser
/// request that changes state must come from this origin. Requests with an `Authorization`
/// header carry no ambient credentials and are exempt; non-browser clients send neither header.
pub async fn csrf_guard(req: Request, next: Next) -> Response {
    if is_cross_site_state_change(req.method(), req.headers()) {
        return AppError::new(
            ErrorCode::CsrfRejected,
            "Cross-site request refused: state changes must come from Atrium's own pages.",
        )
        .into_response();
    }
    next.run(req).await
}

/// The CSRF rule as a plain function.
pub fn is_cross_site_state_change(method: &Method, headers: &HeaderMap) -> bool {
    let safe = matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    );
    if safe || headers.contains_key(header::AUTHORIZATION) {
        return false;
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    origin_is_foreign(headers).unwrap_or(false)
}

/// Whether the request's `Origin` names another site than its `Host` (an opaque or malformed
/// origin counts as foreign); None when there is no `Origin` header.
pub fn origin_is_foreign(headers: &HeaderMap) -> Option<bool> {
    let origin = headers.get(header::ORIGIN)?.to_str().unwrap_or("");
    let origin_host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    Some(!matches!((origin_host, host), (Some(o), Some(h)) if o == h))
}

/// Long-lived caching for content-hashed bundles under `/pkg/`.
pub async fn cache_static(req: Request, next: Next) -> Response {
    let hashed = req.uri().path().starts_with("/pkg/");
    let mut response = next.run(req).await;
    if hashed && response.status().is_success() {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn same_origin_and_non_browser_requests_pass() {
        assert!(!is_cross_site_state_change(
            &Method::POST,
            &headers(&[("sec-fetch-site", "same-origin")])
        ));
        assert!(!is_cross_site_state_change(
            &Method::POST,
            &headers(&[("origin", "http://a.test"), ("host", "a.test")])
        ));
        assert!(!is_cross_site_state_change(&Method::POST, &headers(&[])));
        assert!(!is_cross_site_state_change(
            &Method::GET,
            &headers(&[("sec-fetch-site", "cross-site")])
        ));
    }

    #[test]
    fn cross_site_state_changes_are_refused() {
        assert!(is_cross_site_state_change(
            &Method::POST,
            &headers(&[("sec-fetch-site", "cross-site")])
        ));
        assert!(is_cross_site_state_change(
            &Method::DELETE,
            &headers(&[("sec-fetch-site", "same-site")])
        ));
        assert!(is_cross_site_state_change(
            &Method::POST,
            &headers(&[("origin", "http://evil.test"), ("host", "a.test")])
        ));
        assert!(is_cross_site_state_change(
            &Method::POST,
            &headers(&[("origin", "null"), ("host", "a.test")])
        ));
    }

    #[test]
    fn bearer_requests_are_exempt() {
        assert!(!is_cross_site_state_change(
            &Method::POST,
            &headers(&[
                ("sec-fetch-site", "cross-site"),
                ("authorization", "Bearer x")
            ])
        ));
    }
}
