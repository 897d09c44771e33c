//! What clients send to change the catalogue, and the rules it must meet (shared by the browser
//! form and the server, so both give the same message).

use crate::error::AppError;
use serde::{Deserialize, Serialize};

/// Highest price accepted, in pence (£1,000,000).
pub const MAX_PRICE_CENTS: i64 = 100_000_000;
/// Most units one product may have in stock.
pub const MAX_STOCK: i64 = 1_000_000;

/// A new product (`POST /api/v1/products`).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewProduct {
    pub sku: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub category: String,
    pub price_cents: i64,
    pub stock: i64,
    #[serde(default)]
    pub image_url: String,
}

/// A partial update (`PATCH /api/v1/products/{id}`): only the fields present change.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProductPatch {
    pub name: Option<String>,
    pub description: Option<String>,
    pub category: Option<String>,
    pub price_cents: Option<i64>,
    pub stock: Option<i64>,
    pub image_url: Option<String>,
}

fn text(field: &str, value: &str, max: usize, required: bool) -> Result<String, AppError> {
    let value = value.trim();
    if required && value.is_empty() {
        return Err(AppError::invalid_field(
            field,
            &format!("{field} is required."),
        ));
    }
    if value.chars().count() > max {
        return Err(AppError::invalid_field(
            field,
            &format!("{field} must be at most {max} characters."),
        ));
    }
    if value.chars().any(|c| c.is_control() && c != '\n') {
        return Err(AppError::invalid_field(
            field,
            &format!("{field} contains control characters."),
        ));
    }
    Ok(value.to_string())
}

fn price(value: i64) -> Result<i64, AppError> {
    if !(0..=MAX_PRICE_CENTS).contains(&value) {
        return Err(AppError::invalid_field(
            "price_cents",
            "price_cents must be between 0 and 100000000 (pence).",
        ));
    }
    Ok(value)
}

fn stock(value: i64) -> Result<i64, AppError> {
    if !(0..=MAX_STOCK).contains(&value) {
        return Err(AppError::invalid_field(
            "stock",
            "stock must be between 0 and 1000000.",
        ));
    }
    Ok(value)
}

fn image(value: &str) -> Result<String, AppError> {
    let value = text("image_url", value, 500, false)?;
    if !(value.is_empty() || value.starts_with('/') && !value.starts_with("//")) {
        return Err(AppError::invalid_field(
            "image_url",
            "image_url must be a path on this site, like /products/lamp.svg.",
        ));
    }
    Ok(value)
}

impl NewProduct {
    /// Trims and checks every field; the first problem is the error.
    pub fn validated(&self) -> Result<NewProduct, AppError> {
        let sku = text("sku", &self.sku, 64, true)?;
        if !sku
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(AppError::invalid_field(
                "sku",
                "sku may use letters, digits, '-' and '_' only.",
            ));
        }
        Ok(NewProduct {
            sku,
            name: text("name", &self.name, 120, true)?,
            description: text("description", &self.description, 2_000, false)?,
            category: text("category", &self.category, 50, true)?,
            price_cents: price(self.price_cents)?,
            stock: stock(self.stock)?,
            image_url: image(&self.image_url)?,
        })
    }
}

impl ProductPatch {
    /// Checks the fields present; an empty patch is an error.
    pub fn validated(&self) -> Result<ProductPatch, AppError> {
        let patch = ProductPatch {
            name: self
                .name
                .as_deref()
                .map(|v| text("name", v, 120, true))
                .transpose()?,
            description: self
                .description
                .as_deref()
                .map(|v| text("description", v, 2_000, false))
                .transpose()?,
            category: self
                .category
                .as_deref()
                .map(|v| text("category", v, 50, true))
                .transpose()?,
            price_cents: self.price_cents.map(price).transpose()?,
            stock: self.stock.map(stock).transpose()?,
            image_url: self.image_url.as_deref().map(image).transpose()?,
        };
        if patch == ProductPatch::default() {
            return Err(AppError::new(
                crate::error::ErrorCode::Validation,
                "Send at least one field to change.",
            ));
        }
        Ok(patch)
    }
}

/// A shopper's country for checkout: two letters (ISO 3166-1 alpha-2), upper-cased.
pub fn country_code(value: Option<&str>) -> Result<String, AppError> {
    let value = value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .unwrap_or("GB");
    if value.len() != 2 || !value.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(AppError::invalid_field(
            "country",
            "country must be a two-letter code such as GB or FR.",
        ));
    }
    Ok(value.to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product() -> NewProduct {
        NewProduct {
            sku: "LAMP-1".into(),
            name: "  Desk lamp ".into(),
            description: String::new(),
            category: "Home".into(),
            price_cents: 2_500,
            stock: 3,
            image_url: "/products/home.svg".into(),
        }
    }

    #[test]
    fn good_products_are_trimmed() {
        assert_eq!(product().validated().expect("valid").name, "Desk lamp");
    }

    #[test]
    fn bad_fields_are_named() {
        let cases: Vec<(NewProduct, &str)> = vec![
            (
                NewProduct {
                    sku: "a b".into(),
                    ..product()
                },
                "sku",
            ),
            (
                NewProduct {
                    name: " ".into(),
                    ..product()
                },
                "name",
            ),
            (
                NewProduct {
                    price_cents: -1,
                    ..product()
                },
                "price_cents",
            ),
            (
                NewProduct {
                    stock: MAX_STOCK + 1,
                    ..product()
                },
                "stock",
            ),
            (
                NewProduct {
                    image_url: "https://evil.example/x.png".into(),
                    ..product()
                },
                "image_url",
            ),
            (
                NewProduct {
                    image_url: "//evil.example/x.png".into(),
                    ..product()
                },
                "image_url",
            ),
        ];
        for (input, field) in cases {
            let err = input.validated().expect_err(field);
            assert_eq!(err.status(), 422);
            assert!(
                err.details.expect("details").get(field).is_some(),
                "{field}"
            );
        }
    }

    #[test]
    fn empty_patches_are_refused() {
        assert!(ProductPatch::default().validated().is_err());
        let ok = ProductPatch {
            stock: Some(0),
            ..Default::default()
        };
        assert_eq!(ok.validated().expect("valid").stock, Some(0));
    }

    #[test]
    fn countries_are_two_letters() {
        assert_eq!(country_code(None).expect("default"), "GB");
        assert_eq!(country_code(Some(" fr ")).expect("fr"), "FR");
        assert!(country_code(Some("France")).is_err());
        assert!(country_code(Some("1A")).is_err());
    }
}
